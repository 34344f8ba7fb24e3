package replay

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/warcbox/warcbox/internal/testcorpus"
)

func sampleDir(t testing.TB) string {
	return filepath.Join(testcorpus.Dir(t), "pywb", "sample_archive", "warcs")
}

// newSampleServer serves pywb's sample archive files as collection "web".
func newSampleServer(t testing.TB, extra ...string) *httptest.Server {
	d := sampleDir(t)
	paths := []string{}
	for _, f := range []string{"iana.warc.gz", "dupes.warc.gz", "post-test.warc.gz",
		"example-url-agnostic-orig.warc.gz", "example-url-agnostic-revisit.warc.gz"} {
		paths = append(paths, filepath.Join(d, f))
	}
	paths = append(paths, extra...)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	s, err := New(ctx, Config{Paths: paths, PollInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return ts
}

var noRedirect = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Timeout:       20 * time.Second,
}

func get(t testing.TB, url string, hdr ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return do(t, req)
}

func do(t testing.TB, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func TestTimeGateAndMemento(t *testing.T) {
	srv := newSampleServer(t)
	// no timestamp: latest
	resp, _ := get(t, srv.URL+"/web/http://www.iana.org/")
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Vary") != "accept-datetime" {
		t.Fatalf("timegate: %d vary=%q", resp.StatusCode, resp.Header.Get("Vary"))
	}
	if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/web/20140127171238/") {
		t.Errorf("latest redirect to %q", loc)
	}
	// partial timestamp: the latest capture up to the end of that period
	resp, _ = get(t, srv.URL+"/web/201401262007/http://www.iana.org/_css/2013.1/screen.css")
	if loc := resp.Header.Get("Location"); loc != "/web/20140126200737/http://www.iana.org/_css/2013.1/screen.css" {
		t.Errorf("partial timestamp redirect to %q", loc)
	}
	// Accept-Datetime
	resp, _ = get(t, srv.URL+"/web/http://www.iana.org/", "Accept-Datetime", "Sun, 26 Jan 2014 20:06:30 GMT")
	if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/web/20140126200624/") {
		t.Errorf("Accept-Datetime redirect to %q", loc)
	}
	resp, _ = get(t, srv.URL+"/web/http://www.iana.org/", "Accept-Datetime", "yesterday")
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("bad Accept-Datetime: %d", resp.StatusCode)
	}
	// the memento itself
	resp, body := get(t, srv.URL+"/web/20140126200624/http://www.iana.org/")
	if resp.StatusCode != 200 {
		t.Fatalf("memento: %d", resp.StatusCode)
	}
	if got := resp.Header.Get("Memento-Datetime"); got != "Sun, 26 Jan 2014 20:06:24 GMT" {
		t.Errorf("Memento-Datetime = %q", got)
	}
	link := resp.Header.Get("Link")
	for _, want := range []string{`<http://www.iana.org/>; rel="original"`, `rel="timegate"`, `rel="timemap"`, `rel="first memento"`, `rel="last memento"`, `rel="next memento"`} {
		if !strings.Contains(link, want) {
			t.Errorf("Link lacks %s: %s", want, link)
		}
	}
	if resp.Header.Get("Content-Security-Policy") != pageCSP {
		t.Errorf("memento without the replay pageCSP")
	}
	for _, want := range []string{`src="/_/static/client.js"`, `"next":"20140127171238"`, `href="/web/20140126200624cs_/http://www.iana.org/_css/2013.1/screen.css"`,
		`<a href="/web/20140126200624/http://www.iana.org/domains">`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if i := strings.Index(body, `="http://www.iana.org/`); i >= 0 || strings.Contains(body, `href="/domains`) {
		t.Errorf("page still has a live URL: %.200s", body[max(0, i-100):])
	}
}

func TestModifiersRangeHead(t *testing.T) {
	srv := newSampleServer(t)
	css := "/web/20140126200625id_/http://www.iana.org/_css/2013.1/screen.css"
	resp, full := get(t, srv.URL+css)
	if resp.StatusCode != 200 || len(full) != 47559 || resp.Header.Get("Content-Type") != "text/css" {
		t.Fatalf("id_: %d, %d bytes, %s", resp.StatusCode, len(full), resp.Header.Get("Content-Type"))
	}
	resp, part := get(t, srv.URL+css, "Range", "bytes=100-199")
	if resp.StatusCode != http.StatusPartialContent || part != full[100:200] || resp.Header.Get("Content-Range") != "bytes 100-199/47559" {
		t.Errorf("range: %d %q", resp.StatusCode, resp.Header.Get("Content-Range"))
	}
	req, _ := http.NewRequest(http.MethodHead, srv.URL+css, nil)
	resp, body := do(t, req)
	if resp.StatusCode != 200 || body != "" || resp.Header.Get("Content-Length") != "47559" {
		t.Errorf("HEAD: %d len=%q body=%d", resp.StatusCode, resp.Header.Get("Content-Length"), len(body))
	}
	// cs_ rewrites url() in the same sheet
	_, rw := get(t, srv.URL+"/web/20140126200625cs_/http://www.iana.org/_css/2013.1/screen.css")
	if !strings.Contains(rw, "url(/web/20140126200625im_/http://www.iana.org/") && !strings.Contains(rw, `url("/web/20140126200625im_/http://www.iana.org/`) && !strings.Contains(rw, `url('/web/20140126200625im_/http://www.iana.org/`) {
		t.Errorf("cs_ did not rewrite url(): %.300s", rw)
	}
	// mp_: no banner config mod, still rewritten
	_, mp := get(t, srv.URL+"/web/20140126200624mp_/http://www.iana.org/")
	if !strings.Contains(mp, `"mod":"mp_"`) || !strings.Contains(mp, `href="/web/20140126200624mp_/http://www.iana.org/domains"`) {
		t.Errorf("mp_ links do not keep mp_")
	}
}

func TestRevisits(t *testing.T) {
	srv := newSampleServer(t)
	// same-URL revisit in dupes.warc.gz, original in iana.warc.gz
	resp, body := get(t, srv.URL+"/web/20140127171239id_/http://www.iana.org/_css/2013.1/screen.css")
	if resp.StatusCode != 200 || len(body) != 47559 {
		t.Errorf("revisit: %d, %d bytes", resp.StatusCode, len(body))
	}
	if resp.Header.Get("Memento-Datetime") != "Mon, 27 Jan 2014 17:12:39 GMT" {
		t.Errorf("revisit Memento-Datetime = %q", resp.Header.Get("Memento-Datetime"))
	}
	// url-agnostic revisit: WARC-Refers-To-Target-URI names another URL
	resp, body = get(t, srv.URL+"/web/20130729195151/http://test@example.com/")
	if resp.StatusCode != 200 || !strings.Contains(body, "Example Domain") {
		t.Errorf("url-agnostic revisit: %d %.200s", resp.StatusCode, body)
	}
}

func TestPostMatchedByBody(t *testing.T) {
	srv := newSampleServer(t)
	post := func(body string) string {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/web/20140610000859/http://httpbin.org/post", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, b := do(t, req)
		if resp.StatusCode != 200 {
			t.Fatalf("POST %s: %d", body, resp.StatusCode)
		}
		return b
	}
	if b := post("foo=bar&test=abc"); !strings.Contains(b, `"foo": "bar"`) {
		t.Errorf("first POST got the wrong capture: %.200s", b)
	}
	if b := post("A=1&B=[]&C=3"); !strings.Contains(b, `"C": "3"`) {
		t.Errorf("second POST got the wrong capture: %.300s", b)
	}
}

func TestErrorsAndSafety(t *testing.T) {
	srv := newSampleServer(t)
	for _, tc := range []struct {
		path string
		want int
	}{
		{"/web/2014/http://www.iana.org/not-archived", 404},
		{"/nosuch/2014/http://www.iana.org/", 404},
		{"/web/2014/javascript:alert(1)", 400},
		{"/web/2014/http://", 400},
		{"/../../../etc/passwd", 404},
		{"/web/2014/http://www.iana.org/%2e%2e/%2e%2e/etc/passwd", 404},
		{"/web/cdx", 400},
		{"/web/cdx?url=example.com&limit=x", 400},
		{"/web/cdx?url=example.com&filter=~status:(", 400},
		{"/web/timemap/xml/http://example.com/", 400},
		{"/_/static/../../go.mod", 400},
	} {
		resp, body := get(t, srv.URL+tc.path)
		if resp.StatusCode != tc.want {
			t.Errorf("%s: %d, want %d (%.100s)", tc.path, resp.StatusCode, tc.want, body)
		}
		if resp.Header.Get("Content-Security-Policy") != pageCSP {
			t.Errorf("%s: no pageCSP", tc.path)
		}
	}
	_, body := get(t, srv.URL+"/web/2014/http://www.iana.org/not-archived")
	if !strings.Contains(body, "Not in the archive") || !strings.Contains(body, "/web/2014") {
		t.Errorf("404 page is not helpful: %.300s", body)
	}
}

func TestCDXAPI(t *testing.T) {
	srv := newSampleServer(t)
	_, body := get(t, srv.URL+"/web/cdx?url=http://www.iana.org/_css/2013.1/screen.css&output=json&limit=2&fl=timestamp,mime")
	lines := strings.Split(strings.TrimSpace(body), "\n")
	if len(lines) != 2 || lines[0] != `{"timestamp": "20140126200625", "mime": "text/css"}` {
		t.Errorf("json+limit+fl: %q", lines)
	}
	_, body = get(t, srv.URL+"/web/cdx?url=http://www.iana.org/_css/2013.1/screen.css&sort=closest&closest=20140127170000&limit=1&fl=timestamp&output=text")
	if strings.TrimSpace(body) != "20140127171239" {
		t.Errorf("sort=closest: %q", body)
	}
	_, body = get(t, srv.URL+"/web/cdx?url=iana.org&matchType=domain&filter=mime:text/css&filter=!=status:302&fl=url")
	if !strings.Contains(body, "screen.css") || strings.Contains(body, ".js") {
		t.Errorf("domain+filter: %q", body)
	}
	_, body = get(t, srv.URL+"/web/cdx?url=http://www.iana.org/_css/*&fl=urlkey")
	for _, l := range strings.Split(strings.TrimSpace(body), "\n") {
		if !strings.HasPrefix(l, "org,iana)/_css/") {
			t.Errorf("prefix match returned %q", l)
		}
	}
	_, body = get(t, srv.URL+"/web/cdx?url=http://www.iana.org/&from=20140127")
	if !strings.HasPrefix(body, "org,iana)/ 20140127171238 {") || strings.Count(body, "\n") != 2 {
		t.Errorf("from + cdxj output: %q", body)
	}
}

func TestTimeMaps(t *testing.T) {
	srv := newSampleServer(t)
	resp, body := get(t, srv.URL+"/web/timemap/link/http://www.iana.org/_css/2013.1/screen.css")
	if resp.Header.Get("Content-Type") != "application/link-format" || strings.Count(body, "memento\"") != 17 ||
		!strings.Contains(body, `rel="first memento"; datetime="Sun, 26 Jan 2014 20:06:25 GMT"`) {
		t.Errorf("link timemap (%s): %s", resp.Header.Get("Content-Type"), body)
	}
	_, body = get(t, srv.URL+"/web/timemap/json/http://www.iana.org/_css/2013.1/screen.css")
	if n := strings.Count(body, "\n"); n != 17 {
		t.Errorf("json timemap: %d lines", n)
	}
}

func TestUI(t *testing.T) {
	srv := newSampleServer(t)
	for _, tc := range []struct{ path, want string }{
		{"/", `href="/web/"`},
		{"/web/", "Internet Assigned Numbers Authority"},
		{"/web/*/http://www.iana.org/_css/2013.1/screen.css", "January"},
		{"/web/*/http://www.iana.org/_css/*", "print.css"},
		{"/_/static/client.js", "WB_wombat_location"},
		{"/_/static/ui.css", "--accent"},
	} {
		resp, body := get(t, srv.URL+tc.path)
		if resp.StatusCode != 200 || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d, lacks %q", tc.path, resp.StatusCode, tc.want)
		}
	}
	resp, _ := get(t, srv.URL+"/_/search?coll=web&url=iana.org&match=prefix")
	if resp.StatusCode != 302 || resp.Header.Get("Location") != "/web/*/iana.org*" {
		t.Errorf("search: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// warcRecord builds one uncompressed WARC response record.
func warcRecord(uri, date, httpBlock string) string {
	return fmt.Sprintf("WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:%x>\r\nWARC-Date: %s\r\nWARC-Target-URI: %s\r\nContent-Type: application/http;msgtype=response\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n",
		len(uri)*1000+len(date)+len(httpBlock), date, uri, len(httpBlock), httpBlock)
}

func TestCraftedArchive(t *testing.T) {
	dir := t.TempDir()
	var b bytes.Buffer
	page := "<html><head><meta charset=\"iso-8859-1\"></head><body>caf\xe9 <img src=\"/i.png\"></body></html>"
	b.WriteString(warcRecord("http://site.test/", "2020-01-01T00:00:00Z",
		"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Security-Policy: default-src *\r\nStrict-Transport-Security: max-age=9\r\n"+
			"Set-Cookie: s=1; Domain=site.test; Path=/\r\nX-Frame-Options: DENY\r\nRefresh: 0; url=http://evil.test/\r\n"+
			fmt.Sprintf("Content-Length: %d\r\n\r\n", len(page))+page))
	// self-redirect: http → https of the same page, then the https capture
	b.WriteString(warcRecord("http://loop.test/", "2020-01-01T00:00:00Z", "HTTP/1.1 301 Moved\r\nLocation: https://loop.test/\r\nContent-Length: 0\r\n\r\n"))
	b.WriteString(warcRecord("https://loop.test/", "2020-01-01T00:00:05Z", "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"))
	b.WriteString(warcRecord("http://loop.test/redir-elsewhere", "2020-01-01T00:00:00Z", "HTTP/1.1 302 Found\r\nLocation: /target\r\nContent-Length: 0\r\n\r\n"))
	b.WriteString(warcRecord("http://site.test/data.json?_=1577836800000&id=7", "2020-01-01T00:00:01Z", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{\"id\": 7}"))
	b.WriteString(warcRecord("http://www.site.test/www-only", "2020-01-01T00:00:01Z", "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nwww"))
	if err := os.WriteFile(filepath.Join(dir, "crafted.warc"), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := New(ctx, Config{Paths: []string{dir}, Name: "c", PollInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv := httptest.NewServer(s)
	defer srv.Close()

	resp, body := get(t, srv.URL+"/c/20200101000000/http://site.test/")
	if resp.StatusCode != 200 {
		t.Fatalf("page: %d", resp.StatusCode)
	}
	h := resp.Header
	if h.Get("Content-Security-Policy") != pageCSP || h.Get("Strict-Transport-Security") != "" || h.Get("Refresh") != "0; url=/c/20200101000000/http://evil.test/" ||
		h.Get("X-Frame-Options") != "" || h.Get("X-Archive-Orig-X-Frame-Options") != "DENY" {
		t.Errorf("archived headers leaked into the response: %v", h)
	}
	if sc := h.Get("Set-Cookie"); sc != "s=1; Path=/c/" {
		t.Errorf("Set-Cookie = %q", sc)
	}
	if ct := h.Get("Content-Type"); ct != "text/html; charset=iso-8859-1" {
		t.Errorf("charset not carried into the header: %q", ct)
	}
	if !strings.Contains(body, "caf\xe9 <img src=\"/c/20200101000000im_/http://site.test/i.png\">") {
		t.Errorf("latin-1 bytes or img not as expected: %q", body)
	}
	// self-redirect skipped: asking for the http 301 serves the https 200
	resp, _ = get(t, srv.URL+"/c/20200101000000/http://loop.test/")
	if resp.StatusCode != 302 || resp.Header.Get("Location") != "/c/20200101000005/https://loop.test/" {
		t.Errorf("self-redirect: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body = get(t, srv.URL+"/c/20200101000005/https://loop.test/")
	if resp.StatusCode != 200 || body != "ok" {
		t.Errorf("https capture: %d %q", resp.StatusCode, body)
	}
	// a real redirect is replayed, rewritten into the archive
	resp, _ = get(t, srv.URL+"/c/20200101000000/http://loop.test/redir-elsewhere")
	if resp.StatusCode != 302 || resp.Header.Get("Location") != "/c/20200101000000/http://loop.test/target" {
		t.Errorf("redirect: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	// fuzzy: another cache-buster value and parameter order
	resp, body = get(t, srv.URL+"/c/20200101000001/http://site.test/data.json?id=7&_=1600000000000")
	if resp.StatusCode != 200 || body != `{"id": 7}` {
		t.Errorf("fuzzy match: %d %q", resp.StatusCode, body)
	}
	resp, _ = get(t, srv.URL+"/c/20200101000001/http://site.test/data.json?id=8")
	if resp.StatusCode != 404 {
		t.Errorf("fuzzy matched a different id: %d", resp.StatusCode)
	}
	// http/https and www. equivalence
	resp, body = get(t, srv.URL+"/c/20200101000001/https://site.test/www-only")
	if resp.StatusCode != 200 || body != "www" {
		t.Errorf("www/https equivalence: %d %q", resp.StatusCode, body)
	}
}

func TestNewFilesIndexed(t *testing.T) {
	dir := t.TempDir()
	coll := filepath.Join(dir, "collections", "mine")
	if err := os.MkdirAll(filepath.Join(coll, "archive"), 0o755); err != nil {
		t.Fatal(err)
	}
	rec := warcRecord("http://new.test/", "2021-05-05T00:00:00Z", "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nnew")
	if err := os.WriteFile(filepath.Join(coll, "archive", "a.warc"), []byte(rec), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := New(ctx, Config{Paths: []string{dir}, PollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	watched := make(chan error, 1)
	go func() { watched <- s.Watch(ctx) }()
	defer func() {
		cancel()
		if err := <-watched; err != nil {
			t.Errorf("Watch: %v", err)
		}
		s.Close()
	}()
	if got := s.Collections(); len(got) != 1 || got[0] != "mine" {
		t.Fatalf("collections = %v", got)
	}
	if _, err := os.Stat(filepath.Join(coll, "indexes", "a.warc.cdxj")); err != nil {
		t.Errorf("index not written at start-up: %v", err)
	}
	srv := httptest.NewServer(s)
	defer srv.Close()
	if resp, body := get(t, srv.URL+"/mine/20210505000000/http://new.test/"); resp.StatusCode != 200 || body != "new" {
		t.Fatalf("first file: %d %q", resp.StatusCode, body)
	}
	rec2 := warcRecord("http://later.test/", "2021-06-06T00:00:00Z", "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nlater")
	if err := os.WriteFile(filepath.Join(coll, "archive", "b.warc"), []byte(rec2), 0o644); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, body := get(t, srv.URL+"/mine/20210606000000/http://later.test/")
		if resp.StatusCode == 200 && body == "later" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("new file not indexed: %d", resp.StatusCode)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// a second server starts from the written indexes (no re-indexing needed)
	s2, err := New(ctx, Config{Paths: []string{filepath.Join(dir, "collections")}, PollInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	srv2 := httptest.NewServer(s2)
	defer srv2.Close()
	if resp, body := get(t, srv2.URL+"/mine/20210606000000/http://later.test/"); resp.StatusCode != 200 || body != "later" {
		t.Errorf("from written index: %d %q", resp.StatusCode, body)
	}
}

func TestWACZ(t *testing.T) {
	dir := t.TempDir()
	var warcBuf bytes.Buffer
	warcBuf.WriteString(warcRecord("http://wacz.test/", "2022-02-02T00:00:00Z", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 32\r\n\r\n<title>In a WACZ</title><p>hi</p>"))
	warcBuf.WriteString(warcRecord("http://wacz.test/a.txt", "2022-02-02T00:00:01Z", "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello"))
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	if w, err := zw.Create("datapackage.json"); err == nil {
		w.Write([]byte(`{"profile":"data-package"}`))
	}
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "archive/data.warc", Method: zip.Store})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(warcBuf.Bytes())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "site.wacz")
	if err := os.WriteFile(p, zbuf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := New(ctx, Config{Paths: []string{p}, PollInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv := httptest.NewServer(s)
	defer srv.Close()
	if resp, body := get(t, srv.URL+"/web/20220202000001/http://wacz.test/a.txt"); resp.StatusCode != 200 || body != "hello" {
		t.Errorf("WACZ capture: %d %q", resp.StatusCode, body)
	}
	if resp, body := get(t, srv.URL+"/web/"); resp.StatusCode != 200 || !strings.Contains(body, "In a WACZ") {
		t.Errorf("WACZ page title not listed: %d", resp.StatusCode)
	}
}

// TestCDXServer serves a collection whose index comes from another
// server's CDX API (here a second warcbox replay), with the WARC files local.
func TestCDXServer(t *testing.T) {
	indexSrv := newSampleServer(t)
	d := sampleDir(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := New(ctx, Config{Paths: []string{filepath.Join(d, "iana.warc.gz"), filepath.Join(d, "dupes.warc.gz")},
		CDXServer: indexSrv.URL + "/web/cdx", PollInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := s.collection("web").Len(); n != 0 {
		t.Errorf("files indexed locally (%d captures) although a CDX server has the index", n)
	}
	srv := httptest.NewServer(s)
	defer srv.Close()
	resp, body := get(t, srv.URL+"/web/20140127171239id_/http://www.iana.org/_css/2013.1/screen.css")
	if resp.StatusCode != 200 || len(body) != 47559 {
		t.Errorf("via CDX server: %d, %d bytes", resp.StatusCode, len(body))
	}
}

func TestPagesFromDiskIndex(t *testing.T) {
	dir := t.TempDir()
	coll := filepath.Join(dir, "c1")
	os.MkdirAll(filepath.Join(coll, "archive"), 0o755)
	page := "<html><head><title>Disk page</title></head></html>"
	rec := warcRecord("http://disk.test/", "2021-05-05T00:00:00Z", fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s", len(page), page))
	os.WriteFile(filepath.Join(coll, "archive", "a.warc"), []byte(rec), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// first start writes indexes/a.warc.cdxj; the second reads it from disk
	// (each closed, so the search build each starts in the background has
	// stopped writing into the folder before it is removed)
	first, err := New(ctx, Config{Paths: []string{dir}, PollInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	first.Close()
	s, err := New(ctx, Config{Paths: []string{dir}, PollInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := s.collection("c1").Len(); n != 0 {
		t.Fatalf("second start re-indexed the WARC (%d captures in memory)", n)
	}
	srv := httptest.NewServer(s)
	defer srv.Close()
	if resp, body := get(t, srv.URL+"/c1/"); resp.StatusCode != 200 || !strings.Contains(body, "Disk page") {
		t.Errorf("pages list from the on-disk index: %d", resp.StatusCode)
	}
}

func TestStaleIndexRebuilt(t *testing.T) {
	dir := t.TempDir()
	coll := filepath.Join(dir, "c")
	os.MkdirAll(filepath.Join(coll, "archive"), 0o755)
	warcPath := filepath.Join(coll, "archive", "a.warc")
	one := warcRecord("http://stale.test/1", "2021-01-01T00:00:00Z", "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\none")
	os.WriteFile(warcPath, []byte(one), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	first, err := New(ctx, Config{Paths: []string{dir}, PollInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	first.Close()
	// the WARC grows after its index was written
	two := warcRecord("http://stale.test/2", "2021-01-02T00:00:00Z", "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\ntwo")
	os.WriteFile(warcPath, []byte(one+two), 0o644)
	future := time.Now().Add(time.Minute)
	os.Chtimes(warcPath, future, future)
	s, err := New(ctx, Config{Paths: []string{dir}, PollInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv := httptest.NewServer(s)
	defer srv.Close()
	for _, u := range []string{"/c/20210101000000/http://stale.test/1", "/c/20210102000000/http://stale.test/2"} {
		if resp, _ := get(t, srv.URL+u); resp.StatusCode != 200 {
			t.Errorf("%s: %d", u, resp.StatusCode)
		}
	}
	_, body := get(t, srv.URL+"/c/cdx?url=stale.test/1")
	if n := strings.Count(body, "\n"); n != 1 {
		t.Errorf("capture listed %d times after re-indexing", n)
	}
}

// TestPagesListTitlesFromRecords serves a pywb-layout collection whose
// index, as pywb and warcio write it, holds no titles: the pages list reads
// them from the records (in the page's charset) and remembers them.
func TestPagesListTitlesFromRecords(t *testing.T) {
	dir := t.TempDir()
	coll := filepath.Join(dir, "c1")
	os.MkdirAll(filepath.Join(coll, "archive"), 0o755)
	os.MkdirAll(filepath.Join(coll, "indexes"), 0o755)
	page := "<html><head><title>Caf\xe9 page</title></head></html>"
	rec := warcRecord("http://latin1.test/", "2021-05-05T00:00:00Z", fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=iso-8859-1\r\nContent-Length: %d\r\n\r\n%s", len(page), page))
	os.WriteFile(filepath.Join(coll, "archive", "a.warc"), []byte(rec), 0o644)
	line := fmt.Sprintf(`test,latin1)/ 20210505000000 {"url":"http://latin1.test/","mime":"text/html","status":"200","length":"%d","offset":"0","filename":"a.warc"}`+"\n", len(rec))
	if err := os.WriteFile(filepath.Join(coll, "indexes", "index.cdxj"), []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := New(ctx, Config{Paths: []string{dir}, PollInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := s.collection("c1").Len(); n != 0 {
		t.Fatalf("the WARC was indexed at start-up (%d captures in memory): the test needs the on-disk index alone", n)
	}
	srv := httptest.NewServer(s)
	defer srv.Close()
	if resp, body := get(t, srv.URL+"/c1/"); resp.StatusCode != 200 || !strings.Contains(body, "Café page") {
		t.Errorf("pages list: %d, no title read from the record", resp.StatusCode)
	}
	c := s.collection("c1")
	c.mu.Lock()
	remembered := c.titles["a.warc#0"]
	c.mu.Unlock()
	if remembered != "Café page" {
		t.Errorf("title not remembered: %q", remembered)
	}
}
