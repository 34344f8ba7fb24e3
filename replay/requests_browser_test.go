package replay

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/warcbox/warcbox/internal/testbrowser"
)

// docsSearchArchive is a documentation search page as Sphinx and MkDocs
// make them, every subresource captured in another second than the page
// (issue 12: each cost a 302, 251 requests against ReplayWeb.page's 137):
// style sheets with web fonts and background images, scripts, images in
// the markup and in srcset, images set by script, a search index fetched
// with fetch() and data with XMLHttpRequest, a script-inserted script.
// When everything has loaded (window load, fonts, the script's own
// loads), the page fetches done.txt, which the test waits for.
func docsSearchArchive(t *testing.T) (path string, archived []string) {
	t.Helper()
	var b bytes.Buffer
	sec := 0
	date := func() string {
		sec++
		return fmt.Sprintf("2024-03-01T10:%02d:%02dZ", sec/60, sec%60)
	}
	add := func(u, ct, body string) {
		b.WriteString(warcRecord("http://docs.test"+u, date(), httpResp(ct, "", body)))
		archived = append(archived, "http://docs.test"+u)
	}
	png := "\x89PNG\r\n\x1a\n" + strings.Repeat("\x00", 64)
	font := "wOF2" + strings.Repeat("\x00", 64)
	var body strings.Builder
	body.WriteString(`<!doctype html><html><head><meta charset="utf-8"><title>Search - Docs</title>`)
	for i := 0; i < 3; i++ {
		fmt.Fprintf(&body, `<link rel="stylesheet" href="/_static/css/theme%d.css">`, i)
	}
	body.WriteString(`<link rel="stylesheet" href="/_static/css/theme-import.css">`)
	body.WriteString(`<link rel="preload" as="font" type="font/woff2" crossorigin href="/_static/fonts/pre.woff2"><style>@font-face { font-family: Pre; src: url(/_static/fonts/pre.woff2); } .pre { font-family: Pre; }</style>`)
	for _, s := range []string{"jquery", "underscore", "doctools", "language_data", "searchtools"} {
		fmt.Fprintf(&body, `<script src="/_static/js/%s.js"></script>`, s)
	}
	body.WriteString(`</head><body class="wy-body"><div class="nav"><img src="/_static/logo.png" alt="logo">`)
	for i := 0; i < 8; i++ {
		fmt.Fprintf(&body, `<img src="/_static/img/icon%d.png" alt="">`, i)
	}
	body.WriteString(`<img src="/_static/img/hero.png" srcset="/_static/img/hero.png 1x, /_static/img/hero-2x.png 3x" alt="">`)
	for i := 0; i < 3; i++ {
		fmt.Fprintf(&body, `<div class="bg%d"><span class="f%d">text in font %d <b>bold</b></span></div>`, i, i, i)
	}
	body.WriteString(`<div class="ins">inserted rule</div><div class="cons">constructed sheet</div>`)
	body.WriteString(`<span class="fi">imported</span><span style="font-family: Dyn">dynamic font</span><span class="pre">preloaded</span>`)
	body.WriteString(`<iframe src="/widget.html" width="200" height="50"></iframe>`)
	body.WriteString(`<script type="module" src="/_static/js/app.mjs"></script>`)
	body.WriteString(`</div><div id="results"></div>
<script>
var pending = [];
function img(u) { return new Promise(function (ok) { var i = new Image(); i.onload = i.onerror = ok; i.src = u; document.body.appendChild(i); }); }
for (var i = 0; i < 4; i++) pending.push(img("/_static/img/result" + i + ".png"));
document.styleSheets[0].insertRule(".ins { background-image: url(/_static/img/inserted.png); }", 0);
var sheet = new CSSStyleSheet(); sheet.replaceSync(".cons { background-image: url('/_static/img/constructed.png'); }"); document.adoptedStyleSheets = [sheet];
var dyn = new FontFace("Dyn", "url(/_static/fonts/dyn.woff2)"); document.fonts.add(dyn); pending.push(dyn.load().catch(function () {}));
pending.push(new Promise(function (ok) { var w = new Worker("/_static/js/worker.js"); w.onmessage = ok; w.onerror = ok; }));
pending.push(new Promise(function (ok) { window.addEventListener("message", function (e) { if (e.data === "widget") ok(); }); }));
pending.push(new Promise(function (ok) { window.moduleDone = ok; }));
var el = document.createElement("img"); el.setAttribute("src", "/_static/img/attr.png"); document.body.appendChild(el);
pending.push(new Promise(function (ok) { el.onload = el.onerror = ok; }));
pending.push(fetch("/searchindex.json").then(function (r) { return r.json(); }).then(function (j) {
  document.getElementById("results").textContent = j.docs.length + " documents";
}));
pending.push(new Promise(function (ok) {
  var x = new XMLHttpRequest(); x.open("GET", "/_static/data/terms.json"); x.onloadend = ok; x.send();
}));
pending.push(new Promise(function (ok) {
  var s = document.createElement("script"); s.src = "/_static/js/highlight.js"; s.onload = s.onerror = ok; document.head.appendChild(s);
}));
window.addEventListener("load", function () {
  document.fonts.ready.then(function () { return Promise.all(pending); }).then(function () {
    fetch("/done.txt").then(function () { document.title = "Search - Docs (loaded)"; });
  });
});
</script></body></html>`)
	b.WriteString(warcRecord("http://docs.test/search.html", "2024-03-01T10:00:00Z", httpResp("text/html; charset=utf-8", "", body.String())))
	archived = append(archived, "http://docs.test/search.html")
	for i := 0; i < 3; i++ {
		add(fmt.Sprintf("/_static/css/theme%d.css", i), "text/css", fmt.Sprintf(`
@font-face { font-family: "F%[1]d"; src: url("../fonts/f%[1]d.woff2") format("woff2"); }
@font-face { font-family: "F%[1]db"; font-weight: bold; src: url("../fonts/f%[1]d-bold.woff2") format("woff2"); }
.f%[1]d { font-family: "F%[1]d"; } .f%[1]d b { font-family: "F%[1]db"; }
.bg%[1]d { background-image: url("../img/bg%[1]d.png"); }
`, i))
	}
	add("/_static/css/theme-import.css", "text/css", `@import url("imported.css");`)
	add("/_static/css/imported.css", "text/css", `@font-face { font-family: "FI"; src: url("../fonts/imported.woff2"); } .fi { font-family: "FI"; }`)
	add("/_static/fonts/imported.woff2", "font/woff2", font)
	add("/_static/fonts/dyn.woff2", "font/woff2", font)
	add("/_static/fonts/pre.woff2", "font/woff2", font)
	// (a worker's own requests, importScripts, are another target's:
	// not seen here)
	add("/_static/js/worker.js", "application/javascript", `postMessage("worker");`)
	add("/_static/js/app.mjs", "text/javascript", `import { x } from "./mod.mjs"; import("./lazy.mjs").then(function () { window.moduleDone(x); });`)
	add("/_static/js/mod.mjs", "text/javascript", `export const x = 1;`)
	add("/_static/js/lazy.mjs", "text/javascript", `export const y = 2;`)
	add("/widget.html", "text/html", `<!doctype html><title>widget</title><img src="/_static/img/widget.png"><script>parent.postMessage("widget", "*")</script>`)
	add("/_static/img/widget.png", "image/png", png)
	add("/_static/img/inserted.png", "image/png", png)
	add("/_static/img/constructed.png", "image/png", png)
	for i := 0; i < 3; i++ {
		add(fmt.Sprintf("/_static/fonts/f%d.woff2", i), "font/woff2", font)
		add(fmt.Sprintf("/_static/fonts/f%d-bold.woff2", i), "font/woff2", font)
		add(fmt.Sprintf("/_static/img/bg%d.png", i), "image/png", png)
	}
	for _, s := range []string{"jquery", "underscore", "doctools", "language_data", "searchtools", "highlight"} {
		add("/_static/js/"+s+".js", "application/javascript", "var "+s+"_loaded = true;")
	}
	add("/_static/logo.png", "image/png", png)
	for i := 0; i < 8; i++ {
		add(fmt.Sprintf("/_static/img/icon%d.png", i), "image/png", png)
	}
	add("/_static/img/hero.png", "image/png", png)
	for i := 0; i < 4; i++ {
		add(fmt.Sprintf("/_static/img/result%d.png", i), "image/png", png)
	}
	add("/_static/img/attr.png", "image/png", png)
	add("/searchindex.json", "application/json", `{"docs": ["a", "b", "c"]}`)
	add("/_static/data/terms.json", "application/json", `{"terms": []}`)
	add("/done.txt", "text/plain", "done")
	dir := t.TempDir()
	path = filepath.Join(dir, "docs.warc")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, archived
}

// archivedRequests counts the requests a browser makes for archived
// content of docs.test while it loads start: every request (each hop of
// a redirect too) whose URL is an archival URL of docs.test, in any frame,
// whoever answers it (a server, or ReplayWeb.page's service worker). The
// UI's own requests (scripts, the timeline API) are not archived content.
func archivedRequests(t *testing.T, start string) (n int, urls []string) {
	t.Helper()
	archival := regexp.MustCompile(`/\d{14}[a-z]{0,3}_?/https?://docs\.test/`)
	ctx := testbrowser.Context(t, 90*time.Second)
	var mu sync.Mutex
	done := make(chan struct{})
	var once sync.Once
	err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			u := e.Request.URL
			if !archival.MatchString(u) {
				return
			}
			mu.Lock()
			urls = append(urls, u)
			mu.Unlock()
			if strings.HasSuffix(u, "docs.test/done.txt") {
				once.Do(func() { close(done) })
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(start)); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-ctx.Done():
		mu.Lock()
		defer mu.Unlock()
		t.Fatalf("the page never finished loading from %s; %d archived requests: %q", start, len(urls), urls)
	}
	// Nothing the page asks for comes after done.txt; give stragglers
	// (requests issued before it, reported late) a moment.
	time.Sleep(time.Second)
	mu.Lock()
	defer mu.Unlock()
	sort.Strings(urls)
	return len(urls), append([]string(nil), urls...)
}

// TestBrowserRequestsVsReplayWebPage: the docs search page, every
// subresource captured in another second than the page, replayed in
// Chromium through warcbox (framed, as a browser gets it) and through
// ReplayWeb.page 2.5.3 (from .ci/rwp): warcbox makes no more requests for
// archived content than ReplayWeb.page does.
func TestBrowserRequestsVsReplayWebPage(t *testing.T) {
	rwpDir := testbrowser.ReplayWebPageDir(t)
	warcPath, archived := docsSearchArchive(t)
	const pageURL = "http://docs.test/search.html"

	// warcbox, as `warcbox replay` serves it
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := New(ctx, Config{Paths: []string{warcPath}, PollInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ui := serveSplit(t, s)
	ours, ourURLs := archivedRequests(t, ui+"/web/20240301100000/"+pageURL)

	// ReplayWeb.page, embedded as its docs show, on the same WARC
	mux := http.NewServeMux()
	mux.Handle("/rwp/", http.StripPrefix("/rwp/", http.FileServer(http.Dir(rwpDir))))
	mux.HandleFunc("/archive.warc", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/warc")
		http.ServeFile(w, r, warcPath)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, `<!doctype html><html><head><script src="/rwp/ui.js"></script></head><body>
<replay-web-page style="width:1000px;height:800px;display:block" replaybase="/rwp/" source="/archive.warc" url="%s" ts="20240301100000" embed="replayonly"></replay-web-page>
</body></html>`, html.EscapeString(pageURL))
	})
	rwp := httptest.NewServer(mux)
	defer rwp.Close()
	theirs, theirURLs := archivedRequests(t, rwp.URL+"/")

	t.Logf("%d archived resources; requests for archived content: warcbox %d, ReplayWeb.page 2.5.3 %d", len(archived), ours, theirs)
	if ours > theirs {
		t.Errorf("warcbox made %d requests for archived content, ReplayWeb.page %d:\nwarcbox:\n%s\nReplayWeb.page:\n%s",
			ours, theirs, strings.Join(ourURLs, "\n"), strings.Join(theirURLs, "\n"))
	}
	// Every archived resource was asked for: the page really loaded, the
	// same way, in both.
	// ReplayWeb.page 2.5.3 does not rewrite a constructed style sheet's
	// text (replaceSync): that image is warcbox's alone.
	rwpMisses := map[string]bool{"http://docs.test/_static/img/constructed.png": true}
	for who, urls := range map[string][]string{"warcbox": ourURLs, "ReplayWeb.page": theirURLs} {
		asked := map[string]bool{}
		for _, u := range urls {
			asked[u[strings.Index(u, "http://docs.test/"):]] = true
		}
		for _, a := range archived {
			if !asked[a] && !(who == "ReplayWeb.page" && rwpMisses[a]) {
				t.Errorf("%s never asked for %s", who, a)
			}
		}
	}
}
