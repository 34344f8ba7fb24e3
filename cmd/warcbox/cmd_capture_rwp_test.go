package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/warcbox/warcbox/internal/testbrowser"
)

// TestCapturedWACZOpensInReplayWebPage: a page captured by warcbox (HTTP
// mode, WARC/1.1, sha256 digests) and packaged with --wacz renders in
// ReplayWeb.page after the site is gone.
func TestCapturedWACZOpensInReplayWebPage(t *testing.T) {
	testbrowser.ReplayWebPageDir(t)
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, `<!doctype html><html><head><title>Evidence page 42</title><link rel=stylesheet href="/s.css"></head><body><h1>Captured</h1></body></html>`)
		case "/s.css":
			w.Header().Set("Content-Type", "text/css")
			io.WriteString(w, `h1{color:green}`)
		default:
			http.NotFound(w, r)
		}
	}))
	dir := t.TempDir()
	pkg := filepath.Join(dir, "page.wacz")
	seed := site.URL + "/"
	if code, out, stderr := runCmd(t, "capture", "-o", filepath.Join(dir, "web", "archive"), "--progress", "log", "--wacz", pkg, seed); code != 0 {
		t.Fatalf("capture: exit %d\n%s\n%s", code, out, stderr)
	}
	site.Close() // the replay must come from the package alone

	addr := testbrowser.ServeReplayWebPage(t, pkg, seed)
	ctx := testbrowser.Context(t, 90*time.Second)
	if _, err := chromedp.Run(ctx, chromedp.Navigate(addr)); err != nil {
		t.Fatal(err)
	}
	if titles, err := testbrowser.WaitForTitle(ctx, "Evidence page 42"); err != nil {
		t.Fatalf("the captured page did not render in ReplayWeb.page (%v); titles seen: %q", err, titles)
	}
}
