package browser

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/warcbox/warcbox/capture"
)

// timersSite is a page whose scripts act late, as real ones do: a fetch at
// 1.5 s, a form sent at 2 s, a navigation at 3.5 s; and expand controls
// whose content is fetched only when clicked.
func timersSite() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<!doctype html><title>Late page</title>
<form id=f method=post action="/late-form" target=sink><input name=q value=x></form><iframe name=sink></iframe>
<details><summary>Details</summary><p id=d></p></details>
<button id=more>Load more</button>
<form><button id=send>Load more results</button></form>
<a href="/elsewhere">Show more elsewhere</a>
<script>
setTimeout(() => fetch('/late-fetch'), 1500);
setTimeout(() => document.getElementById('f').submit(), 2000);
setTimeout(() => { location.href = '/late-nav'; }, 3500);
document.querySelector('details').addEventListener('toggle', () => fetch('/clicked-details'));
document.getElementById('more').addEventListener('click', () => fetch('/clicked-more'));
document.getElementById('send').addEventListener('click', () => fetch('/clicked-submit'));
</script>`)
	})
	for _, p := range []string{"/late-fetch", "/late-form", "/clicked-details", "/clicked-more", "/clicked-submit", "/elsewhere"} {
		mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") })
	}
	mux.HandleFunc("/late-nav", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<!doctype html><title>Navigated</title><p>later</p>`)
	})
	return mux
}

func captureURIs(t *testing.T, chromium, u string, behaviors []Behavior) ([]string, Page) {
	uris, pg, _ := captureRecords(t, chromium, u, behaviors)
	return uris, pg
}

func captureRecords(t *testing.T, chromium, u string, behaviors []Behavior) ([]string, Page, []warcRecord) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sum, err := Run(ctx, []string{u}, Options{
		Capture:  capture.Options{Dir: filepath.Join(t.TempDir(), "a"), Hostname: "test", Software: "warcbox/test", Timeout: 10 * time.Second},
		Chromium: chromium, Wait: 6 * time.Second, Idle: 300 * time.Millisecond, Timeout: 40 * time.Second,
		Behaviors: behaviors,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Pages) != 1 || sum.Pages[0].Err != nil {
		t.Fatalf("pages %+v", sum.Pages)
	}
	var uris []string
	recs := readWARCs(t, sum.Files)
	for _, r := range recs {
		if r.typ == "request" {
			uris = append(uris, strings.TrimPrefix(r.uri, strings.TrimSuffix(u, "/")))
		}
	}
	return uris, sum.Pages[0], recs
}

// Timer-made requests used to be missed: the page was ended about 1 s
// after the network went idle.
func TestBrowserBehaviors(t *testing.T) {
	chromium := chromiumOrSkip(t)
	site := httptest.NewServer(timersSite())
	defer site.Close()

	t.Run("timers", func(t *testing.T) {
		uris, pg, recs := captureRecords(t, chromium, site.URL+"/", []Behavior{BehaviorTimers})
		if !slices.ContainsFunc(recs, func(r warcRecord) bool {
			return r.typ == "metadata" && strings.Contains(string(r.block), "behavior: timers: waited")
		}) {
			t.Error("the provenance record does not say what the timers behavior did")
		}
		for _, want := range []string{"/late-fetch", "/late-form", "/late-nav"} {
			if !slices.Contains(uris, want) {
				t.Errorf("%s not recorded; requests %q", want, uris)
			}
		}
		if pg.Title != "Navigated" {
			t.Errorf("title %q: the timer's navigation was not followed", pg.Title)
		}
		if !slices.ContainsFunc(pg.Behaviors, func(s string) bool { return strings.HasPrefix(s, "timers: waited") }) {
			t.Errorf("behaviors %q", pg.Behaviors)
		}
	})
	t.Run("none", func(t *testing.T) {
		uris, _ := captureURIs(t, chromium, site.URL+"/", []Behavior{})
		if slices.Contains(uris, "/late-nav") {
			t.Errorf("without behaviors the 3.5 s navigation was recorded too (the test proves nothing): %q", uris)
		}
	})
	t.Run("click", func(t *testing.T) {
		// A page without timers, so clicks are what is tested.
		quiet := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/" {
				timersSite().ServeHTTP(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<!doctype html><title>Clicks</title>
<details><summary>Details</summary><p>x</p></details>
<button id=more>Load more</button><button id=buy>Buy now</button>
<form><button id=send>Load more results</button></form>
<a href="/elsewhere">Show more elsewhere</a>
<script>
document.querySelector('details').addEventListener('toggle', () => fetch('/clicked-details'));
document.getElementById('more').addEventListener('click', () => fetch('/clicked-more'));
document.getElementById('buy').addEventListener('click', () => fetch('/clicked-buy'));
document.getElementById('send').addEventListener('click', (e) => { e.preventDefault(); fetch('/clicked-submit'); });
</script>`)
		}))
		defer quiet.Close()
		uris, pg := captureURIs(t, chromium, quiet.URL+"/", []Behavior{BehaviorClick})
		for _, want := range []string{"/clicked-details", "/clicked-more"} {
			if !slices.Contains(uris, want) {
				t.Errorf("%s not recorded; requests %q", want, uris)
			}
		}
		for _, not := range []string{"/clicked-buy", "/clicked-submit", "/elsewhere"} {
			if slices.Contains(uris, not) {
				t.Errorf("%s was clicked: only expand controls are", not)
			}
		}
		if pg.Title != "Clicks" || !slices.Contains(pg.Behaviors, "click: 2 controls") {
			t.Errorf("title %q, behaviors %q", pg.Title, pg.Behaviors)
		}
	})
}

func TestParseBehaviors(t *testing.T) {
	for in, want := range map[string][]Behavior{
		"": {}, "none": {}, "all": Behaviors, "scroll": {BehaviorScroll}, " Click, scroll,click ": {BehaviorClick, BehaviorScroll},
	} {
		got, err := ParseBehaviors(in)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("ParseBehaviors(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseBehaviors("scroll,dance"); err == nil || !strings.Contains(err.Error(), `"dance"`) {
		t.Errorf("unknown behavior: %v", err)
	}
}

// Browser mode read no robots.txt: the pages given now obey it as in HTTP
// mode (what a loaded page asks for is still fetched, as a browser does).
func TestBrowserCaptureObeysRobots(t *testing.T) {
	chromium := chromiumOrSkip(t)
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /private\n")
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, "<!doctype html><title>%s</title><p>page", r.URL.Path)
	})
	site := httptest.NewServer(mux)
	defer site.Close()
	for _, ignore := range []bool{false, true} {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		sum, err := Run(ctx, []string{site.URL + "/open", site.URL + "/private/x"}, Options{
			Capture: capture.Options{Dir: filepath.Join(t.TempDir(), "a"), Hostname: "test", Software: "warcbox/test",
				Timeout: 10 * time.Second, IgnoreRobots: ignore},
			Chromium: chromium, Wait: 2 * time.Second, Timeout: 30 * time.Second, Behaviors: []Behavior{},
		})
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		responses := map[string]bool{}
		for _, r := range readWARCs(t, sum.Files) {
			if r.typ == "response" {
				responses[strings.TrimPrefix(r.uri, site.URL)] = true
			}
		}
		if !responses["/open"] {
			t.Errorf("ignore=%v: /open not captured", ignore)
		}
		if got := responses["/private/x"]; got != ignore {
			t.Errorf("ignore=%v: /private/x captured = %v", ignore, got)
		}
		if got := responses["/robots.txt"]; got == ignore {
			t.Errorf("ignore=%v: robots.txt recorded = %v", ignore, got)
		}
		blocked := errors.Is(sum.Pages[1].Err, ErrBlockedByRobots)
		if blocked == ignore {
			t.Errorf("ignore=%v: second page error %v", ignore, sum.Pages[1].Err)
		}
		if !ignore && sum.Blocked != 1 {
			t.Errorf("summary counts %d blocked, want 1", sum.Blocked)
		}
	}
}

func TestDefaultTabs(t *testing.T) {
	n := DefaultTabs()
	if n < 1 || n > 4 || n > runtime.NumCPU() && runtime.NumCPU() >= 1 {
		t.Errorf("DefaultTabs() = %d on %d cores", n, runtime.NumCPU())
	}
	if avail := memAvailable(); avail > 0 && int64(n) > max(1, avail/tabMemory) {
		t.Errorf("DefaultTabs() = %d with %d MiB available", n, avail>>20)
	}
}
