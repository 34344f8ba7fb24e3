package browser

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"image/png"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/warcbox/warcbox/capture"
	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/index"
	"github.com/warcbox/warcbox/internal/testbrowser"
	"github.com/warcbox/warcbox/internal/testproxy"
	"github.com/warcbox/warcbox/warc"
)

// chromiumOrSkip finds the browser; a machine without it skips, CI fails.
func chromiumOrSkip(t testing.TB) string { return testbrowser.Path(t) }

// pageHeight is the test page's full height: far more than the viewport,
// so only scrolling brings the lazy content into view.
const pageHeight = 6000

// testPage loads everything that matters by script: an HTTP-only capture
// (or wget) would miss every one of the resources below.
const testPage = `<!doctype html>
<html><head><title>Script-built page</title>
<style>html,body{margin:0;padding:0} #tall{height:%dpx;position:relative}</style>
</head><body><div id="tall">
<p>site %s</p>
<p id="fetched">waiting for fetch</p>
<p id="xhr">waiting for xhr</p>
<img id="lazy" loading="lazy" src="/lazy.png" width="10" height="10" style="position:absolute;top:5800px">
<div id="sentinel" style="position:absolute;top:5900px;height:10px;width:10px"></div>
</div>
<script>
fetch('/data.json').then((r) => r.json()).then((d) => {
  document.getElementById('fetched').textContent = d.message;
});
const x = new XMLHttpRequest();
x.open('GET', '/xhr.txt');
x.onload = () => { document.getElementById('xhr').textContent = x.responseText; };
x.send();
const link = document.createElement('link');
link.rel = 'stylesheet';
link.href = '/inserted.css';
document.head.appendChild(link);
new IntersectionObserver((entries, obs) => {
  for (const e of entries) {
    if (!e.isIntersecting) continue;
    obs.disconnect();
    const img = new Image();
    img.src = '/observed.png';
    img.id = 'observed';
    document.getElementById('tall').appendChild(img);
  }
}).observe(document.getElementById('sentinel'));
</script></body></html>`

// scriptResources are the URLs only a browser running the page fetches.
var scriptResources = []string{"/data.json", "/xhr.txt", "/inserted.css", "/lazy.png", "/observed.png"}

func tinyPNG() []byte {
	b, _ := base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
	return b
}

// siteHandler serves the test site; name goes into every body, so that two
// sites' payloads differ and none is written as a revisit of the other.
func siteHandler(name string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, testPage, pageHeight, name)
	})
	mux.HandleFunc("/data.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"message":"inserted from fetched JSON","site":"`+name+`"}`)
	})
	mux.HandleFunc("/xhr.txt", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "inserted from XMLHttpRequest ("+name+")")
	})
	mux.HandleFunc("/inserted.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css")
		io.WriteString(w, "body { background: #eef; } /* "+name+" */")
	})
	for _, p := range []string{"/lazy.png", "/observed.png"} {
		mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "image/png")
			// Bytes after IEND are ignored by decoders and keep the
			// payloads apart.
			w.Write(append(tinyPNG(), name+p...))
		})
	}
	return mux
}

type warcRecord struct {
	typ, uri, id, ct string
	concurrent       []string
	block            []byte
	status           int
}

// readWARCs reads every record of the capture back with the warc package
// (every block whole, a response's status from it) and checks each file
// with warc.Verify.
func readWARCs(t *testing.T, files []string) []warcRecord {
	t.Helper()
	var out []warcRecord
	for _, f := range files {
		r, err := warc.Open(f, warc.Options{Strict: true})
		if err != nil {
			t.Fatal(err)
		}
		for rec, err := range r.Records() {
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			wr := warcRecord{typ: rec.Type(), uri: rec.TargetURI(), id: rec.ID(), ct: rec.Header.Get("Content-Type"),
				concurrent: rec.Header.Values("WARC-Concurrent-To")}
			if wr.block, err = io.ReadAll(rec.Body); err != nil {
				t.Fatal(err)
			}
			if rec.Type() == "response" {
				m, err := warc.ParseHTTP(bytes.NewReader(wr.block))
				if err != nil {
					t.Fatalf("%s: response %s: %v", f, wr.uri, err)
				}
				wr.status = m.StatusCode
			}
			out = append(out, wr)
		}
		r.Close()
		rep, err := warc.Verify(context.Background(), f, warc.Options{})
		if err != nil || !rep.OK() {
			t.Fatalf("verify %s: %v %+v", f, err, rep)
		}
	}
	return out
}

// TestBrowserCaptureRecordsScriptLoadedResources captures two script-built
// pages, one tab after the other and then in two tabs at once (each with
// its own browser context and proxy), and checks every record.
func TestBrowserCaptureRecordsScriptLoadedResources(t *testing.T) {
	chromium := chromiumOrSkip(t)
	for _, tabs := range []int{1, 2} {
		t.Run(fmt.Sprintf("tabs=%d", tabs), func(t *testing.T) { testScriptLoadedResources(t, chromium, tabs) })
	}
}

func testScriptLoadedResources(t *testing.T, chromium string, tabs int) {
	plain := httptest.NewServer(siteHandler("plain"))
	defer plain.Close()
	secure := httptest.NewTLSServer(siteHandler("secure"))
	defer secure.Close()
	roots := x509.NewCertPool()
	roots.AddCert(secure.Certificate())

	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 80*time.Second)
	defer cancel()
	opts := Options{
		Capture: capture.Options{
			Dir: filepath.Join(dir, "archive"), Hostname: "test", RootCAs: roots,
			Software: "warcbox/test", Timeout: 10 * time.Second,
		},
		Chromium: chromium, Wait: 5 * time.Second, Timeout: 30 * time.Second, Tabs: tabs,
	}
	pages := []string{plain.URL + "/", secure.URL + "/"}
	sum, err := Run(ctx, pages, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Pages) != 2 || !strings.Contains(sum.Browser, "Chrome") {
		t.Fatalf("pages %d, browser %q", len(sum.Pages), sum.Browser)
	}
	for _, pg := range sum.Pages {
		if pg.Err != nil {
			t.Fatalf("page %s: %v", pg.URL, pg.Err)
		}
		if pg.Title != "Script-built page" {
			t.Errorf("page %s: title %q", pg.URL, pg.Title)
		}
		// Each page counts its own exchanges, however many tabs ran.
		if pg.Requests < 1+len(scriptResources) || pg.Requests > 3+len(scriptResources) {
			t.Errorf("page %s: %d requests counted, want its own %d (and a favicon)", pg.URL, pg.Requests, 1+len(scriptResources))
		}
	}
	if sum.Pages[0].URL != pages[0] || sum.Pages[1].URL != pages[1] {
		t.Errorf("pages not reported in the order given: %s, %s", sum.Pages[0].URL, sum.Pages[1].URL)
	}
	if len(sum.Files) == 0 {
		t.Fatal("no WARC written")
	}
	for _, f := range sum.Files {
		rep, err := warc.Verify(ctx, f, warc.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !rep.OK() {
			t.Errorf("verify %s: %+v", f, rep.Findings)
		}
	}
	recs := readWARCs(t, sum.Files)
	byID := map[string]warcRecord{}
	for _, r := range recs {
		byID[r.id] = r
	}

	for _, base := range []string{plain.URL, secure.URL} {
		page := base + "/"
		for _, p := range append([]string{"/"}, scriptResources...) {
			var resp *warcRecord
			for i := range recs {
				if recs[i].typ == "response" && recs[i].uri == base+p {
					resp = &recs[i]
					break
				}
			}
			if resp == nil {
				t.Errorf("no response record for %s", base+p)
				continue
			}
			if resp.status != 200 {
				t.Errorf("%s: status %d", base+p, resp.status)
			}
			// The request record points at its response, as in HTTP mode.
			if len(resp.concurrent) != 1 || byID[resp.concurrent[0]].typ != "request" || byID[resp.concurrent[0]].uri != base+p {
				t.Errorf("%s: response not paired with its request: %v", base+p, resp.concurrent)
			}
		}

		shot := find(recs, "resource", "urn:screenshot:"+page)
		if shot == nil {
			t.Fatalf("no screenshot record for %s", page)
		}
		if shot.ct != "image/png" {
			t.Errorf("screenshot content type %q", shot.ct)
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(shot.block))
		if err != nil {
			t.Fatalf("screenshot of %s is not a PNG: %v", page, err)
		}
		// The page's full height as the browser measured it (the observed
		// image adds a line below the tall block).
		pg := sum.Pages[0]
		if base == secure.URL {
			pg = sum.Pages[1]
		}
		if pg.Height < pageHeight || cfg.Height != pg.Height || cfg.Width != 1280 {
			t.Errorf("screenshot of %s is %dx%d, want 1280x%d (the full page, at least %d)", page, cfg.Width, cfg.Height, pg.Height, pageHeight)
		}

		dom := find(recs, "resource", "urn:dom:"+page)
		if dom == nil {
			t.Fatalf("no DOM record for %s", page)
		}
		for _, want := range []string{"inserted from fetched JSON", "inserted from XMLHttpRequest", `id="observed"`, "/inserted.css"} {
			if !bytes.Contains(dom.block, []byte(want)) {
				t.Errorf("DOM of %s lacks %q", page, want)
			}
		}

		var meta *warcRecord
		for i := range recs {
			if recs[i].typ == "metadata" && recs[i].uri == page && bytes.HasPrefix(recs[i].block, []byte("software: ")) {
				meta = &recs[i]
			}
		}
		if meta == nil {
			t.Fatalf("no provenance record for %s", page)
		}
		for _, want := range []string{"software: warcbox/test", "browser: ", "os: " + runtime.GOOS + "/", "proxy: none", "go-runtime: go", "option-wait: 5s", "start-time: ", "end-time: ",
			"title: Script-built page", "screenshot-digest: " + warc.SHA256.Of(shot.block),
			"dom-digest: " + warc.SHA256.Of(dom.block)} {
			if !bytes.Contains(meta.block, []byte(want)) {
				t.Errorf("provenance of %s lacks %q:\n%s", page, want, meta.block)
			}
		}
		if testing.Verbose() {
			t.Logf("provenance of %s:\n%s", page, meta.block)
		}
		chain := "tls-certificate: " + base64.StdEncoding.EncodeToString(secure.Certificate().Raw)
		if has := bytes.Contains(meta.block, []byte(chain)); has != (base == secure.URL) {
			t.Errorf("provenance of %s: upstream certificate present = %v", page, has)
		}
	}

	var info *warcRecord
	for i := range recs {
		if recs[i].typ == "warcinfo" {
			info = &recs[i]
			break
		}
	}
	if info == nil || !bytes.Contains(info.block, []byte("capture-mode: browser\r\n")) || !bytes.Contains(info.block, []byte("HeadlessChrome/")) {
		t.Errorf("warcinfo does not describe the browser capture: %v", info)
	}
	// Nothing but the two sites was fetched: Chromium's own traffic
	// (updates, account probes) is refused, not archived or logged.
	for _, r := range recs {
		if r.typ == "request" && !strings.HasPrefix(r.uri, plain.URL) && !strings.HasPrefix(r.uri, secure.URL) {
			t.Errorf("foreign request recorded: %s", r.uri)
		}
	}
	if sum.Failed != 0 {
		clog, _ := os.ReadFile(sum.LogPath)
		t.Errorf("%d failures logged:\n%s", sum.Failed, clog)
	}

	idx, err := os.ReadFile(sum.IndexPath)
	if err != nil {
		t.Fatal(err)
	}
	// The index written during the capture is the one `warcbox index`
	// rebuilds from the WARCs, line for line.
	var rebuilt []string
	for _, f := range sum.Files {
		if _, err := index.BuildFile(ctx, f, index.Options{}, func(l *cdxj.Line) error {
			rebuilt = append(rebuilt, l.String())
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	written := strings.Split(strings.TrimSpace(string(idx)), "\n")
	slices.Sort(rebuilt)
	slices.Sort(written)
	if !slices.Equal(written, rebuilt) {
		t.Errorf("capture index differs from the rebuilt one:\n%s\n--- rebuilt:\n%s", strings.Join(written, "\n"), strings.Join(rebuilt, "\n"))
	}
	if !bytes.Contains(idx, []byte(`"urn:screenshot:`+plain.URL)) || !bytes.Contains(idx, []byte("/data.json")) {
		t.Errorf("index lacks the screenshot or the fetched JSON:\n%s", idx)
	}
}

func find(recs []warcRecord, typ, uri string) *warcRecord {
	for i := range recs {
		if recs[i].typ == typ && recs[i].uri == uri {
			return &recs[i]
		}
	}
	return nil
}

func TestMissingChromiumSaysHowToInstall(t *testing.T) {
	dir := t.TempDir()
	_, err := Run(context.Background(), []string{"http://127.0.0.1:1/"}, Options{
		Chromium: filepath.Join(dir, "no-such-chromium"),
		Capture:  capture.Options{Dir: filepath.Join(dir, "archive")},
	})
	if !errors.Is(err, ErrNoChromium) || !strings.Contains(err.Error(), "apt-get install chromium") {
		t.Fatalf("err = %v", err)
	}
	// Nothing is written before the browser is found.
	if _, serr := os.Stat(filepath.Join(dir, "archive")); serr == nil {
		t.Error("archive directory created although the capture could not start")
	}
}

// TestBrowserCaptureIsBounded loads a page whose script waits forever on a
// request, and a seed that redirects: the first is snapshotted once the
// wait runs out, marked as not idle, and the capture ends although the
// request never does; the second is recorded under both URLs.
func TestBrowserCaptureIsBounded(t *testing.T) {
	chromium := chromiumOrSkip(t)
	release := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<!doctype html><title>Slow</title><p id="s">before</p>
<script>fetch('/hang').then(() => {}); document.getElementById('s').textContent = 'script ran';</script>`)
	})
	mux.HandleFunc("/start", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/landing", http.StatusFound)
	})
	mux.HandleFunc("/landing", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<!doctype html><title>Landing</title><p>landed</p>`)
	})
	mux.HandleFunc("/tall", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<!doctype html><title>Tall</title><div style="height:5000px">tall</div>`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	defer close(release)

	dir := t.TempDir()
	sum, err := Run(context.Background(), []string{srv.URL + "/slow", srv.URL + "/start", srv.URL + "/tall"}, Options{
		Capture:  capture.Options{Dir: filepath.Join(dir, "archive"), Hostname: "test", Timeout: time.Minute},
		Chromium: chromium, Wait: time.Second, Idle: 200 * time.Millisecond, Timeout: 20 * time.Second,
		MaxScreenshotHeight: 2000,
	})
	if err != nil {
		t.Fatal(err)
	}
	slow, landing, tall := sum.Pages[0], sum.Pages[1], sum.Pages[2]
	// Unbounded waits would hold the slow page until its load budget (the
	// 20 s timeout less the snapshot's 5 s) ran out; bounded by Wait it
	// ends long before, however loaded the machine. (The run as a whole is
	// not timed: CI machines are shared.)
	if d := slow.End.Sub(slow.Start); d >= 15*time.Second {
		t.Errorf("the slow page took %v: its waits ran into the page timeout instead of --wait", d)
	}
	if tall.Err != nil || tall.Height < 5000 || tall.ShotHeight != 2000 || slow.ShotHeight != 800 {
		t.Errorf("screenshot heights: tall page %d of %d (err %v), short page %d", tall.ShotHeight, tall.Height, tall.Err, slow.ShotHeight)
	}
	if slow.Err != nil || slow.Idle || slow.Title != "Slow" {
		t.Errorf("slow page: err %v, idle %v, title %q", slow.Err, slow.Idle, slow.Title)
	}
	if landing.Err != nil || landing.FinalURL != srv.URL+"/landing" || landing.Title != "Landing" {
		t.Errorf("redirected page: err %v, final %q, title %q", landing.Err, landing.FinalURL, landing.Title)
	}
	recs := readWARCs(t, sum.Files)
	for _, want := range []string{srv.URL + "/start", srv.URL + "/landing", srv.URL + "/slow"} {
		if find(recs, "response", want) == nil {
			t.Errorf("no response record for %s", want)
		}
	}
	var prov *warcRecord
	for i := range recs {
		if recs[i].typ == "metadata" && recs[i].uri == srv.URL+"/slow" && bytes.HasPrefix(recs[i].block, []byte("software: ")) {
			prov = &recs[i]
		}
	}
	if shot := find(recs, "resource", "urn:screenshot:"+srv.URL+"/tall"); shot == nil {
		t.Error("no screenshot of the tall page")
	} else if cfg, err := png.DecodeConfig(bytes.NewReader(shot.block)); err != nil || cfg.Height != 2000 {
		t.Errorf("tall page screenshot: %v, %+v", err, cfg)
	}
	if prov == nil || !bytes.Contains(prov.block, []byte("network-idle: false")) {
		t.Fatalf("provenance of the slow page does not say the network stayed busy: %v", prov)
	}
	if dom := find(recs, "resource", "urn:dom:"+srv.URL+"/slow"); dom == nil || !bytes.Contains(dom.block, []byte("script ran")) {
		t.Error("DOM of the slow page missing or taken before its script ran")
	}
	// The request that never ended is in the crawl log, not lost.
	log, err := os.ReadFile(sum.LogPath)
	if err != nil || !bytes.Contains(log, []byte(srv.URL+"/hang")) {
		t.Errorf("crawl log lacks the unfinished request: %s (%v)", log, err)
	}
}

// TestBrowserCaptureCanceled stops a capture in the middle of a page: Run
// returns the context's error with the files finished (renamed from .open)
// and what was recorded so far readable.
func TestBrowserCaptureCanceled(t *testing.T) {
	chromium := chromiumOrSkip(t)
	hit := make(chan struct{}, 1)
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<!doctype html><title>Waits</title><script>fetch('/never')</script>`)
	})
	// Not the page's bytes: the page would be a revisit of robots.txt.
	mux.HandleFunc("/robots.txt", http.NotFound)
	mux.HandleFunc("/never", func(w http.ResponseWriter, r *http.Request) {
		select {
		case hit <- struct{}{}:
		default:
		}
		<-r.Context().Done()
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-hit:
			cancel()
		case <-time.After(30 * time.Second):
		}
	}()
	dir := t.TempDir()
	var seen []Page
	sum, err := Run(ctx, []string{srv.URL + "/", srv.URL + "/second"}, Options{
		Capture:  capture.Options{Dir: filepath.Join(dir, "archive"), Hostname: "test"},
		Chromium: chromium, Wait: 20 * time.Second, Timeout: 40 * time.Second,
		OnPage: func(p Page) { seen = append(seen, p) },
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if sum == nil || len(sum.Files) != 1 || !sum.Canceled || len(seen) != 1 || len(sum.Pages) != 1 {
		t.Fatalf("summary %+v, pages seen %d", sum, len(seen))
	}
	if strings.HasSuffix(sum.Files[0], ".open") {
		t.Errorf("file not finished: %s", sum.Files[0])
	}
	if find(readWARCs(t, sum.Files), "response", srv.URL+"/") == nil {
		t.Error("the page recorded before the cancel is missing")
	}
}

// TestBrowserCaptureDeadSite: a page the proxy cannot fetch fails, with no
// screenshot or DOM of the proxy's own error message in the archive, and
// the next page is still captured.
func TestBrowserCaptureDeadSite(t *testing.T) {
	chromium := chromiumOrSkip(t)
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := "http://" + ln.Addr().String() + "/"
	ln.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<!doctype html><title>Alive</title>`)
	}))
	defer srv.Close()
	dir := t.TempDir()
	sum, err := Run(context.Background(), []string{dead, srv.URL + "/"}, Options{
		Capture:  capture.Options{Dir: filepath.Join(dir, "archive"), Hostname: "test", Timeout: 3 * time.Second},
		Chromium: chromium, Wait: 2 * time.Second, Timeout: 20 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Pages[0].Err == nil || !strings.Contains(sum.Pages[0].Err.Error(), "refused") {
		t.Errorf("dead page: err %v", sum.Pages[0].Err)
	}
	if sum.Pages[1].Err != nil || sum.Pages[1].Title != "Alive" {
		t.Errorf("live page after the dead one: %+v", sum.Pages[1])
	}
	recs := readWARCs(t, sum.Files)
	if find(recs, "resource", "urn:screenshot:"+dead) != nil || find(recs, "resource", "urn:dom:"+dead) != nil {
		t.Error("the proxy's error page was archived as the dead site's screenshot or DOM")
	}
	if find(recs, "resource", "urn:screenshot:"+srv.URL+"/") == nil {
		t.Error("no screenshot of the live page")
	}
	clog, _ := os.ReadFile(sum.LogPath)
	if bytes.Count(clog, []byte(`"url":"`+dead+`"`)) != 1 {
		t.Errorf("the dead page should be logged once:\n%s", clog)
	}
}

// TestBrowserCaptureThroughProxy loads a page by a name only an upstream
// CONNECT proxy resolves: the recording proxy's fetches (the page and what
// its scripts load) must all go through it.
func TestBrowserCaptureThroughProxy(t *testing.T) {
	chromium := chromiumOrSkip(t)
	site := httptest.NewServer(siteHandler("proxied"))
	defer site.Close()
	up := testproxy.New(t, false)
	px, err := capture.ParseUpstream("http://" + up.Addr())
	if err != nil {
		t.Fatal(err)
	}
	page := strings.Replace(site.URL, "127.0.0.1", "example.com", 1) + "/"
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sum, err := Run(ctx, []string{page}, Options{
		Capture:  capture.Options{Dir: filepath.Join(dir, "archive"), Hostname: "test", Timeout: 10 * time.Second, Proxy: px},
		Chromium: chromium, Wait: 5 * time.Second, Timeout: 30 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Pages) != 1 || sum.Pages[0].Err != nil || sum.Pages[0].Title != "Script-built page" {
		t.Fatalf("pages: %+v", sum.Pages)
	}
	recs := readWARCs(t, sum.Files)
	for _, p := range append([]string{"/"}, scriptResources...) {
		if find(recs, "response", strings.TrimSuffix(page, "/")+p) == nil {
			t.Errorf("no response record for %s", p)
		}
	}
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(site.URL, "http://"))
	if asked := up.Asked(); len(asked) == 0 || !slices.Contains(asked, "example.com:"+port) {
		t.Errorf("the upstream proxy was asked for %v", asked)
	}
}
