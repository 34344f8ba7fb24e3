package capture

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/warcbox/warcbox/warc"
)

const sitePage = `<!doctype html><html><head>
<base href="/static/">
<link rel="stylesheet" href="main.css">
<link rel="icon" href="/favicon.ico">
<link rel="preload" href="font.woff2" as="font">
<link rel="modulepreload" href="mod.js">
<link rel="manifest" href="app.webmanifest">
<link rel="alternate" href="/feed.xml">
<script src="app.js"></script>
<style>.x{background:url("inline-style.png")} @import 'print.css';</style>
</head><body style="background-image:url(body-bg.png)">
<img src="img.png" srcset="img-1x.png 1x, img-2x.png 2x">
<picture><source srcset="pic.webp" type="image/webp"><img src="pic.jpg"></picture>
<video src="movie.mp4" poster="poster.jpg"><track src="subs.vtt"></video>
<audio src="sound.mp3"></audio>
<iframe src="/frame.html"></iframe>
<object data="obj.svg"></object><embed src="emb.swf">
<a href="/page2.html">next</a> <a href="http://elsewhere.invalid/">away</a>
</body></html>`

func siteServer(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, sitePage)
		case "/page2.html":
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, `<a href="/page3.html">3</a><img src="/static/img.png">`)
		case "/page3.html":
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, `three`)
		case "/frame.html":
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, `<img src="/frame-img.png"><a href="/from-frame.html">x</a>`)
		case "/static/main.css":
			w.Header().Set("Content-Type", "text/css")
			io.WriteString(w, `@import url("theme.css"); body{background:url('../bg.png')} /* url(commented.png) */`)
		case "/static/theme.css":
			w.Header().Set("Content-Type", "text/css")
			io.WriteString(w, `@import "deep.css"; h1{background:url(h1.png)}`)
		case "/static/deep.css":
			w.Header().Set("Content-Type", "text/css")
			io.WriteString(w, `p{background:url(deep.png)}`)
		default:
			w.Header().Set("Content-Type", "application/octet-stream")
			io.WriteString(w, "data for "+r.URL.Path)
		}
	})
	s := httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func TestRequisitesAndDepth(t *testing.T) {
	s := siteServer(t)
	res := runTest(t, context.Background(), []string{s.URL + "/"}, nil)
	if res.err != nil {
		t.Fatal(res.err)
	}
	want := []string{
		"/static/main.css", "/favicon.ico", "/static/font.woff2", "/static/mod.js", "/static/app.webmanifest",
		"/static/app.js", "/static/inline-style.png", "/static/print.css", "/static/body-bg.png",
		"/static/img.png", "/static/img-1x.png", "/static/img-2x.png", "/static/pic.webp", "/static/pic.jpg",
		"/static/movie.mp4", "/static/poster.jpg", "/static/subs.vtt", "/static/sound.mp3", "/frame.html",
		"/frame-img.png", "/static/obj.svg", "/static/emb.swf",
		"/static/theme.css", "/static/deep.css", "/bg.png", "/static/h1.png", "/static/deep.png",
	}
	for _, p := range want {
		if !res.has(s.URL + p) {
			t.Errorf("requisite %s not captured", p)
		}
	}
	for _, p := range []string{"/page2.html", "/feed.xml", "/from-frame.html", "/static/commented.png"} {
		if res.has(s.URL + p) {
			t.Errorf("%s captured at depth 0", p)
		}
	}
	if len(res.byType("warcinfo")) != 1 {
		t.Errorf("want one warcinfo, got %d", len(res.byType("warcinfo")))
	}
	info := string(res.byType("warcinfo")[0].Block)
	for _, w := range []string{"software: warcbox", "format: WARC File Format 1.1", "conformsTo:", "robots: obey", "http-header-user-agent:"} {
		if !strings.Contains(info, w) {
			t.Errorf("warcinfo lacks %q:\n%s", w, info)
		}
	}
	// The page's metadata record lists its outlinks and how it was reached.
	var meta string
	for _, r := range res.byType("metadata") {
		if r.URI == s.URL+"/" && r.get("Content-Type") == "application/warc-fields" {
			meta = string(r.Block)
		}
	}
	if !strings.Contains(meta, "outlink: "+s.URL+"/page2.html L a/@href") || !strings.Contains(meta, "fetchTimeMs:") {
		t.Errorf("page metadata:\n%s", meta)
	}
	// Every request has a response pointing back, in the same file.
	ids := map[string]testRec{}
	for _, r := range res.recs {
		ids[r.get("WARC-Record-ID")] = r
	}
	for _, r := range res.byType("request") {
		resp, ok := ids[r.get("WARC-Concurrent-To")]
		if !ok || resp.File != r.File || resp.URI != r.URI {
			t.Errorf("request %s: no concurrent response in its file", r.URI)
		}
		if r.get("WARC-IP-Address") != "127.0.0.1" {
			t.Errorf("request %s: ip %q", r.URI, r.get("WARC-IP-Address"))
		}
		if !regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$`).MatchString(r.get("WARC-Date")) {
			t.Errorf("WARC-Date %q not to the microsecond", r.get("WARC-Date"))
		}
		if r.get("WARC-Warcinfo-ID") == "" {
			t.Errorf("request %s: no WARC-Warcinfo-ID", r.URI)
		}
	}
	// The index lists every response, sorted, with offsets that point at them.
	if len(res.cdxj) != len(res.uris()) {
		t.Errorf("index has %d lines for %d responses", len(res.cdxj), len(res.uris()))
	}
	for i := 1; i < len(res.cdxj); i++ {
		if res.cdxj[i-1] > res.cdxj[i] {
			t.Errorf("index not sorted at line %d", i)
		}
	}

	deeper := runTest(t, context.Background(), []string{s.URL + "/"}, func(o *Options) { o.Depth = 1 })
	if !deeper.has(s.URL+"/page2.html") || deeper.has(s.URL+"/page3.html") || deeper.has("http://elsewhere.invalid/") {
		t.Errorf("depth 1 captured %v", deeper.uris())
	}
	if deeper.has(s.URL + "/from-frame.html") {
		t.Error("links of an iframe (a requisite) were followed")
	}
	all := runTest(t, context.Background(), []string{s.URL + "/"}, func(o *Options) { o.Depth = -1 })
	if !all.has(s.URL + "/page3.html") {
		t.Errorf("unlimited depth missed page3: %v", all.uris())
	}
	limited := runTest(t, context.Background(), []string{s.URL + "/"}, func(o *Options) {
		o.Depth = -1
		o.Exclude = []*regexp.Regexp{regexp.MustCompile(`page3`)}
		o.NoRequisites = true
	})
	if limited.has(s.URL+"/page3.html") || limited.has(s.URL+"/static/img.png") || !limited.has(s.URL+"/page2.html") {
		t.Errorf("exclude/no-requisites captured %v", limited.uris())
	}
	pages := runTest(t, context.Background(), []string{s.URL + "/"}, func(o *Options) {
		o.Depth, o.MaxPages, o.NoRequisites = -1, 2, true
	})
	if pages.has(s.URL + "/page3.html") {
		t.Errorf("max-pages 2 captured %v", pages.uris())
	}
}

// TestExactBytes checks that a response record holds the bytes the server
// sent, header case and order, chunk framing and compression included.
func TestExactBytes(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	io.WriteString(zw, `<html><img src="/inside-gzip.png"></html>`)
	zw.Close()
	var br bytes.Buffer
	bw := brotli.NewWriter(&br)
	io.WriteString(bw, `<html><img src="/inside-br.png"></html>`)
	bw.Close()
	chunk := func(b []byte) string {
		return fmt.Sprintf("%x;ext=1\r\n%s\r\n%x\r\n%s\r\n0\r\nX-Trailer: t\r\n\r\n", 5, b[:5], len(b)-5, b[5:])
	}
	responses := map[string]string{
		"/plain": "HTTP/1.1 200 OK\r\nx-lower-Case: a\r\nZZZ: first\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello",
		"/chunked": "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n" +
			chunk([]byte(`<html><img src="/inside-chunked.png"></html>`)),
		"/gzip":     "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk(gz.Bytes()),
		"/br":       "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: br\r\nContent-Length: " + fmt.Sprint(br.Len()) + "\r\n\r\n" + br.String(),
		"/continue": "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
		"/eof":      "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close",
	}
	base := rawServer(t, func(c net.Conn, path string) {
		if r, ok := responses[path]; ok {
			io.WriteString(c, r)
			return
		}
		io.WriteString(c, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
	})
	var seeds []string
	for p := range responses {
		seeds = append(seeds, base+p)
	}
	res := runTest(t, context.Background(), seeds, nil)
	if res.err != nil {
		t.Fatal(res.err)
	}
	if r := res.find(t, base+"/continue"); string(r.Block) != "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok" {
		t.Errorf("interim 100 response kept in the record: %q", r.Block)
	}
	delete(responses, "/continue")
	for p, raw := range responses {
		r := res.find(t, base+p)
		if string(r.Block) != raw {
			t.Errorf("%s: record block\n%q\nserver sent\n%q", p, r.Block, raw)
		}
		if r.get("WARC-Protocol") != "http/1.1" {
			t.Errorf("%s: WARC-Protocol %q", p, r.get("WARC-Protocol"))
		}
	}
	// Payload digest over the de-chunked body, not the framing.
	body := []byte(`<html><img src="/inside-chunked.png"></html>`)
	if got := res.find(t, base+"/chunked").get("WARC-Payload-Digest"); got != warc.SHA256.Of(body) {
		t.Errorf("chunked payload digest %s, want digest of de-chunked body", got)
	}
	// Links are found inside compressed and chunked bodies.
	for _, p := range []string{"/inside-gzip.png", "/inside-br.png", "/inside-chunked.png"} {
		if !res.has(base + p) {
			t.Errorf("link %s in an encoded body not followed", p)
		}
	}
	// Field names keep the spelling of the spec proposal (gowarc's reader
	// canonicalises names, so look at the decompressed file itself).
	raw := gunzipAll(t, filepath.Join(res.dir, "archive", res.find(t, base+"/plain").File))
	if !bytes.Contains(raw, []byte("\r\nWARC-Protocol: http/1.1\r\n")) || bytes.Contains(raw, []byte("Warc-Protocol")) {
		t.Error("WARC-Protocol not spelled as in the proposal")
	}
}

func gunzipAll(t *testing.T, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRedirectsAndErrors(t *testing.T) {
	var fails atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/r1", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/r2", http.StatusMovedPermanently) })
	mux.HandleFunc("/r2", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/final", http.StatusFound) })
	mux.HandleFunc("/final", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "final") })
	mux.HandleFunc("/loop1", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop2", http.StatusFound) })
	mux.HandleFunc("/loop2", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop1", http.StatusFound) })
	mux.HandleFunc("/missing", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 500) })
	mux.HandleFunc("/flaky", func(w http.ResponseWriter, r *http.Request) {
		if fails.Add(1) == 1 {
			http.Error(w, "busy", http.StatusTooManyRequests)
			return
		}
		io.WriteString(w, "recovered")
	})
	s := httptest.NewServer(mux)
	defer s.Close()
	res := runTest(t, context.Background(), []string{s.URL + "/r1", s.URL + "/loop1", s.URL + "/missing", s.URL + "/broken", s.URL + "/flaky"},
		func(o *Options) { o.Retries = 1 })
	if res.err != nil {
		t.Fatal(res.err)
	}
	for p, status := range map[string]string{"/r1": "301", "/r2": "302", "/final": "200", "/loop1": "302", "/loop2": "302", "/missing": "404", "/broken": "500", "/flaky": "200"} {
		r := res.find(t, s.URL+p)
		if !bytes.HasPrefix(r.Block, []byte("HTTP/1.1 "+status)) {
			t.Errorf("%s: recorded %q, want status %s", p, r.Block[:20], status)
		}
	}
	n := 0
	for _, r := range res.byType("response") {
		if strings.HasSuffix(r.URI, "/loop1") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("loop1 recorded %d times", n)
	}
	if l := res.logFor(s.URL + "/r2"); len(l) != 1 || l[0].Hops != "R" || l[0].Via != s.URL+"/r1" {
		t.Errorf("r2 log %+v", l)
	}
	retried := false
	for _, e := range res.logFor(s.URL + "/flaky") {
		if e.Kind == "retry" {
			retried = true
		}
	}
	if !retried {
		t.Errorf("429 not retried: %+v", res.logFor(s.URL+"/flaky"))
	}
	if len(res.logFor(s.URL+"/broken")) != 3 { // two retries logged plus the final response
		t.Logf("broken log: %+v", res.logFor(s.URL+"/broken"))
	}
}

func TestFailuresAndTruncation(t *testing.T) {
	hang := make(chan struct{})
	defer close(hang)
	base := rawServer(t, func(c net.Conn, path string) {
		switch path {
		case "/hang":
			<-hang
		case "/slow":
			io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nfirst bytes")
			select {
			case <-hang:
			case <-time.After(3 * time.Second):
			}
		case "/steady":
			// Slower in total than the timeout, but never idle that long.
			io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\n")
			for i := 0; i < 8; i++ {
				time.Sleep(60 * time.Millisecond) // 480 ms in all, never 400 ms idle
				io.WriteString(c, "s")
			}
		case "/reset":
			io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"+strings.Repeat("x", 100))
			time.Sleep(20 * time.Millisecond)
			c.(*net.TCPConn).SetLinger(0) // RST instead of FIN
		case "/big":
			io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n"+strings.Repeat("b", 100000))
		case "/bigchunked":
			io.WriteString(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
			for i := 0; i < 20; i++ {
				fmt.Fprintf(c, "%x\r\n%s\r\n", 5000, strings.Repeat("c", 5000))
			}
			io.WriteString(c, "0\r\n\r\n")
		default:
			io.WriteString(c, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
		}
	})
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	refused := "http://" + ln.Addr().String() + "/"
	ln.Close()
	res := runTest(t, context.Background(), []string{base + "/hang", base + "/slow", base + "/steady", base + "/reset", base + "/big", base + "/bigchunked", refused},
		func(o *Options) {
			o.Timeout = 400 * time.Millisecond
			o.MaxSize = 10000
		})
	if res.err != nil {
		t.Fatal(res.err)
	}
	kinds := map[string]string{}
	for _, e := range res.log {
		if e.Error != "" {
			kinds[e.URL] = e.Kind
		}
	}
	if kinds[base+"/hang"] != "timeout" || kinds[refused] != "refused" {
		t.Errorf("crawl log kinds %v", kinds)
	}
	if res.has(base + "/hang") {
		t.Error("hanging URL has a response record")
	}
	for p, want := range map[string]string{"/slow": "time", "/reset": "disconnect", "/big": "length", "/bigchunked": "length"} {
		r := res.find(t, base+p)
		if got := r.get("WARC-Truncated"); got != want {
			t.Errorf("%s: WARC-Truncated %q, want %q", p, got, want)
		}
	}
	if r := res.find(t, base+"/steady"); r.get("WARC-Truncated") != "" || !bytes.HasSuffix(r.Block, []byte("ssssssss")) {
		t.Errorf("a body arriving steadily was cut by --timeout: %q", r.Block)
	}
	if r := res.find(t, base+"/big"); len(r.Block) > 10000+200 {
		t.Errorf("max-size: kept %d bytes", len(r.Block))
	}
	if r := res.find(t, base+"/slow"); !bytes.HasSuffix(r.Block, []byte("first bytes")) {
		t.Errorf("slow: partial body not kept: %q", r.Block)
	}
	if r := res.find(t, base+"/reset"); !bytes.HasSuffix(r.Block, []byte(strings.Repeat("x", 100))) {
		t.Errorf("reset: partial body not kept")
	}
	// Bodies the server cut (a stall, a reset) count as failures; cut by
	// --max-size, as asked, they do not.
	if res.sum.Failed != 4 {
		t.Errorf("failed %d, want 4 (hang, refused, slow, reset)", res.sum.Failed)
	}
}

func TestTLS(t *testing.T) {
	s := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<img src="/i.png">`)
	}))
	s.Config.ErrorLog = log.New(io.Discard, "", 0) // the untrusted run makes handshakes fail on purpose
	s.StartTLS()
	defer s.Close()
	pool := x509.NewCertPool()
	pool.AddCert(s.Certificate())
	res := runTest(t, context.Background(), []string{s.URL + "/"}, func(o *Options) { o.RootCAs = pool })
	if res.err != nil {
		t.Fatal(res.err)
	}
	r := res.find(t, s.URL+"/")
	if p := r.Fields["warc-protocol"]; len(p) != 2 || p[0] != "http/1.1" || p[1] != "tls/1.3" {
		t.Errorf("WARC-Protocol %v", p)
	}
	if !strings.HasPrefix(r.get("WARC-Cipher-Suite"), "TLS_") {
		t.Errorf("cipher suite %q", r.get("WARC-Cipher-Suite"))
	}
	certs := 0
	for _, m := range res.byType("metadata") {
		if m.get("Content-Type") == "application/x-pem-file" {
			certs++
			if !bytes.Contains(m.Block, []byte("-----BEGIN CERTIFICATE-----")) || m.get("WARC-Concurrent-To") == "" {
				t.Errorf("cert record %q", m.Block[:40])
			}
		}
	}
	if certs != 1 {
		t.Errorf("%d certificate records, want one per host", certs)
	}
	if !res.has(s.URL + "/i.png") {
		t.Error("requisite over TLS missing")
	}

	untrusted := runTest(t, context.Background(), []string{s.URL + "/"}, nil)
	if untrusted.has(s.URL+"/") || len(untrusted.log) == 0 || untrusted.log[len(untrusted.log)-1].Kind != "tls" {
		t.Errorf("untrusted certificate accepted: %+v", untrusted.log)
	}
	insecure := runTest(t, context.Background(), []string{s.URL + "/"}, func(o *Options) { o.Insecure = true })
	if !insecure.has(s.URL + "/") {
		t.Error("--insecure did not capture")
	}
}

func TestRobotsAndCookies(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "User-agent: *\nDisallow: /private\n")
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "abc"})
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<a href="/private/x">p</a><a href="/public">q</a><img src="/needs-cookie.png">`)
	})
	mux.HandleFunc("/needs-cookie.png", func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie("session"); err != nil || c.Value != "abc" {
			http.Error(w, "no cookie", 403)
			return
		}
		io.WriteString(w, "img")
	})
	s := httptest.NewServer(mux)
	defer s.Close()
	res := runTest(t, context.Background(), []string{s.URL + "/"}, func(o *Options) { o.Depth = 1; o.Concurrency = 1 })
	if res.has(s.URL + "/private/x") {
		t.Error("robots.txt disallow ignored")
	}
	if !res.has(s.URL+"/public") || !res.has(s.URL+"/robots.txt") {
		t.Errorf("captured %v", res.uris())
	}
	if l := res.logFor(s.URL + "/private/x"); len(l) != 1 || l[0].Kind != "robots" {
		t.Errorf("blocked URL not in crawl log: %+v", l)
	}
	if r := res.find(t, s.URL+"/needs-cookie.png"); !bytes.HasPrefix(r.Block, []byte("HTTP/1.1 200")) {
		t.Errorf("cookie not sent back: %q", r.Block[:30])
	}
	ign := runTest(t, context.Background(), []string{s.URL + "/"}, func(o *Options) { o.Depth = 1; o.IgnoreRobots = true })
	if !ign.has(s.URL+"/private/x") || ign.has(s.URL+"/robots.txt") {
		t.Errorf("--ignore-robots captured %v", ign.uris())
	}
}

func TestDedupRevisits(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<img src="/a.png"><img src="/b.png">`)
	})
	mux.HandleFunc("/a.png", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "same bytes") })
	mux.HandleFunc("/b.png", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "same bytes") })
	s := httptest.NewServer(mux)
	defer s.Close()
	first := runTest(t, context.Background(), []string{s.URL + "/"}, func(o *Options) { o.Concurrency = 1; o.IgnoreRobots = true })
	if first.err != nil {
		t.Fatal(first.err)
	}
	revs := first.byType("revisit")
	if len(revs) != 1 {
		t.Fatalf("want 1 revisit, got %d (%v)", len(revs), first.uris())
	}
	rv := revs[0]
	orig := first.find(t, rv.get("WARC-Refers-To-Target-URI"))
	if orig.Type != "response" || rv.get("WARC-Refers-To") != orig.get("WARC-Record-ID") ||
		rv.get("WARC-Refers-To-Date") != orig.get("WARC-Date") || rv.get("WARC-Payload-Digest") != orig.get("WARC-Payload-Digest") {
		t.Errorf("revisit fields %v vs original %v", rv.Fields, orig.Fields)
	}
	if rv.get("WARC-Profile") != "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest" {
		t.Errorf("profile %q", rv.get("WARC-Profile"))
	}
	if !bytes.HasSuffix(rv.Block, []byte("\r\n\r\n")) || bytes.Contains(rv.Block, []byte("same bytes")) {
		t.Errorf("revisit block should be the header only: %q", rv.Block)
	}

	// A second capture against the first one's index stores no payload twice.
	idx := first.sum.IndexPath
	second := runTest(t, context.Background(), []string{s.URL + "/"}, func(o *Options) {
		o.DedupIndex = []string{idx}
		o.IgnoreRobots = true
	})
	if second.err != nil {
		t.Fatal(second.err)
	}
	if got := len(second.byType("revisit")); got != 3 {
		t.Errorf("second capture: %d revisits, want 3 (page and both images)", got)
	}
	ids := map[string]string{} // record ID -> URI in the first capture
	for _, r := range first.recs {
		ids[r.get("WARC-Record-ID")] = r.URI
	}
	for _, r := range second.byType("revisit") {
		if r.get("WARC-Refers-To-Target-URI") == "" || r.get("WARC-Refers-To-Date") == "" {
			t.Errorf("revisit from index lacks refers-to fields: %v", r.Fields)
		}
		// The ID is read back from the first capture's WARC (CDXJ lacks it).
		if got := ids[r.get("WARC-Refers-To")]; got != r.get("WARC-Refers-To-Target-URI") {
			t.Errorf("WARC-Refers-To %q names %q, want the record of %s", r.get("WARC-Refers-To"), got, r.get("WARC-Refers-To-Target-URI"))
		}
	}
	sha1Run := runTest(t, context.Background(), []string{s.URL + "/"}, func(o *Options) { o.Digest = "sha1"; o.IgnoreRobots = true })
	if d := sha1Run.find(t, s.URL+"/").get("WARC-Payload-Digest"); !strings.HasPrefix(d, "sha1:") {
		t.Errorf("--digest sha1 wrote %q", d)
	}
}

func TestRolloverNeverSplitsPairs(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		for i := 0; i < 12; i++ {
			fmt.Fprintf(w, `<img src="/img/%d.png">`, i)
		}
	})
	mux.HandleFunc("/img/{n}", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, strings.Repeat(r.URL.Path, 300))
	})
	s := httptest.NewServer(mux)
	defer s.Close()
	res := runTest(t, context.Background(), []string{s.URL + "/"}, func(o *Options) { o.WarcSize = 3000; o.IgnoreRobots = true })
	if res.err != nil {
		t.Fatal(res.err)
	}
	if len(res.sum.Files) < 3 {
		t.Fatalf("want several files at --warc-size 3000, got %d", len(res.sum.Files))
	}
	name := regexp.MustCompile(`^warcbox-\d{14}-\d{5}-testhost\.warc\.gz$`)
	byFile := map[string][]testRec{}
	for _, r := range res.recs {
		byFile[r.File] = append(byFile[r.File], r)
	}
	for f, recs := range byFile {
		if !name.MatchString(f) {
			t.Errorf("file name %q", f)
		}
		if recs[0].Type != "warcinfo" {
			t.Errorf("%s starts with %s", f, recs[0].Type)
		}
		ids := map[string]bool{}
		for _, r := range recs {
			ids[r.get("WARC-Record-ID")] = true
		}
		for _, r := range recs {
			if r.Type == "request" && !ids[r.get("WARC-Concurrent-To")] {
				t.Errorf("%s: request %s without its response", f, r.URI)
			}
			if r.Type != "warcinfo" && r.get("WARC-Warcinfo-ID") != recs[0].get("WARC-Record-ID") {
				t.Errorf("%s: record points at another file's warcinfo", f)
			}
		}
	}
}

func TestCancelFinishesCleanly(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var served atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		for i := 0; i < 50; i++ {
			fmt.Fprintf(w, `<img src="/slow/%d.png">`, i)
		}
	})
	mux.HandleFunc("/slow/{n}", func(w http.ResponseWriter, r *http.Request) {
		if served.Add(1) == 3 {
			cancel()
		}
		select {
		case <-time.After(50 * time.Millisecond):
		case <-r.Context().Done():
		}
		io.WriteString(w, r.URL.Path)
	})
	s := httptest.NewServer(mux)
	defer s.Close()
	res := runTest(t, ctx, []string{s.URL + "/"}, func(o *Options) { o.IgnoreRobots = true; o.Concurrency = 2 })
	if res.err == nil || !res.sum.Canceled {
		t.Fatalf("want an interrupted capture, got err %v", res.err)
	}
	if len(res.uris()) == 0 || len(res.uris()) >= 51 {
		t.Errorf("captured %d URLs before the interrupt", len(res.uris()))
	}
	if len(res.cdxj) != len(res.uris()) {
		t.Errorf("index has %d lines for %d records", len(res.cdxj), len(res.uris()))
	}
}

func TestDNSRecord(t *testing.T) {
	s := siteServer(t)
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(s.URL, "http://"))
	res := runTest(t, context.Background(), []string{"http://Example.Test:" + port + "/static/deep.css"}, func(o *Options) {
		o.Lookup = func(ctx context.Context, host string) ([]net.IP, error) {
			if host != "example.test" {
				return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
			}
			return []net.IP{net.ParseIP("127.0.0.1")}, nil
		}
	})
	var dns []testRec
	for _, r := range res.byType("resource") {
		if r.URI == "dns:example.test" {
			dns = append(dns, r)
		}
	}
	if len(dns) != 1 || !bytes.Contains(dns[0].Block, []byte("example.test.\tIN\tA\t127.0.0.1")) || dns[0].get("Content-Type") != "text/dns" {
		t.Fatalf("dns records %+v", dns)
	}
	if !res.has("http://example.test:" + port + "/static/deep.png") {
		t.Errorf("captured %v", res.uris())
	}
}

func TestEmbedChainTrapIsCapped(t *testing.T) {
	// Every resource is HTML embedding another: an endless requisite chain.
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, `<iframe src="%sx"></iframe>`, r.URL.Path)
	}))
	defer s.Close()
	res := runTest(t, context.Background(), []string{s.URL + "/a"}, func(o *Options) { o.IgnoreRobots = true })
	if n := len(res.uris()); n != 1+maxEmbedHops {
		t.Errorf("captured %d URLs, want %d: %v", n, 1+maxEmbedHops, res.uris())
	}
	capped := false
	for _, e := range res.log {
		capped = capped || e.Kind == "embed-limit"
	}
	if !capped {
		t.Error("the cap is not in the crawl log")
	}
}

func TestPerHostLimitAndDelay(t *testing.T) {
	var inflight, peak atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		for i := 0; i < 12; i++ {
			fmt.Fprintf(w, `<img src="/i/%d">`, i)
		}
	})
	mux.HandleFunc("/i/{n}", func(w http.ResponseWriter, r *http.Request) {
		n := inflight.Add(1)
		defer inflight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		io.WriteString(w, r.URL.Path)
	})
	s := httptest.NewServer(mux)
	defer s.Close()
	res := runTest(t, context.Background(), []string{s.URL + "/"}, func(o *Options) {
		o.Concurrency, o.PerHost, o.IgnoreRobots = 8, 2, true
	})
	if len(res.uris()) != 13 {
		t.Fatalf("captured %d URLs", len(res.uris()))
	}
	if p := peak.Load(); p > 2 || p < 1 {
		t.Errorf("peak of %d fetches in flight to one host, limit 2", p)
	}
	peak.Store(0)
	start := time.Now()
	res = runTest(t, context.Background(), []string{s.URL + "/"}, func(o *Options) {
		o.Concurrency, o.PerHost, o.IgnoreRobots, o.Delay = 8, 4, true, 15*time.Millisecond
	})
	// 13 fetches, each waiting 15 ms after the previous one to the host
	// ended: at least 12 delays, and never two at once.
	if el := time.Since(start); el < 12*15*time.Millisecond || peak.Load() != 1 {
		t.Errorf("with --delay: %v elapsed, peak %d in flight", el, peak.Load())
	}
}

func TestRetryAfterConnectionError(t *testing.T) {
	var n atomic.Int32
	base := rawServer(t, func(c net.Conn, path string) {
		if n.Add(1) == 1 {
			return // close without a byte: a connection error, retried
		}
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
	})
	res := runTest(t, context.Background(), []string{base + "/x"}, func(o *Options) { o.IgnoreRobots, o.Retries = true, 2 })
	if !res.has(base+"/x") || res.sum.Failed != 0 {
		t.Fatalf("not recovered: %v failed %d", res.uris(), res.sum.Failed)
	}
	if l := res.logFor(base + "/x"); len(l) != 2 || l[0].Kind != "retry" || l[1].Status != 200 {
		t.Errorf("crawl log %+v", l)
	}
	dead := rawServer(t, func(c net.Conn, path string) {}) // always closes at once
	res = runTest(t, context.Background(), []string{dead + "/y"}, func(o *Options) { o.IgnoreRobots, o.Retries = true, 1 })
	l := res.logFor(dead + "/y")
	if res.sum.Failed != 1 || len(l) != 2 || l[0].Kind != "retry" || l[1].Kind != "reset" || l[1].Attempt != 2 {
		t.Errorf("exhausted retries: failed %d, log %+v", res.sum.Failed, l)
	}
}

func TestMaxPagesFollowsSeedRedirect(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/new", http.StatusMovedPermanently) })
	mux.HandleFunc("/new", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<a href="/other">o</a>`)
	})
	s := httptest.NewServer(mux)
	defer s.Close()
	res := runTest(t, context.Background(), []string{s.URL + "/old"}, func(o *Options) { o.MaxPages, o.Depth, o.IgnoreRobots = 1, 1, true })
	if !res.has(s.URL+"/new") || res.has(s.URL+"/other") {
		t.Errorf("--max-pages 1 with a redirecting seed captured %v", res.uris())
	}
}

// TestNothingCapturedIsAnError: a capture whose every seed failed says so
// with an error (the command exits non-zero) and names no index it did not
// write.
func TestNothingCapturedIsAnError(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := "http://" + ln.Addr().String() + "/"
	ln.Close() // connections are refused from now on
	res := runTest(t, context.Background(), []string{dead}, nil)
	if !errors.Is(res.err, ErrNothingCaptured) || res.sum == nil {
		t.Fatalf("err %v, want ErrNothingCaptured with a summary", res.err)
	}
	if res.sum.IndexPath != "" || len(res.sum.Files) != 0 || res.sum.Failed != 1 {
		t.Errorf("summary names files that were not written: %+v", res.sum)
	}
	if _, err := os.Stat(res.sum.LogPath); err != nil {
		t.Errorf("crawl log: %v", err)
	}

	// A seed refused by robots.txt is not captured either.
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			io.WriteString(w, "User-agent: *\nDisallow: /\n")
			return
		}
		io.WriteString(w, "<p>page</p>")
	}))
	defer s.Close()
	res = runTest(t, context.Background(), []string{s.URL + "/page"}, nil)
	if !errors.Is(res.err, ErrNothingCaptured) || res.sum.Blocked != 1 {
		t.Errorf("blocked seed: %v %+v", res.err, res.sum)
	}
}

// TestFailuresCounted: a redirect loop, a redirect chain that never ends
// and a body cut by a connection reset are failures in the summary, as
// they are in the crawl log.
func TestFailuresCounted(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<p>fine</p>") })
	mux.HandleFunc("/loop-a", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop-b", http.StatusFound) })
	mux.HandleFunc("/loop-b", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop-a", http.StatusFound) })
	mux.HandleFunc("/far/", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/far/"))
		http.Redirect(w, r, fmt.Sprintf("/far/%d", n+1), http.StatusFound)
	})
	mux.HandleFunc("/cut", func(w http.ResponseWriter, r *http.Request) {
		conn, bw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		bw.WriteString("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\nonly the start")
		bw.Flush()
		conn.(*net.TCPConn).SetLinger(0) // close with a reset
		conn.Close()
	})
	s := httptest.NewServer(mux)
	defer s.Close()
	res := runTest(t, context.Background(), []string{s.URL + "/ok", s.URL + "/loop-a", s.URL + "/far/0", s.URL + "/cut"},
		func(o *Options) { o.IgnoreRobots = true; o.Retries = 0 })
	if res.err != nil {
		t.Fatal(res.err)
	}
	if res.sum.Failed != 3 || res.sum.Seeds != 1 {
		t.Errorf("failed %d (want 3: loop, endless chain, reset body), seeds captured %d (want 1)", res.sum.Failed, res.sum.Seeds)
	}
	kinds := map[string]bool{}
	for _, e := range res.log {
		kinds[e.Kind] = true
		if strings.HasSuffix(e.URL, "/cut") && e.Truncated != "disconnect" {
			t.Errorf("cut body logged as %+v", e)
		}
	}
	if !kinds["redirect-loop"] || !kinds["redirect-limit"] {
		t.Errorf("crawl log kinds %v", kinds)
	}
}

// TestSpoolAfterKill: a capture killed with -9 while a large response is
// spooled leaves its spool folder beside the WARC files, not in /tmp; a
// live capture's folder is never taken for a dead one's; the next capture
// into the folder removes it.
func TestSpoolAfterKill(t *testing.T) {
	release := make(chan struct{})
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "2000000")
		w.Write(bytes.Repeat([]byte("s"), 600<<10)) // past the 256 KiB kept in memory
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer s.Close()
	defer close(release)
	dir := filepath.Join(t.TempDir(), "archive")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "WARCBOX_SPOOL_CHILD="+dir, "WARCBOX_SPOOL_URL="+s.URL+"/big")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	var spooled []string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline) && len(spooled) == 0; time.Sleep(20 * time.Millisecond) {
		spooled, _ = filepath.Glob(filepath.Join(dir, spoolPrefix+"*", "warcbox-spool-*"))
	}
	if len(spooled) == 0 {
		t.Fatalf("no spool file beside the WARCs; child said:\n%s", out.String())
	}
	if removed, err := RemoveStaleSpools(dir, false); err != nil || len(removed) != 0 {
		t.Fatalf("the spool of a running capture was removed: %v %v", removed, err)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if _, err := os.Stat(spooled[0]); err != nil {
		t.Fatalf("kill -9 should leave the spool file: %v", err)
	}
	dry, err := RemoveStaleSpools(dir, true)
	if err != nil || len(dry) != 1 || dry[0].Files != 1 || dry[0].Bytes < 256<<10 {
		t.Fatalf("dry run: %+v %v", dry, err)
	}
	// The next capture into the folder cleans up.
	o := testOptions(filepath.Dir(dir))
	o.IgnoreRobots = true
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	defer ok.Close()
	if _, err := Run(context.Background(), []string{ok.URL + "/"}, o); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, spoolPrefix+"*")); len(left) != 0 {
		t.Errorf("spool folders left after the next capture: %v", left)
	}
}
