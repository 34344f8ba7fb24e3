package extract

import (
	"archive/zip"
	"bufio"
	"context"
	"crypto/sha1"
	"encoding/base32"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/warcbox/warcbox/warc"
)

// RunOptions configures Run. The zero value extracts status-200 HTML pages
// with DefaultOptions on all cores.
type RunOptions struct {
	// Extractor extracts each page; if nil, New(DefaultOptions()).
	Extractor *Extractor
	// AllStatuses keeps pages whatever their HTTP status (default: 200 only).
	AllStatuses bool
	// Dedup skips pages whose payload digest was already output.
	Dedup bool
	// Workers is the number of pages extracted at once; if zero, runtime.NumCPU().
	Workers int
	// Strict makes the first malformed WARC record fatal instead of logged and skipped.
	Strict bool
	// Logger receives skipped records and malformed input; if nil, nothing is logged.
	Logger *slog.Logger
	// Progress, if set, is called with the number of input bytes consumed
	// since its last call (from several goroutines).
	Progress func(n int64)
}

// Input is one WARC stream: a file, or a WARC member of a WACZ.
type Input struct {
	// Name is what warc_file says: the path, or "archive.wacz#archive/x.warc.gz".
	Name string
	// Path of the file on disk; Member names the WACZ member when set.
	Path, Member string
	// Size is the on-disk size, for progress.
	Size int64
}

// ExpandInputs turns command-line arguments into inputs: files, folders
// (walked for *.warc, *.warc.gz, *.arc, *.arc.gz, *.wacz), glob patterns,
// and "-" for a list of such paths read from stdin, one a line. WACZ files
// expand to their archive/*.warc[.gz] members. Order: as given, folders and
// globs sorted, so that output order is reproducible.
func ExpandInputs(args []string, stdin io.Reader) ([]Input, error) {
	var paths []string
	var add func(arg string) error
	add = func(arg string) error {
		if arg == "-" {
			if stdin == nil {
				return errors.New("extract: \"-\" given but no stdin")
			}
			sc := bufio.NewScanner(stdin)
			sc.Buffer(make([]byte, 64<<10), 1<<20)
			for sc.Scan() {
				if l := strings.TrimSpace(sc.Text()); l != "" && l != "-" {
					if err := add(l); err != nil {
						return err
					}
				}
			}
			if err := sc.Err(); err != nil {
				return fmt.Errorf("read paths from stdin: %w", err)
			}
			stdin = nil
			return nil
		}
		st, err := os.Stat(arg)
		if err != nil {
			if strings.ContainsAny(arg, "*?[") {
				m, gerr := filepath.Glob(arg)
				if gerr != nil {
					return fmt.Errorf("glob %s: %w", arg, gerr)
				}
				if len(m) == 0 {
					return fmt.Errorf("glob %s: no match", arg)
				}
				sort.Strings(m)
				for _, p := range m {
					if err := add(p); err != nil {
						return err
					}
				}
				return nil
			}
			return fmt.Errorf("open input: %w", err)
		}
		if st.IsDir() {
			var found []string
			err := filepath.WalkDir(arg, func(p string, d os.DirEntry, err error) error {
				if err != nil {
					return err
				}
				if !d.IsDir() && isArchiveName(p) {
					found = append(found, p)
				}
				return nil
			})
			if err != nil {
				return fmt.Errorf("walk %s: %w", arg, err)
			}
			sort.Strings(found)
			paths = append(paths, found...)
			return nil
		}
		paths = append(paths, arg)
		return nil
	}
	for _, a := range args {
		if err := add(a); err != nil {
			return nil, err
		}
	}
	var out []Input
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("open input: %w", err)
		}
		if strings.HasSuffix(strings.ToLower(p), ".wacz") {
			members, err := waczMembers(p)
			if err != nil {
				return nil, err
			}
			out = append(out, members...)
			continue
		}
		out = append(out, Input{Name: p, Path: p, Size: st.Size()})
	}
	return out, nil
}

func isArchiveName(p string) bool {
	l := strings.ToLower(p)
	for _, s := range []string{".warc", ".warc.gz", ".arc", ".arc.gz", ".wacz", ".warc.zst"} {
		if strings.HasSuffix(l, s) {
			return true
		}
	}
	return false
}

// waczMembers lists the WARC members of a WACZ (archive/ folder), sorted.
func waczMembers(path string) ([]Input, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("open wacz %s: %w", path, err)
	}
	defer zr.Close()
	var out []Input
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "archive/") && isArchiveName(f.Name) && !strings.HasSuffix(f.Name, ".wacz") {
			out = append(out, Input{Name: path + "#" + f.Name, Path: path, Member: f.Name, Size: int64(f.CompressedSize64)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Member < out[j].Member })
	if len(out) == 0 {
		return nil, fmt.Errorf("open wacz %s: no archive/*.warc members", path)
	}
	return out, nil
}

// source is an opened input: a sequential stream and, when possible,
// random access for resolving revisits.
type source struct {
	r      io.Reader
	ra     io.ReaderAt
	closer func() error
}

func openInput(in Input) (*source, error) {
	f, err := os.Open(in.Path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", in.Name, err)
	}
	if in.Member == "" {
		return &source{r: f, ra: f, closer: f.Close}, nil
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open %s: %w", in.Name, err)
	}
	zr, err := zip.NewReader(f, st.Size())
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open %s: %w", in.Name, err)
	}
	for _, zf := range zr.File {
		if zf.Name != in.Member {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("open %s: %w", in.Name, err)
		}
		s := &source{r: rc, closer: func() error { rc.Close(); return f.Close() }}
		// Stored members (the WACZ norm) can be addressed directly.
		if zf.Method == zip.Store {
			if off, err := zf.DataOffset(); err == nil {
				s.ra = io.NewSectionReader(f, off, int64(zf.UncompressedSize64))
			}
		}
		return s, nil
	}
	f.Close()
	return nil, fmt.Errorf("open %s: member not found", in.Name)
}

// job is one page waiting for extraction; its result goes to res.
type job struct {
	page   Page
	art    Article // provenance already filled
	skip   string  // set: emit art as is with this error (no extraction)
	res    chan Article
	digest string
}

// Run extracts every HTML page of the inputs and calls emit for each
// Article in input order (file, then offset), extracting on opts.Workers
// goroutines. It returns the first error of emit, of opening an input, or
// (with Strict) of a malformed record; malformed records are otherwise
// logged and skipped. Cancelling ctx stops it.
func Run(ctx context.Context, inputs []Input, opts RunOptions, emit func(Article) error) error {
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
	var wg errgroup.Group // workers
	for range workers {
		wg.Go(func() error {
			for j := range jobs {
				a, _ := opts.Extractor.Extract(j.page)
				mergeProvenance(&a, j.art)
				j.res <- a
			}
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
				return readInput(rctx, in, opts, log, jobs, queues[i])
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
				var a Article
				select {
				case a = <-j.res:
				case <-ctx.Done():
					return ctx.Err()
				}
				if opts.Dedup && j.digest != "" {
					if seen[j.digest] {
						log.Debug("extract: duplicate payload skipped", "file", a.WARCFile, "offset", a.WARCOffset, "digest", j.digest)
						continue
					}
					seen[j.digest] = true
				}
				if err := emit(a); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return g.Wait()
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

// readInput reads one input's records in order, queues the HTML pages and
// hands them to the workers.
func readInput(ctx context.Context, in Input, opts RunOptions, log *slog.Logger, jobs chan<- *job, queue chan<- *job) error {
	src, err := openInput(in)
	if err != nil {
		if opts.Strict {
			return err
		}
		log.Error("extract: input skipped", "file", in.Name, "err", err)
		return nil
	}
	defer src.closer()
	wopts := warc.Options{Strict: opts.Strict, Logger: log}
	var rd *warc.Reader
	if in.Member == "" {
		// Open names the file in the reader's own warnings; src stays open
		// for random access to revisits' originals.
		rd, err = warc.Open(in.Path, wopts)
		if err != nil {
			return fmt.Errorf("read %s: %w", in.Name, err)
		}
		defer rd.Close()
	} else {
		rd = warc.NewReader(src.r, wopts)
	}
	maxBytes := opts.Extractor.opts.MaxBytes
	// Originals of revisits, by record ID and payload digest: offsets only.
	byID := map[string]int64{}
	byDigest := map[string]int64{}
	var last int64
	var unresolved int
	send := func(j *job) error {
		j.res = make(chan Article, 1)
		select {
		case queue <- j:
		case <-ctx.Done():
			return ctx.Err()
		}
		if j.skip != "" {
			j.art.Error = j.skip
			j.art.normalize()
			j.res <- j.art
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
			return fmt.Errorf("read %s: %w", in.Name, err)
		}
		if opts.Progress != nil && rec.Offset > last {
			opts.Progress(rec.Offset - last)
			last = rec.Offset
		}
		j, err := recordJob(rec, in, src, maxBytes, opts, log, byID, byDigest)
		if err != nil {
			log.Warn("extract: record skipped", "file", in.Name, "offset", rec.Offset, "err", err)
			continue
		}
		if j == nil {
			if rec.Type() == "revisit" && revisitUnresolved(rec, byID, byDigest) {
				unresolved++
			}
			continue
		}
		if err := send(j); err != nil {
			return err
		}
	}
	if unresolved > 0 {
		log.Info("extract: revisits skipped, their originals are in other files", "file", in.Name, "count", unresolved)
	}
	if opts.Progress != nil && in.Size > last {
		opts.Progress(in.Size - last)
	}
	return nil
}

// revisitUnresolved reports a revisit whose original this file does not hold.
func revisitUnresolved(rec *warc.Record, byID, byDigest map[string]int64) bool {
	if _, ok := byID[rec.Header.Get(warc.FieldRefersTo)]; ok {
		return false
	}
	_, ok := byDigest[strings.TrimSpace(rec.Header.Get(warc.FieldPayloadDigest))]
	return !ok
}

// recordJob turns a record into a job, or nil when it is not an HTML page
// to extract (requests, metadata, images, non-200 responses).
func recordJob(rec *warc.Record, in Input, src *source, maxBytes int, opts RunOptions, log *slog.Logger,
	byID, byDigest map[string]int64) (*job, error) {
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
			byID[id] = rec.Offset
		}
		if digest != "" {
			if _, ok := byDigest[digest]; !ok {
				byDigest[digest] = rec.Offset
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
	body := rec
	var status int
	var ctype string
	var payload io.Reader
	if typ == "revisit" {
		// The revisit's own HTTP head gives the status; the payload is the original's.
		if m, err := rec.HTTP(); err == nil {
			status = m.StatusCode
			ctype = m.Header.Get("Content-Type")
		}
		off, ok := byID[rec.Header.Get(warc.FieldRefersTo)]
		if !ok && digest != "" {
			off, ok = byDigest[digest]
		}
		if !ok || src.ra == nil {
			log.Debug("extract: revisit without its original in this file", "file", in.Name, "offset", rec.Offset,
				"refers_to", rec.Header.Get(warc.FieldRefersTo))
			return nil, nil
		}
		orig, err := warc.ReadAtFile(src.ra, off, in.Name)
		if err != nil {
			return nil, fmt.Errorf("revisit original at %d: %w", off, err)
		}
		body = orig
	}
	if body.Type() == "resource" || !body.IsHTTP() {
		payload = body.Body
		ctype = body.ContentType()
	} else {
		m, err := body.HTTP()
		if err != nil {
			return nil, fmt.Errorf("http: %w", err)
		}
		if typ != "revisit" || status == 0 {
			status = m.StatusCode
		}
		if ctype == "" {
			ctype = m.Header.Get("Content-Type")
		}
		payload, err = m.Decoded()
		if err != nil {
			// Unknown Content-Encoding: keep the bytes and let the sniff decide.
			log.Debug("extract: content-encoding not decoded", "file", in.Name, "offset", rec.Offset, "err", err)
			payload = m.Payload()
		}
	}
	j.art.Status, j.art.ContentType = status, ctype
	if status != 0 && status != 200 && !opts.AllStatuses {
		return nil, nil
	}
	b, err := io.ReadAll(io.LimitReader(payload, int64(maxBytes)+1))
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
	j.page = Page{HTML: b, ContentType: ctype, URL: j.art.URL, CaptureDate: rec.Date()}
	if j.page.CaptureDate.IsZero() {
		j.page.CaptureDate = time.Now()
	}
	return j, nil
}
