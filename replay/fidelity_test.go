package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	pngenc "image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/warcbox/warcbox/internal/testbrowser"

	cdpruntime "github.com/chromedp/cdproto/runtime"
)

// TestRevisitOriginalMissing: pywb's dupes.warc.gz alone holds a revisit
// of www.iana.org whose original is elsewhere, keyed with an iana.org →
// www redirect; replay used to redirect to itself for ever.
func TestRevisitOriginalMissing(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := New(ctx, Config{Paths: []string{filepath.Join(sampleDir(t), "dupes.warc.gz")}, PollInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv := httptest.NewServer(s)
	defer srv.Close()
	for _, u := range []string{"/web/20140127171238mp_/http://www.iana.org/", "/web/20140127171238/http://www.iana.org/", "/web/http://www.iana.org/"} {
		seen := map[string]bool{}
		next := srv.URL + u
		for hops := 0; ; hops++ {
			resp, body := get(t, next)
			if resp.StatusCode/100 == 3 {
				loc := resp.Header.Get("Location")
				if seen[loc] || hops > 5 {
					t.Fatalf("%s: redirect loop through %s", u, loc)
				}
				seen[loc] = true
				next = srv.URL + loc
				continue
			}
			if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "Original missing") {
				t.Errorf("%s: %d, want a 404 saying the original is missing: %.300s", u, resp.StatusCode, body)
			}
			break
		}
	}
}

// TestEmbedServedClosest: an embed captured in another second than the
// page is served at once, not redirected; Content-Location and
// Memento-Datetime say which capture it is. Pages still redirect.
func TestEmbedServedClosest(t *testing.T) {
	srv := newSampleServer(t)
	// screen.css was captured at 20140126200625, the page at 20140126200624
	resp, body := get(t, srv.URL+"/web/20140126200624cs_/http://www.iana.org/_css/2013.1/screen.css")
	if resp.StatusCode != 200 || len(body) < 1000 {
		t.Fatalf("embed in another second: %d (Location %q)", resp.StatusCode, resp.Header.Get("Location"))
	}
	if cl := resp.Header.Get("Content-Location"); cl != "/web/20140126200625cs_/http://www.iana.org/_css/2013.1/screen.css" {
		t.Errorf("Content-Location %q", cl)
	}
	if md := resp.Header.Get("Memento-Datetime"); md != "Sun, 26 Jan 2014 20:06:25 GMT" {
		t.Errorf("Memento-Datetime %q", md)
	}
	resp, _ = get(t, srv.URL+"/web/20140126200625/http://www.iana.org/")
	if resp.StatusCode != http.StatusFound {
		t.Errorf("a page in another second: %d, want a 302 to its own time", resp.StatusCode)
	}
	// A page's fetch() or XHR comes with mp_ (the page modifier) but is an
	// embed: the browser says so in Sec-Fetch-Dest.
	for dest, want := range map[string]int{"empty": http.StatusOK, "script": http.StatusOK, "document": http.StatusFound, "iframe": http.StatusFound} {
		resp, _ := get(t, srv.URL+"/web/20140126200624mp_/http://www.iana.org/_css/2013.1/screen.css", "Sec-Fetch-Dest", dest)
		if resp.StatusCode != want {
			t.Errorf("mp_ with Sec-Fetch-Dest %s: %d, want %d", dest, resp.StatusCode, want)
		}
	}
}

// TestBrowserFidelity drives issue 12's fidelity defects in Chromium:
// location in windows the client did not load in, Response.url and
// responseURL, a form GET into an iframe, WebSockets, embeds in another
// second.
func TestBrowserFidelity(t *testing.T) {
	testbrowser.Path(t)
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	var png bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	if err := pngenc.Encode(&png, img); err != nil {
		t.Fatal(err)
	}
	page := `<!doctype html><html><head><title>fid</title></head><body>
<form id="f" action="/search" method="get" target="fr"><input name="q" value="x"><button id="go">go</button></form>
<iframe name="fr" id="fr"></iframe>
<iframe id="nf" src="http://fid.test/missing"></iframe>
<img id="late" src="/late.png">
<script>
var r = {};
try {
  var f = document.createElement("iframe"); document.body.appendChild(f); window.madeFrame = f;
  r.frameHref = f.contentWindow.location.href;
  r.docLoc = String(f.contentDocument.location);
  var w = window.open("");
  r.popupHref = w.location.href;
  w.location.href = "http://fid.test/target.html?popup";
  f.contentWindow.location.replace("http://fid.test/target.html?frame");
} catch (e) { r.locErr = String(e); }
fetch("http://fid.test/api.json").then(function (res) { r.fetchURL = res.url; });
var x = new XMLHttpRequest(); x.open("GET", "/api.json"); x.onload = function () { r.xhrURL = x.responseURL; }; x.send();
try {
  var ws = new WebSocket("ws://fid.test/socket");
  ws.onerror = function () { r.wsError = true; };
  ws.addEventListener("close", function (e) { r.wsClose = e.code; });
} catch (e) { r.wsErr = String(e); }
window.addEventListener("load", function () {
  try { r.nfHref = document.getElementById("nf").contentWindow.location.href; } catch (e) { r.nfErr = String(e); }
});
window.r = r;
</script></body></html>`
	var b bytes.Buffer
	for _, rec := range []struct{ url, date, block string }{
		{"http://fid.test/", "2024-01-01T00:00:00Z", httpResp("text/html", "", page)},
		{"http://fid.test/api.json", "2024-01-01T00:00:00Z", httpResp("application/json", "", `{"a":1}`)},
		{"http://fid.test/target.html?popup", "2024-01-01T00:00:00Z", httpResp("text/html", "", "<title>target popup</title>t")},
		{"http://fid.test/target.html?frame", "2024-01-01T00:00:00Z", httpResp("text/html", "", "<title>target frame</title>t")},
		{"http://fid.test/search?q=x", "2024-01-01T00:00:00Z", httpResp("text/html", "", "<title>results</title><p id=res>results for x</p>")},
		{"http://fid.test/late.png", "2024-01-01T00:00:05Z", httpResp("image/png", "", png.String())},
	} {
		b.WriteString(warcRecord(rec.url, rec.date, rec.block))
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "fid.warc"), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := New(ctx, Config{Paths: []string{dir}, Name: "fid", PollInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var mu sync.Mutex
	var reqs []string
	s.seen = func(r *http.Request) {
		mu.Lock()
		u := r.URL.RequestURI()
		if r.Header.Get("Upgrade") != "" {
			u += " (upgrade)"
		}
		reqs = append(reqs, u)
		mu.Unlock()
	}
	ui := serveSplit(t, s)
	bctx := testbrowser.Context(t, 60*time.Second)
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	var exMu sync.Mutex
	var exceptions []string
	go func() {
		for ev, err := range chromedp.Events(bctx, cdpruntime.ExceptionThrown) {
			if err != nil {
				return
			}
			exMu.Lock()
			exceptions = append(exceptions, (&chromedp.ExceptionError{ExceptionDetails: ev.ExceptionDetails}).Error())
			exMu.Unlock()
		}
	}()
	if err := chromedp.Do(bctx, chromedp.Navigate(ui+"/fid/20240101000000mp_/http://fid.test/") /* the page itself, not the framed UI */, chromedp.WaitVisible("#f"), chromedp.Sleep(1500*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	str := func(expr string) string {
		t.Helper()
		v, err := chromedp.Run(bctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Errorf("%s: %v", expr, err)
		}
		return v
	}
	got := map[string]any{}
	if err := json.Unmarshal([]byte(str(`JSON.stringify(window.r)`)), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"frameHref": "about:blank", "docLoc": "about:blank", "popupHref": "about:blank",
		"fetchURL": "http://fid.test/api.json", "xhrURL": "http://fid.test/api.json",
		"wsError": true, "wsClose": float64(1006), "nfHref": "http://fid.test/missing",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v (all: %v)", k, got[k], v, got)
		}
	}
	if got["locErr"] != nil {
		t.Errorf("location in a client-less window threw: %v", got["locErr"])
	}
	if ti := str(`window.madeFrame.contentDocument.title`); ti != "target frame" {
		t.Errorf("frame.location.replace(url) loaded %q", ti)
	}
	popup := false
	for u := range pageURLs(t, bctx) {
		if strings.Contains(u, "/fid/") && strings.Contains(u, "target.html?popup") {
			popup = true
		}
	}
	if !popup {
		t.Errorf("w = window.open(''); w.location.href = url did not load the archived url: %v", pageURLs(t, bctx))
	}
	// the late image: served at once, no redirect
	if n := str(`String(document.getElementById("late").naturalWidth) + " " + String(performance.getEntriesByType("resource").filter(function (e) { return e.name.indexOf("late.png") >= 0 && e.redirectEnd > 0 }).length)`); n != "8 0" {
		t.Errorf("image captured 5 s after its page: width and redirects %q", n)
	}
	// a form GET into a named iframe loads the capture there
	if err := chromedp.Do(bctx, chromedp.Click("#go"), chromedp.Sleep(1500*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if res := str(`(function () { var d = document.getElementById("fr").contentDocument; return d.title + "|" + (d.getElementById("res") ? d.getElementById("res").textContent : "") + "|" + (d.querySelector("warcbox-banner") ? "banner" : "") + "|" + /\/[0-9]{14}if_\//.test(d.defaultView.location.pathname) })()`); res != "results|results for x||true" {
		t.Errorf("form GET into an iframe: %q", res)
	}
	mu.Lock()
	for _, r := range reqs {
		// The client asks replay for the socket's recorded frames
		// (ws_), which this WARC does not hold; a handshake is an error.
		if strings.Contains(r, "socket") && (strings.HasSuffix(r, "(upgrade)") || !strings.Contains(r, "ws_/ws://fid.test/socket")) {
			t.Errorf("a WebSocket handshake reached the server: %s", r)
		}
	}
	mu.Unlock()
	exMu.Lock()
	if len(exceptions) > 0 {
		t.Errorf("exceptions: %q", exceptions)
	}
	exMu.Unlock()
}
