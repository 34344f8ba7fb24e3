package wacz

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/warcbox/warcbox/internal/testbrowser"
)

// rwpDir is ReplayWeb.page's npm package, unpacked by .ci/run
// (npm pack replaywebpage@2.5.3).
func rwpDir(t *testing.T) string {
	dir := filepath.Join("..", ".ci", "rwp", "package")
	if _, err := os.Stat(filepath.Join(dir, "sw.js")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("ReplayWeb.page not unpacked at %s (.ci/run does it)", dir)
		}
		t.Skipf("ReplayWeb.page not unpacked at %s: cd .ci/rwp && npm pack replaywebpage@2.5.3 && tar xzf replaywebpage-2.5.3.tgz", dir)
	}
	return dir
}

// findTitles walks the page's shadow roots and same-origin iframes (the
// replay frame is several levels down) and returns every document title.
const findTitles = `(() => {
  const titles = [];
  const walk = (root) => {
    if (!root) return;
    if (root.title) titles.push(root.title);
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) walk(el.shadowRoot);
      if (el.tagName === 'IFRAME') {
        try { walk(el.contentDocument); } catch (e) {}
      }
    }
  };
  walk(document);
  return titles;
})()`

// TestPackageOpensInReplayWebPage serves ReplayWeb.page and a package made
// by Write from 127.0.0.1 and checks, in headless Chromium, that a page
// from the package renders there.
func TestPackageOpensInReplayWebPage(t *testing.T) {
	rwp := rwpDir(t)
	ctx := testbrowser.Context(t, 90*time.Second)
	pkg, _ := build(t)

	mux := http.NewServeMux()
	mux.Handle("/rwp/", http.StripPrefix("/rwp/", http.FileServer(http.Dir(rwp))))
	mux.HandleFunc("/test.wacz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/wacz")
		http.ServeFile(w, r, pkg) // with Range support, which ReplayWeb.page uses
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<!doctype html><html><head><script src="/rwp/ui.js"></script></head><body>
<replay-web-page style="width:1000px;height:800px;display:block" replaybase="/rwp/" source="/test.wacz" url="http://www.iana.org/" embed="replayonly"></replay-web-page>
</body></html>`))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	if _, err := chromedp.Run(ctx, chromedp.Navigate(srv.URL+"/")); err != nil {
		t.Fatal(err)
	}
	var titles []string
	for ctx.Err() == nil {
		var err error
		if titles, err = chromedp.Run(ctx, chromedp.Evaluate[[]string](findTitles)); err != nil {
			t.Fatal(err)
		}
		for _, ti := range titles {
			if strings.Contains(ti, "Internet Assigned Numbers Authority") {
				return
			}
		}
		time.Sleep(500 * time.Millisecond)
	}
	t.Fatalf("the archived page did not render in ReplayWeb.page; document titles seen: %q", titles)
}
