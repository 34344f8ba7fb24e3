package replay

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/warcbox/warcbox/index"
	"github.com/warcbox/warcbox/internal/testbrowser"
	"github.com/warcbox/warcbox/internal/tests3"
	"github.com/warcbox/warcbox/search"
	"github.com/warcbox/warcbox/storage"
	"github.com/warcbox/warcbox/wacz"
)

// searchReady starts collection coll's search build and waits for its
// first pass to end.
func searchReady(t testing.TB, s *Server, coll string) {
	t.Helper()
	done := make(chan struct{})
	var once sync.Once
	s.searchDone = func(c string) {
		if c == coll {
			once.Do(func() { close(done) })
		}
	}
	c := s.collection(coll)
	if c == nil {
		t.Fatalf("no collection %q", coll)
	}
	s.startSearch(c)
	select {
	case <-done:
	case <-time.After(2 * time.Minute):
		t.Fatalf("collection %s: search build did not finish", coll)
	}
}

// apiSearch asks the search API of s.
func apiSearch(t testing.TB, s *Server, coll, q string) searchAnswer {
	t.Helper()
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/_/api/search?coll="+coll+"&q="+url.QueryEscape(q), nil))
	if w.Code != 200 {
		t.Fatalf("search %q: %d %s", q, w.Code, w.Body.String())
	}
	var ans searchAnswer
	if err := json.Unmarshal(w.Body.Bytes(), &ans); err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	return ans
}

func serveCode(s *Server, path string) int {
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
	return w.Code
}

// Building the search index never holds replay up: pages are served while
// the build is stopped inside a file, the API says how far it is, and the
// pages are found once it ends.
func TestSearchBuildsInBackground(t *testing.T) {
	dir := t.TempDir()
	words := []string{"zebrafinch", "marmoset", "quokka"}
	for i, w := range words {
		page := fmt.Sprintf("<html><head><title>Page %d</title></head><body><p>A %s lives here.</p></body></html>", i, w)
		rec := warcRecord(fmt.Sprintf("http://bg.test/%d", i), "2024-01-01T00:00:00Z", httpResp("text/html", "", page))
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%d.warc", i)), []byte(rec), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var logs syncBuffer
	s, err := New(context.Background(), Config{Paths: []string{dir}, PollInterval: -1, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	entered, release, done := make(chan string, 1), make(chan struct{}), make(chan struct{})
	var first sync.Once
	s.searchHook = func(coll, file string) {
		first.Do(func() {
			entered <- file
			<-release
		})
	}
	s.searchDone = func(string) { close(done) }
	// The first page starts the build and is answered at once.
	if code := serveCode(s, "/web/20240101000000/http://bg.test/0"); code != 200 {
		t.Fatalf("first page: %d", code)
	}
	<-entered // the builder is now stopped inside a file
	if code := serveCode(s, "/web/20240101000000/http://bg.test/1"); code != 200 {
		t.Fatalf("a page while search is building: %d", code)
	}
	ans := apiSearch(t, s, "web", "zebrafinch")
	if ans.Index.State != "building" || ans.Index.Files != 3 || ans.Index.FilesDone != 0 || len(ans.Hits) != 0 {
		t.Errorf("while building: %+v, %d hits", ans.Index, len(ans.Hits))
	}
	if w := httptest.NewRecorder(); true {
		s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/web/?q=zebrafinch", nil))
		if !strings.Contains(w.Body.String(), "The search index is being built (0 of 3 files read") {
			t.Errorf("collection page while building: %d %.2000s", w.Code, w.Body.String())
		}
	}
	close(release)
	<-done
	for i, w := range words {
		ans := apiSearch(t, s, "web", w)
		if len(ans.Hits) != 1 || ans.Hits[0].URL != fmt.Sprintf("http://bg.test/%d", i) {
			t.Errorf("%s: %+v", w, ans.Hits)
		}
		if ans.Index.State != "ready" || ans.Index.Pages != 3 || ans.Index.FilesDone != 3 {
			t.Errorf("after the build: %+v", ans.Index)
		}
	}
	// A file that appears later is added by the next pass, which reads it
	// alone.
	page := "<html><head><title>Late</title></head><body><p>An axolotl arrived.</p></body></html>"
	if err := os.WriteFile(filepath.Join(dir, "late.warc"), []byte(warcRecord("http://bg.test/late", "2024-01-02T00:00:00Z", httpResp("text/html", "", page))), 0o644); err != nil {
		t.Fatal(err)
	}
	var reads atomic.Int64
	again := make(chan struct{})
	s.searchHook = func(string, string) { reads.Add(1) }
	s.searchDone = func(string) { close(again) }
	if err := s.collection("web").Rescan(context.Background()); err != nil {
		t.Fatal(err)
	}
	<-again
	ans = apiSearch(t, s, "web", "axolotl")
	if len(ans.Hits) != 1 || ans.Hits[0].URL != "http://bg.test/late" || reads.Load() != 1 || ans.Index.Pages != 4 || ans.Index.State != "ready" {
		t.Errorf("a file indexed later: %d files read, %+v, %+v", reads.Load(), ans.Index, ans.Hits)
	}
	if ans := apiSearch(t, s, "web", "zebrafinch"); len(ans.Hits) != 1 {
		t.Errorf("earlier pages lost: %+v", ans.Hits)
	}
	// the second pass took the new file's pages from the hook instead of
	// listing the whole collection again
	if l := logs.String(); strings.Count(l, "full-text search ready") != 2 || !strings.Contains(l, "listed=true") || !strings.Contains(l, "files=1 pages=4 left_out=0 listed=false") {
		t.Errorf("passes logged:\n%s", l)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// buildCount counts the files a server's search builder reads.
func buildCount(s *Server) *atomic.Int64 {
	var n atomic.Int64
	s.searchHook = func(string, string) { n.Add(1) }
	return &n
}

// A pywb collection whose index was written by another tool, with no
// warcbox search index: warcio.js's cdx-index CDXJ (index/testdata/warciojs)
// and the same captures as classic 11-field CDX (as pywb's cdx-indexer and
// OutbackCDX write it). Search reads the pages the index lists, keeps its
// index in the collection's indexes folder, and the next start reads
// nothing again.
func TestSearchCollectionIndexedByAnotherTool(t *testing.T) {
	golden := filepath.Join("..", "index", "testdata", "warciojs", "pywb__sample_archive__warcs__iana.warc.gz.cdxj")
	for _, shape := range []string{"index.cdxj", "index.cdx"} {
		t.Run(shape, func(t *testing.T) {
			root := t.TempDir()
			coll := filepath.Join(root, "collections", "pw")
			for _, d := range []string{"archive", "indexes"} {
				if err := os.MkdirAll(filepath.Join(coll, d), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			copyFile(t, filepath.Join(sampleDir(t), "iana.warc.gz"), filepath.Join(coll, "archive", "iana.warc.gz"))
			idx := filepath.Join(coll, "indexes", shape)
			if shape == "index.cdxj" {
				copyFile(t, golden, idx)
			} else {
				writeCDX11(t, golden, idx)
			}
			later := time.Now().Add(time.Minute)
			if err := os.Chtimes(idx, later, later); err != nil {
				t.Fatal(err)
			}
			open := func() (*Server, *atomic.Int64) {
				s, err := New(context.Background(), Config{Paths: []string{root}, PollInterval: -1})
				if err != nil {
					t.Fatal(err)
				}
				if n := s.collection("pw").Len(); n != 0 {
					t.Fatalf("warcbox indexed %d captures itself: the test needs the other tool's index alone", n)
				}
				reads := buildCount(s)
				searchReady(t, s, "pw")
				return s, reads
			}
			s, reads := open()
			ans := apiSearch(t, s, "pw", "renowned")
			if len(ans.Hits) != 1 || ans.Hits[0].URL != "http://www.iana.org/about" || ans.Hits[0].Replay != "/pw/20140126200706/http://www.iana.org/about" {
				t.Errorf("hits: %+v", ans.Hits)
			}
			if ans.Index.State != "ready" || ans.Index.Files != 1 || ans.Index.Pages < 10 || reads.Load() != 1 {
				t.Errorf("status %+v, %d files read", ans.Index, reads.Load())
			}
			if _, err := os.Stat(filepath.Join(coll, "indexes", searchIndexName)); err != nil {
				t.Errorf("search index not kept beside the collection's indexes: %v", err)
			}
			s.Close()
			s, reads = open()
			defer s.Close()
			if ans := apiSearch(t, s, "pw", "renowned"); len(ans.Hits) != 1 || reads.Load() != 0 {
				t.Errorf("second start: %d hits, %d files read again", len(ans.Hits), reads.Load())
			}
		})
	}
}

// writeCDX11 writes the captures of a CDXJ file as classic CDX: the header
// line, then "urlkey timestamp original mimetype statuscode digest
// redirect meta length offset filename".
func writeCDX11(t testing.TB, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	out := []string{" CDX N b a m s k r M S V g"}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		key, rest, _ := strings.Cut(line, " ")
		ts, js, _ := strings.Cut(rest, " ")
		var f map[string]string
		if err := json.Unmarshal([]byte(js), &f); err != nil {
			t.Fatal(err)
		}
		dash := func(v string) string {
			if v == "" {
				return "-"
			}
			return v
		}
		out = append(out, strings.Join([]string{key, ts, f["url"], dash(f["mime"]), dash(f["status"]), dash(f["digest"]), "-", "-",
			f["length"], f["offset"], f["filename"]}, " "))
	}
	if err := os.WriteFile(to, []byte(strings.Join(out, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func copyFile(t testing.TB, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Search covers a WACZ package over HTTP, reading its HTML pages by Range
// (not the whole package), and keeps the index in the cache folder, where
// the next run with the same arguments finds it.
func TestSearchRemoteWACZ(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "iana.wacz")
	if err := wacz.WriteFile(context.Background(), p, wacz.Options{WARCs: []string{filepath.Join(sampleDir(t), "iana.warc.gz")}, Software: "warcbox test"}); err != nil {
		t.Fatal(err)
	}
	var bytesOut atomic.Int64
	fs := http.FileServer(http.Dir(dir))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.ServeHTTP(&countingWriter{w, &bytesOut}, r)
	}))
	defer srv.Close()
	cache := t.TempDir()
	for run := 0; run < 2; run++ {
		st := storage.New(storage.Options{})
		s, err := New(context.Background(), Config{Paths: []string{srv.URL + "/iana.wacz"}, PollInterval: -1, Store: st, SearchCache: cache})
		if err != nil {
			t.Fatal(err)
		}
		opened := bytesOut.Load()
		reads := buildCount(s)
		searchReady(t, s, "web")
		ans := apiSearch(t, s, "web", "renowned")
		if len(ans.Hits) != 1 || ans.Hits[0].URL != "http://www.iana.org/about" || ans.Index.State != "ready" {
			t.Errorf("run %d: %+v %+v", run, ans.Index, ans.Hits)
		}
		fetched := bytesOut.Load() - opened
		size, _ := os.Stat(p)
		t.Logf("run %d: %d files read, %d of %d bytes fetched for search", run, reads.Load(), fetched, size.Size())
		if run == 0 && (reads.Load() != 1 || fetched >= size.Size()) {
			t.Errorf("first run: %d files read, %d bytes fetched of a %d-byte package", reads.Load(), fetched, size.Size())
		}
		if run == 1 && reads.Load() != 0 {
			t.Errorf("second run read %d files again instead of using the cache", reads.Load())
		}
		s.Close()
		st.Close()
	}
	if found, _ := filepath.Glob(filepath.Join(cache, "web-*.search.sqlite")); len(found) != 1 {
		t.Errorf("cache folder holds %v", found)
	}
}

// A pywb collection in a bucket (versitygw), its index written by another
// tool, and a WACZ beside it: search covers both.
func TestSearchS3Collection(t *testing.T) {
	srv := tests3.Start(t)
	srv.Bucket(t, "bkt")
	srv.PutFile(t, "bkt", "coll/archive/iana.warc.gz", filepath.Join(sampleDir(t), "iana.warc.gz"))
	srv.PutFile(t, "bkt", "coll/indexes/index.cdxj", filepath.Join("..", "index", "testdata", "warciojs", "pywb__sample_archive__warcs__iana.warc.gz.cdxj"))
	w := filepath.Join(t.TempDir(), "example.wacz")
	if err := wacz.WriteFile(context.Background(), w, wacz.Options{WARCs: []string{filepath.Join(sampleDir(t), "example.warc.gz")}, Software: "warcbox test"}); err != nil {
		t.Fatal(err)
	}
	srv.PutFile(t, "bkt", "coll/archive/example.wacz", w)
	srv.SetEnv(t)
	s, err := New(context.Background(), Config{Paths: []string{"s3://bkt/coll/"}, PollInterval: -1, SearchCache: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	searchReady(t, s, "coll")
	for q, want := range map[string]string{"renowned": "http://www.iana.org/about", "illustrative": "http://example.com?example=1"} {
		ans := apiSearch(t, s, "coll", q)
		if len(ans.Hits) == 0 || ans.Hits[0].URL != want || ans.Index.State != "ready" {
			t.Errorf("%s: %+v %+v", q, ans.Index, ans.Hits)
		}
	}
}

// Past SearchMaxPages the index holds what it has and says it is partial.
func TestSearchBounded(t *testing.T) {
	s, err := New(context.Background(), Config{Paths: []string{filepath.Join(sampleDir(t), "iana.warc.gz")}, PollInterval: -1, SearchMaxPages: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	searchReady(t, s, "web")
	ans := apiSearch(t, s, "web", "iana")
	if ans.Index.State != "partial" || ans.Index.Pages != 3 || ans.Index.PagesLeftOut == 0 || !strings.Contains(ans.Index.Reason, "3 pages") || len(ans.Hits) == 0 {
		t.Errorf("bounded: %+v, %d hits", ans.Index, len(ans.Hits))
	}
}

// In Chromium: the framed page loads while the search build is held inside
// a file, a search then says the index is being built, and once the build
// ends the same search finds the page by a word of its body.
func TestBrowserSearchWhileBuilding(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	s, err := New(ctx, Config{Paths: []string{framedArchive(t)}, PollInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	entered, release, done := make(chan struct{}), make(chan struct{}), make(chan struct{})
	var first sync.Once
	s.searchHook = func(string, string) {
		first.Do(func() {
			close(entered)
			<-release
		})
	}
	s.searchDone = func(string) { close(done) }
	defer func() {
		select {
		case <-release:
		default:
			close(release)
		}
	}()
	ui := serveSplit(t, s)
	bctx := testbrowser.Context(t, 90*time.Second)
	str := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(bctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	poll := func(what, js string) {
		t.Helper()
		if _, err := chromedp.Run(bctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
			t.Fatalf("%s: %v (results %q)", what, err, str(`(document.getElementById("wb-results")||{}).textContent||""`))
		}
	}
	if err := chromedp.Do(bctx, chromedp.Navigate(ui+"/web/20210601000000/http://site.test/"), chromedp.WaitReady("#wb-frame")); err != nil {
		t.Fatal(err)
	}
	<-entered
	poll("the framed page while search builds", `document.getElementById("wb-when").textContent === "2021-06-01 00:00:00 UTC"`)
	search := `document.getElementById("wb-q").value = "Quetzalcoatl"; document.getElementById("wb-results").textContent = ""; document.querySelector("#wb-search button").click(); ""`
	str(search)
	poll("building note", `/being built \(0 of \d+ files read/.test(document.getElementById("wb-results").textContent)`)
	close(release)
	<-done
	str(search)
	poll("hit after the build", `document.querySelectorAll("#wb-results li a").length > 0`)
	if r := str(`document.getElementById("wb-results").textContent`); !strings.Contains(r, "Other page") || strings.Contains(r, "being built") {
		t.Errorf("results after the build: %q", r)
	}
}

// A pywb collection whose indexes/ holds the parts `warcbox index -o DIR/`
// writes (a CDXJ and a search index per WARC): replay searches every part
// together and reads no record for search.
func TestSearchIndexParts(t *testing.T) {
	root := t.TempDir()
	coll := filepath.Join(root, "collections", "parts")
	for _, d := range []string{"archive", "indexes"} {
		if err := os.MkdirAll(filepath.Join(coll, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	for _, stem := range []string{"iana", "example"} {
		w := filepath.Join(coll, "archive", stem+".warc.gz")
		copyFile(t, filepath.Join(sampleDir(t), stem+".warc.gz"), w)
		copyFile(t, filepath.Join("..", "index", "testdata", "warciojs", "pywb__sample_archive__warcs__"+stem+".warc.gz.cdxj"),
			filepath.Join(coll, "indexes", stem+".cdxj"))
		caps, err := index.ReadCaptures(ctx, w, index.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var pages []search.Page
		for i := range caps {
			if p, ok := search.PageOf(&caps[i].Line); ok {
				pages = append(pages, p)
			}
		}
		ix, err := search.Open(ctx, filepath.Join(coll, "indexes", stem+".search.sqlite"), search.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if n, _, err := ix.AddWARC(ctx, w, stem+".warc.gz", pages); err != nil || n == 0 {
			t.Fatalf("%s: %d pages, %v", stem, n, err)
		}
		ix.Close()
	}
	s, err := New(ctx, Config{Paths: []string{root}, PollInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	reads := buildCount(s)
	searchReady(t, s, "parts")
	for q, want := range map[string]string{"renowned": "http://www.iana.org/about", "illustrative": "http://example.com?example=1"} {
		ans := apiSearch(t, s, "parts", q)
		found := false
		for _, h := range ans.Hits {
			found = found || h.URL == want
		}
		if !found || ans.Index.State != "ready" || ans.Index.Files != 2 || ans.Index.FilesDone != 2 {
			t.Errorf("%s: %+v %+v", q, ans.Index, ans.Hits)
		}
	}
	if n := reads.Load(); n != 0 {
		t.Errorf("%d files read for search although the parts hold them", n)
	}
}
