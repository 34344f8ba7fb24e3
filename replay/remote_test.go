package replay

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/index"
	"github.com/warcbox/warcbox/internal/tests3"
	"github.com/warcbox/warcbox/storage"
	"github.com/warcbox/warcbox/wacz"
)

// remotePages are captures of iana.warc.gz replayed in every remote test:
// a rewritten page and an unrewritten style sheet.
var remotePages = []string{
	"/web/20140126200624/http://www.iana.org/",
	"/web/20140126200625id_/http://www.iana.org/_css/2013.1/screen.css",
}

func serveLocal(t *testing.T, cfg Config) map[string]string {
	t.Helper()
	s, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	out := map[string]string{}
	coll := cfg.Name
	if coll == "" {
		coll = "web"
	}
	for _, p := range remotePages {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, strings.Replace(p, "/web/", "/"+coll+"/", 1), nil))
		if w.Code != 200 {
			t.Fatalf("%s: %d %s", p, w.Code, w.Body.String())
		}
		out[p] = w.Body.String()
	}
	return out
}

func TestReplayWACZOverHTTP(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "iana.wacz")
	if err := wacz.WriteFile(context.Background(), p, wacz.Options{WARCs: []string{filepath.Join(sampleDir(t), "iana.warc.gz")}, Software: "warcbox test"}); err != nil {
		t.Fatal(err)
	}
	var gets, bytesOut atomic.Int64
	fs := http.FileServer(http.Dir(dir))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			gets.Add(1)
		}
		fs.ServeHTTP(&countingWriter{w, &bytesOut}, r)
	}))
	defer srv.Close()
	local := serveLocal(t, Config{Paths: []string{p}, PollInterval: -1})
	st := storage.New(storage.Options{})
	remote := serveLocal(t, Config{Paths: []string{srv.URL + "/iana.wacz"}, PollInterval: -1, Store: st})
	for _, pg := range remotePages {
		if remote[pg] != local[pg] {
			t.Errorf("%s over HTTP differs from the local WACZ (%d vs %d bytes)", pg, len(remote[pg]), len(local[pg]))
		}
	}
	// The package was read by Range, not fetched whole.
	size, _ := os.Stat(p)
	if n := bytesOut.Load(); n >= size.Size() {
		t.Errorf("%d bytes fetched for a %d-byte package: not read by Range", n, size.Size())
	}
}

type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n.Add(int64(len(p)))
	return w.ResponseWriter.Write(p)
}

// A pywb collection layout in a bucket: archive/ and indexes/.
func TestReplayS3Collection(t *testing.T) {
	src := filepath.Join(sampleDir(t), "iana.warc.gz")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	var cdx bytes.Buffer
	sw := cdxj.NewSortedWriter(&cdx, cdxj.SortOptions{})
	if _, err := index.BuildFile(context.Background(), src, index.Options{Filename: "iana.warc.gz"}, func(l *cdxj.Line) error {
		return sw.AddBytes(l.AppendTo(nil))
	}); err != nil {
		t.Fatal(err)
	}
	if err := sw.Close(); err != nil {
		t.Fatal(err)
	}
	srv := tests3.Start(t)
	srv.Bucket(t, "bkt")
	srv.Put(t, "bkt", "coll/archive/iana.warc.gz", data)
	srv.Put(t, "bkt", "coll/indexes/index.cdxj", cdx.Bytes())
	srv.Put(t, "bkt", "bare/archive/iana.warc.gz", data) // no index: indexed by streaming
	// An object shorter than its index says.
	cut := len(data) / 2
	srv.Put(t, "bkt", "cut/archive/iana.warc.gz", data[:cut])
	srv.Put(t, "bkt", "cut/indexes/index.cdxj", cdx.Bytes())

	for _, coll := range []string{"coll", "bare"} {
		local := serveLocal(t, Config{Paths: []string{src}, PollInterval: -1, Name: coll})
		remote := serveLocal(t, Config{Paths: []string{"s3://bkt/" + coll + "/"}, PollInterval: -1, Name: coll})
		for _, pg := range remotePages {
			if remote[pg] != local[pg] {
				t.Errorf("s3://bkt/%s/ %s: %d bytes, local %d", coll, pg, len(remote[pg]), len(local[pg]))
			}
		}
	}

	var logs bytes.Buffer
	s, err := New(context.Background(), Config{Paths: []string{"s3://bkt/cut/"}, PollInterval: -1, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// A capture that lies past the cut.
	var past cdxj.Line
	for l, err := range cdxj.Lines(context.Background(), bytes.NewReader(cdx.Bytes()), "index.cdxj") {
		if err == nil && l.Offset > int64(cut) && l.Status == "200" {
			past = l
			break
		}
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/cut/"+past.Timestamp+"id_/"+past.URL, nil))
	if w.Code == 200 {
		t.Errorf("a record past the end of a cut object was served")
	}
	msg := logs.String() + w.Body.String()
	for _, want := range []string{"s3://bkt/cut/archive/iana.warc.gz", "offset", "object ends before"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the error does not say %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, srv.Secret) {
		t.Errorf("the secret key is in the log")
	}
}

// ianaZipNum is iana.warc.gz's sorted index as a ZipNum index of 20-line
// blocks: the secondary index and its one part, in the WACZ form.
func ianaZipNum(t testing.TB, src string) (cdx, idx, part []byte) {
	t.Helper()
	var buf bytes.Buffer
	sw := cdxj.NewSortedWriter(&buf, cdxj.SortOptions{})
	if _, err := index.BuildFile(context.Background(), src, index.Options{Filename: "iana.warc.gz"}, func(l *cdxj.Line) error {
		return sw.AddBytes(l.AppendTo(nil))
	}); err != nil {
		t.Fatal(err)
	}
	if err := sw.Close(); err != nil {
		t.Fatal(err)
	}
	var x, p bytes.Buffer
	zw := cdxj.NewZipNumWriter(&p, &x, "index.cdx.gz")
	zw.BlockLines = 20
	for _, l := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
		if err := zw.WriteLine([]byte(l)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), x.Bytes(), p.Bytes()
}

// A remote pywb collection whose indexes/ holds a ZipNum index (no CDXJ):
// replay reads it in place, block by block, over S3 and over HTTP, and
// never indexes the WARC itself.
func TestReplayRemoteZipNum(t *testing.T) {
	src := filepath.Join(sampleDir(t), "iana.warc.gz")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	_, idx, part := ianaZipNum(t, src)
	local := serveLocal(t, Config{Paths: []string{src}, PollInterval: -1, Name: "zn"})

	srv := tests3.Start(t)
	srv.Bucket(t, "bkt")
	srv.Put(t, "bkt", "zn/archive/iana.warc.gz", data)
	srv.Put(t, "bkt", "zn/indexes/index.idx", idx)
	srv.Put(t, "bkt", "zn/indexes/index.cdx.gz", part)
	var logs bytes.Buffer
	remote := serveLocal(t, Config{Paths: []string{"s3://bkt/zn/"}, PollInterval: -1, Name: "zn", Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	for _, pg := range remotePages {
		if remote[pg] != local[pg] {
			t.Errorf("s3 ZipNum %s: %d bytes, local %d", pg, len(remote[pg]), len(local[pg]))
		}
	}
	if strings.Contains(logs.String(), "files=1") {
		t.Errorf("the WARC was indexed although the ZipNum index covers it:\n%s", logs.String())
	}
	// The page list reads the ZipNum index too.
	zs, err := New(context.Background(), Config{Paths: []string{"s3://bkt/zn/"}, PollInterval: -1, RemotePollInterval: -1, Name: "zn"})
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	zs.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/_/api/pages?coll=zn", nil))
	zs.Close()
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"url":"http://www.iana.org/"`) {
		t.Errorf("pages of a ZipNum collection: %d %.300s", w.Code, w.Body.String())
	}

	// The same over HTTP, in pywb's own form: tab-separated lines and a
	// .loc naming the part.
	dir := t.TempDir()
	coll := filepath.Join(dir, "zn")
	for _, d := range []string{"archive", "indexes"} {
		if err := os.MkdirAll(filepath.Join(coll, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	var classic bytes.Buffer
	for i, l := range strings.Split(strings.TrimSuffix(string(idx), "\n"), "\n")[1:] {
		var off, n int64
		key := l[:strings.Index(l, " {")]
		fmt.Sscanf(l[strings.Index(l, "{"):], `{"offset": %d, "length": %d}`, &off, &n)
		fmt.Fprintf(&classic, "%s\tzipnum\t%d\t%d\t%d\n", key, off, n, i+1)
	}
	for name, b := range map[string][]byte{
		"archive/iana.warc.gz":       data,
		"indexes/zipnum.idx":         classic.Bytes(),
		"indexes/zipnum.loc":         []byte("zipnum\tblocks/iana.cdx.gz\n"),
		"indexes/blocks/iana.cdx.gz": part,
	} {
		os.MkdirAll(filepath.Dir(filepath.Join(coll, name)), 0o755)
		if err := os.WriteFile(filepath.Join(coll, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var warcBytes, blockGets atomic.Int64
	fsrv := http.FileServer(http.Dir(dir))
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".cdx.gz") && r.Method == http.MethodGet {
			blockGets.Add(1)
		}
		if strings.HasSuffix(r.URL.Path, ".warc.gz") {
			fsrv.ServeHTTP(&countingWriter{w, &warcBytes}, r)
			return
		}
		fsrv.ServeHTTP(w, r)
	}))
	defer hs.Close()
	remote = serveLocal(t, Config{Paths: []string{hs.URL + "/zn/"}, PollInterval: -1, Name: "zn", Store: storage.New(storage.Options{})})
	for _, pg := range remotePages {
		if remote[pg] != local[pg] {
			t.Errorf("https ZipNum %s: %d bytes, local %d", pg, len(remote[pg]), len(local[pg]))
		}
	}
	if blockGets.Load() == 0 {
		t.Errorf("no block of the ZipNum part was read")
	}
	if n := warcBytes.Load(); n >= int64(len(data)) {
		t.Errorf("%d bytes of a %d-byte WARC fetched: it was indexed, not looked up", n, len(data))
	}
}

// status fetches path from s and returns its status code.
func status(s *Server, path string) int {
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
	return w.Code
}

// eventually waits up to 30 s (polls are 1 s apart, the machine may be
// loaded) for ok; on failure it shows the server's log.
func eventually(t *testing.T, what string, log func() string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Errorf("after 30 s: %s; log:\n%s", what, log())
}

// Remote collections are listed again every RemotePollInterval: a WARC
// put into a bucket's archive/ later is indexed, a new index file in
// indexes/ is opened, and a new WARC in an https folder of loose files
// is indexed too.
func TestReplayRemotePoll(t *testing.T) {
	dir := sampleDir(t)
	read := func(n string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cdxOf := func(n string) []byte {
		var buf bytes.Buffer
		sw := cdxj.NewSortedWriter(&buf, cdxj.SortOptions{})
		if _, err := index.BuildFile(context.Background(), filepath.Join(dir, n), index.Options{Filename: n}, func(l *cdxj.Line) error {
			return sw.AddBytes(l.AppendTo(nil))
		}); err != nil {
			t.Fatal(err)
		}
		sw.Close()
		return buf.Bytes()
	}
	srv := tests3.Start(t)
	srv.Bucket(t, "poll")
	srv.Put(t, "poll", "coll/archive/iana.warc.gz", read("iana.warc.gz"))
	srv.Put(t, "poll", "coll/indexes/index.cdxj", cdxOf("iana.warc.gz"))

	web := t.TempDir()
	os.MkdirAll(filepath.Join(web, "loose"), 0o755)
	os.WriteFile(filepath.Join(web, "loose", "iana.warc.gz"), read("iana.warc.gz"), 0o644)
	hs := httptest.NewServer(http.FileServer(http.Dir(web)))
	defer hs.Close()

	var logs bytes.Buffer
	var mu sync.Mutex
	logw := lockedWriter{&mu, &logs}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := New(ctx, Config{Paths: []string{"s3://poll/coll/", hs.URL + "/loose/"}, Name: "loose", PollInterval: -1,
		RemotePollInterval: time.Millisecond, // raised to MinRemotePoll
		Store:              storage.New(storage.Options{}), Logger: slog.New(slog.NewTextHandler(logw, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.cfg.RemotePollInterval != MinRemotePoll {
		t.Errorf("poll interval %v, want the floor %v", s.cfg.RemotePollInterval, MinRemotePoll)
	}
	watched := make(chan error, 1)
	go func() { watched <- s.Watch(ctx) }()
	defer func() { cancel(); <-watched }()
	logged := func() string {
		mu.Lock()
		defer mu.Unlock()
		return logs.String()
	}

	example2 := "/coll/20160225042329id_/http://example.com/"
	example := "/coll/20140103030321id_/http://example.com?example=1"
	if c := status(s, "/coll/20140126200624id_/http://www.iana.org/"); c != 200 {
		t.Fatalf("iana at start: %d", c)
	}
	if c := status(s, example2); c == 200 {
		t.Fatalf("example2 served before it was put")
	}
	// A WARC newer than every index: indexed by streaming.
	srv.Put(t, "poll", "coll/archive/example2.warc.gz", read("example2.warc.gz"))
	eventually(t, "a WARC put into the bucket is replayed", logged, func() bool { return status(s, example2) == 200 })
	// A new index, then its WARC: the index is opened.
	srv.Put(t, "poll", "coll/indexes/example.cdxj", cdxOf("example.warc.gz"))
	srv.Put(t, "poll", "coll/archive/example.warc.gz", read("example.warc.gz"))
	eventually(t, "a new index and WARC are replayed", logged, func() bool { return status(s, example) == 200 })
	mu.Lock()
	if !strings.Contains(logs.String(), "replay: new index") || !strings.Contains(logs.String(), "s3://poll/coll/indexes/example.cdxj") {
		t.Errorf("the new index was not opened:\n%s", logs.String())
	}
	mu.Unlock()

	// Loose files in an https folder.
	loose := "/loose/20160225042329id_/http://example.com/"
	if c := status(s, loose); c == 200 {
		t.Fatalf("loose example2 served before it was written")
	}
	os.WriteFile(filepath.Join(web, "loose", "example2.warc.gz"), read("example2.warc.gz"), 0o644)
	eventually(t, "a WARC added to an https folder is replayed", logged, func() bool { return status(s, loose) == 200 })
	mu.Lock()
	defer mu.Unlock()
	if strings.Contains(logs.String(), srv.Secret) {
		t.Errorf("secret in the log")
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// waczWithZipNum writes a WACZ of iana.warc.gz whose own index is a ZipNum
// index (indexes/index.cdx.gz of gzip blocks and indexes/index.idx in the
// !meta form, as py-wacz writes for large collections), padded with pad
// lines of other URLs (naming the same WARC) so that the index is as
// large as a big collection's.
func waczWithZipNum(t testing.TB, dir string, pad int) (path string, partSize int) {
	t.Helper()
	src := filepath.Join(sampleDir(t), "iana.warc.gz")
	plain := filepath.Join(dir, "plain.wacz")
	if err := wacz.WriteFile(context.Background(), plain, wacz.Options{WARCs: []string{src}, Software: "warcbox test"}); err != nil {
		t.Fatal(err)
	}
	cdx, _, _ := ianaZipNum(t, src)
	var sorted bytes.Buffer
	sw := cdxj.NewSortedWriter(&sorted, cdxj.SortOptions{})
	lines := strings.Split(strings.TrimSuffix(string(cdx), "\n"), "\n")
	for _, l := range lines {
		sw.AddBytes([]byte(l))
	}
	model := lines[0]
	model = model[strings.Index(model, " {"):]
	for i := 0; i < pad; i++ {
		u := fmt.Sprintf("http://pad%d.example.net/%08x/%d", i%30, uint32(i)*2654435761, i)
		l, err := cdxj.Parse([]byte(cdxj.Key(u) + " 20200101000000" + model))
		if err != nil {
			t.Fatal(err)
		}
		l.URL = u
		sw.AddBytes(l.AppendTo(nil))
	}
	if err := sw.Close(); err != nil {
		t.Fatal(err)
	}
	var idx, part bytes.Buffer
	zw := cdxj.NewZipNumWriter(&part, &idx, "index.cdx.gz")
	for _, l := range strings.Split(strings.TrimSuffix(sorted.String(), "\n"), "\n") {
		if err := zw.WriteLine([]byte(l)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(plain)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	path = filepath.Join(dir, "iana.wacz")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	w := zip.NewWriter(out)
	for _, e := range zr.File {
		if strings.HasPrefix(e.Name, "indexes/") {
			continue
		}
		if err := w.Copy(e); err != nil {
			t.Fatal(err)
		}
	}
	for name, b := range map[string][]byte{"indexes/index.cdx.gz": part.Bytes(), "indexes/index.idx": idx.Bytes()} {
		m, err := w.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		m.Write(b)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path, part.Len()
}

// A WACZ whose own index is ZipNum is replayed from it in place, locally,
// over HTTP and from S3: the pages are those of the WARC itself, and a
// remote package costs its zip directory, a few blocks of the index and
// the records, not the whole index (read whole before: at least the
// part's size).
func TestReplayWACZZipNum(t *testing.T) {
	dir := t.TempDir()
	p, partSize := waczWithZipNum(t, dir, 150000)
	pkg, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(sampleDir(t), "iana.warc.gz")
	want := serveLocal(t, Config{Paths: []string{src}, PollInterval: -1})
	var logs bytes.Buffer
	local := serveLocal(t, Config{Paths: []string{p}, PollInterval: -1, Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if !strings.Contains(logs.String(), "searched in place") {
		t.Errorf("the local package's ZipNum index was not searched in place:\n%.2000s", logs.String())
	}

	var sent atomic.Int64
	fs := http.FileServer(http.Dir(dir))
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.ServeHTTP(&countingWriter{w, &sent}, r)
	}))
	defer hs.Close()
	// Full-text search is off for the counted servers: its background
	// build reads the package's pages concurrently with the requests, for
	// as long as the server lives, and shares each object's read-ahead
	// state with them, so the bytes fetched varied from run to run
	// (https 851,968 or 589,824, s3 524,288 to 851,968). Without it the
	// figure is deterministic: https and s3 fetch the same bytes.
	overHTTP := serveLocal(t, Config{Paths: []string{hs.URL + "/iana.wacz"}, PollInterval: -1, Store: storage.New(storage.Options{}), SearchMaxPages: -1})

	srv := tests3.Start(t)
	srv.Bucket(t, "bkt")
	srv.Put(t, "bkt", "w/iana.wacz", pkg)
	// Through a counting proxy (the signature covers the proxy's host,
	// which the proxy passes on).
	var s3Bytes, s3Reqs atomic.Int64
	target, _ := url.Parse(srv.Endpoint)
	rp := httputil.NewSingleHostReverseProxy(target)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s3Reqs.Add(1)
		rp.ServeHTTP(&countingWriter{w, &s3Bytes}, r)
	}))
	defer proxy.Close()
	st := storage.New(storage.Options{S3Endpoint: proxy.URL})
	fromS3 := serveLocal(t, Config{Paths: []string{"s3://bkt/w/iana.wacz"}, PollInterval: -1, Store: st, SearchMaxPages: -1})
	for _, pg := range remotePages {
		for name, got := range map[string]map[string]string{"local": local, "https": overHTTP, "s3": fromS3} {
			if got[pg] != want[pg] {
				t.Errorf("%s WACZ %s: %d bytes, from the WARC %d", name, pg, len(got[pg]), len(want[pg]))
			}
		}
	}
	t.Logf("package %d bytes, index part %d: https fetched %d bytes, s3 %d bytes in %d requests", len(pkg), partSize, sent.Load(), s3Bytes.Load(), s3Reqs.Load())
	for name, n := range map[string]int64{"https": sent.Load(), "s3": s3Bytes.Load()} {
		if n >= int64(partSize) {
			t.Errorf("%s: %d bytes fetched; the index part alone is %d: it was read whole", name, n, partSize)
		}
	}
	if sent.Load() != s3Bytes.Load() {
		t.Errorf("https fetched %d bytes, s3 %d: the same reads should fetch the same blocks", sent.Load(), s3Bytes.Load())
	}
}

// An index row whose length runs past the end of a remote package (a
// foreign index's mistake) is read as a local archive's is: the record is
// served, read unbounded, and the package stays in the file cache. A row
// that starts past the end fails with an error saying so, and the package
// stays too. Before, the prefetch of the row's length failed (ErrShort)
// before any read: the first request failed, and both dropped the
// package, so every request for such a row opened it again.
func TestRemoteRowPastEndServedAndKept(t *testing.T) {
	body := "the record whose index row is too long"
	rec := func(u string) string {
		return warcRecord(u, "2021-05-05T00:00:00Z",
			fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s", len(body), body))
	}
	src := filepath.Join(t.TempDir(), "long.warc")
	if err := os.WriteFile(src, []byte(rec("http://long.test/")+rec("http://beyond.test/")), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	zipnumWACZEdited(t, dir, "long.wacz", src, 1, func(l *cdxj.Line) {
		l.Length = 10 << 20
		if l.URL == "http://beyond.test/" {
			l.Offset = 100 << 20
		}
	})
	hs := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer hs.Close()
	st := storage.New(storage.Options{})
	defer st.Close()
	var logs syncBuffer
	s, err := New(context.Background(), Config{Paths: []string{hs.URL + "/long.wacz"}, Name: "c", PollInterval: -1,
		SearchMaxPages: -1, Store: st, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := 0; i < 2; i++ {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/c/20210505000000id_/http://long.test/", nil))
		if w.Code != 200 || w.Body.String() != body {
			t.Errorf("request %d: %d %.200q, want 200 %q", i+1, w.Code, w.Body.String(), body)
		}
		w = httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/c/20210505000000id_/http://beyond.test/", nil))
		if w.Code == 200 {
			t.Errorf("request %d: a record past the end of the package was served", i+1)
		}
		if k := s.files.len(); k != 1 {
			t.Errorf("after request %d: %d files kept, want the package", i+1, k)
		}
	}
	if !strings.Contains(logs.String(), "object ends before") {
		t.Errorf("the row past the end is not said to be past the end:\n%s", logs.String())
	}
}
