package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/warcbox/warcbox/internal/ctxio"
)

func testData(n int) []byte {
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range b {
		b[i] = byte(r.IntN(256))
	}
	return b
}

// fastStore retries quickly so that the failure tests stay fast.
func fastStore() *Store {
	return New(Options{Backoff: time.Millisecond, Retries: 4, BlockSize: 4 << 10, CacheSize: 256 << 10})
}

// cutWriter aborts the response (the client sees a reset) once limit bytes
// of the body have gone out.
type cutWriter struct {
	http.ResponseWriter
	left int
}

func (w *cutWriter) Write(p []byte) (int, error) {
	if len(p) > w.left {
		w.ResponseWriter.Write(p[:w.left])
		w.left = 0
		w.ResponseWriter.(http.Flusher).Flush()
		panic(http.ErrAbortHandler)
	}
	w.left -= len(p)
	return w.ResponseWriter.Write(p)
}

func (w *cutWriter) Flush() { w.ResponseWriter.(http.Flusher).Flush() }

type counter struct{ gets, ranges, heads atomic.Int64 }

func (c *counter) count(r *http.Request) {
	if r.Method == http.MethodHead {
		c.heads.Add(1)
		return
	}
	c.gets.Add(1)
	if r.Header.Get("Range") != "" {
		c.ranges.Add(1)
	}
}

func serve(t *testing.T, data []byte, c *counter, wrap func(http.ResponseWriter, *http.Request) http.ResponseWriter) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.count(r)
		if wrap != nil {
			w = wrap(w, r)
		}
		http.ServeContent(w, r, "x.warc.gz", time.Unix(1700000000, 0), bytes.NewReader(data))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestHTTPStreamResumesAfterResets(t *testing.T) {
	data := testData(5<<20 + 123)
	var c counter
	// Every connection is cut after 1 MB of its own body: the reader must
	// go on from where each broke.
	srv := serve(t, data, &c, func(w http.ResponseWriter, r *http.Request) http.ResponseWriter {
		if r.Method == http.MethodGet {
			return &cutWriter{ResponseWriter: w, left: 1 << 20}
		}
		return w
	})
	s := fastStore()
	rd, err := s.NewReader(context.Background(), srv.URL+"/x.warc.gz", 10)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rd)
	rd.Close()
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if !bytes.Equal(got, data[10:]) {
		t.Fatalf("got %d bytes, want %d identical", len(got), len(data)-10)
	}
	if n := c.gets.Load(); n < 5 || n > 8 {
		t.Errorf("%d requests for 5 MB cut every 1 MB; want 5-8", n)
	}
}

func TestHTTPStreamNeverSilentlyShort(t *testing.T) {
	data := testData(3 << 20)
	var c counter
	// The object's bytes past 1 MB are never served: every stream breaks
	// there, whatever the Range.
	srv := serve(t, data, &c, func(w http.ResponseWriter, r *http.Request) http.ResponseWriter {
		if r.Method != http.MethodGet {
			return w
		}
		start := int64(0)
		if rg := r.Header.Get("Range"); rg != "" {
			s, _, _ := strings.Cut(strings.TrimPrefix(rg, "bytes="), "-")
			start, _ = parseInt(s)
		}
		return &cutWriter{ResponseWriter: w, left: int(max(1<<20-start, 0))}
	})
	s := fastStore()
	rd, err := s.NewReader(context.Background(), srv.URL+"/x.warc.gz", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	got, err := io.ReadAll(rd)
	var se *Error
	if !errors.As(err, &se) {
		t.Fatalf("err = %v after %d bytes; want *Error", err, len(got))
	}
	if len(got) != 1<<20 || !bytes.Equal(got, data[:1<<20]) {
		t.Errorf("got %d bytes before the error, want the first 1048576", len(got))
	}
	msg := err.Error()
	for _, want := range []string{srv.URL + "/x.warc.gz", "offset 1048576", "gave up after retries"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not name %q", msg, want)
		}
	}
	if n := c.gets.Load(); n != 4 {
		t.Errorf("%d requests; want 4 (Retries)", n)
	}
}

func parseInt(s string) (int64, error) {
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, errors.New("not a number")
		}
		n = n*10 + int64(c-'0')
	}
	return n, nil
}

func TestHTTPRetriesServerErrors(t *testing.T) {
	data := testData(100 << 10)
	var c counter
	var fails atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.count(r)
		switch fails.Add(1) {
		case 1:
			http.Error(w, "busy", http.StatusServiceUnavailable)
		case 2:
			w.Header().Set("Retry-After", "0")
			http.Error(w, "slow down", http.StatusTooManyRequests)
		default:
			http.ServeContent(w, r, "x", time.Time{}, bytes.NewReader(data))
		}
	}))
	defer srv.Close()
	s := fastStore()
	rd, err := s.NewReader(context.Background(), srv.URL+"/x", 0)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rd)
	rd.Close()
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read after 503 and 429: %d bytes, %v", len(got), err)
	}
	if n := c.gets.Load(); n != 3 {
		t.Errorf("%d requests, want 3", n)
	}
}

func TestHTTPRefusalsAreNotRetried(t *testing.T) {
	var c counter
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.count(r)
		switch r.URL.Path {
		case "/forbidden":
			http.Error(w, "no", http.StatusForbidden)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	s := fastStore()
	ctx := context.Background()
	// Credentials in the URL must not come back in errors.
	base := strings.Replace(srv.URL, "http://", "http://alice:s3cr3t-pw@", 1)
	for _, tc := range []struct {
		path string
		want error
	}{{"/forbidden", ErrForbidden}, {"/missing.warc.gz", ErrNotFound}} {
		before := c.gets.Load() + c.heads.Load()
		_, err := s.NewReader(ctx, base+tc.path, 7)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.path, err, tc.want)
			continue
		}
		if strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("error leaks the password: %v", err)
		}
		if !strings.Contains(err.Error(), tc.path) || !strings.Contains(err.Error(), "offset 7") {
			t.Errorf("error %q does not name the URL and offset", err)
		}
		if n := c.gets.Load() + c.heads.Load() - before; n != 1 {
			t.Errorf("%s: %d requests, want 1 (no retry)", tc.path, n)
		}
		_, err = s.Stat(ctx, base+tc.path)
		if !errors.Is(err, tc.want) || strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("stat %s: %v", tc.path, err)
		}
	}
}

func TestObjectReadAtOneRangePerRead(t *testing.T) {
	data := testData(1 << 20)
	var c counter
	srv := serve(t, data, &c, nil)
	s := fastStore() // 4 KiB blocks, 256 KiB cache
	ctx := context.Background()
	o, err := s.Open(ctx, srv.URL+"/x.warc.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	if o.Size() != int64(len(data)) {
		t.Fatalf("size %d", o.Size())
	}
	p := make([]byte, 10000)
	if _, err := o.ReadAt(p, 5000); err != nil || !bytes.Equal(p, data[5000:15000]) {
		t.Fatalf("ReadAt: %v", err)
	}
	if n := c.ranges.Load(); n != 1 {
		t.Fatalf("%d Range requests for one read, want 1", n)
	}
	// The same bytes again, and a read inside the blocks fetched: cached.
	o.ReadAt(p[:100], 5000)
	o.ReadAt(p[:100], 4096)
	if n := c.ranges.Load(); n != 1 {
		t.Errorf("%d Range requests after cached reads, want 1", n)
	}
	// A record of 30 KB prefetched, then read in 16 KB pieces as warc's
	// reader does: one request.
	if err := o.Prefetch(ctx, 500000, 30000); err != nil {
		t.Fatal(err)
	}
	sr := io.NewSectionReader(o, 500000, 30000)
	got, err := io.ReadAll(io.LimitReader(sr, 30000))
	if err != nil || !bytes.Equal(got, data[500000:530000]) {
		t.Fatalf("section read: %v", err)
	}
	if n := c.ranges.Load(); n != 2 {
		t.Errorf("%d Range requests after a prefetched record, want 2", n)
	}
	// The end of the object: short read with io.EOF.
	n, err := o.ReadAt(p, int64(len(data))-10)
	if n != 10 || err != io.EOF || !bytes.Equal(p[:10], data[len(data)-10:]) {
		t.Errorf("ReadAt at end: %d, %v", n, err)
	}
	// An index that says a record runs past the end.
	err = o.Prefetch(ctx, int64(len(data))-100, 1000)
	if !errors.Is(err, ErrShort) || !strings.Contains(err.Error(), "offset 1048476") || !strings.Contains(err.Error(), srv.URL) {
		t.Errorf("prefetch past the end: %v", err)
	}
}

// readAheadObject serves 4 MiB and opens it as a remote object read in 16
// KiB blocks, ahead up to 1 MiB; c counts the server's Range requests.
func readAheadObject(t *testing.T) (data []byte, c *counter, o *Object) {
	t.Helper()
	data = testData(4 << 20)
	c = &counter{}
	srv := serve(t, data, c, nil)
	s := New(Options{BlockSize: 16 << 10, ReadAhead: 1 << 20, CacheSize: 8 << 20})
	o, err := s.Open(context.Background(), srv.URL+"/x")
	if err != nil {
		t.Fatal(err)
	}
	return data, c, o
}

func TestObjectReadAtSequentialReadsAhead(t *testing.T) {
	data, c, o := readAheadObject(t)
	got, err := io.ReadAll(io.NewSectionReader(o, 0, o.Size()))
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("sequential ReadAt: %d bytes, %v", len(got), err)
	}
	// 4 MiB in 16 KiB blocks is 256 blocks; doubling spans up to 1 MiB
	// makes it about 10 requests.
	if n := c.ranges.Load(); n > 16 {
		t.Errorf("%d Range requests for a sequential read of 4 MiB; read-ahead should make it ~10", n)
	}
}

// Two readers scanning one remote object at once, each bound with its own
// context (ctxio.Bind: a full-text index build scanning an index while a
// request reads it), each read ahead by its own progress: about 10 Range
// requests for each one's 2 MiB. Before, the object kept one state for both,
// so each read undid the other's: every 16 KiB read was a Range request
// of its own (256).
func TestObjectReadAheadPerReader(t *testing.T) {
	data, c, o := readAheadObject(t)
	half := o.Size() / 2
	readers := []io.ReaderAt{ctxio.Bind(context.Background(), o), ctxio.Bind(context.Background(), o)}
	buf := make([]byte, 16<<10)
	for off := int64(0); off < half; off += int64(len(buf)) {
		for i, r := range readers {
			at := int64(i)*half + off
			if _, err := r.ReadAt(buf, at); err != nil || !bytes.Equal(buf, data[at:at+int64(len(buf))]) {
				t.Fatalf("reader %d at %d: %v", i, at, err)
			}
		}
	}
	if n := c.ranges.Load(); n > 32 {
		t.Errorf("%d Range requests for two interleaved sequential reads of 2 MiB each; each reader's read-ahead should make it ~20", n)
	}
	t.Logf("%d Range requests", c.ranges.Load())
}

func TestOpenTail(t *testing.T) {
	data := testData(300 << 10)
	var c counter
	srv := serve(t, data, &c, nil)
	s := fastStore() // 4 KiB blocks, 256 KiB cache: a tail of at most 64 KiB
	ctx := context.Background()
	o, err := s.OpenTail(ctx, srv.URL+"/x.wacz", 40000)
	if err != nil {
		t.Fatal(err)
	}
	if o.Size() != int64(len(data)) {
		t.Fatalf("size %d", o.Size())
	}
	// The end, as a zip reader reads it first: no further request.
	p := make([]byte, 30000)
	if _, err := o.ReadAt(p, int64(len(data)-30000)); err != nil || !bytes.Equal(p, data[len(data)-30000:]) {
		t.Fatalf("ReadAt of the tail: %v", err)
	}
	if g, h := c.gets.Load(), c.heads.Load(); g != 1 || h != 0 {
		t.Errorf("%d GETs and %d HEADs to open and read the tail; want 1 GET", g, h)
	}
	// A server that ignores Range: opened by HEAD instead, still right.
	var c2 counter
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c2.count(r)
		w.Header().Set("Content-Length", fmt.Sprint(len(data)))
		if r.Method == http.MethodGet {
			w.Write(data)
		}
	}))
	defer plain.Close()
	o, err = s.OpenTail(ctx, plain.URL+"/x.wacz", 40000)
	if err != nil || o.Size() != int64(len(data)) {
		t.Fatalf("OpenTail without Range support: %v", err)
	}
	if _, err := o.ReadAt(p, 1000); err != nil || !bytes.Equal(p, data[1000:31000]) {
		t.Errorf("ReadAt without Range support: %v", err)
	}
}

func TestObjectReadAtResumes(t *testing.T) {
	data := testData(3 << 20)
	var c counter
	srv := serve(t, data, &c, func(w http.ResponseWriter, r *http.Request) http.ResponseWriter {
		if r.Method == http.MethodGet {
			return &cutWriter{ResponseWriter: w, left: 1 << 20}
		}
		return w
	})
	s := fastStore()
	o, err := s.Open(context.Background(), srv.URL+"/x")
	if err != nil {
		t.Fatal(err)
	}
	p := make([]byte, len(data)-1000)
	if n, err := o.ReadAt(p, 1000); err != nil || n != len(p) || !bytes.Equal(p, data[1000:]) {
		t.Fatalf("ReadAt over a server that cuts at 1 MB: %d, %v", n, err)
	}
}

func TestHTTPList(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"b.warc.gz", "a.warc.gz", "sub/c.warc", "sub/deeper/d.arc.gz", "notes.txt"} {
		p := filepath.Join(dir, f)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(f), 0o644)
	}
	os.MkdirAll(filepath.Join(dir, "other"), 0o755)
	os.WriteFile(filepath.Join(dir, "other", "x.warc"), nil, 0o644)
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	s := fastStore()
	got, err := s.List(context.Background(), srv.URL+"/sub/")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, i := range got {
		names = append(names, strings.TrimPrefix(i.Name, srv.URL))
	}
	want := []string{"/sub/c.warc", "/sub/deeper/d.arc.gz"}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("list /sub/ = %v, want %v", names, want)
	}
	got, err = s.List(context.Background(), srv.URL+"/")
	if err != nil || len(got) != 6 || !strings.HasSuffix(got[0].Name, "/a.warc.gz") {
		t.Errorf("list / = %v, %v", got, err)
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"https://u:pw@h/x.warc":                       "https://xxxxx@h/x.warc",
		"https://h/x.warc?X-Amz-Signature=abc&part=1": "https://h/x.warc?X-Amz-Signature=xxxxx&part=1",
		"s3://bucket/key":                             "s3://bucket/key",
		"/local/path#x":                               "/local/path#x",
		"https://h/x.warc":                            "https://h/x.warc",
		// Unparseable (a space in the host): the user info ends at the
		// authority's last "@", as parsers read it, so a password with
		// an "@" in it goes whole.
		"https://u:p@ss@h x/y": "https://xxxxx@h x/y",
		"https://h x/a@b":      "https://h x/a@b",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}
