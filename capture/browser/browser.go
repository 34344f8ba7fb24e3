// Package browser is the browser mode of capture: headless Chromium loads
// each page with all of its traffic going through a recording proxy on
// 127.0.0.1, so that what the page's scripts fetch (fetch, XHR, lazy images,
// inserted style sheets) is archived with the exact bytes HTTP mode
// records. HTTPS is intercepted with a certificate authority made for the
// run and trusted by that browser only, by the key its leaves share.
//
// Besides the exchanges, each page gets a full-page PNG screenshot
// (resource record urn:screenshot:<url>), its rendered DOM (resource
// urn:dom:<url>) and a provenance metadata record (software, browser,
// options, times, title, the site's TLS chain as the proxy saw it, digests
// of the screenshot and DOM). Everything goes through capture's writer and
// index, so files roll over and index as in HTTP mode. See Run.
package browser

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"golang.org/x/sync/errgroup"

	"github.com/warcbox/warcbox/capture"
)

// ErrBlockedByRobots is a page's error when robots.txt disallows it.
var ErrBlockedByRobots = errors.New("blocked by robots.txt")

// DefaultChromium is where Debian's chromium package puts the browser.
const DefaultChromium = "/usr/bin/chromium"

// Options configure a browser capture; zero values are documented per field.
type Options struct {
	// Capture is the output and fetch configuration shared with HTTP mode:
	// Dir, IndexPath, LogPath, Prefix, Hostname, WarcSize, Timeout (per
	// upstream fetch), MaxSize, Digest, Insecure, RootCAs, DedupIndex,
	// Software, CommandLine, Logger, IgnoreRobots (robots.txt is read for
	// each page given, not for what a page then loads). Crawl fields
	// (Depth, Scope, requisites) do not apply: the browser decides what a
	// page needs.
	Capture capture.Options
	// Chromium is the browser binary; if empty, DefaultChromium, else
	// "chromium" on PATH.
	Chromium string
	// Wait bounds each wait for the network to go idle (after the load
	// event, and again after scrolling); if zero, 10s.
	Wait time.Duration
	// Idle is how long no request may be in flight for the network to
	// count as idle; if zero, 500ms.
	Idle time.Duration
	// Timeout bounds one page, from navigation to its records; if zero,
	// 60s. A page that has not finished loading by then is still
	// snapshotted as it stands, and the provenance record says so.
	Timeout time.Duration
	// Width and Height are the viewport in CSS pixels; if zero, 1280×800.
	Width, Height int
	// Behaviors are run on each loaded page, in the order of Behaviors;
	// if nil, DefaultBehaviors (scroll, timers). An empty, non-nil list
	// runs none.
	Behaviors []Behavior
	// MaxScrolls bounds the viewport-high steps taken to reach the end of
	// the page (infinite scroll never ends); if zero, 50.
	MaxScrolls int
	// MaxScreenshotHeight cuts the screenshot of a taller page to its top
	// that many pixels (noted in the provenance record); if zero, the whole
	// page, cut only where Chromium refuses a surface that tall. Huge
	// screenshots cost seconds of encoding and megabytes per page.
	MaxScreenshotHeight int
	// UserAgent replaces the browser's own; if empty, Chromium's is sent.
	UserAgent string
	// NoSandbox turns Chromium's sandbox off, for containers without user
	// namespaces ("No usable sandbox!"). It is always off when running as
	// root, where Chromium refuses to start with it.
	NoSandbox bool
	// OnPage, if set, is called after each page (progress reports), from
	// one goroutine at a time, in the order pages finish.
	OnPage func(Page)
	// Tabs is how many pages load at once; if zero, 1. Each tab has a
	// browser context (cookies, cache) and a recording proxy of its own,
	// so every exchange is still counted to the page that made it; one
	// context serves all the tab's pages in turn, as one tab would.
	Tabs int
	// ExtraFlags are passed to Chromium as --name=value (tests, tuning).
	ExtraFlags map[string]any
}

func (o *Options) fill() {
	if o.Chromium == "" {
		o.Chromium = DefaultChromium
		if _, err := os.Stat(o.Chromium); err != nil {
			if p, err := exec.LookPath("chromium"); err == nil {
				o.Chromium = p
			}
		}
	}
	if o.Wait <= 0 {
		o.Wait = 10 * time.Second
	}
	if o.Idle <= 0 {
		o.Idle = 500 * time.Millisecond
	}
	if o.Timeout <= 0 {
		o.Timeout = 60 * time.Second
	}
	if o.Width <= 0 {
		o.Width = 1280
	}
	if o.Height <= 0 {
		o.Height = 800
	}
	if o.MaxScrolls <= 0 {
		o.MaxScrolls = 50
	}
	if o.Tabs <= 0 {
		o.Tabs = 1
	}
	if o.Capture.Logger == nil {
		o.Capture.Logger = slog.New(slog.DiscardHandler)
	}
}

// Page is what was captured of one URL.
type Page struct {
	URL      string // as given, normalised
	FinalURL string // after redirects, as the browser shows it
	Title    string
	// Behaviors says what each behavior did ("scroll: 12 steps").
	Behaviors []string
	Start     time.Time
	End       time.Time
	// Requests is the number of exchanges recorded while the page loaded.
	Requests int
	// Idle is false when the network never went quiet within Wait.
	Idle bool
	// Height is the page's full height in CSS pixels when snapshotted.
	Height int
	// ShotWidth and ShotHeight are the screenshot's size in pixels; the
	// height is less than Height only when Chromium could not capture the
	// whole page (the provenance record notes the cut).
	ShotWidth, ShotHeight int
	// ScreenshotID, DOMID and MetadataID are the WARC-Record-IDs written.
	ScreenshotID, DOMID, MetadataID string
	// Err is why the page was not captured (its records are then missing).
	Err error
}

// Summary is the capture's summary plus the pages.
type Summary struct {
	capture.Summary
	Browser string // product and version, "Chrome/…"
	Pages   []Page
}

// ErrNoChromium is returned when the browser binary is missing.
var ErrNoChromium = errors.New("chromium not found")

// findChromium checks the binary before anything is written.
func findChromium(path string) (string, error) {
	p, err := exec.LookPath(path)
	if err != nil {
		return "", fmt.Errorf("browser capture: %w at %s: install it with `apt-get install chromium` or give its path with --chromium PATH: %w", ErrNoChromium, path, err)
	}
	return p, nil
}

// Run captures urls in one headless Chromium, Options.Tabs at a time, and returns
// the summary. A page that fails is reported in Summary.Pages (and the crawl
// log) and the next one is taken; Run fails on what stops the whole capture:
// no browser, a write error, or ctx canceled (the files are finished first).
func Run(ctx context.Context, urls []string, opts Options) (*Summary, error) {
	opts.fill()
	if len(urls) == 0 {
		return nil, errors.New("browser capture: no URL given")
	}
	chromium, err := findChromium(opts.Chromium)
	if err != nil {
		return nil, err
	}
	opts.Chromium = chromium
	var targets []string
	for _, s := range urls {
		u, err := capture.NormalizeURL(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("browser capture: %w", err)
		}
		targets = append(targets, u.String())
	}
	log := opts.Capture.Logger

	ca, err := newAuthority()
	if err != nil {
		return nil, err
	}
	rec, err := capture.NewRecorder(opts.Capture)
	if err != nil {
		return nil, fmt.Errorf("browser capture: %w", err)
	}
	copts := rec.Options()
	px, err := newProxy(rec, ca, log)
	if err != nil {
		rec.Close(ctx)
		return nil, err
	}
	px.start(ctx)

	sum := &Summary{}
	var tabProxies []*proxy
	finish := func(runErr error) (*Summary, error) {
		// Every proxy is closed (its handlers done) before the writer.
		for _, tp := range tabProxies {
			tp.close()
		}
		px.close()
		cs, err := rec.Close(ctx)
		if cs != nil {
			sum.Summary = *cs
		}
		return sum, errors.Join(runErr, err)
	}

	bctx, stop, err := startBrowser(ctx, opts, px.Addr(), ca.spki)
	if err != nil {
		return finish(err)
	}
	defer stop()
	v, err := chromedp.CallBrowser(bctx, browser.GetVersion, cdp.Empty{})
	if err != nil {
		return finish(fmt.Errorf("browser capture: browser version: %w", err))
	}
	sum.Browser = v.Product
	// Before any page: the warcinfo of every file says how it was made.
	rec.SetWarcinfo(func() []byte { return warcinfo(opts, copts, v) })
	log.Info("browser started", "browser", v.Product, "proxy", px.Addr())

	// With one tab the pages load in the browser's default context, through
	// the proxy the browser was started with. With more, each tab gets a
	// context and a proxy of its own; the first proxy then only refuses
	// Chromium's background traffic.
	tabs := []*proxy{px}
	if opts.Tabs > 1 {
		tabs = nil
		for range opts.Tabs {
			tp, err := newProxy(rec, ca, log)
			if err != nil {
				return finish(err)
			}
			tp.start(ctx)
			tabProxies = append(tabProxies, tp)
			tabs = append(tabs, tp)
		}
	}
	results := make([]Page, len(targets))
	var mu sync.Mutex // results, OnPage, next
	next := 0
	take := func() (int, bool) {
		mu.Lock()
		defer mu.Unlock()
		if next >= len(targets) {
			return 0, false
		}
		next++
		return next - 1, true
	}
	g, gctx := errgroup.WithContext(ctx)
	for _, tp := range tabs {
		g.Go(func() error {
			tabCtx := bctx
			if tp != px {
				var cancel context.CancelFunc
				tabCtx, cancel = chromedp.NewContext(bctx, chromedp.WithNewBrowserContext(func(p *target.CreateBrowserContextParams) {
					p.ProxyServer = "http://" + tp.Addr()
					p.ProxyBypassList = "<-loopback>"
				}))
				defer cancel()
				// The context is made with a first, blank tab; the pages
				// then open tabs of their own in it.
				if err := chromedp.Do(tabCtx); err != nil {
					return fmt.Errorf("browser capture: browser context: %w", err)
				}
			}
			env := &pageEnv{opts: opts, copts: copts, rec: rec, px: tp, version: v}
			for {
				if gctx.Err() != nil {
					return nil
				}
				i, ok := take()
				if !ok {
					return nil
				}
				u := targets[i]
				var pg Page
				if pu, _ := url.Parse(u); pu != nil && !rec.Allowed(gctx, pu) {
					pg = Page{URL: u, Start: time.Now(), End: time.Now(), Err: fmt.Errorf("browser capture %s: %w", u, ErrBlockedByRobots)}
				} else {
					pg = capturePage(gctx, tabCtx, env, u)
				}
				// Reported whatever comes next, as the page that was being
				// captured when a write failed.
				mu.Lock()
				results[i] = pg
				if opts.OnPage != nil {
					opts.OnPage(pg)
				}
				mu.Unlock()
				select {
				case err := <-tp.errc:
					return fmt.Errorf("browser capture: %w", err)
				case err := <-px.errc:
					return fmt.Errorf("browser capture: %w", err)
				default:
				}
				if pg.Err != nil && errors.Is(pg.Err, errWrite) {
					return pg.Err
				}
				if errors.Is(pg.Err, ErrBlockedByRobots) {
					log.Warn("page blocked by robots.txt", "url", u)
				} else if pg.Err != nil {
					// A page the browser could not load or snapshot goes to
					// the crawl log, unless it is there already as a failed
					// fetch.
					if tp.failure(u) == nil {
						rec.LogFailure(u, "", pg.Err)
					}
					log.Warn("page failed", "url", u, "err", pg.Err)
				} else {
					log.Info("page captured", "url", u, "title", pg.Title, "requests", pg.Requests, "idle", pg.Idle,
						"height", pg.Height, "took", pg.End.Sub(pg.Start).Round(time.Millisecond))
				}
			}
		})
	}
	runErr := g.Wait()
	// Pages in the order given, whatever order the tabs finished them in.
	for _, pg := range results {
		if pg.URL != "" { // taken and captured, or failed
			sum.Pages = append(sum.Pages, pg)
		}
	}
	if runErr != nil {
		return finish(runErr)
	}
	if ctx.Err() != nil {
		return finish(fmt.Errorf("browser capture interrupted: %w", ctx.Err()))
	}
	failed := 0
	for _, pg := range sum.Pages {
		if pg.Err != nil {
			failed++
		}
	}
	if failed == len(sum.Pages) {
		return finish(fmt.Errorf("browser %w: %d pages failed", capture.ErrNothingCaptured, failed))
	}
	return finish(nil)
}

// warcinfo describes a browser capture: the browser and its user agent
// (the one in the requests), not the crawler's settings of HTTP mode.
func warcinfo(o Options, c capture.Options, v browser.GetVersionResult) []byte {
	var b bytes.Buffer
	field := func(name, val string) { fmt.Fprintf(&b, "%s: %s\r\n", name, oneLine(val)) }
	field("software", c.Software)
	field("format", "WARC File Format 1.1")
	field("conformsTo", "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/")
	if c.CommandLine != "" {
		field("command-line", c.CommandLine)
	}
	field("capture-mode", "browser")
	field("browser", v.Product+" "+v.Revision)
	field("http-header-user-agent", v.UserAgent)
	// robots.txt decides which pages are loaded (as browsertrix-crawler's
	// --useRobots); what a loaded page asks for is fetched, as a browser
	// would.
	if c.IgnoreRobots {
		field("robots", "ignore")
	} else {
		field("robots", "obey (pages)")
	}
	field("digest", string(c.Digest))
	field("wait", o.Wait.String())
	field("page-timeout", o.Timeout.String())
	field("viewport", fmt.Sprintf("%dx%d", o.Width, o.Height))
	if o.Tabs > 1 {
		field("tabs", fmt.Sprint(o.Tabs))
	}
	if c.Proxy != nil {
		field("proxy", c.Proxy.String())
	}
	return b.Bytes()
}

// startBrowser launches Chromium with every request going through the proxy,
// loopback included, and trusting only the run's leaf key.
func startBrowser(ctx context.Context, opts Options, proxyAddr, spki string) (context.Context, func(), error) {
	return launch(ctx, opts,
		chromedp.ProxyServer("http://"+proxyAddr),
		// Chromium sends loopback hosts around a proxy unless told not to.
		chromedp.Flag("proxy-bypass-list", "<-loopback>"),
		chromedp.Flag("ignore-certificate-errors-spki-list", spki))
}

// launch starts Chromium as every capture runs it (the speed benchmark's
// floor runs it the same way without the proxy), with extra options.
func launch(ctx context.Context, opts Options, extra ...chromedp.ExecAllocatorOption) (context.Context, func(), error) {
	aopts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(opts.Chromium),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("metrics-recording-only", true),
		// Background services the page does not need; what still gets
		// through is refused by the proxy (browserInternal).
		chromedp.Flag("disable-features", "Translate,BlinkGenPropertyTrees,OptimizationHints,OptimizationHintsFetching,"+
			"OptimizationGuideModelDownloading,OptimizationTargetPrediction,MediaRouter,DialMediaRouteProvider,"+
			"AutofillServerCommunication,CertificateTransparencyComponentUpdater,InterestFeedContentSuggestions"),
		chromedp.WindowSize(opts.Width, opts.Height),
	)
	aopts = append(aopts, extra...)
	if opts.NoSandbox || os.Geteuid() == 0 {
		// Chromium refuses to start as root with its sandbox on.
		aopts = append(aopts, chromedp.NoSandbox)
	}
	if opts.UserAgent != "" {
		aopts = append(aopts, chromedp.UserAgent(opts.UserAgent))
	}
	for k, v := range opts.ExtraFlags {
		aopts = append(aopts, chromedp.Flag(k, v))
	}
	actx, acancel := chromedp.NewExecAllocator(ctx, aopts...)
	bctx, bcancel := chromedp.NewContext(actx)
	stop := func() { bcancel(); acancel() }
	if err := chromedp.Do(bctx); err != nil {
		stop()
		hint := ""
		if !opts.NoSandbox && os.Geteuid() != 0 {
			hint = " (in a container without user namespaces, turn the sandbox off)"
		}
		return nil, nil, fmt.Errorf("browser capture: start %s%s: %w", opts.Chromium, hint, err)
	}
	return bctx, stop, nil
}

// tabMemory is what one more tab costs in browser memory at most on long
// pages (BENCHMARKS.md: 0.35 GB more for a second tab, 1.3 GB in all);
// DefaultTabs keeps a tab per GiB available.
const tabMemory = 1 << 30

// DefaultTabs is how many tabs this machine can load at once: one per
// core, no more than the available memory holds at tabMemory a tab, at
// most 4 (past that one browser process is the bottleneck), at least 1.
func DefaultTabs() int {
	n := min(runtime.NumCPU(), 4)
	if avail := memAvailable(); avail > 0 {
		n = min(n, int(avail/tabMemory))
	}
	return max(n, 1)
}

// memAvailable reads MemAvailable from /proc/meminfo, in bytes (0 when it
// cannot be read, as off Linux).
func memAvailable() int64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "MemAvailable:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}
