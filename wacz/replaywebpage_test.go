package wacz

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/warcbox/warcbox/internal/testbrowser"
)

// TestPackageOpensInReplayWebPage serves ReplayWeb.page and a package made
// by Write from 127.0.0.1 and checks, in headless Chromium, that a page
// from the package renders there (and, checked by hand, that a URL not in
// the package does not: the title then is "Archived Page Not Found").
func TestPackageOpensInReplayWebPage(t *testing.T) {
	pkg, _ := build(t)
	addr := testbrowser.ServeReplayWebPage(t, pkg, "http://www.iana.org/")
	ctx := testbrowser.Context(t, 90*time.Second)
	if _, err := chromedp.Run(ctx, chromedp.Navigate(addr)); err != nil {
		t.Fatal(err)
	}
	if titles, err := testbrowser.WaitForTitle(ctx, "Internet Assigned Numbers Authority"); err != nil {
		t.Fatalf("the archived page did not render in ReplayWeb.page (%v); titles seen: %q", err, titles)
	}
}
