package replay

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/base32"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/index"
	"github.com/warcbox/warcbox/internal/tests3"
	"github.com/warcbox/warcbox/storage"
	"github.com/warcbox/warcbox/wacz"
)

// zipnumWACZ packages the WARC src as dir/name whose own index is a ZipNum
// index of blockLines-line blocks (stored), so that replay searches it in
// place rather than reading it into memory.
func zipnumWACZ(t testing.TB, dir, name, src string, blockLines int) string {
	t.Helper()
	return zipnumWACZEdited(t, dir, name, src, blockLines, nil)
}

// zipnumWACZEdited is zipnumWACZ with each index line changed by edit
// (if not nil) before it is written: an index that disagrees with its
// WARC.
func zipnumWACZEdited(t testing.TB, dir, name, src string, blockLines int, edit func(*cdxj.Line)) string {
	t.Helper()
	var buf bytes.Buffer
	sw := cdxj.NewSortedWriter(&buf, cdxj.SortOptions{})
	if _, err := index.BuildFile(context.Background(), src, index.Options{Filename: filepath.Base(src)}, func(l *cdxj.Line) error {
		if edit != nil {
			edit(l)
		}
		return sw.AddBytes(l.AppendTo(nil))
	}); err != nil {
		t.Fatal(err)
	}
	if err := sw.Close(); err != nil {
		t.Fatal(err)
	}
	var idx, part bytes.Buffer
	zw := cdxj.NewZipNumWriter(&part, &idx, "index.cdx.gz")
	zw.BlockLines = blockLines
	for _, l := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
		if err := zw.WriteLine([]byte(l)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	plain := filepath.Join(t.TempDir(), "plain.wacz")
	if err := wacz.WriteFile(context.Background(), plain, wacz.Options{WARCs: []string{src}, Software: "warcbox test"}); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(plain)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var out bytes.Buffer
	w := zip.NewWriter(&out)
	for _, e := range zr.File {
		if !strings.HasPrefix(e.Name, "indexes/") {
			if err := w.Copy(e); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, m := range []struct {
		name string
		data []byte
	}{{"indexes/index.cdx.gz", part.Bytes()}, {"indexes/index.idx", idx.Bytes()}} {
		mw, err := w.CreateHeader(&zip.FileHeader{Name: m.name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		mw.Write(m.data)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// inPlaceLogged reports whether replay said it searches a package's own
// index in place.
func inPlaceLogged(logs string) bool {
	return strings.Contains(logs, "searched in place")
}

// A WACZ whose own index is searched in place (ZipNum, read block by
// block) is in full-text search, whether it is there when the build
// starts (listed, streamed) or appears later (its pages come from its
// index through the Indexed hook): locally, over HTTP and from S3
// (versitygw). Before, the first listing read every index whole into
// memory, and a package indexed later never reached search.
func TestSearchWACZInPlace(t *testing.T) {
	dir := t.TempDir()
	p := zipnumWACZ(t, dir, "iana.wacz", filepath.Join(sampleDir(t), "iana.warc.gz"), 20)
	hs := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer hs.Close()
	srv := tests3.Start(t)
	srv.Bucket(t, "bkt")
	srv.PutFile(t, "bkt", "w/iana.wacz", p)
	for _, tc := range []struct {
		name string
		path string
		st   *storage.Store
	}{
		{"local", p, nil},
		{"https", hs.URL + "/iana.wacz", storage.New(storage.Options{})},
		{"s3", "s3://bkt/w/iana.wacz", storage.New(storage.Options{S3Endpoint: srv.Endpoint})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "s3" {
				srv.SetEnv(t)
			}
			var logs syncBuffer
			s, err := New(context.Background(), Config{Paths: []string{tc.path}, PollInterval: -1, Store: tc.st, SearchCache: t.TempDir(),
				Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if !inPlaceLogged(logs.String()) {
				t.Fatalf("the package's index is not searched in place:\n%.2000s", logs.String())
			}
			searchReady(t, s, "web")
			ans := apiSearch(t, s, "web", "renowned")
			if len(ans.Hits) != 1 || ans.Hits[0].URL != "http://www.iana.org/about" || ans.Index.State != "ready" {
				t.Errorf("%+v %+v", ans.Index, ans.Hits)
			}
		})
	}

	// A package that appears after the build's first pass.
	coll := t.TempDir()
	page := "<html><head><title>First</title></head><body><p>A pangolin.</p></body></html>"
	if err := os.WriteFile(filepath.Join(coll, "first.warc"), []byte(warcRecord("http://late.test/", "2024-01-01T00:00:00Z", httpResp("text/html", "", page))), 0o644); err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	s, err := New(context.Background(), Config{Paths: []string{coll}, PollInterval: -1, SearchCache: t.TempDir(),
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	searchReady(t, s, "web")
	if ans := apiSearch(t, s, "web", "pangolin"); len(ans.Hits) != 1 {
		t.Fatalf("first file: %+v", ans.Hits)
	}
	zipnumWACZ(t, coll, "iana.wacz", filepath.Join(sampleDir(t), "iana.warc.gz"), 20)
	again := make(chan struct{})
	var once sync.Once
	s.searchDone = func(string) { once.Do(func() { close(again) }) }
	if err := s.collection("web").Rescan(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {
	case <-again:
	case <-time.After(time.Minute):
		t.Fatal("no search pass after the rescan")
	}
	if !inPlaceLogged(logs.String()) {
		t.Fatalf("the package's index is not searched in place:\n%.2000s", logs.String())
	}
	ans := apiSearch(t, s, "web", "renowned")
	if len(ans.Hits) != 1 || ans.Hits[0].URL != "http://www.iana.org/about" {
		t.Errorf("package indexed later: %+v %+v", ans.Index, ans.Hits)
	}
	if !strings.Contains(logs.String(), "listed=false") {
		t.Errorf("the later pass listed the whole collection instead of the package's pages:\n%s", logs.String())
	}
}

// sha1B32 is a payload digest as WARC-Payload-Digest writes it.
func sha1B32(b string) string {
	h := sha1.Sum([]byte(b))
	return "sha1:" + base32.StdEncoding.EncodeToString(h[:])
}

// A revisit that names no original (no WARC-Refers-To-Target-URI, and no
// capture of its own URL) is resolved by its payload digest, also when
// the package's index is searched in place and not held in memory: the
// digest is found by a scan of the package's index (locally and over
// HTTP). Before, only captures held in memory were looked up by digest,
// and such a revisit was not served.
func TestRevisitByDigestInPlace(t *testing.T) {
	body := "<html><body>the original body, served for the revisit</body></html>"
	resp := "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + fmt.Sprintf("Content-Length: %d\r\n\r\n", len(body)) + body
	digest := sha1B32(body)
	orig := fmt.Sprintf("WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000001>\r\nWARC-Date: 2024-01-01T00:00:00Z\r\nWARC-Target-URI: http://a.test/original\r\nWARC-Payload-Digest: %s\r\nContent-Type: application/http;msgtype=response\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n",
		digest, len(resp), resp)
	revHTTP := "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
	rev := fmt.Sprintf("WARC/1.0\r\nWARC-Type: revisit\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000002>\r\nWARC-Date: 2024-02-01T00:00:00Z\r\nWARC-Target-URI: http://b.test/elsewhere\r\nWARC-Profile: http://netpreserve.org/warc/1.0/revisit/identical-payload-digest\r\nWARC-Payload-Digest: %s\r\nContent-Type: application/http;msgtype=response\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n",
		digest, len(revHTTP), revHTTP)
	src := filepath.Join(t.TempDir(), "rev.warc")
	if err := os.WriteFile(src, []byte(orig+rev), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	p := zipnumWACZ(t, dir, "rev.wacz", src, 1)
	hs := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer hs.Close()
	for name, path := range map[string]string{"local": p, "https": hs.URL + "/rev.wacz"} {
		var logs syncBuffer
		s, err := New(context.Background(), Config{Paths: []string{path}, PollInterval: -1, Store: storage.New(storage.Options{}),
			Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
		if err != nil {
			t.Fatal(err)
		}
		if !inPlaceLogged(logs.String()) {
			t.Fatalf("%s: the package's index is not searched in place:\n%.2000s", name, logs.String())
		}
		for i := 0; i < 2; i++ { // the second answer is remembered
			w := httptest.NewRecorder()
			s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/web/20240201000000id_/http://b.test/elsewhere", nil))
			if w.Code != 200 || w.Body.String() != body {
				t.Errorf("%s: revisit #%d: %d %.300s", name, i, w.Code, w.Body.String())
			}
		}
		s.Close()
	}
}
