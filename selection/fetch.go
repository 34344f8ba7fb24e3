package selection

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/warcbox/warcbox/storage"
	"github.com/warcbox/warcbox/warc"
)

// Span is one request: a byte range of one file covering one or more
// adjacent records.
type Span struct {
	File           string
	Offset, Length int64
	Refs           []Ref // in offset order, each starting where the one before ends
}

// Plan sorts refs by file and offset and merges runs of adjacent records
// (each starting where the one before ends) into one span each. A row that
// repeats another's file, offset and length is read once; dups counts them.
func Plan(refs []Ref) (spans []Span, dups int) {
	refs = slices.Clone(refs)
	slices.SortStableFunc(refs, func(a, b Ref) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Offset, b.Offset), cmp.Compare(a.Length, b.Length))
	})
	for i, r := range refs {
		if i > 0 && r.File == refs[i-1].File && r.Offset == refs[i-1].Offset && r.Length == refs[i-1].Length {
			dups++
			continue
		}
		if n := len(spans); n > 0 {
			s := &spans[n-1]
			if s.File == r.File && s.Offset+s.Length == r.Offset {
				s.Length += r.Length
				s.Refs = append(s.Refs, r)
				continue
			}
		}
		spans = append(spans, Span{File: r.File, Offset: r.Offset, Length: r.Length, Refs: []Ref{r}})
	}
	return spans, dups
}

// Opener opens byte ranges of archive files. Each call is one request (one
// HTTP Range request for a remote file) whose body is read in order.
type Opener interface {
	OpenRange(ctx context.Context, file string, off, n int64) (io.ReadCloser, error)
}

// Local opens ranges of local files.
type Local struct{}

var _ Opener = Local{}

// ErrBeyondEnd reports a range that does not lie inside its file.
var ErrBeyondEnd = errors.New("range beyond the end of the file")

// OpenRange checks the range against the file's size, so that an index
// that promises more than the file holds is named as such.
func (Local) OpenRange(_ context.Context, file string, off, n int64) (io.ReadCloser, error) {
	rc, err := storage.OpenLocalRange(file, off, n)
	if errors.Is(err, storage.ErrShort) {
		return nil, fmt.Errorf("%w: %w", ErrBeyondEnd, err)
	}
	return rc, err
}

// Options configures Each. The zero value reads local files, 8 requests at
// a time.
type Options struct {
	// Opener opens the byte ranges; if nil, Local.
	Opener Opener
	// Requests is how many spans are read at once; if zero, DefaultRequests.
	Requests int
	// Batch is how many rows are sorted and merged at once, which bounds
	// memory whatever the size of the records file; if zero, DefaultBatch.
	Batch int
	// Keep, if set, picks the rows to read by their 0-based index among the
	// data rows (see shard.Spec.TakesRow); rows it rejects are not counted.
	Keep func(row int64) bool
	// Dedup skips a row whose digest an earlier row of the file (any row,
	// whichever shard takes it) carries, before it is fetched: the first
	// row of a digest in file order wins, so shards agree without talking
	// and their union is what one run reads. Rows without a digest, and
	// rows with errors, are never skipped or counted as a first one.
	Dedup bool
	// AllStatuses makes rows of any HTTP status claim their digest for
	// Dedup; otherwise only rows of status 200 (or none given) do, as only
	// those are output, and revisit rows never do. A row that does not
	// claim is still skipped when an earlier row claimed its digest.
	AllStatuses bool
	// Logger gets a line per span read at debug level; if nil, nothing.
	Logger *slog.Logger
}

const (
	DefaultRequests = 8
	DefaultBatch    = 1 << 16
)

// Stats says what Each did.
type Stats struct {
	Rows       int64 // rows taken (bad ones included)
	Records    int64 // records read and handed to fn
	Failed     int64 // rows that gave an error (bad row, fetch, parse or fn)
	Duplicates int64 // rows that repeat another row
	// Repeated counts the rows skipped by Dedup (taken by this shard).
	Repeated int64
	Requests int64 // spans opened
	Bytes    int64 // bytes read from the opened spans
	// MaxInFlight is the most requests that were open at once.
	MaxInFlight int64
	// Files lists the distinct archive files read, in order.
	Files []string
}

// Each reads the records the refs name. fn is called for each record on the
// goroutine that reads its span (at most opts.Requests at once) and may
// read the record's body; emit is called on one goroutine, in file and
// offset order within each batch of rows, with fn's result or the row's
// error: a bad row (*RowError), a range that could not be fetched or
// parsed (*warc.RecordError naming file and offset), or fn's own. Rows with
// errors do not stop the others; Each returns the first error of emit, of
// reading the records file, or ctx's.
func Each[T any](ctx context.Context, refs iter.Seq2[Ref, error], opts Options,
	fn func(Ref, *warc.Record) (T, error), emit func(Ref, T, error) error) (*Stats, error) {
	if opts.Opener == nil {
		opts.Opener = Local{}
	}
	if opts.Requests <= 0 {
		opts.Requests = DefaultRequests
	}
	if opts.Batch <= 0 {
		opts.Batch = DefaultBatch
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	st := &Stats{}
	seenFile := map[string]bool{}
	var zero T
	var batch []Ref
	var index int64
	var digests Digests
	flush := func() error {
		spans, dups := Plan(batch)
		batch = batch[:0]
		st.Duplicates += int64(dups)
		for _, s := range spans {
			if !seenFile[s.File] {
				seenFile[s.File] = true
				st.Files = append(st.Files, s.File)
			}
		}
		return runSpans(ctx, spans, opts, log, st, fn, emit)
	}
	for ref, err := range refs {
		if cerr := ctx.Err(); cerr != nil {
			return st, cerr
		}
		var re *RowError
		if err != nil && !errors.As(err, &re) {
			return st, err
		}
		i := index
		index++
		first := true
		if opts.Dedup && err == nil {
			if claims(ref.Status, ref.Revisit, opts.AllStatuses) {
				first = digests.Add(ref.Digest)
			} else {
				first = !digests.Has(ref.Digest)
			}
		}
		if opts.Keep != nil && !opts.Keep(i) {
			continue
		}
		st.Rows++
		if !first {
			st.Repeated++
			continue
		}
		if err != nil {
			st.Failed++
			if eerr := emit(ref, zero, err); eerr != nil {
				return st, eerr
			}
			continue
		}
		batch = append(batch, ref)
		if len(batch) >= opts.Batch {
			if err := flush(); err != nil {
				return st, err
			}
		}
	}
	return st, flush()
}

// result holds what fn gave for one ref.
type result[T any] struct {
	ref Ref
	v   T
	err error
}

type spanResult[T any] struct {
	out  []result[T]
	done chan struct{}
}

// runSpans reads the spans, opts.Requests at once, and emits their
// records in order. The emitter runs at most 2×Requests spans behind the
// readers, which bounds the results held.
func runSpans[T any](ctx context.Context, spans []Span, opts Options, log *slog.Logger, st *Stats,
	fn func(Ref, *warc.Record) (T, error), emit func(Ref, T, error) error) error {
	if len(spans) == 0 {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	queue := make(chan *spanResult[T], 2*opts.Requests)
	sem := make(chan struct{}, opts.Requests)
	var inFlight, bytes, records atomic.Int64
	var wg sync.WaitGroup
	go func() {
		defer close(queue)
		for _, s := range spans {
			sr := &spanResult[T]{done: make(chan struct{})}
			select {
			case queue <- sr:
			case <-ctx.Done():
				return
			}
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				close(sr.done)
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				defer close(sr.done)
				sr.out = readSpan(ctx, s, opts.Opener, log, &inFlight, st, &bytes, &records, fn)
			}()
		}
	}()
	var emitErr error
	for sr := range queue {
		<-sr.done
		if emitErr != nil {
			continue
		}
		for _, r := range sr.out {
			if r.err != nil {
				st.Failed++
			}
			if err := emit(r.ref, r.v, r.err); err != nil {
				emitErr = err
				cancel()
				break
			}
		}
	}
	wg.Wait()
	st.Requests += int64(len(spans))
	st.Bytes += bytes.Load()
	st.Records += records.Load()
	if emitErr != nil {
		return emitErr
	}
	return ctx.Err()
}

// readSpan reads one span with one request and parses each of its records
// on its own, so a bad offset costs that row alone.
func readSpan[T any](ctx context.Context, s Span, op Opener, log *slog.Logger, inFlight *atomic.Int64, st *Stats,
	bytes, records *atomic.Int64, fn func(Ref, *warc.Record) (T, error)) []result[T] {
	out := make([]result[T], len(s.Refs))
	for i, r := range s.Refs {
		out[i].ref = r
	}
	fail := func(from int, err error) []result[T] {
		for i := from; i < len(out); i++ {
			out[i].err = recordError(out[i].ref, err)
		}
		return out
	}
	if err := ctx.Err(); err != nil {
		return fail(0, err)
	}
	n := inFlight.Add(1)
	defer inFlight.Add(-1)
	for {
		m := atomic.LoadInt64(&st.MaxInFlight)
		if n <= m || atomic.CompareAndSwapInt64(&st.MaxInFlight, m, n) {
			break
		}
	}
	rc, err := op.OpenRange(ctx, s.File, s.Offset, s.Length)
	if err != nil {
		return fail(0, err)
	}
	defer rc.Close()
	log.Debug("selection: span", "file", s.File, "offset", s.Offset, "length", s.Length, "records", len(s.Refs))
	cr := &storage.CountingReader{R: rc}
	defer func() { bytes.Add(cr.N) }()
	for i, r := range s.Refs {
		lr := &io.LimitedReader{R: cr, N: r.Length}
		rec, err := warc.ReadAtFile(&forwardReaderAt{r: lr, pos: r.Offset}, r.Offset, r.File)
		if err == nil {
			records.Add(1)
			out[i].v, err = fn(r, rec)
		}
		if err != nil {
			out[i].err = recordError(r, err)
		}
		// The next record starts where this row's range ends, whatever
		// the parser or fn left unread.
		if _, derr := io.Copy(io.Discard, lr); derr != nil {
			return fail(i+1, fmt.Errorf("read range: %w", derr))
		}
		if lr.N > 0 {
			return fail(i+1, fmt.Errorf("%w: the response ended %d bytes early", io.ErrUnexpectedEOF, lr.N))
		}
	}
	return out
}

// recordError names the file and offset of a row's failure.
func recordError(r Ref, err error) error {
	var re *warc.RecordError
	if errors.As(err, &re) {
		return err
	}
	return &warc.RecordError{File: r.File, Offset: r.Offset, Err: err}
}

// forwardReaderAt lets warc.ReadAtFile parse a record from a stream: it
// reads at increasing offsets only, which is all one record needs.
type forwardReaderAt struct {
	r   io.Reader
	pos int64
}

var errBackward = errors.New("selection: record parser went back in a streamed range")

func (f *forwardReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off != f.pos {
		return 0, errBackward
	}
	n, err := io.ReadFull(f.r, p)
	f.pos += int64(n)
	if err == io.ErrUnexpectedEOF {
		err = io.EOF
	}
	return n, err
}

// Ranges opens byte ranges of local files, http(s):// URLs and s3://
// objects through a storage.Store: one Range request per span, resumed
// where a connection breaks, and nothing read beyond the span.
type Ranges struct{ Store *storage.Store }

var _ Opener = Ranges{}

func (r Ranges) OpenRange(ctx context.Context, file string, off, n int64) (io.ReadCloser, error) {
	rc, err := r.Store.NewRangeReader(ctx, file, off, n)
	if errors.Is(err, storage.ErrShort) {
		return nil, fmt.Errorf("%w: %w", ErrBeyondEnd, err)
	}
	return rc, err
}
