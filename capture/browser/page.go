package browser

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"image/png"
	"net/url"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/warcbox/warcbox/capture"
	"github.com/warcbox/warcbox/capture/internal/fetch"
	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/warc"
)

// errWrite marks a failure to write records: it ends the capture, where a
// page that fails to load does not.
var errWrite = errors.New("write")

type pageEnv struct {
	opts    Options
	copts   capture.Options
	rec     *capture.Recorder
	px      *proxy
	version browser.GetVersionResult
}

// scrollJS steps down the page a viewport at a time, so that lazy images
// and IntersectionObserver content come into view, until the end (or the
// step limit: an infinite scroll has no end); it returns the steps taken.
const scrollJS = `(async (max) => {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const el = document.scrollingElement || document.documentElement;
  let steps = 0;
  for (; steps < max; steps++) {
    const before = window.scrollY;
    window.scrollBy(0, Math.max(100, window.innerHeight));
    await sleep(50);
    if (window.scrollY === before || window.scrollY + window.innerHeight >= el.scrollHeight) break;
  }
  // IntersectionObserver callbacks (lazy images among them) run with the
  // next rendering update: wait for two frames (or 1 s if frames are not
  // produced), so their requests have started before the idle wait.
  await Promise.race([
    new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
    sleep(1000),
  ]);
  await sleep(50);
  return steps;
})(%d)`

// domJS serialises the document as it stands, doctype included.
const domJS = `(document.doctype ? new XMLSerializer().serializeToString(document.doctype) + "\n" : "") + document.documentElement.outerHTML`

// heightJS is the full height of the page in CSS pixels.
const heightJS = `Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0)`

// capturePage loads u in a new tab, waits, scrolls, snapshots and writes
// the page's records.
func capturePage(ctx, bctx context.Context, env *pageEnv, u string) Page {
	opts := env.opts
	pg := Page{URL: u, Start: time.Now()}
	env.px.startPage(u)
	tctx, cancel := chromedp.NewContext(bctx)
	defer cancel()
	// Everything about one page, however it goes, ends by the timeout.
	pctx, pcancel := context.WithTimeout(tctx, opts.Timeout)
	defer pcancel()
	stopCtx := context.AfterFunc(ctx, pcancel)
	defer stopCtx()

	if err := chromedp.Do(pctx, chromedp.EmulateViewport(int64(opts.Width), int64(opts.Height))); err != nil {
		pg.Err = fmt.Errorf("browser capture %s: open tab: %w", u, err)
		return pg
	}
	var notes []string
	// The snapshot steps get a share of the page's time of their own, so a
	// page that never finishes loading is still recorded as it stands.
	snapBudget := min(opts.Timeout/4, 30*time.Second)
	loadCtx, loadCancel := context.WithTimeout(pctx, opts.Timeout-snapBudget)
	defer loadCancel()
	if opts.has(BehaviorTimers) {
		if err := installTimers(pctx); err != nil {
			notes = append(notes, "timers behavior not installed: "+oneLine(err.Error()))
		}
	}
	if err := chromedp.Do(loadCtx, chromedp.Navigate(u)); err != nil {
		if loadCtx.Err() == nil || ctx.Err() != nil {
			pg.Err = fmt.Errorf("browser capture %s: navigate: %w", u, err)
			return pg
		}
		notes = append(notes, "navigation did not finish within the timeout")
	}
	loaded := time.Now()
	pg.Idle = env.px.waitIdle(loadCtx, opts.Idle, opts.Wait)
	if opts.has(BehaviorScroll) {
		steps, err := chromedp.Run(loadCtx, chromedp.Evaluate[int](fmt.Sprintf(scrollJS, opts.MaxScrolls), chromedp.EvalAwaitPromise))
		if err != nil {
			notes = append(notes, "scrolling failed: "+oneLine(err.Error()))
		} else {
			pg.Behaviors = append(pg.Behaviors, fmt.Sprintf("scroll: %d steps", steps))
		}
		idle2 := env.px.waitIdle(loadCtx, opts.Idle, opts.Wait)
		pg.Idle = pg.Idle && idle2
	}
	if opts.has(BehaviorTimers) {
		// Timers due up to Wait after the load: a form sent or a page
		// opened seconds later is part of what the page does.
		rounds := waitTimers(loadCtx, env, opts.Wait-time.Since(loaded))
		pg.Behaviors = append(pg.Behaviors, fmt.Sprintf("timers: waited %d rounds", rounds))
	}
	if opts.has(BehaviorClick) {
		n := clickExpanders(loadCtx, env)
		pg.Behaviors = append(pg.Behaviors, fmt.Sprintf("click: %d controls", n))
	}
	if !pg.Idle {
		notes = append(notes, "network not idle within the wait")
	}
	chromedp.Do(pctx, chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))

	var err error
	if pg.Title, err = chromedp.Run(pctx, chromedp.Title()); err != nil {
		pg.Err = fmt.Errorf("browser capture %s: title: %w", u, err)
		return pg
	}
	if pg.FinalURL, err = chromedp.Run(pctx, chromedp.Location()); err != nil {
		pg.Err = fmt.Errorf("browser capture %s: location: %w", u, err)
		return pg
	}
	// The proxy answered the page itself with an error: what the browser
	// shows is warcbox's message, not the site, and is not evidence of it.
	for _, v := range []string{u, pg.FinalURL} {
		if ferr := env.px.failure(v); ferr != nil {
			pg.Err = fmt.Errorf("browser capture %s: %w", u, ferr)
			return pg
		}
	}
	pg.Height, _ = chromedp.Run(pctx, chromedp.Evaluate[int](heightJS))
	dom, err := chromedp.Run(pctx, chromedp.Evaluate[string](domJS))
	if err != nil {
		pg.Err = fmt.Errorf("browser capture %s: dom: %w", u, err)
		return pg
	}
	tShot := time.Now()
	shot, err := screenshot(pctx, opts.Width, pg.Height, opts.MaxScreenshotHeight)
	env.opts.Capture.Logger.Debug("screenshot taken", "url", u, "took", time.Since(tShot), "bytes", len(shot), "loaded", tShot.Sub(pg.Start))
	if err != nil {
		pg.Err = fmt.Errorf("browser capture %s: screenshot: %w", u, err)
		return pg
	}
	if cfg, err := png.DecodeConfig(bytes.NewReader(shot)); err == nil {
		pg.ShotWidth, pg.ShotHeight = cfg.Width, cfg.Height
		switch {
		case cfg.Height >= pg.Height:
		case opts.MaxScreenshotHeight > 0 && cfg.Height == opts.MaxScreenshotHeight:
			notes = append(notes, fmt.Sprintf("screenshot cut at %d of %d pixels, as the options ask", cfg.Height, pg.Height))
		default:
			notes = append(notes, fmt.Sprintf("screenshot cut at %d of %d pixels: Chromium cannot capture a taller surface", cfg.Height, pg.Height))
		}
	}
	pg.End = time.Now()
	pg.Requests = env.px.requests()
	if err := writePage(env, &pg, []byte(dom), shot, notes); err != nil {
		pg.Err = fmt.Errorf("browser capture %s: %w: %w", u, errWrite, err)
	}
	return pg
}

// maxShotHeight is the tallest clip tried when Chromium refuses the full
// page ("Page is too large": the surface exceeds its texture limit).
const maxShotHeight = 16384

// screenshot takes the whole page as a PNG, or its top limit pixels when
// limit > 0. A page taller than Chromium can capture is cut to the tallest
// height it accepts, from the top; the caller notes any cut in the
// provenance record.
func screenshot(ctx context.Context, width, height, limit int) ([]byte, error) {
	try := func(clip int) ([]byte, error) {
		return chromedp.Run(ctx, chromedp.Action[[]byte](func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
			p := page.CaptureScreenshotParams{Format: page.CaptureScreenshotFormatPng, FromSurface: new(true), CaptureBeyondViewport: new(true)}
			if clip > 0 {
				p.Clip = &page.Viewport{Width: float64(width), Height: float64(clip), Scale: 1}
			}
			r, err := cdp.Call(ctx, t, page.CaptureScreenshot, p)
			return r.Data, err
		}))
	}
	first := 0
	if limit > 0 && height > limit {
		first, height = limit, limit
	}
	b, err := try(first)
	tooLarge := func(err error) bool { return err != nil && strings.Contains(err.Error(), "too large") }
	if !tooLarge(err) {
		return b, err
	}
	for clip := min(height, maxShotHeight); clip >= 1000; clip = clip * 3 / 4 {
		if clip == first {
			continue
		}
		if b, err = try(clip); !tooLarge(err) {
			return b, err
		}
	}
	return nil, err
}

// machineOS names the operating system: GOOS/GOARCH and, where
// /etc/os-release says it, the distribution.
func machineOS() string {
	s := runtime.GOOS + "/" + runtime.GOARCH
	b, err := os.ReadFile("/etc/os-release")
	if err != nil {
		return s
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "PRETTY_NAME="); ok {
			return s + " (" + strings.Trim(v, `"'`) + ")"
		}
	}
	return s
}

// domType is the DOM record's Content-Type: outerHTML is always UTF-8.
const domType = "text/html; charset=utf-8"

func oneLine(s string) string { return strings.NewReplacer("\r", " ", "\n", " ").Replace(s) }

// writePage writes the screenshot, the DOM and the provenance record as one
// group, so they land in the same file, and indexes the two resources.
func writePage(env *pageEnv, pg *Page, dom, shot []byte, notes []string) error {
	alg := env.copts.Digest
	date := warc.FormatDate(pg.End)
	shotID, domID, metaID := warc.NewRecordID(), warc.NewRecordID(), warc.NewRecordID()
	shotDigest, domDigest := alg.Of(shot), alg.Of(dom)
	resource := func(id, uri, ct, dg string, b []byte) *warc.OutRecord {
		return &warc.OutRecord{
			Type: "resource", ID: id,
			Fields: []warc.Field{
				{Name: "WARC-Target-URI", Value: uri},
				{Name: "WARC-Date", Value: date},
				{Name: "WARC-Concurrent-To", Value: metaID},
				{Name: "Content-Type", Value: ct},
				{Name: "WARC-Block-Digest", Value: dg},
				{Name: "WARC-Payload-Digest", Value: dg},
			},
			Body: bytes.NewReader(b), Length: int64(len(b)),
		}
	}
	prov := provenance(env, pg, shotID, shotDigest, domID, domDigest, notes)
	recs := []*warc.OutRecord{
		resource(shotID, "urn:screenshot:"+pg.URL, "image/png", shotDigest, shot),
		resource(domID, "urn:dom:"+pg.URL, domType, domDigest, dom),
		{
			Type: "metadata", ID: metaID,
			Fields: []warc.Field{
				{Name: "WARC-Target-URI", Value: pg.URL},
				{Name: "WARC-Date", Value: date},
				{Name: "WARC-Concurrent-To", Value: shotID},
				{Name: "WARC-Concurrent-To", Value: domID},
				{Name: "Content-Type", Value: "application/warc-fields"},
				{Name: "WARC-Block-Digest", Value: alg.Of(prov)},
			},
			Body: bytes.NewReader(prov), Length: int64(len(prov)),
		},
	}
	// warcio.js indexes resource records by their URI and whole
	// Content-Type (no status), which is what `warcbox index` rebuilds;
	// the warc-fields metadata is not indexed, as in HTTP mode.
	line := func(uri, mime, digest string) *cdxj.Line {
		_, d, _ := strings.Cut(digest, ":") // the line holds no "sha256:" label
		return &cdxj.Line{Key: cdxj.Key(uri), Timestamp: cdxj.Timestamp(pg.End), URL: uri, Mime: mime, Digest: d}
	}
	idx := []*cdxj.Line{
		line("urn:screenshot:"+pg.URL, "image/png", shotDigest),
		line("urn:dom:"+pg.URL, domType, domDigest),
		nil,
	}
	if _, err := env.rec.WriteGroup(recs, idx); err != nil {
		return err
	}
	pg.ScreenshotID, pg.DOMID, pg.MetadataID = shotID, domID, metaID
	return nil
}

// provenance is the page's metadata block (application/warc-fields): what
// made the capture, how, when, what the page was, and how to check that
// the screenshot and DOM records are the ones taken.
func provenance(env *pageEnv, pg *Page, shotID, shotDigest, domID, domDigest string, notes []string) []byte {
	o := env.opts
	var b bytes.Buffer
	field := func(name, v string) { fmt.Fprintf(&b, "%s: %s\r\n", name, oneLine(v)) }
	field("software", env.copts.Software)
	field("browser", env.version.Product)
	field("browser-revision", env.version.Revision)
	field("browser-user-agent", env.version.UserAgent)
	field("browser-protocol", env.version.ProtocolVersion)
	field("js-engine", "V8 "+env.version.JsVersion)
	// The capturing machine as known locally: what it ran and through what
	// it reached the site (its public address is not known here).
	field("os", machineOS())
	field("go-runtime", runtime.Version())
	if env.copts.Proxy != nil {
		field("proxy", env.copts.Proxy.String())
	} else {
		field("proxy", "none")
	}
	if env.copts.CommandLine != "" {
		field("command-line", env.copts.CommandLine)
	}
	field("option-wait", o.Wait.String())
	field("option-idle", o.Idle.String())
	field("option-timeout", o.Timeout.String())
	field("option-fetch-timeout", env.copts.Timeout.String())
	field("option-viewport", fmt.Sprintf("%dx%d", o.Width, o.Height))
	field("option-max-scrolls", fmt.Sprint(o.MaxScrolls))
	if o.UserAgent != "" {
		field("option-user-agent", o.UserAgent)
	}
	if env.copts.Insecure {
		field("option-insecure", "true")
	}
	field("start-time", pg.Start.UTC().Format(time.RFC3339Nano))
	field("end-time", pg.End.UTC().Format(time.RFC3339Nano))
	field("page-url", pg.URL)
	field("final-url", pg.FinalURL)
	field("title", pg.Title)
	field("page-height", fmt.Sprint(pg.Height))
	field("screenshot-size", fmt.Sprintf("%dx%d", pg.ShotWidth, pg.ShotHeight))
	field("requests-recorded", fmt.Sprint(pg.Requests))
	field("network-idle", fmt.Sprint(pg.Idle))
	for _, b := range pg.Behaviors {
		field("behavior", b)
	}
	for _, n := range notes {
		field("note", n)
	}
	field("screenshot-record", shotID)
	field("screenshot-digest", shotDigest)
	field("dom-record", domID)
	field("dom-digest", domDigest)
	// The chain the site presented to the proxy, leaf first, base64 DER
	// (the browser itself saw the run's own certificate).
	if fu, err := url.Parse(pg.FinalURL); err == nil && fu.Scheme == "https" {
		if st := env.px.tlsFor(fu); st != nil {
			field("tls-server-name", fu.Hostname())
			field("tls-version", fetch.TLSVersionName(st.Version))
			for _, c := range st.PeerCertificates {
				field("tls-certificate", base64.StdEncoding.EncodeToString(c.Raw))
			}
		}
	}
	return b.Bytes()
}
