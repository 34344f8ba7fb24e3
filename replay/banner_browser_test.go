package replay

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/warcbox/warcbox/internal/testbrowser"
)

// TestBrowserBannerUnframedDocument: when the content frame navigates
// itself to a document replay does not frame (an archived image, served
// raw), the banner stops naming the page shown before and says it does
// not know what the frame holds; a navigation to another framed page
// still moves the banner to that page. Before, the banner went on naming
// the page that had left.
func TestBrowserBannerUnframedDocument(t *testing.T) {
	dir := t.TempDir()
	var b bytes.Buffer
	page := func(uri, date, title, target string) {
		body := fmt.Sprintf(`<!doctype html><title>%s</title><p>%s</p><script>
window.addEventListener("load", function () { setTimeout(function () { location.href = %q; }, 0); });
</script>`, title, title, target)
		b.WriteString(warcRecord(uri, date, httpResp("text/html; charset=utf-8", "", body)))
	}
	page("http://site.test/to-pic", "2021-06-01T00:00:00Z", "Leaves for a picture", "/pic.png")
	page("http://site.test/to-next", "2021-06-01T00:00:00Z", "Leaves for a page", "/next")
	b.WriteString(warcRecord("http://site.test/next", "2021-06-01T00:00:02Z", httpResp("text/html; charset=utf-8", "", "<!doctype html><title>Next page</title><p>next")))
	// a page whose body the capture got only the start of
	cutPage := "<!doctype html><title>Cut page</title><p>only the start"
	b.WriteString(strings.Replace(warcRecord("http://site.test/cut", "2021-06-01T00:00:03Z", httpResp("text/html; charset=utf-8", "", cutPage)),
		"WARC-Type: response\r\n", "WARC-Type: response\r\nWARC-Truncated: disconnect\r\n", 1))
	b.WriteString(warcRecord("http://site.test/pic.png", "2021-06-01T00:00:01Z", httpResp("image/png", "", "\x89PNG\r\n\x1a\n"+strings.Repeat("\x00", 32))))
	if err := os.WriteFile(filepath.Join(dir, "banner.warc"), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := New(ctx, Config{Paths: []string{dir}, PollInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ui := serveSplit(t, s)
	bctx := testbrowser.Context(t, 90*time.Second)
	banner := func() string {
		v, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`(document.getElementById("wb-banner")||{}).textContent||""`))
		return v
	}
	wait := func(what, js string) {
		t.Helper()
		if _, err := chromedp.Run(bctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
			t.Fatalf("%s: %v; banner %q", what, err, banner())
		}
	}

	// a framed page leaving for another framed page: the banner follows
	if err := chromedp.Do(bctx, chromedp.Navigate(ui+"/web/20210601000000/http://site.test/to-next")); err != nil {
		t.Fatal(err)
	}
	wait("banner on the next page", `(function () { var b = document.getElementById("wb-banner");
		return !!b && b.textContent.indexOf("http://site.test/next") >= 0 && b.textContent.indexOf("2021-06-01 00:00:02 UTC") >= 0 && !b.classList.contains("wb-unknown"); })()`)

	// a capture whose body was cut: the banner and the timeline say so
	if err := chromedp.Do(bctx, chromedp.Navigate(ui+"/web/20210601000003/http://site.test/cut")); err != nil {
		t.Fatal(err)
	}
	wait("banner says the body was cut", `(function () { var b = document.getElementById("wb-banner"), tl = document.getElementById("wb-timeline");
		return !!b && b.textContent.indexOf("body cut (disconnect)") >= 0 && tl.textContent.indexOf("body cut (disconnect)") >= 0; })()`)

	// a framed page leaving for an image: the banner no longer names it
	if err := chromedp.Do(bctx, chromedp.Navigate(ui+"/web/20210601000000/http://site.test/to-pic")); err != nil {
		t.Fatal(err)
	}
	wait("banner says it does not know", `(function () { var b = document.getElementById("wb-banner");
		return !!b && b.classList.contains("wb-unknown"); })()`)
	if got := banner(); strings.Contains(got, "to-pic") || strings.Contains(got, "2021-06-01 00:00:00 UTC") || !strings.Contains(got, "not known") {
		t.Errorf("after the frame left for an image, the banner says %q", got)
	}
}
