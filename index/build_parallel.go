package index

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/klauspost/compress/gzip"
	"golang.org/x/sync/errgroup"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/storage"
	"github.com/warcbox/warcbox/warc"
)

// minChunk is the smallest piece of a file indexed on its own: below it
// the cost of finding a boundary is not worth a second core.
const minChunk = 8 << 20

// BuildFileParallel indexes one file with several cores. A per-record gzip
// file is cut at gzip members that start a WARC record, the pieces are
// decompressed and read at once (the expensive part), and one sequential
// pass pairs and writes the lines, so the output is exactly BuildFile's.
// Other files, and files too small to cut, are indexed sequentially.
func BuildFileParallel(ctx context.Context, path string, opt Options, workers int, emit func(*cdxj.Line) error) (Stats, error) {
	if opt.Filename == "" {
		opt.Filename = filepath.Base(path)
	}
	if _, _, member := warc.SplitMember(path); member || storage.IsRemote(path) {
		return BuildFile(ctx, path, opt, emit) // read from the package in one pass
	}
	f, err := os.Open(path)
	if err != nil {
		return Stats{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Stats{}, err
	}
	var cuts []int64
	if workers > 1 && st.Size() >= 2*minChunk {
		chunk := max(minChunk, st.Size()/int64(4*workers))
		cuts = findCuts(f, st.Size(), chunk)
	}
	if len(cuts) == 0 {
		return BuildFile(ctx, path, opt, emit)
	}
	bounds := append(append([]int64{0}, cuts...), st.Size())
	n := len(bounds) - 1

	type piece struct {
		infos    []*recordInfo
		problems []*warc.RecordError
	}
	results := make([]chan piece, n)
	for i := range results {
		results[i] = make(chan piece, 1)
	}
	// At most `workers` pieces are read ahead of the sequential pass, so
	// memory stays bounded whatever the file size.
	slots := make(chan struct{}, workers)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for i := 0; i < n; i++ {
			select {
			case slots <- struct{}{}:
			case <-gctx.Done():
				return gctx.Err()
			}
			g.Go(func() error {
				var p piece
				sec := io.NewSectionReader(f, bounds[i], bounds[i+1]-bounds[i])
				r := warc.NewNamedReader(sec, path, warc.Options{Strict: opt.Strict})
				for {
					if err := gctx.Err(); err != nil {
						return err
					}
					rec, err := r.Next()
					if err == io.EOF {
						break
					}
					var re *warc.RecordError
					if errors.As(err, &re) && !opt.Strict {
						re.Offset += bounds[i]
						p.problems = append(p.problems, re)
						continue
					}
					if err != nil {
						return err
					}
					p.infos = append(p.infos, readInfo(rec))
				}
				// Offsets count from the piece; sizes are final only now
				// that the reader has moved past every record.
				for _, in := range p.infos {
					in.rec.Offset += bounds[i]
				}
				results[i] <- p
				return nil
			})
		}
		return nil
	})
	lm := newLineMaker(opt, emit)
	var seqErr error
	for i := 0; i < n && seqErr == nil; i++ {
		var p piece
		select {
		case p = <-results[i]:
		case <-gctx.Done():
			seqErr = gctx.Err()
			continue
		}
		<-slots
		for _, re := range p.problems {
			lm.problem(re)
		}
		for _, in := range p.infos {
			lm.st.Records++
			lm.add(in)
			if err := lm.flush(nil); err != nil {
				seqErr = err
				break
			}
		}
	}
	if err := g.Wait(); err != nil {
		return lm.st, fmt.Errorf("index %s: %w", path, err)
	}
	if seqErr != nil {
		return lm.st, seqErr
	}
	return lm.finish(path)
}

// findCuts returns offsets near every multiple of chunk where a gzip
// member starts whose content begins a WARC record.
func findCuts(f *os.File, size, chunk int64) []int64 {
	var cuts []int64
	buf := make([]byte, 256<<10)
	for target := chunk; target < size-minChunk/2; target += chunk {
		if len(cuts) > 0 && target <= cuts[len(cuts)-1] {
			continue
		}
		if c, ok := nextRecordMember(f, target, min(size, target+chunk/2), buf); ok {
			cuts = append(cuts, c)
		}
	}
	return cuts
}

var gzipMagic = []byte{0x1f, 0x8b, 0x08}

// nextRecordMember scans [from, to) for a gzip member that decompresses to
// the start of a WARC record.
func nextRecordMember(f *os.File, from, to int64, buf []byte) (int64, bool) {
	for off := from; off < to; {
		n, err := f.ReadAt(buf, off)
		if n < 3 {
			return 0, false
		}
		data := buf[:n]
		for i := 0; i+3 <= len(data); {
			j := bytes.Index(data[i:], gzipMagic)
			if j < 0 {
				break
			}
			at := off + int64(i+j)
			if at >= to {
				return 0, false
			}
			if startsRecord(f, at) {
				return at, true
			}
			i += j + 1
		}
		if err != nil {
			return 0, false
		}
		off += int64(n) - 2 // keep a magic that straddles two reads
	}
	return 0, false
}

// startsRecord reports whether a gzip member at off begins with "WARC/".
func startsRecord(f *os.File, off int64) bool {
	zr, err := gzip.NewReader(io.NewSectionReader(f, off, 1<<20))
	if err != nil {
		return false
	}
	zr.Multistream(false)
	head := make([]byte, 5)
	if _, err := io.ReadFull(zr, head); err != nil {
		return false
	}
	return bytes.EqualFold(head, []byte("WARC/"))
}
