package cdxj

import (
	"bufio"
	"bytes"
	"container/heap"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// defaultSortMemory is the memory limit of a SortedWriter whose
// SortOptions.MemoryLimit is zero.
const defaultSortMemory = 64 << 20

// SortOptions configures a SortedWriter.
type SortOptions struct {
	// MemoryLimit is roughly how many bytes of lines are held before a
	// sorted run is written to a temporary file. If zero, defaultSortMemory.
	MemoryLimit int64
	// TempDir holds the runs. If empty, os.TempDir().
	TempDir string
}

// SortedWriter collects index lines and, on Close, writes them to its
// io.Writer in the order `LC_ALL=C sort` gives (byte order of the whole
// line), each ending in '\n', which is how pywb and warcio.js indexes are
// sorted and what File's binary search needs. Past the memory limit it
// spills sorted runs to temporary files and merges them at the end, so
// indexing a collection of any size needs a fixed amount of memory.
// Duplicate lines are kept, as sort does.
//
// A SortedWriter is not safe for concurrent use.
type SortedWriter struct {
	w       io.Writer
	opts    SortOptions
	arena   []byte
	spans   []span
	runs    []run // spilled sorted runs, oldest first
	spilled int
	buf     []byte
	err     error
}

type span struct{ off, n int }

// run is a sorted temporary file; level counts how many merges made it.
type run struct {
	path  string
	level int
}

// mergeFanIn is how many runs are merged at once. Once that many runs of
// one level exist they are merged into one run of the next level, so the
// number of open files stays small (at most mergeFanIn per level at the
// final merge) however large the input.
const mergeFanIn = 64

// perLineOverhead approximates the span and slice growth per line, so the
// limit bounds real memory rather than only line bytes.
const perLineOverhead = 24

// NewSortedWriter returns a SortedWriter that writes to w on Close.
func NewSortedWriter(w io.Writer, opts SortOptions) *SortedWriter {
	if opts.MemoryLimit <= 0 {
		opts.MemoryLimit = defaultSortMemory
	}
	return &SortedWriter{w: w, opts: opts}
}

// Add formats l and adds it.
func (s *SortedWriter) Add(l *Line) error {
	s.buf = l.AppendTo(s.buf[:0])
	return s.AddBytes(s.buf)
}

// AddBytes adds one line, given without its newline; it is copied. A line
// holding '\n' would break the index and is refused.
func (s *SortedWriter) AddBytes(line []byte) error {
	if s.err != nil {
		return s.err
	}
	if bytes.IndexByte(line, '\n') >= 0 {
		return fmt.Errorf("cdxj: sorted writer: line holds a newline: %.80q", line)
	}
	if int64(len(s.arena)+len(line)+perLineOverhead*len(s.spans)) > s.opts.MemoryLimit && len(s.spans) > 0 {
		if err := s.spill(); err != nil {
			s.err = err
			return err
		}
	}
	s.spans = append(s.spans, span{len(s.arena), len(line)})
	s.arena = append(s.arena, line...)
	return nil
}

func (s *SortedWriter) line(sp span) []byte { return s.arena[sp.off : sp.off+sp.n] }

func (s *SortedWriter) sortSpans() {
	slices.SortFunc(s.spans, func(a, b span) int { return bytes.Compare(s.line(a), s.line(b)) })
}

// spill writes the lines held so far as one sorted run.
func (s *SortedWriter) spill() error {
	s.sortSpans()
	f, err := os.CreateTemp(s.opts.TempDir, "cdxj-run-*")
	if err != nil {
		return fmt.Errorf("cdxj: sorted writer: %w", err)
	}
	s.runs = append(s.runs, run{path: f.Name()})
	s.spilled++
	bw := bufio.NewWriterSize(f, 256<<10)
	for _, sp := range s.spans {
		bw.Write(s.line(sp))
		bw.WriteByte('\n')
	}
	err = bw.Flush()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("cdxj: sorted writer: spill to %s: %w", f.Name(), err)
	}
	s.arena, s.spans = s.arena[:0], s.spans[:0]
	return s.compact()
}

// compact merges the newest runs while mergeFanIn of them share a level.
func (s *SortedWriter) compact() error {
	for len(s.runs) >= mergeFanIn {
		tail := s.runs[len(s.runs)-mergeFanIn:]
		level := tail[0].level
		for _, r := range tail {
			if r.level != level {
				return nil
			}
		}
		f, err := os.CreateTemp(s.opts.TempDir, "cdxj-run-*")
		if err != nil {
			return fmt.Errorf("cdxj: sorted writer: %w", err)
		}
		bw := bufio.NewWriterSize(f, 256<<10)
		err = mergeRuns(bw, tail)
		if err == nil {
			err = bw.Flush()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		for _, r := range tail {
			os.Remove(r.path)
		}
		s.runs = append(s.runs[:len(s.runs)-mergeFanIn], run{path: f.Name(), level: level + 1})
		if err != nil {
			return fmt.Errorf("cdxj: sorted writer: merge into %s: %w", f.Name(), err)
		}
	}
	return nil
}

// Runs reports how many sorted runs have been spilled to disk so far.
func (s *SortedWriter) Runs() int { return s.spilled }

// Close sorts, merges and writes every line, then removes the temporary
// files. It does not close the underlying writer.
func (s *SortedWriter) Close() error {
	defer s.cleanup()
	if s.err != nil {
		return s.err
	}
	s.err = errors.New("cdxj: sorted writer: closed")
	bw := bufio.NewWriterSize(s.w, 256<<10)
	if len(s.runs) == 0 {
		s.sortSpans()
		for _, sp := range s.spans {
			bw.Write(s.line(sp))
			bw.WriteByte('\n')
		}
		if err := bw.Flush(); err != nil {
			return fmt.Errorf("cdxj: sorted writer: %w", err)
		}
		return nil
	}
	if len(s.spans) > 0 {
		if err := s.spill(); err != nil {
			return err
		}
	}
	if err := mergeRuns(bw, s.runs); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("cdxj: sorted writer: %w", err)
	}
	return nil
}

func (s *SortedWriter) cleanup() {
	for _, r := range s.runs {
		os.Remove(r.path)
	}
	s.runs, s.arena, s.spans = nil, nil, nil
}

type runReader struct {
	r    *bufio.Reader
	f    *os.File
	line []byte
	long []byte
}

// next reads the run's next line; rr.line stays valid until the next call
// (it points into the reader's buffer), which is all the merge needs.
func (rr *runReader) next() (bool, error) {
	line, err := readLine(rr.r, &rr.long)
	if err != nil && err != io.EOF {
		return false, fmt.Errorf("cdxj: sorted writer: read %s: %w", rr.f.Name(), err)
	}
	rr.line = line
	return len(line) > 0, nil
}

type runHeap []*runReader

func (h runHeap) Len() int { return len(h) }
func (h runHeap) Less(i, j int) bool {
	return bytes.Compare(bytes.TrimSuffix(h[i].line, nl), bytes.TrimSuffix(h[j].line, nl)) < 0
}
func (h runHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *runHeap) Push(x any)   { *h = append(*h, x.(*runReader)) }
func (h *runHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

var nl = []byte{'\n'}

// mergeRuns k-way merges sorted run files into w.
func mergeRuns(w *bufio.Writer, runs []run) error {
	h := make(runHeap, 0, len(runs))
	defer func() {
		for _, rr := range h {
			rr.f.Close()
		}
	}()
	for _, r := range runs {
		f, err := os.Open(r.path)
		if err != nil {
			return fmt.Errorf("cdxj: sorted writer: %w", err)
		}
		rr := &runReader{r: bufio.NewReaderSize(f, 64<<10), f: f}
		ok, err := rr.next()
		if err != nil {
			f.Close()
			return err
		}
		if !ok {
			f.Close()
			continue
		}
		h = append(h, rr)
	}
	heap.Init(&h)
	for len(h) > 0 {
		rr := h[0]
		if _, err := w.Write(rr.line); err != nil {
			return fmt.Errorf("cdxj: sorted writer: %w", err)
		}
		if rr.line[len(rr.line)-1] != '\n' {
			w.WriteByte('\n')
		}
		ok, err := rr.next()
		if err != nil {
			return err
		}
		if ok {
			heap.Fix(&h, 0)
		} else {
			rr.f.Close()
			heap.Pop(&h)
		}
	}
	return nil
}
