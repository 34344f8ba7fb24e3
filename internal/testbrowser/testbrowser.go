// Package testbrowser gives tests a headless Debian chromium through
// chromedp: skipped with a message where chromium is missing, a failure
// under CI=true (CI installs it).
package testbrowser

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/warcbox/warcbox/internal/testneed"
)

// Path returns chromium's path, or skips (fails under CI=true).
func Path(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	testneed.Missing(t, "chromium is not installed (apt-get install chromium)")
	return ""
}

// Context starts a headless chromium and returns a chromedp context bound
// to it, cancelled after timeout and at the end of the test.
func Context(t testing.TB, timeout time.Duration, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(Path(t)), chromedp.NoSandbox, chromedp.Flag("disable-gpu", true))
	opts = append(opts, extra...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, timeout)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	return ctx
}

// frameTitles walks the page's shadow roots and same-origin iframes (a
// replay frame is often several levels down) and returns every title.
const frameTitles = `(() => {
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

// WaitForTitle polls the document and all its frames until one has a
// title containing want; it returns the titles seen when ctx ends first.
func WaitForTitle(ctx context.Context, want string) ([]string, error) {
	var titles []string
	for {
		var err error
		if titles, err = chromedp.Run(ctx, chromedp.Evaluate[[]string](frameTitles)); err != nil {
			return titles, err
		}
		for _, ti := range titles {
			if strings.Contains(ti, want) {
				return titles, nil
			}
		}
		select {
		case <-ctx.Done():
			return titles, ctx.Err()
		case <-time.After(300 * time.Millisecond):
		}
	}
}

// ReplayWebPageDir returns ReplayWeb.page's unpacked npm package under
// the repository's .ci/rwp (made by .ci/run), or skips (fails under CI).
func ReplayWebPageDir(t testing.TB) string {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(here), "..", "..", ".ci", "rwp", "package")
	if _, err := os.Stat(filepath.Join(dir, "sw.js")); err != nil {
		testneed.Missing(t, "ReplayWeb.page not unpacked at %s: mkdir -p .ci/rwp && cd .ci/rwp && npm pack replaywebpage@2.5.3 && tar xzf replaywebpage-2.5.3.tgz", dir)
	}
	return dir
}

// ServeReplayWebPage serves ReplayWeb.page and one WACZ from 127.0.0.1
// and returns the address of an embed page showing url from it.
func ServeReplayWebPage(t testing.TB, waczPath, url string) string {
	t.Helper()
	rwp := ReplayWebPageDir(t)
	mux := http.NewServeMux()
	mux.Handle("/rwp/", http.StripPrefix("/rwp/", http.FileServer(http.Dir(rwp))))
	mux.HandleFunc("/archive.wacz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/wacz")
		http.ServeFile(w, r, waczPath) // with Range support, which ReplayWeb.page uses
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, `<!doctype html><html><head><script src="/rwp/ui.js"></script></head><body>
<replay-web-page style="width:1000px;height:800px;display:block" replaybase="/rwp/" source="/archive.wacz" url="%s" embed="replayonly"></replay-web-page>
</body></html>`, html.EscapeString(url))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}
