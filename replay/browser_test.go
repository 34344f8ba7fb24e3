package replay

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/warcbox/warcbox/internal/testbrowser"
	"github.com/warcbox/warcbox/internal/testneed"

	cdpruntime "github.com/chromedp/cdproto/runtime"
)

// pythonDocs is Debian's python3.11-doc: a real site to capture and replay.
const pythonDocs = "/usr/share/doc/python3.11/html"

// liveSite is the "original" web site: it serves testdata/site (with LIVE
// replaced by its own origin) and Debian's Python docs under /docs/, and
// logs every request it gets.
type liveSite struct {
	srv  *httptest.Server
	mu   sync.Mutex
	log  []string
	open bool // log requests
}

func newLiveSite(t *testing.T) *liveSite {
	ls := &liveSite{open: true}
	docs := http.StripPrefix("/docs/", http.FileServer(http.Dir(pythonDocs)))
	ls.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ls.mu.Lock()
		if ls.open {
			ls.log = append(ls.log, r.Method+" "+r.URL.String())
		}
		ls.mu.Unlock()
		if strings.HasPrefix(r.URL.Path, "/docs/") {
			docs.ServeHTTP(w, r)
			return
		}
		name := filepath.Base(r.URL.Path)
		b, err := os.ReadFile(filepath.Join("testdata", "site", name))
		if err != nil || name == "." || name == "/" {
			http.NotFound(w, r)
			return
		}
		origin := ls.srv.URL
		host := strings.TrimPrefix(origin, "http://")
		if !strings.HasSuffix(name, ".png") {
			b = []byte(strings.NewReplacer("LIVE", origin, "HOSTPORT", host).Replace(string(b)))
		}
		switch filepath.Ext(name) {
		case ".html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Security-Policy", "default-src *") // must be dropped in replay
		case ".css":
			w.Header().Set("Content-Type", "text/css")
		case ".js":
			w.Header().Set("Content-Type", "application/javascript")
		case ".json":
			w.Header().Set("Content-Type", "application/json")
		case ".png":
			w.Header().Set("Content-Type", "image/png")
		}
		w.Write(b)
	}))
	ls.srv.Start() // after ls.srv is set: the handler reads its URL
	t.Cleanup(ls.srv.Close)
	return ls
}

func (ls *liveSite) reset() {
	ls.mu.Lock()
	ls.log = nil
	ls.mu.Unlock()
}

func (ls *liveSite) requests() []string {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	return append([]string(nil), ls.log...)
}

func needTool(t *testing.T, path string) {
	if _, err := exec.LookPath(path); err != nil {
		testneed.Missing(t, "%s not installed (install Debian's chromium and wget): %v", path, err)
	}
}

// TestBrowserNoLeaks captures a site with wget from a 127.0.0.1 server,
// replays it in headless Chromium while that server keeps running, and
// asserts the server sees no request at all during replay; it also checks
// the page's run-time URLs were served from the archive.
func TestBrowserNoLeaks(t *testing.T) {
	testbrowser.Path(t) // skip (fail under CI) without chromium before capturing anything
	needTool(t, "wget")
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	live := newLiveSite(t)
	dir := t.TempDir()
	warcBase := filepath.Join(dir, "site")
	starts := []string{live.srv.URL + "/dyn.html"}
	_, docsErr := os.Stat(pythonDocs)
	if docsErr == nil {
		starts = append(starts, live.srv.URL+"/docs/tutorial/index.html")
	} else {
		t.Logf("Debian's python3.11-doc is not installed: replaying the test page only (%v)", docsErr)
	}
	wget := exec.Command("wget", append([]string{"--no-verbose", "-e", "robots=off", "--warc-file=" + warcBase, "--no-warc-compression",
		"-r", "-l", "1", "-p", "-P", filepath.Join(dir, "dl"), "--tries=1", "--timeout=10"}, starts...)...)
	if out, err := wget.CombinedOutput(); err != nil {
		// wget exits 8 when some link 404s (not-archived.png is meant to): fine
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 8 {
			t.Fatalf("wget: %v\n%s", err, out)
		}
	}
	captured := len(live.requests())
	if captured < 12 {
		t.Fatalf("wget fetched only %d URLs: %v", captured, live.requests())
	}
	// The replay server must not need the live site: any request from now
	// on is a leak.
	live.reset()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := New(ctx, Config{Paths: []string{warcBase + ".warc"}, PollInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	replaySrv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: s}}
	replaySrv.Start()
	defer replaySrv.Close()

	bctx := testbrowser.Context(t, 90*time.Second, chromedp.WindowSize(1200, 900), chromedp.Flag("disable-dev-shm-usage", true))

	// Uncaught exceptions in replayed pages mean the rewriting broke a script.
	// The tab must exist before its events can be subscribed to.
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("chromium: %v", err)
	}
	var exMu sync.Mutex
	var exceptions []string
	exEvents := chromedp.Events(bctx, cdpruntime.ExceptionThrown)
	go func() {
		for ev, err := range exEvents {
			if err != nil {
				return
			}
			exMu.Lock()
			exceptions = append(exceptions, (&chromedp.ExceptionError{ExceptionDetails: ev.ExceptionDetails}).Error())
			exMu.Unlock()
		}
	}()
	origPage := live.srv.URL + "/dyn.html"
	// mp_: the page itself, top-level, without the framed UI around it
	err = chromedp.Do(bctx,
		chromedp.Navigate(replaySrv.URL+"/web/mp_/"+origPage),
		chromedp.WaitVisible("#h"),
	)
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	if _, err := chromedp.Run(bctx, chromedp.Poll[bool](`document.getElementById("xhr").textContent !== "" && document.getElementById("fetch").textContent !== "" && document.getElementById("worker").textContent.indexOf("api:") >= 0`,
		chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		t.Errorf("fetch/XHR results never arrived: %v", err)
	}
	chromedp.Do(bctx, chromedp.Sleep(500*time.Millisecond))
	str := func(expr string) string {
		v, err := chromedp.Run(bctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Errorf("%s: %v", expr, err)
		}
		return v
	}
	num := func(expr string) int {
		v, err := chromedp.Run(bctx, chromedp.Evaluate[int](expr))
		if err != nil {
			t.Errorf("%s: %v", expr, err)
		}
		return v
	}
	loc := str(`document.getElementById("loc").textContent`)
	fetched := str(`document.getElementById("fetch").textContent`)
	xhr := str(`document.getElementById("xhr").textContent`)
	worker := str(`document.getElementById("worker").textContent`)
	msgOrigin := str(`document.getElementById("msg").textContent`)
	dynW := num(`document.getElementById("dyn").naturalWidth`)
	innerW := num(`document.getElementById("inner-img").naturalWidth`)
	writtenW := num(`document.getElementById("written").naturalWidth`)
	appLoaded := str(`String(window.appLoaded)`) == "true"
	appHost := str(`String(window.appHost)`)
	realPath := str(`window.location.pathname`)
	aAttr := str(`document.getElementsByTagName("a")[0].getAttribute("href")`)
	aProp := str(`document.getElementsByTagName("a")[0].href`)
	aReal := str(`HTMLAnchorElement.prototype.__lookupGetter__ ? document.getElementsByTagName("a")[0].outerHTML : ""`)
	// mp_ has no banner in the page: the banner is the top frame's
	// (TestBrowserFramedUI)
	banner := str(`String(document.querySelector("warcbox-banner") !== null)`) == "true"
	shot, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	saveShot(t, "replayed-page.png", shot)
	if loc != origPage {
		t.Errorf("page saw location %q, want %q", loc, origPage)
	}
	if fetched != "42" || xhr != "42" {
		t.Errorf("fetch=%q xhr=%q: run-time requests not served from the archive", fetched, xhr)
	}
	if want := "loc:" + live.srv.URL + "/worker.js api:42 "; worker != want && worker != "api:42 loc:"+live.srv.URL+"/worker.js " {
		t.Errorf("worker saw %q, want %q", worker, want)
	}
	if msgOrigin != live.srv.URL {
		t.Errorf("postMessage: the page saw origin %q, want the archived %q", msgOrigin, live.srv.URL)
	}
	if aAttr != live.srv.URL+"/api.json" || aProp != live.srv.URL+"/api.json" || !strings.Contains(aReal, `href="/web/`) {
		t.Errorf("link reads: getAttribute %q, .href %q, markup %q", aAttr, aProp, aReal)
	}
	if dynW != 8 || innerW != 8 || writtenW != 8 {
		t.Errorf("run-time images not loaded from the archive: Image()=%d innerHTML=%d document.write=%d", dynW, innerW, writtenW)
	}
	if !appLoaded || appHost != strings.TrimPrefix(live.srv.URL, "http://") {
		t.Errorf("script with integrity not run or location.host wrong: loaded=%v host=%q", appLoaded, appHost)
	}
	if !strings.HasPrefix(realPath, "/web/") || !strings.HasSuffix(realPath, "/pushed.html") {
		t.Errorf("history.pushState escaped the archive: %q", realPath)
	}
	if banner {
		t.Errorf("a banner inside the page content (mp_), where the page could remove or fake it")
	}

	// A navigation the archived script makes by assigning location.
	if err := chromedp.Do(bctx, chromedp.Evaluate[chromedp.Void](`goLive()`), chromedp.Sleep(1500*time.Millisecond)); err != nil {
		t.Logf("goLive: %v", err) // the navigation may interrupt the evaluation
	}
	if href := str(`window.location.href`); !strings.HasPrefix(href, replaySrv.URL+"/web/") || !strings.HasSuffix(href, "/frame.html") {
		t.Errorf("location assignment left the archive: %q", href)
	}
	// Navigations the server-side rewriting cannot see (a computed property
	// name, an eval'd string, Reflect): the client's Navigation API guard
	// must bring each back into the archive, and the live site must see none.
	// A frame setting its parent's location is the fourth; a site path built
	// at run time (same origin as replay, outside its paths) the fifth.
	for via, call := range map[string]string{
		"computed": `goLiveComputed()`, "eval": `goLiveEval()`, "reflect": `goLiveReflect()`,
		"top": `document.querySelector("iframe").contentWindow.goTop()`,
		// A site path built at run time resolves against the replay host.
		"path": `goLocalPath()`,
	} {
		if err := chromedp.Do(bctx, chromedp.Navigate(replaySrv.URL+"/web/mp_/"+origPage), chromedp.WaitVisible("#h"), chromedp.Sleep(300*time.Millisecond)); err != nil {
			t.Fatalf("chromium: %v", err)
		}
		if err := chromedp.Do(bctx, chromedp.Evaluate[chromedp.Void](call), chromedp.Sleep(1500*time.Millisecond)); err != nil {
			t.Logf("%s: %v", call, err)
		}
		want := "/frame.html?via=" + via
		if href := str(`window.location.href`); !strings.HasPrefix(href, replaySrv.URL+"/web/") || !strings.HasSuffix(href, want) {
			t.Errorf("navigation through %s left the archive or was lost: %q (want a replay URL ending %s)", via, href, want)
		}
	}

	// A real site (Python docs) and the UI pages, with screenshots.
	pages := []struct{ name, url, sel string }{

		{"ui-home.png", "/", "h1"},
		{"ui-collection.png", "/web/", "h1"},
		{"ui-captures.png", "/web/*/" + origPage, "h1"},
		{"ui-prefix.png", "/web/*/" + live.srv.URL + "/*", "h1"},
		{"ui-notfound.png", "/web/2020/" + live.srv.URL + "/nothing-here", "h1"},
	}
	if docsErr == nil {
		pages = append(pages, struct{ name, url, sel string }{"docs.png", "/web/" + live.srv.URL + "/docs/tutorial/index.html", "body"})
	}
	for _, p := range pages {
		if err := chromedp.Do(bctx,
			chromedp.Navigate(replaySrv.URL+p.url),
			chromedp.WaitReady(p.sel),
			chromedp.Sleep(300*time.Millisecond),
		); err != nil {
			t.Fatalf("%s: %v", p.url, err)
		}
		title, err := chromedp.Run(bctx, chromedp.Title())
		if err != nil {
			t.Fatalf("%s: %v", p.url, err)
		}
		shot, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("%s: %v", p.url, err)
		}
		if len(shot) < 1000 || title == "" {
			t.Errorf("%s: blank page (title %q, %d-byte screenshot)", p.url, title, len(shot))
		}
		saveShot(t, p.name, shot)
	}
	// An old capture: pywb's sample archive (IANA, January 2014). The page
	// runs jQuery; its clock must read the capture time, and cookies set
	// with expiry dates from that clock must stick.
	sample := newSampleServer(t)
	if err := chromedp.Do(bctx, chromedp.Navigate(sample.URL+"/web/20140126200624mp_/http://www.iana.org/"), chromedp.WaitReady("body"), chromedp.Sleep(300*time.Millisecond)); err != nil {
		t.Fatalf("iana: %v", err)
	}
	if y := num(`new Date().getUTCFullYear() * 100 + (new Date().getUTCMonth() + 1)`); y != 201401 {
		t.Errorf("replayed clock reads %d, want the capture's 201401", y)
	}
	if got := str(`document.cookie = "wbtest=1; path=/; expires=" + new Date(Date.now() + 86400000).toUTCString(); String(document.cookie.indexOf("wbtest=1") >= 0)`); got != "true" {
		t.Errorf("cookie with a capture-time expiry was dropped")
	}
	if title := str(`document.title`); !strings.Contains(title, "Internet Assigned Numbers Authority") {
		t.Errorf("iana page title %q", title)
	}
	exMu.Lock()
	if len(exceptions) > 0 {
		t.Errorf("replayed pages threw %d exceptions: %q", len(exceptions), exceptions)
	}
	exMu.Unlock()
	// Let anything late (workers, beacons, iframes) have its chance to leak.
	time.Sleep(500 * time.Millisecond)
	if leaks := live.requests(); len(leaks) != 0 {
		t.Errorf("the live site got %d requests during replay: %v", len(leaks), leaks)
	}
}

// saveShot writes a screenshot to $WARCBOX_SCREENSHOTS when set, so the
// pages can be looked at; otherwise to the test's temporary folder.
func saveShot(t *testing.T, name string, b []byte) {
	dir := os.Getenv("WARCBOX_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		t.Errorf("screenshot: %v", err)
	}
}
