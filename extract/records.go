package extract

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/base32"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/warcbox/warcbox/storage"
	"github.com/warcbox/warcbox/warc"
)

// GCPercent is the GOGC warcbox extract runs with unless GOGC is set (the
// command sets it; a library caller may). A page's extraction allocates
// ~4 MB that dies with the page (the parsed tree, go-trafilatura's three
// copies of it, text) over a live heap of 30-90 MB, a third of it
// go-dateparser's tables: at the default 100 the collector marks all of
// that every few pages, a tenth of the CPU of a full-text run (pprof:
// background marking 8-9 %, plus assists). At 400 the peak RSS of
// `extract --records` with 8 requests in flight goes from ~200 to
// ~400-480 MB. Figures in BENCHMARKS.md.
const GCPercent = 400

// RunOptions configures Run. The zero value extracts status-200 HTML pages
// with DefaultOptions on all cores.
type RunOptions struct {
	// Extractor extracts each page; if nil, New(DefaultOptions()).
	Extractor *Extractor
	// AllStatuses keeps pages whatever their HTTP status (default: 200 only).
	AllStatuses bool
	// Dedup skips pages whose payload digest was already output.
	Dedup bool
	// Keep, if set, decides which pages are output before Dedup sees them,
	// so a page Keep drops does not make a later one with the same payload
	// a repeat (--dedup-index: the index names the one to output).
	Keep func(*Article) bool
	// Workers is the number of pages extracted at once; if zero, runtime.NumCPU().
	Workers int
	// Strict makes the first malformed WARC record fatal instead of logged and skipped.
	Strict bool
	// Logger receives skipped records and malformed input; if nil, nothing is logged.
	Logger *slog.Logger
	// Store reaches http(s):// and s3:// inputs; if nil, one with default
	// options.
	Store *storage.Store
	// Original, if set, reads the original record of a revisit that
	// ExtractRecord meets (extract --records: the original's row may not
	// be selected); close the io.Closer when done. Its error is returned
	// by ExtractRecord, wrapped.
	Original func(revisit *warc.Record) (*warc.Record, io.Closer, error)
	// Progress, if set, is called with the number of input bytes consumed
	// since its last call (from several goroutines).
	Progress func(n int64)
}

// source is an opened input: a sequential reader and, when possible,
// random access for resolving revisits.
type source struct {
	rd *warc.Reader
	ra io.ReaderAt
}

func (s *source) close() {
	s.rd.Close()
	if c, ok := s.ra.(io.Closer); ok {
		c.Close()
	}
}

func openInput(ctx context.Context, in warc.Input, wopts warc.Options) (*source, error) {
	name := in.Path
	if in.Member != "" {
		name += warc.MemberSep + in.Member
	}
	rd, err := warc.OpenContext(ctx, name, wopts)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", in.Name, err)
	}
	s := &source{rd: rd}
	// Stored members (the WACZ norm) and plain files can be addressed
	// directly; a compressed member cannot.
	if ra, c, err := warc.OpenFileContext(ctx, name, wopts); err == nil {
		s.ra = readerAtCloser{ra, c}
	}
	return s, nil
}

type readerAtCloser struct {
	io.ReaderAt
	io.Closer
}

// job is one page waiting for extraction; its result goes to res (nil: no row).
type job struct {
	page    Page
	art     Article // provenance already filled
	skip    string  // set: emit art as is with this error (no extraction)
	res     chan *Article
	digest  string
	revisit *revisitRef // set: a revisit whose original is in an earlier input
}

// revisitRef is what a revisit says about its original.
type revisitRef struct {
	refersTo, digest string
	status           int
	ctype            string
	date             time.Time
}

// fileIndex maps an input's addressable response and resource records by
// WARC-Record-ID and payload digest, for revisits. It is written by the
// input's reader only and read by others once done is closed.
type fileIndex struct {
	byID, byDigest map[string]int64
	done           chan struct{}
}

// Run extracts every HTML page of the inputs and calls emit for each
// Article in input order (file, then offset), extracting on opts.Workers
// goroutines. It returns the first error of emit, of opening an input, or
// (with Strict) of a malformed record; malformed records are otherwise
// logged and skipped. Cancelling ctx stops it.
func Run(ctx context.Context, inputs []warc.Input, opts RunOptions, emit func(Article) error) error {
	if opts.Extractor == nil {
		opts.Extractor = New(DefaultOptions())
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	g, ctx := errgroup.WithContext(ctx)
	jobs := make(chan *job, workers*2)
	// One ordered queue per input; readers of later inputs block when their
	// queue is full, which bounds memory whatever the number of inputs.
	queues := make([]chan *job, len(inputs))
	for i := range queues {
		queues[i] = make(chan *job, workers*4)
	}
	idx := make([]*fileIndex, len(inputs))
	for i := range idx {
		idx[i] = &fileIndex{byID: map[string]int64{}, byDigest: map[string]int64{}, done: make(chan struct{})}
	}
	var unresolved atomic.Int64
	var failed inputErrors
	var wg errgroup.Group // workers
	for range workers {
		wg.Go(func() error {
			for j := range jobs {
				a, _ := opts.Extractor.Extract(j.page)
				mergeProvenance(&a, j.art)
				j.res <- &a
			}
			return nil
		})
	}
	// Revisits whose original is in an earlier input wait for that input's
	// index; they hold their place in the output queue meanwhile.
	resolve := func(j *job, i int) {
		g.Go(func() error {
			j.res <- resolveRevisit(ctx, j, i, inputs, idx, opts, log, &unresolved)
			return nil
		})
	}
	g.Go(func() error {
		// Readers: a few inputs at a time, started in order.
		rg, rctx := errgroup.WithContext(ctx)
		rg.SetLimit(max(1, min(workers, len(inputs))))
		for i, in := range inputs {
			rg.Go(func() error {
				defer close(queues[i])
				defer close(idx[i].done)
				err := readInput(rctx, in, opts, log, jobs, queues[i], idx[i], func(j *job) { resolve(j, i) })
				var ie *inputError
				if errors.As(err, &ie) && !opts.Strict {
					// Reported at the end; the other inputs go on.
					log.Error("extract: input failed", "file", in.Name, "err", ie.err)
					failed.add(ie.err)
					return nil
				}
				return err
			})
		}
		err := rg.Wait()
		close(jobs)
		_ = wg.Wait()
		return err
	})
	g.Go(func() error {
		seen := map[string]bool{}
		for _, q := range queues {
			for j := range q {
				var a *Article
				select {
				case a = <-j.res:
				case <-ctx.Done():
					return ctx.Err()
				}
				if a == nil || (opts.Keep != nil && !opts.Keep(a)) {
					continue
				}
				if opts.Dedup && j.digest != "" {
					if seen[j.digest] {
						log.Debug("extract: duplicate payload skipped", "file", a.WARCFile, "offset", a.WARCOffset, "digest", j.digest)
						continue
					}
					seen[j.digest] = true
				}
				if err := emit(*a); err != nil {
					return err
				}
			}
		}
		if n := unresolved.Load(); n > 0 {
			log.Info("extract: revisits skipped, their originals are in no earlier input", "count", n)
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return err
	}
	if len(failed.errs) > 0 {
		return fmt.Errorf("%w: %d of %d: %w", ErrInputFailed, len(failed.errs), len(inputs), errors.Join(failed.errs...))
	}
	return nil
}

// ErrInputFailed is returned by Run, after every other input was read, when
// some inputs could not be opened or broke off (a remote object that is
// missing, refused, or failed past its retries).
var ErrInputFailed = errors.New("extract: inputs failed")

// inputErrors collects the inputs that failed, from the reader goroutines.
type inputErrors struct {
	mu   sync.Mutex
	errs []error
}

func (f *inputErrors) add(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errs = append(f.errs, err)
}

// mergeProvenance copies the record's fields over the extracted article.
func mergeProvenance(a *Article, p Article) {
	a.WARCFile, a.WARCOffset, a.WARCRecordID, a.WARCDate = p.WARCFile, p.WARCOffset, p.WARCRecordID, p.WARCDate
	a.URL, a.Status, a.ContentType, a.PayloadDigest = p.URL, p.Status, p.ContentType, p.PayloadDigest
	if p.Error != "" && a.Error == "" {
		a.Error = p.Error
	} else if p.Error != "" {
		a.Error = p.Error + "; " + a.Error
	}
}

// inputError is a failure of one input (open, or a stream that broke for
// good), as opposed to one of the run.
type inputError struct{ err error }

func (e *inputError) Error() string { return e.err.Error() }
func (e *inputError) Unwrap() error { return e.err }

// readInput reads one input's records in order, queues the HTML pages and
// hands them to the workers.
func readInput(ctx context.Context, in warc.Input, opts RunOptions, log *slog.Logger, jobs chan<- *job, queue chan<- *job,
	idx *fileIndex, resolve func(*job)) error {
	wopts := warc.Options{Strict: opts.Strict, Logger: log, Store: opts.Store}
	src, err := openInput(ctx, in, wopts)
	if err != nil {
		if opts.Strict {
			return err
		}
		return &inputError{err}
	}
	defer src.close()
	rd := src.rd
	maxBytes := opts.Extractor.opts.MaxBytes
	var last int64
	send := func(j *job) error {
		j.res = make(chan *Article, 1)
		select {
		case queue <- j:
		case <-ctx.Done():
			return ctx.Err()
		}
		if j.skip != "" {
			j.art.Error = j.skip
			j.art.normalize()
			j.res <- &j.art
			return nil
		}
		if j.revisit != nil {
			resolve(j)
			return nil
		}
		select {
		case jobs <- j:
		case <-ctx.Done():
			return ctx.Err()
		}
		return nil
	}
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			var re *warc.RecordError
			if errors.As(err, &re) && !opts.Strict {
				log.Warn("extract: malformed record skipped", "file", in.Name, "offset", re.Offset, "err", re.Err)
				continue
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return &inputError{fmt.Errorf("read %s: %w", in.Name, err)}
		}
		if opts.Progress != nil && rec.Offset > last {
			opts.Progress(rec.Offset - last)
			last = rec.Offset
		}
		j, err := recordJob(rec, in, src, maxBytes, opts, log, idx)
		if err != nil {
			log.Warn("extract: record skipped", "file", in.Name, "offset", rec.Offset, "err", err)
			continue
		}
		if j == nil {
			continue
		}
		if err := send(j); err != nil {
			return err
		}
	}
	if opts.Progress != nil && in.Size > last {
		opts.Progress(in.Size - last)
	}
	return nil
}

// recordJob turns a record into a job, or nil when it is not an HTML page
// to extract (requests, metadata, images, non-200 responses).
func recordJob(rec *warc.Record, in warc.Input, src *source, maxBytes int, opts RunOptions, log *slog.Logger, idx *fileIndex) (*job, error) {
	typ := rec.Type()
	switch typ {
	case "response", "resource", "revisit":
	default:
		return nil, nil
	}
	digest := strings.TrimSpace(rec.Header.Get(warc.FieldPayloadDigest))
	// Only records that can be read again at their offset can be revisits' originals.
	if (typ == "response" || typ == "resource") && rec.Addressable {
		if id := rec.ID(); id != "" {
			idx.byID[id] = rec.Offset
		}
		if digest != "" {
			if _, ok := idx.byDigest[digest]; !ok {
				idx.byDigest[digest] = rec.Offset
			}
		}
	}
	j := &job{art: Article{
		WARCFile:      in.Name,
		WARCOffset:    rec.Offset,
		WARCRecordID:  rec.ID(),
		WARCDate:      rec.Header.Get(warc.FieldDate),
		URL:           rec.TargetURI(),
		PayloadDigest: digest,
	}}
	if typ != "revisit" {
		return j.fromRecord(rec, false, 0, "", rec.Date(), maxBytes, opts, log)
	}
	// The revisit's own HTTP head gives the status; the payload is the original's.
	ref := &revisitRef{refersTo: rec.Header.Get(warc.FieldRefersTo), digest: digest, date: rec.Date()}
	if m, err := rec.HTTP(); err == nil {
		ref.status = m.StatusCode
		ref.ctype = m.Header.Get("Content-Type")
	}
	if ref.status != 0 && ref.status != 200 && !opts.AllStatuses {
		return nil, nil
	}
	off, ok := idx.byID[ref.refersTo]
	if !ok && digest != "" {
		off, ok = idx.byDigest[digest]
	}
	if !ok || src.ra == nil {
		j.revisit = ref // resolved against earlier inputs once they are read
		return j, nil
	}
	orig, err := warc.ReadAtFile(src.ra, off, in.Name)
	if err != nil {
		return nil, fmt.Errorf("revisit original at %d: %w", off, err)
	}
	return j.fromRecord(orig, true, ref.status, ref.ctype, ref.date, maxBytes, opts, log)
}

// fromRecord fills the job from the record holding the payload (the
// record itself, or a revisit's original), or returns nil when that payload
// is not an HTML page to extract.
func (j *job) fromRecord(body *warc.Record, revisit bool, status int, ctype string, captured time.Time, maxBytes int,
	opts RunOptions, log *slog.Logger) (*job, error) {
	var b []byte
	var err error
	if body.Type() == "resource" || !body.IsHTTP() {
		ctype = body.ContentType()
		j.art.Status, j.art.ContentType = status, ctype
		b, err = readPayload(body.Body, maxBytes, body.ContentLength)
	} else {
		m, herr := body.HTTP()
		if herr != nil {
			return nil, fmt.Errorf("http: %w", herr)
		}
		if !revisit || status == 0 {
			status = m.StatusCode
		}
		if ctype == "" {
			ctype = m.Header.Get("Content-Type")
		}
		j.art.Status, j.art.ContentType = status, ctype
		if status != 0 && status != 200 && !opts.AllStatuses {
			return nil, nil
		}
		b, err = httpPayload(m, maxBytes, body.ContentLength, func(derr error) {
			log.Debug("extract: content-encoding not decoded, the bytes are kept as stored", "file", body.File, "offset", body.Offset, "err", derr)
		})
	}
	if status != 0 && status != 200 && !opts.AllStatuses {
		return nil, nil
	}
	if err != nil && len(b) == 0 {
		return nil, fmt.Errorf("read payload: %w", err)
	}
	declaredHTML := strings.Contains(strings.ToLower(ctype), "html")
	if !IsHTML(b) {
		if declaredHTML && len(b) > 0 {
			// Served as HTML but is not: say so rather than drop it silently.
			j.skip = fmt.Sprintf("%v: declared %q, sniffed as %s", ErrNotHTML, ctype, sniffType(b))
			return j, nil
		}
		return nil, nil
	}
	if err != nil {
		j.art.Error = fmt.Sprintf("payload cut short: %v", err)
	}
	if j.art.PayloadDigest == "" || opts.Dedup {
		if j.art.PayloadDigest == "" && len(b) <= maxBytes {
			sum := sha1.Sum(b)
			j.art.PayloadDigest = "sha1:" + base32.StdEncoding.EncodeToString(sum[:])
		}
		j.digest = j.art.PayloadDigest
	}
	j.page = Page{HTML: b, ContentType: ctype, URL: j.art.URL, CaptureDate: captured}
	if j.page.CaptureDate.IsZero() {
		j.page.CaptureDate = time.Now()
	}
	return j, nil
}

// httpPayload reads an HTTP message's entity, de-chunked and with its
// Content-Encoding undone. When the bytes are not what the header says (an
// unknown coding, or a tool that stored the decoded body and kept the
// server's Content-Encoding: gzip), the stored bytes are kept: they are
// read first, so a decoder that fails cannot consume the start of the page.
// notDecoded is told why.
func httpPayload(m *warc.HTTPMessage, maxBytes int, blockLength int64, notDecoded func(error)) ([]byte, error) {
	codings := m.Header.Values("Content-Encoding")
	encoded := false
	for _, c := range codings {
		for _, v := range strings.Split(c, ",") {
			if v = strings.ToLower(strings.TrimSpace(v)); v != "" && v != "identity" {
				encoded = true
			}
		}
	}
	raw, err := readPayload(m.Payload(), maxBytes, blockLength)
	if !encoded || len(raw) == 0 {
		return raw, err
	}
	dec, derr := warc.DecodeContent(bytes.NewReader(raw), codings...)
	if derr == nil {
		b, rerr := readPayload(dec, maxBytes, min(int64(len(raw))*4, int64(maxBytes)))
		if rerr == nil || (len(b) > 0 && !IsHTML(raw)) {
			return b, rerr
		}
		derr = rerr
	}
	notDecoded(derr)
	return raw, err
}

// readPayload is io.ReadAll of at most maxBytes+1 bytes, into a buffer sized
// from the record's block length (the payload's size, or its compressed
// size) instead of grown from 512 bytes: the growing copies were a third of
// the bytes a full-text run allocated outside the extractors.
func readPayload(r io.Reader, maxBytes int, blockLength int64) ([]byte, error) {
	limit := int64(maxBytes) + 1
	size := min(max(blockLength+1, 512), limit)
	b := make([]byte, 0, size)
	r = io.LimitReader(r, limit)
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return b, err
		}
	}
}

// resolveRevisit finds a revisit's original in the inputs before it (the
// latest first), once their indexes are complete, and extracts it; nil when
// there is none or it is not an HTML page.
func resolveRevisit(ctx context.Context, j *job, i int, inputs []warc.Input, idx []*fileIndex, opts RunOptions,
	log *slog.Logger, unresolved *atomic.Int64) *Article {
	for k := 0; k < i; k++ {
		select {
		case <-idx[k].done:
		case <-ctx.Done():
			return nil
		}
	}
	ref := j.revisit
	for k := i - 1; k >= 0; k-- {
		off, ok := idx[k].byID[ref.refersTo]
		if !ok && ref.digest != "" {
			off, ok = idx[k].byDigest[ref.digest]
		}
		if !ok {
			continue
		}
		name := inputs[k].Path
		if inputs[k].Member != "" {
			name += warc.MemberSep + inputs[k].Member
		}
		ra, closer, err := warc.OpenFileContext(ctx, name, warc.Options{Logger: log, Store: opts.Store})
		if err != nil {
			continue
		}
		page, err := func() (*job, error) {
			defer closer.Close()
			orig, err := warc.ReadAtFile(ra, off, inputs[k].Name)
			if err != nil {
				return nil, err
			}
			return j.fromRecord(orig, true, ref.status, ref.ctype, ref.date, opts.Extractor.opts.MaxBytes, opts, log)
		}()
		if err != nil {
			log.Warn("extract: revisit original unreadable", "file", j.art.WARCFile, "offset", j.art.WARCOffset,
				"original", inputs[k].Name, "original_offset", off, "err", err)
			return nil
		}
		if page == nil {
			return nil
		}
		if page.skip != "" {
			page.art.Error = page.skip
			page.art.normalize()
			return &page.art
		}
		a, _ := opts.Extractor.Extract(page.page)
		mergeProvenance(&a, page.art)
		return &a
	}
	unresolved.Add(1)
	log.Debug("extract: revisit without its original in this or an earlier input", "file", j.art.WARCFile,
		"offset", j.art.WARCOffset, "refers_to", ref.refersTo)
	return nil
}
