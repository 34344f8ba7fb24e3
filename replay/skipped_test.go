package replay

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/warcbox/warcbox/capture"
)

// hostileSite is a site whose crawl log reports every kind of skip:
// robots, scope, a body cut by --max-size, a body cut by a reset, a
// connection closed before any answer, a redirect loop, an endless
// redirect chain, a 503 retried, a duplicate payload.
func hostileSite(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	same := bytes.Repeat([]byte("same image bytes "), 50)
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "User-agent: *\nDisallow: /private\n")
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<!doctype html><title>home</title>
<a href="/private/secret.html">robots</a>
<a href="http://out-of-scope.invalid/x.html">scope</a>
<a href="/big.html">big</a>
<a href="/cut.html">cut</a>
<a href="/gone.html">gone</a>
<a href="/loop-a">loop</a>
<a href="/far/0">far</a>
<a href="/busy.html">busy</a>
<a href="/escape">escape</a>
<img src="/same1.png"><img src="/same2.png">`)
	})
	mux.HandleFunc("/private/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("robots-blocked %s fetched", r.URL)
	})
	mux.HandleFunc("/big.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<!doctype html><title>big</title><p>"+strings.Repeat("x", 20000))
	})
	mux.HandleFunc("/cut.html", func(w http.ResponseWriter, r *http.Request) {
		conn, bw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		bw.WriteString("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n<!doctype html><title>cut</title><p>only the start")
		bw.Flush()
		resetOnClose(conn)
		conn.Close()
	})
	mux.HandleFunc("/gone.html", func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		resetOnClose(conn)
		conn.Close()
	})
	mux.HandleFunc("/loop-a", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop-b", http.StatusFound) })
	mux.HandleFunc("/loop-b", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop-a", http.StatusFound) })
	mux.HandleFunc("/far/", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscanf(strings.TrimPrefix(r.URL.Path, "/far/"), "%d", &n)
		http.Redirect(w, r, fmt.Sprintf("/far/%d", n+1), http.StatusFound)
	})
	mux.HandleFunc("/escape", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://out-of-scope.invalid/", http.StatusFound)
	})
	mux.HandleFunc("/busy.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "0")
		http.Error(w, "busy", http.StatusServiceUnavailable)
	})
	for _, p := range []string{"/same1.png", "/same2.png"} {
		mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "image/png")
			w.Write(same)
		})
	}
	return httptest.NewTLSServer(mux)
}

// crawlLogEntry is what the test reads of capture's crawl log.
type crawlLogEntry struct {
	URL       string `json:"url"`
	Status    int    `json:"status"`
	Record    string `json:"record"`
	Kind      string `json:"kind"`
	Truncated string `json:"truncated"`
}

// captureInto runs warcbox capture of seeds into root/collections/web and
// returns its crawl log.
func captureInto(t *testing.T, root, prefix string, site *httptest.Server, seeds []string, mod func(*capture.Options)) []crawlLogEntry {
	t.Helper()
	o := capture.DefaultOptions()
	o.Dir = filepath.Join(root, "collections", "web", "archive")
	o.Prefix = prefix
	o.Hostname = "testhost"
	o.Timeout = 5 * time.Second
	o.Retries = 1
	o.RetryBackoff = time.Millisecond
	pool := x509.NewCertPool()
	pool.AddCert(site.Certificate())
	o.RootCAs = pool
	if mod != nil {
		mod(&o)
	}
	sum, err := capture.Run(context.Background(), seeds, o)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(sum.LogPath)
	if err != nil {
		t.Fatal(err)
	}
	var log []crawlLogEntry
	for _, line := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
		var e crawlLogEntry
		if err := json.Unmarshal(line, &e); err != nil {
			t.Fatalf("crawl log line %q: %v", line, err)
		}
		log = append(log, e)
	}
	return log
}

// TestCrawlLogSkipsAreNotCaptures (issue 12: "records the log reports as
// skipped do not appear as captures"): a capture of a site that makes the
// crawl log report every kind of skip, replayed. Every URL the log reports
// as skipped (robots, scope, a connection reset before any answer, a 503
// retried, a redirect loop, an endless redirect chain) has no capture in
// the timeline, the captures page, the pages list or the CDX API; every
// URL it reports as recorded has exactly the one capture it logged, with
// its status. Before the fix, the TLS certificate chain (a metadata record
// capture writes with the first answer of each https host, indexed under
// that answer's URL as warcio.js does) was a second capture of that URL
// in the timeline, and replay served the certificate in place of the page
// (its index line sorts first); a body cut by a reset was sent with its
// archived Content-Length, so every client failed reading it.
func TestCrawlLogSkipsAreNotCaptures(t *testing.T) {
	site := hostileSite(t)
	defer site.Close()
	root := t.TempDir()
	log := captureInto(t, root, "skips", site, []string{site.URL + "/"}, func(o *capture.Options) {
		o.MaxSize = 10000
		o.Depth = 1
	})
	// A second crawl that ignores robots.txt: the seed page is the first
	// answer from the host, so the certificate chain is indexed under it.
	plain := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<!doctype html><title>first answer</title><p>the page itself")
	}))
	defer plain.Close()
	log = append(log, captureInto(t, root, "norobots", plain, []string{plain.URL + "/"}, func(o *capture.Options) { o.IgnoreRobots = true })...)

	kinds := map[string]bool{}
	recorded := map[string][]crawlLogEntry{}
	for _, e := range log {
		if e.Record != "" {
			recorded[e.URL] = append(recorded[e.URL], e)
		} else {
			kinds[e.Kind] = true
		}
	}
	cut := map[string]bool{}
	for _, e := range log {
		cut[e.Truncated] = true
	}
	if !cut["disconnect"] || !cut["length"] {
		t.Errorf("the crawl log reports no body cut by a reset or by --max-size (%v)", cut)
	}
	for _, k := range []string{"robots", "scope", "reset", "retry", "redirect-loop", "redirect-limit"} {
		if !kinds[k] {
			t.Errorf("the crawl log reports no %q skip: the test site no longer exercises it (kinds %v)", k, kinds)
		}
	}

	s, err := New(context.Background(), Config{Paths: []string{filepath.Join(root, "collections")}, PollInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv := httptest.NewServer(s)
	defer srv.Close()

	var pages struct{ Pages []captureItem }
	_, body := get(t, srv.URL+"/_/api/pages?coll=web")
	if err := json.Unmarshal([]byte(body), &pages); err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, p := range pages.Pages {
		listed[p.URL] = true
	}
	cdxRows := map[string]int{}
	for _, host := range []string{site.URL, plain.URL} {
		_, body = get(t, srv.URL+"/web/cdx?output=json&url="+host+"/*")
		for _, line := range strings.Split(strings.TrimSpace(body), "\n") {
			var row map[string]string
			if json.Unmarshal([]byte(line), &row) == nil {
				cdxRows[row["url"]]++
			}
		}
	}
	for _, e := range log {
		var tl capturesAnswer
		_, body := get(t, srv.URL+"/_/api/captures?coll=web&url="+e.URL)
		if err := json.Unmarshal([]byte(body), &tl); err != nil {
			t.Fatalf("timeline of %s: %v", e.URL, err)
		}
		resp, _ := get(t, srv.URL+"/web/*/"+e.URL)
		rec := recorded[e.URL]
		if len(rec) == 0 {
			if len(tl.Captures) != 0 || listed[e.URL] || cdxRows[e.URL] != 0 || resp.StatusCode != http.StatusNotFound {
				t.Errorf("%s, logged as skipped (%s), appears as a capture: timeline %+v, pages list %v, CDX rows %d, captures page %d",
					e.URL, e.Kind, tl.Captures, listed[e.URL], cdxRows[e.URL], resp.StatusCode)
			}
			continue
		}
		if len(tl.Captures) != len(rec) || resp.StatusCode != http.StatusOK {
			t.Errorf("%s, logged as %d record(s), has %d capture(s) in the timeline %+v (captures page %d)", e.URL, len(rec), len(tl.Captures), tl.Captures, resp.StatusCode)
			continue
		}
		if want := fmt.Sprint(rec[0].Status); tl.Captures[0].Status != want {
			t.Errorf("%s logged with status %s, timeline says %q", e.URL, want, tl.Captures[0].Status)
		}
		if tl.Captures[0].Truncated != rec[0].Truncated {
			t.Errorf("%s logged as truncated %q, timeline says %q", e.URL, rec[0].Truncated, tl.Captures[0].Truncated)
		}
	}

	// What is replayed is what the log says was recorded.
	resp, body := get(t, srv.URL+"/web/20300101000000mp_/"+plain.URL+"/", "Sec-Fetch-Dest", "iframe")
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("page: %d", resp.StatusCode)
	}
	resp, body = get(t, srv.URL+resp.Header.Get("Location"))
	if !strings.Contains(body, "the page itself") || strings.Contains(body, "CERTIFICATE") {
		t.Errorf("the first answer from an https host replays as %d %q", resp.StatusCode, body)
	}
	for _, c := range []struct{ path, truncated, body string }{
		{"/cut.html", "disconnect", "only the start"},
		{"/big.html", "length", strings.Repeat("x", 100)},
	} {
		resp, err := http.Get(srv.URL + "/web/20300101000000id_/" + site.URL + c.path)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.Header.Get("Warc-Truncated") != c.truncated || !strings.Contains(string(b), c.body) {
			t.Errorf("%s (body cut, %s): read error %v, Warc-Truncated %q, %d bytes", c.path, c.truncated, err, resp.Header.Get("Warc-Truncated"), len(b))
		}
	}
}

// resetOnClose makes Close send a TCP reset, under TLS too.
func resetOnClose(c net.Conn) {
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	c.(*net.TCPConn).SetLinger(0)
}

// TestIndexSkipsAreNotCaptures: records indexing leaves out and logs (a
// malformed record, one without a target URI) and records that answer
// nothing (request, warcinfo, metadata about a URL) are no capture of any
// URL in the timeline, the captures page or the pages list, and asking
// for their URL replays the one real capture.
func TestIndexSkipsAreNotCaptures(t *testing.T) {
	rec := func(typ, uri, ct, block string) string {
		h := fmt.Sprintf("WARC/1.0\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%x>\r\nWARC-Date: 2024-01-01T00:00:00Z\r\n", typ, len(typ)*7919+len(uri)*31+len(block))
		if uri != "" {
			h += "WARC-Target-URI: " + uri + "\r\n"
		}
		return h + fmt.Sprintf("Content-Type: %s\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n", ct, len(block), block)
	}
	page := "<!doctype html><title>real</title><p>the real page"
	var b strings.Builder
	b.WriteString(rec("warcinfo", "", "application/warc-fields", "software: test\r\n"))
	b.WriteString(rec("metadata", "http://skips.test/", "application/x-pem-file", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
	b.WriteString(rec("request", "http://skips.test/", "application/http;msgtype=request", "GET / HTTP/1.1\r\nHost: skips.test\r\n\r\n"))
	b.WriteString(warcRecord("http://skips.test/", "2024-01-01T00:00:00Z", httpResp("text/html", "", page)))
	b.WriteString(rec("metadata", "http://skips.test/", "text/plain", "a note about the page"))
	// malformed: a Content-Length that is no number
	b.WriteString("WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://skips.test/malformed.html\r\nWARC-Date: 2024-01-01T00:00:01Z\r\nContent-Type: application/http;msgtype=response\r\nContent-Length: lots\r\n\r\n" +
		httpResp("text/html", "", "<title>malformed</title>") + "\r\n\r\n")
	b.WriteString(rec("response", "", "application/http;msgtype=response", httpResp("text/html", "", "<title>nowhere</title>")))
	b.WriteString(warcRecord("http://skips.test/after.html", "2024-01-01T00:00:02Z", httpResp("text/html", "", "<title>after</title>")))
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "skips.warc"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	s, err := New(context.Background(), Config{Paths: []string{dir}, PollInterval: -1, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv := httptest.NewServer(s)
	defer srv.Close()
	for _, want := range []string{"malformed record skipped", "without WARC-Target-URI"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("indexing did not log %q:\n%s", want, logs.String())
		}
	}
	timeline := func(u string) []captureItem {
		var tl capturesAnswer
		_, body := get(t, srv.URL+"/_/api/captures?coll=web&url="+u)
		if err := json.Unmarshal([]byte(body), &tl); err != nil {
			t.Fatal(err)
		}
		return tl.Captures
	}
	if tl := timeline("http://skips.test/"); len(tl) != 1 || tl[0].Status != "200" || tl[0].Mime != "text/html" {
		t.Errorf("timeline of the page with request, metadata and warcinfo records beside it: %+v", tl)
	}
	if tl := timeline("http://skips.test/malformed.html"); len(tl) != 0 {
		t.Errorf("malformed record listed: %+v", tl)
	}
	if tl := timeline("http://skips.test/after.html"); len(tl) != 1 {
		t.Errorf("the record after the malformed one: %+v", tl)
	}
	_, body := get(t, srv.URL+"/web/*/http://skips.test/")
	if n := strings.Count(body, `class="status"`); n != 1 {
		t.Errorf("captures page lists %d captures of the page, want 1", n)
	}
	_, body = get(t, srv.URL+"/_/api/pages?coll=web")
	if strings.Contains(body, "malformed") || strings.Contains(body, "nowhere") || !strings.Contains(body, "after.html") {
		t.Errorf("pages list: %s", body)
	}
	_, body = get(t, srv.URL+"/web/20240101000000id_/http://skips.test/")
	if body != page {
		t.Errorf("the page replays as %q", body)
	}
	resp, body := get(t, srv.URL+"/web/timemap/link/http://skips.test/")
	if n := strings.Count(body, "memento\""); resp.StatusCode != 200 || n != 1 {
		t.Errorf("TimeMap lists %d mementos:\n%s", n, body)
	}
}
