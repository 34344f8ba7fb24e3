package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/warcbox/warcbox/internal/testbrowser"
)

// hostilePage is an archived page that tries to reach the top frame: write
// into the banner, replace the top document, read the UI's page list, and
// post a fake "I am somewhere else" message. It reports what happened to
// the top frame (probe messages) until the test reads them.
const hostilePage = `<!DOCTYPE html><html><head><title>%[1]s</title></head><body><h1 id="h">%[1]s</h1><p>%[2]s</p>
<script>
var r = ["v=%[1]s"];
try { parent.document.getElementById("wb-banner").textContent = "FAKE"; r.push("parent-dom-written"); } catch (e) { r.push("parent-dom-blocked:" + e.name); }
try { top.document.body.innerHTML = "FAKE"; r.push("top-dom-written"); } catch (e) { r.push("top-dom-blocked:" + e.name); }
try { r.push("top-href-read:" + top.location.href); } catch (e) { r.push("top-href-blocked"); }
parent.postMessage({warcbox: "framed", url: "http://evil.test/", ts: "19990101000000", title: "FAKE"}, "*");
var ui = location.ancestorOrigins && location.ancestorOrigins[0];
fetch("/_/api/pages?coll=web").then(function (x) { return x.text(); }).then(function (t) { r.push(t.indexOf('"pages"') >= 0 ? "api-read" : "api-not-read"); }, function () { r.push("api-blocked"); });
fetch(ui + "/_/api/pages?coll=web").then(function (x) { return x.text(); }).then(function (t) { r.push(t.indexOf('"pages"') >= 0 ? "ui-api-read" : "ui-api-not-read"); }, function () { r.push("ui-api-blocked"); });
setInterval(function () { parent.postMessage({probe: r.join(",")}, "*"); }, 100);
</script></body></html>`

func framedArchive(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	var b bytes.Buffer
	html := func(uri, date, status, body string) {
		b.WriteString(warcRecord(uri, date, fmt.Sprintf("HTTP/1.1 %s\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n%s", status, len(body), body)))
	}
	html("http://site.test/", "2020-01-01T00:00:00Z", "200 OK", fmt.Sprintf(hostilePage, "Home 2020", "the first version, alpha"))
	html("http://site.test/", "2021-06-01T00:00:00Z", "200 OK", fmt.Sprintf(hostilePage, "Home 2021", "the second version, beta"))
	html("http://site.test/other", "2021-06-01T00:00:05Z", "200 OK", fmt.Sprintf(hostilePage, "Other page", "a page about the quetzalcoatl and nothing else"))
	html("http://site.test/missing", "2021-06-01T00:00:06Z", "404 Not Found", "<title>gone</title>no such page")
	if err := os.WriteFile(filepath.Join(dir, "framed.warc"), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func newFramedServer(t *testing.T) (s *Server, ui string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	s, err := New(ctx, Config{Paths: []string{framedArchive(t)}, PollInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	searchReady(t, s, "web")
	return s, serveSplit(t, s)
}

// TestBrowserFramedUI drives the top frame in Chromium: the archived page
// runs in a frame on its collection's content origin and cannot touch the
// banner; the timeline switches captures in the frame while the top URL
// stays on the UI origin; full-text search finds a page by a word of its
// body and opens it.
func TestBrowserFramedUI(t *testing.T) {
	_, ui := newFramedServer(t)
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
			t.Fatalf("%s: %v (banner %q, top %q, frame %q)", what, err,
				str(`(document.getElementById("wb-banner")||{}).textContent||""`), str(`location.href`),
				str(`(document.getElementById("wb-frame")||{}).src||""`))
		}
	}
	// the probe the framed page posts, as the top frame receives it
	listen := `(function () { window.__probes = []; window.addEventListener("message", function (e) {
		if (e.data && e.data.probe) { window.__probes.push(e.data.probe); } }); return "listening"; })()`

	start := ui + "/web/20210601000000/http://site.test/"
	if err := chromedp.Do(bctx, chromedp.Navigate(start), chromedp.WaitReady("#wb-frame")); err != nil {
		t.Fatal(err)
	}
	str(listen)
	poll("timeline", `document.querySelectorAll("#wb-timeline a[data-ts]").length === 2`)
	poll("probe from the framed page", `window.__probes.some(function (p) { return p.indexOf("v=Home 2021") >= 0 && p.indexOf(",api-") >= 0 && p.indexOf("ui-api-") >= 0; })`)
	probe := str(`window.__probes.filter(function (p) { return p.indexOf("v=Home 2021") >= 0 && p.indexOf(",api-") >= 0 && p.indexOf("ui-api-") >= 0; })[0]`)
	if strings.Contains(probe, "api-read") {
		t.Errorf("the framed page read the UI's page list: %q", probe)
	}
	for _, want := range []string{"parent-dom-blocked:SecurityError", "top-dom-blocked:SecurityError", "top-href-blocked"} {
		if !strings.Contains(probe, want) {
			t.Errorf("the framed page reached the top frame or the UI: %q lacks %s", probe, want)
		}
	}
	frameSrc := str(`document.getElementById("wb-frame").src`)
	contentOrigin := str(`new URL(document.getElementById("wb-frame").src).origin`)
	if contentOrigin == ui || !strings.HasSuffix(frameSrc, "/web/20210601000000mp_/http://site.test/") {
		t.Fatalf("frame %q is not the capture on a content origin apart from the UI %s", frameSrc, ui)
	}
	banner := str(`document.getElementById("wb-banner").textContent`)
	for _, want := range []string{"2021-06-01 00:00:00 UTC", "200", "text/html", "http://site.test/"} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner %q lacks %q", banner, want)
		}
	}
	if strings.Contains(banner, "FAKE") || strings.Contains(banner, "evil.test") || strings.Contains(banner, "1999") {
		t.Errorf("the page faked the banner: %q", banner)
	}
	timeline := str(`document.getElementById("wb-timeline").textContent`)
	for _, want := range []string{"2020-01-01 00:00:00 UTC", "2021-06-01 00:00:00 UTC", "text/html", "200"} {
		if !strings.Contains(timeline, want) {
			t.Errorf("timeline %q lacks %q", timeline, want)
		}
	}

	// Switching capture in the timeline: the frame changes, the top URL
	// follows on the UI origin, the banner says the new time.
	str(`document.querySelector('#wb-timeline a[data-ts="20200101000000"]').click(); ""`)
	poll("switch to 2020", `location.pathname === "/web/20200101000000/http://site.test/" &&
		document.getElementById("wb-when").textContent === "2020-01-01 00:00:00 UTC"`)
	poll("2020 page in the frame", `window.__probes.some(function (p) { return p.indexOf("v=Home 2020") >= 0; })`)
	if o := str(`location.origin`); o != ui {
		t.Errorf("switching capture moved the top frame to %s", o)
	}
	if src := str(`document.getElementById("wb-frame").src`); src != contentOrigin+"/web/20200101000000mp_/http://site.test/" {
		t.Errorf("frame after switching: %q", src)
	}
	if cur := str(`document.querySelector("#wb-timeline a.current").dataset.ts`); cur != "20200101000000" {
		t.Errorf("timeline marks %s as current", cur)
	}

	// Full-text search in the sidebar finds the page by a word of its body
	// (not in its title or URL) and opens it in the frame.
	poll("page list", `document.querySelectorAll("#wb-pages li a").length >= 2`)
	pages := str(`document.getElementById("wb-pages").textContent`)
	if !strings.Contains(pages, "Other page") || !strings.Contains(pages, "text/html") || !strings.Contains(pages, "UTC") || strings.Contains(pages, "missing") {
		t.Errorf("page list: %q", pages)
	}
	str(`document.getElementById("wb-q").value = "Quetzalcoatl"; document.querySelector("#wb-search button").click(); ""`)
	poll("search results", `document.querySelectorAll("#wb-results li a").length > 0`)
	results := str(`document.getElementById("wb-results").textContent`)
	if !strings.Contains(results, "Other page") || !strings.Contains(results, "quetzalcoatl") || strings.Contains(results, "Home 20") {
		t.Errorf("search results: %q", results)
	}
	if m := str(`document.querySelector("#wb-results mark").textContent`); m != "quetzalcoatl" {
		t.Errorf("highlighted %q", m)
	}
	str(`document.querySelector("#wb-results li a").click(); ""`)
	poll("search hit opened", `location.pathname === "/web/20210601000005/http://site.test/other" &&
		window.__probes.some(function (p) { return p.indexOf("v=Other page") >= 0; })`)

	// The address bar opens any archived URL, closest to the time shown.
	str(`document.getElementById("wb-url").value = "site.test/"; document.querySelector("#wb-address button").click(); ""`)
	poll("address bar", `location.pathname === "/web/20210601000000/http://site.test/"`)
	// Back returns the frame to the search hit.
	str(`document.getElementById("wb-back").click(); ""`)
	poll("back", `location.pathname === "/web/20210601000005/http://site.test/other"`)
	// A navigation inside the frame to something not archived: the banner
	// stops naming the capture shown before.
	str(`document.getElementById("wb-frame").src = "` + contentOrigin + `/web/2021mp_/http://site.test/nothing-here"; ""`)
	poll("not-archived page in the frame", `document.getElementById("wb-banner").classList.contains("wb-unknown") &&
		document.getElementById("wb-original").textContent === "http://site.test/nothing-here" &&
		document.getElementById("wb-banner").textContent.indexOf("not archived in web") >= 0`)
	if strings.Contains(str(`document.body.textContent`), "FAKE") {
		t.Errorf("the page wrote into the top frame")
	}
}

// TestSearchAPI: the JSON API finds a page by a word of its body, bounds
// its answers, and is not served on the content origin.
func TestSearchAPI(t *testing.T) {
	s, ui := newFramedServer(t)
	var ans struct {
		Hits []struct {
			URL, Timestamp, Title, Replay, When, Status, Mime string
		} `json:"hits"`
	}
	resp, body := get(t, ui+"/_/api/search?coll=web&q=quetzalcoatl")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("search API: %d %s", resp.StatusCode, body)
	}
	if err := json.Unmarshal([]byte(body), &ans); err != nil {
		t.Fatal(err)
	}
	if len(ans.Hits) != 1 || ans.Hits[0].URL != "http://site.test/other" || ans.Hits[0].Replay != "/web/20210601000005/http://site.test/other" ||
		ans.Hits[0].When != "2021-06-01 00:00:05 UTC" || ans.Hits[0].Status != "200" || ans.Hits[0].Title != "Other page" {
		t.Errorf("hits: %+v", ans.Hits)
	}
	// the 404 page is not searchable
	if _, body := get(t, ui+"/_/api/search?coll=web&q=gone"); !strings.Contains(body, `"hits":[]`) {
		t.Errorf("a 404 capture found by search: %s", body)
	}
	for q, want := range map[string]int{"": 400, strings.Repeat("x", 300): 400, "alpha": 200} {
		if resp, body := get(t, ui+"/_/api/search?coll=web&q="+url.QueryEscape(q)); resp.StatusCode != want {
			t.Errorf("q=%.20q: %d %s", q, resp.StatusCode, body)
		}
	}
	if resp, _ := get(t, ui+"/_/api/search?coll=nope&q=alpha"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown collection: %d", resp.StatusCode)
	}
	// the collection page searches too
	if _, body := get(t, ui+"/web/?q=quetzalcoatl"); !strings.Contains(body, "<mark>quetzalcoatl</mark>") || !strings.Contains(body, `href="/web/20210601000005/http://site.test/other"`) {
		t.Errorf("collection page search: %s", body)
	}
	// an archived script on the content origin cannot read the API
	content := fmt.Sprintf("http://127.0.0.1:%d", s.ContentOrigins()["web"])
	if resp, body := get(t, content+"/_/api/search?coll=web&q=alpha"); resp.StatusCode != http.StatusFound || strings.Contains(body, "hits") {
		t.Errorf("search API on the content origin: %d", resp.StatusCode)
	}
	// the timeline API lists every capture with status and type, UTC
	resp, body = get(t, ui+"/_/api/captures?coll=web&url=site.test/")
	if resp.StatusCode != 200 || strings.Count(body, `"status":"200"`) != 2 || !strings.Contains(body, `"when":"2020-01-01 00:00:00 UTC"`) {
		t.Errorf("captures API: %d %s", resp.StatusCode, body)
	}
	// A not-found page does not offer captures that were themselves 404s.
	resp, body = get(t, content+"/web/2021/http://site.test/nothing-here")
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "http://site.test/other") || strings.Contains(body, "site.test/missing") {
		t.Errorf("not-found page: %d %s", resp.StatusCode, body)
	}
	// A browser's top-level request gets the frame on the UI origin; a
	// client that is not a browser still gets a redirect to the content.
	req, _ := http.NewRequest(http.MethodGet, ui+"/web/20210601000000/http://site.test/", nil)
	req.Header.Set("Sec-Fetch-Dest", "document")
	resp, body = do(t, req)
	if resp.StatusCode != 200 || !strings.Contains(body, `id="wb-frame"`) || !strings.Contains(body, content+"/web/20210601000000mp_/http://site.test/") ||
		!strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-src "+content) || resp.Header.Get("Memento-Datetime") == "" {
		t.Errorf("top frame: %d %q %s", resp.StatusCode, resp.Header.Get("Content-Security-Policy"), body)
	}
	req.URL, _ = url.Parse(content + "/web/20210601000000/http://site.test/")
	if resp, _ := do(t, req); resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != ui+"/web/20210601000000/http://site.test/" {
		t.Errorf("top-level page on the content origin: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}
