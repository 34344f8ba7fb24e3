package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"sort"
	"sync"
	"time"
)

// Options configure a Store. The zero value is usable: every field has a
// documented default.
type Options struct {
	// S3Endpoint is the URL of an S3-compatible store (versitygw, MinIO,
	// Ceph); if empty, AWS_ENDPOINT_URL(_S3) or AWS itself. Addressing is
	// path-style whenever an endpoint is set.
	S3Endpoint string
	// S3Region is used when neither the environment nor the AWS config
	// names one; if empty, "us-east-1".
	S3Region string
	// HTTPClient fetches http(s) URLs and carries S3 requests; if nil, a
	// client with sensible timeouts.
	HTTPClient *http.Client
	// Retries bounds consecutive failed attempts on one read before giving
	// up (progress resets the count); if zero, 6.
	Retries int
	// Backoff is the first wait between attempts, doubled each time up to
	// 5 s; if zero, 200 ms.
	Backoff time.Duration
	// ReadAhead is how many bytes a sequential reader fetches ahead of its
	// consumer; if zero, 8 MiB.
	ReadAhead int
	// BlockSize is the unit of the random-access cache; if zero, 64 KiB.
	BlockSize int
	// CacheSize bounds the bytes of recently read blocks kept for all
	// objects opened through the Store; if zero, 32 MiB.
	CacheSize int
	// MaxOpenFiles bounds the local files pooled objects (OpenPooled)
	// keep open; if zero, 256.
	MaxOpenFiles int
	// Logger receives retries and resumes; if nil, nothing is logged.
	// Names in messages are redacted.
	Logger *slog.Logger

	customHTTP bool
}

func (o Options) withDefaults() Options {
	if o.Retries == 0 {
		o.Retries = 6
	}
	if o.Backoff == 0 {
		o.Backoff = 200 * time.Millisecond
	}
	if o.ReadAhead == 0 {
		o.ReadAhead = 8 << 20
	}
	if o.BlockSize == 0 {
		o.BlockSize = 64 << 10
	}
	if o.CacheSize == 0 {
		o.CacheSize = 32 << 20
	}
	if o.MaxOpenFiles <= 0 {
		o.MaxOpenFiles = 256
	}
	if o.S3Region == "" {
		o.S3Region = "us-east-1"
	}
	o.customHTTP = o.HTTPClient != nil
	if o.HTTPClient == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = 16
		tr.ResponseHeaderTimeout = 60 * time.Second
		// Ranges of compressed WARC records must arrive as stored.
		tr.DisableCompression = true
		o.HTTPClient = &http.Client{Transport: tr}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Info describes one object or file.
type Info struct {
	Name    string // as given, or as listed (full URL)
	Size    int64
	ModTime time.Time
}

// Store reaches local, http(s) and s3 names. It is safe for concurrent use
// and holds the block cache shared by the objects it opens.
type Store struct {
	opt   Options
	http  *httpBackend
	cache *blockCache
	files *filePool

	s3once sync.Once
	s3     *s3Backend
	s3err  error

	// infos remembers the sizes Stat and List learnt, so that opening an
	// object just listed costs no HEAD request. Objects are taken not to
	// change while a run reads them (a read that finds otherwise fails
	// with ErrShort, never silently).
	infoMu sync.Mutex
	infos  map[string]Info
}

// maxInfos bounds the remembered sizes.
const maxInfos = 100000

func (s *Store) remember(infos ...Info) {
	s.infoMu.Lock()
	defer s.infoMu.Unlock()
	if s.infos == nil || len(s.infos)+len(infos) > maxInfos {
		s.infos = map[string]Info{}
	}
	for _, i := range infos {
		if i.Size >= 0 && len(infos) <= maxInfos {
			s.infos[i.Name] = i
		}
	}
}

func (s *Store) known(name string) (Info, bool) {
	s.infoMu.Lock()
	defer s.infoMu.Unlock()
	i, ok := s.infos[name]
	return i, ok
}

// New returns a Store; S3 configuration is loaded on first use of an
// s3:// name.
func New(opt Options) *Store {
	opt = opt.withDefaults()
	return &Store{
		opt:   opt,
		http:  &httpBackend{client: opt.HTTPClient},
		cache: newBlockCache(opt.CacheSize, opt.BlockSize),
		files: newFilePool(opt.MaxOpenFiles),
	}
}

// Close drops the Store's idle connections and cached blocks. A Store is
// meant to live for a run; close one made for a shorter task.
func (s *Store) Close() error {
	s.opt.HTTPClient.CloseIdleConnections()
	if s.s3 != nil {
		if c, ok := s.s3.httpClient.(interface{ CloseIdleConnections() }); ok {
			c.CloseIdleConnections()
		}
	}
	s.cache.clear()
	return nil
}

// Forget drops what the Store holds of an object that changed since it
// was read (an index rewritten in place): its cached blocks, and its size
// unless a listing just told the new one.
func (s *Store) Forget(name string, listed bool) {
	s.cache.drop(name)
	if !listed {
		s.infoMu.Lock()
		delete(s.infos, name)
		s.infoMu.Unlock()
	}
}

// backend serves one kind of remote name.
type backend interface {
	stat(ctx context.Context, name string) (Info, error)
	// get returns the bytes from off to end (exclusive; -1 for the end of
	// the object) and the object's full size (-1 if the server did not
	// say). A server that ignores Range must be handled here: the body
	// always starts at off.
	get(ctx context.Context, name string, off, end int64) (io.ReadCloser, int64, error)
	list(ctx context.Context, name string) ([]Info, error)
	// tail returns the last n bytes of the object (fewer if it is
	// smaller), where they start, and the object's size; start 0 with
	// size > n means the server ignored the suffix Range.
	tail(ctx context.Context, name string, n int64) (body io.ReadCloser, start, size int64, err error)
}

func (s *Store) backend(ctx context.Context, name string) (backend, error) {
	switch KindOf(name) {
	case HTTP:
		return s.http, nil
	case S3:
		// Loaded once for the Store's life: a failure because the first
		// caller's context ended must not stay the Store's answer.
		s.s3once.Do(func() { s.s3, s.s3err = newS3Backend(context.WithoutCancel(ctx), s.opt) })
		if s.s3err != nil {
			return nil, s.s3err
		}
		return s.s3, nil
	}
	return nil, fmt.Errorf("%w: not a remote name", errPermanent)
}

// Stat returns the size and modification time of a file or object.
func (s *Store) Stat(ctx context.Context, name string) (Info, error) {
	if KindOf(name) == Local {
		st, err := os.Stat(name)
		if err != nil {
			return Info{}, err
		}
		return Info{Name: name, Size: st.Size(), ModTime: st.ModTime()}, nil
	}
	var info Info
	err := s.retry(ctx, "stat", name, 0, func() (bool, error) {
		b, err := s.backend(ctx, name)
		if err != nil {
			return false, err
		}
		info, err = b.stat(ctx, name)
		return false, err
	})
	if err == nil {
		s.remember(info)
	}
	return info, err
}

// List returns the objects under a remote folder name (see IsFolder),
// recursively, sorted by name; each Info.Name is a full URL usable with
// Open. Local folders are walked by the caller (warc's expander).
func (s *Store) List(ctx context.Context, name string) ([]Info, error) {
	if KindOf(name) == Local {
		return nil, &Error{Op: "list", URL: name, Err: fmt.Errorf("%w: a local path", fs.ErrInvalid)}
	}
	var out []Info
	err := s.retry(ctx, "list", name, 0, func() (bool, error) {
		b, err := s.backend(ctx, name)
		if err != nil {
			return false, err
		}
		out, err = b.list(ctx, name)
		return false, err
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	s.remember(out...)
	return out, nil
}

// retry runs attempt until it succeeds, fails for good, or fails
// opt.Retries times in a row; attempt reports whether it made progress,
// which resets the count. Errors come back as *Error.
func (s *Store) retry(ctx context.Context, op, name string, off int64, attempt func() (progress bool, err error)) error {
	fails := 0
	wait := s.opt.Backoff
	for {
		progress, err := attempt()
		if err == nil {
			return nil
		}
		if progress {
			fails, wait = 0, s.opt.Backoff
		}
		if e, ok := err.(*Error); ok {
			err = e.Err
			off = e.Offset
		}
		fails++
		if !retryable(err) || ctx.Err() != nil {
			return &Error{Op: op, URL: Redact(name), Offset: off, Err: err}
		}
		if fails >= s.opt.Retries {
			return &Error{Op: op, URL: Redact(name), Offset: off, Err: fmt.Errorf("%w (%d attempts): %w", ErrRetries, fails, err)}
		}
		d := wait + rand.N(wait/2+1)
		var se *statusError
		if errors.As(err, &se) && se.after > d {
			d = min(se.after, 30*time.Second)
		}
		s.opt.Logger.Warn("storage: retrying", "op", op, "url", Redact(name), "offset", off, "attempt", fails+1, "wait", d, "err", err)
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return &Error{Op: op, URL: Redact(name), Offset: off, Err: ctx.Err()}
		case <-t.C:
		}
		wait = min(wait*2, 5*time.Second)
	}
}
