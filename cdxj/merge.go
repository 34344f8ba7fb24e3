package cdxj

import (
	"bufio"
	"bytes"
	"container/heap"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
)

// ErrUnsorted reports an input of Merge whose lines are not in order.
var ErrUnsorted = errors.New("cdxj: lines out of order")

// MergeFiles writes the lines of sorted CDXJ files (as SortedWriter and
// `warcbox index` write them) to w in one sorted stream, as `LC_ALL=C sort
// -m` does: duplicate lines are kept, blank lines dropped. At most
// mergeFanIn files are open at once; more are merged in rounds through
// temporary files in tempDir (os.TempDir() if empty), so memory stays flat
// however many files there are. An input out of order is an error that
// names the file and the line.
func MergeFiles(ctx context.Context, w io.Writer, paths []string, tempDir string) error {
	return Merge(ctx, w, paths, MergeOptions{TempDir: tempDir})
}

// MergeOptions configure Merge.
type MergeOptions struct {
	// TempDir holds the rounds of a merge of more than mergeFanIn inputs;
	// if empty, os.TempDir().
	TempDir string
	// Open opens an input for reading from its start (a remote object as a
	// stream); if nil, os.Open. Names in errors are the names given.
	Open func(ctx context.Context, name string) (io.ReadCloser, error)
	// Show is how a name appears in errors (credentials redacted); if nil,
	// as given.
	Show func(name string) string
}

// Merge is MergeFiles over inputs that opt.Open reads.
func Merge(ctx context.Context, w io.Writer, names []string, opt MergeOptions) error {
	openLocal := func(_ context.Context, name string) (io.ReadCloser, error) { return os.Open(name) }
	open := opt.Open
	if open == nil {
		open = openLocal
	}
	show := opt.Show
	if show == nil {
		show = func(n string) string { return n }
	}
	var temps []string
	defer func() {
		for _, t := range temps {
			os.Remove(t)
		}
	}()
	for len(names) > mergeFanIn {
		var next []string
		for i := 0; i < len(names); i += mergeFanIn {
			group := names[i:min(i+mergeFanIn, len(names))]
			f, err := os.CreateTemp(opt.TempDir, "cdxj-merge-*")
			if err != nil {
				return fmt.Errorf("cdxj: merge: %w", err)
			}
			temps = append(temps, f.Name())
			err = mergeFiles(ctx, f, group, open, show)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
			next = append(next, f.Name())
		}
		// Later rounds read the local temporary files.
		names, open = next, openLocal
	}
	return mergeFiles(ctx, w, names, open, show)
}

type mergeInput struct {
	r    *bufio.Reader
	name string
	n    int64 // line number of line
	line []byte
	prev []byte
	long []byte
}

func (in *mergeInput) next() (bool, error) {
	for {
		in.prev = append(in.prev[:0], in.line...)
		line, err := readLine(in.r, &in.long)
		if err != nil && err != io.EOF {
			return false, fmt.Errorf("cdxj: merge: read %s: %w", in.name, err)
		}
		line = bytes.TrimSuffix(line, nl)
		if len(line) == 0 && err == io.EOF {
			in.line = nil
			return false, nil
		}
		in.n++
		if len(line) == 0 {
			continue
		}
		in.line = line
		if in.n > 1 && len(in.prev) > 0 && bytes.Compare(in.prev, line) > 0 {
			return false, fmt.Errorf("%w: %s line %d sorts before the line above it (sort it with `warcbox index`)", ErrUnsorted, in.name, in.n)
		}
		return true, nil
	}
}

type mergeHeap []*mergeInput

func (h mergeHeap) Len() int           { return len(h) }
func (h mergeHeap) Less(i, j int) bool { return bytes.Compare(h[i].line, h[j].line) < 0 }
func (h mergeHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *mergeHeap) Push(x any)        { *h = append(*h, x.(*mergeInput)) }
func (h *mergeHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func mergeFiles(ctx context.Context, w io.Writer, paths []string, open func(context.Context, string) (io.ReadCloser, error), show func(string) string) error {
	h := make(mergeHeap, 0, len(paths))
	for _, p := range paths {
		f, err := open(ctx, p)
		if err != nil {
			return fmt.Errorf("cdxj: merge: %w", err)
		}
		defer f.Close()
		in := &mergeInput{r: bufio.NewReaderSize(f, 64<<10), name: show(p)}
		ok, err := in.next()
		if err != nil {
			return err
		}
		if ok {
			h = append(h, in)
		}
	}
	heap.Init(&h)
	bw := bufio.NewWriterSize(w, 256<<10)
	for n := 0; len(h) > 0; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		in := h[0]
		bw.Write(in.line)
		bw.WriteByte('\n')
		ok, err := in.next()
		if err != nil {
			return err
		}
		if ok {
			heap.Fix(&h, 0)
		} else {
			heap.Pop(&h)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("cdxj: merge: %w", err)
	}
	return nil
}
