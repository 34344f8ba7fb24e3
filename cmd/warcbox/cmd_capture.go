package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/warcbox/warcbox/capture"
	"github.com/warcbox/warcbox/capture/browser"
	"github.com/warcbox/warcbox/internal/ui"
	"github.com/warcbox/warcbox/tsa"
	"github.com/warcbox/warcbox/wacz"
	"github.com/warcbox/warcbox/warc"
)

type captureOptions struct {
	Output       string
	Prefix       string
	WarcSize     int64
	Depth        int
	Scope        string
	Include      []string
	Exclude      []string
	MaxPages     int
	Concurrency  int
	PerHost      int
	Delay        time.Duration
	IgnoreRobots bool
	UserAgent    string
	Timeout      time.Duration
	Retries      int
	MaxSize      int64
	Digest       string
	Insecure     bool
	CAFile       string
	DedupIndex   []string
	NoRequisites bool
	Mode         string
	Progress     string
	WACZ         string
	SignKey      string
	Title        string
	Browser      bool
	Chromium     string
	Wait         time.Duration
	PageTimeout  time.Duration
	MaxShot      int
	Tabs         int
	Behaviors    string
	Proxy        string
	TSA          []string

	commandLine string // for warcinfo, rebuilt from the flags given
}

// withCommandLine records the options as given (flags the user set, then
// the URLs) for the warcinfo record.
func (o *captureOptions) withCommandLine(cmd *cobra.Command, args []string) *captureOptions {
	parts := []string{"warcbox", "capture"}
	cmd.Flags().Visit(func(f *pflag.Flag) {
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			for _, v := range sv.GetSlice() {
				parts = append(parts, "--"+f.Name+"="+v)
			}
			return
		}
		v := f.Value.String()
		if f.Name == "proxy" {
			v = capture.Redact(v) // a proxy password never reaches a WARC
		}
		parts = append(parts, "--"+f.Name+"="+v)
	})
	o.commandLine = strings.Join(append(parts, args...), " ")
	return o
}

func (o *captureOptions) AddFlags(f *pflag.FlagSet) {
	d := capture.DefaultOptions()
	f.StringVarP(&o.Output, "output", "o", "./collections/web/archive/", "directory for the WARC files (the index goes to ../indexes, the crawl log to ../logs)")
	f.StringVar(&o.Prefix, "prefix", "warcbox", "WARC file name prefix")
	f.Int64Var(&o.WarcSize, "warc-size", d.WarcSize, "start a new WARC file past this many bytes")
	f.IntVar(&o.Depth, "depth", d.Depth, "link hops to follow from the seeds (-1: unlimited)")
	f.StringVar(&o.Scope, "scope", string(d.Scope), "links followed: page, host, domain or prefix")
	f.StringArrayVar(&o.Include, "include", nil, "only fetch URLs matching REGEX (repeatable)")
	f.StringArrayVar(&o.Exclude, "exclude", nil, "never fetch URLs matching REGEX (repeatable)")
	f.IntVar(&o.MaxPages, "max-pages", 0, "stop queueing pages after this many (0: no limit)")
	f.IntVar(&o.Concurrency, "concurrency", d.Concurrency, "fetches in flight")
	f.IntVar(&o.PerHost, "per-host", d.PerHost, "fetches in flight per host")
	f.DurationVar(&o.Delay, "delay", 0, "pause between fetches to one host")
	f.BoolVar(&o.IgnoreRobots, "ignore-robots", false, "do not obey robots.txt")
	f.StringVar(&o.UserAgent, "user-agent", "", "User-Agent header (default warcbox/<version>)")
	f.DurationVar(&o.Timeout, "timeout", d.Timeout, "timeout for connecting and for each wait on the server (a body that keeps coming is never cut)")
	f.IntVar(&o.Retries, "retries", d.Retries, "retries on 429, 5xx and connection errors")
	f.Int64Var(&o.MaxSize, "max-size", 0, "keep at most this many body bytes per resource (0: no limit; cut records say WARC-Truncated)")
	f.StringVar(&o.Digest, "digest", string(d.Digest), "digest algorithm: sha256 or sha1")
	f.BoolVar(&o.Insecure, "insecure", false, "do not check TLS certificates")
	f.StringVar(&o.CAFile, "ca-file", "", "PEM file of extra CA certificates to trust")
	f.StringVar(&o.Proxy, "proxy", "", "send every connection through this proxy: http://[user:pass@]host:port (CONNECT tunnels), socks5://host:port (names resolved here) or socks5h://host:port (names resolved by the proxy, as for Tor)")
	f.StringArrayVar(&o.DedupIndex, "dedup-index", nil, "CDXJ of earlier captures: known payloads become revisits (repeatable)")
	f.BoolVar(&o.NoRequisites, "no-requisites", false, "do not fetch images, styles, scripts and other page requisites")
	f.StringVar(&o.Mode, "mode", "http", "capture mode: http, or browser (same as --browser)")
	f.BoolVar(&o.Browser, "browser", false, "capture each URL in headless Chromium through a recording proxy: every request the page makes, scripts' included, plus a screenshot, the rendered DOM and a provenance record")
	f.StringVar(&o.Chromium, "chromium", "", "browser mode: the chromium binary (default /usr/bin/chromium, then chromium on PATH)")
	f.DurationVar(&o.Wait, "wait", 10*time.Second, "browser mode: longest wait for the network to go idle, after load and again after scrolling")
	f.IntVar(&o.MaxShot, "max-screenshot-height", 0, "browser mode: cut screenshots of taller pages to this many pixels (0: whole page)")
	f.IntVar(&o.Tabs, "tabs", 0, "browser mode: pages loaded at once, each tab with its own browser context and recording proxy (0: one per core, as memory allows, at most 4)")
	f.StringVar(&o.Behaviors, "behaviors", "scroll,timers", "browser mode: what is done to each loaded page so late and on-demand requests are recorded: scroll, timers (wait within --wait for the page's setTimeout timers), click (expand controls, never links or submit buttons), all or none")
	f.StringVar(&o.Progress, "progress", "auto", "progress display: auto, bar or log")
	f.StringVar(&o.WACZ, "wacz", "", "also package the capture as a WACZ file (WARCs, index, pages with titles and text)")
	f.StringVar(&o.SignKey, "sign-key", "", "sign the WACZ with this ECDSA key (warcbox keygen -o KEY.pem)")
	f.StringVar(&o.Title, "title", "", "title of the WACZ package")
	f.StringArrayVar(&o.TSA, "tsa", nil, "RFC 3161 time-stamping authority URL: each finished WARC (token beside it as FILE.N.tsr) and the WACZ's datapackage-digest.json are time-stamped (repeatable: several authorities)")
}

func newCaptureCommand(g *globalOptions) *cobra.Command {
	opts := &captureOptions{}
	cmd := &cobra.Command{
		Use:   "capture [flags] URL...",
		Short: "Capture web pages into WARC files with a CDXJ index and a crawl log",
		Long: `Capture fetches the URLs, their page requisites and (with --depth) the
pages they link to, and writes exactly what the servers sent into WARC/1.1
files (gzip per record) under --output, a CDXJ index into the sibling
indexes/ folder (so 'warcbox replay' serves the capture at once) and a
JSON-lines crawl log into the sibling logs/ folder.

Ctrl-C stops cleanly: the files are closed and the index written.

Exit codes: 0 done (failed URLs are listed in the crawl log), 1 the capture
could not run, was interrupted or captured no seed (every one failed, was
blocked or redirected in a loop), 2 bad flags or arguments, 3 captured but
not fully attested (a --tsa timestamp is missing: the summary says which
and why).`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCapture(cmd.Context(), opts.withCommandLine(cmd, args), g, args)
		},
	}
	opts.AddFlags(cmd.Flags())
	return cmd
}

func runCapture(ctx context.Context, opts *captureOptions, g *globalOptions, args []string) error {
	co, signKey, err := opts.captureOptions(g, args)
	if err != nil {
		return err
	}
	bar := opts.progress(g, &co)
	if opts.Browser || co.Mode == capture.ModeBrowser {
		return runBrowserCapture(ctx, opts, g, args, co, signKey)
	}
	sum, err := capture.Run(ctx, args, co)
	bar.Finish()
	if sum == nil {
		return err
	}
	att := newAttestation(opts.TSA)
	if err == nil {
		att.stampFiles(context.WithoutCancel(ctx), sum.Files)
	}
	if err == nil && opts.WACZ != "" {
		// A capture cut short by Ctrl-C is packaged too: its files are
		// complete, and the package says what was captured.
		err = writeWACZ(context.WithoutCancel(ctx), opts, sum.Files, nil, signKey, co.Logger, att)
	}
	res := ui.CaptureResult{Summary: sum, Timestamps: att.results}
	if err == nil {
		res.WACZ = opts.WACZ
	}
	return att.outcome(printCapture(g, res, err))
}

// attestation gets the RFC 3161 tokens of a capture's files from each
// --tsa authority and remembers what it got and what failed.
type attestation struct {
	urls    []string
	client  *http.Client
	results []tsa.Result
}

func newAttestation(urls []string) *attestation {
	return &attestation{urls: urls, client: &http.Client{Timeout: 30 * time.Second}}
}

func (a *attestation) stampFiles(ctx context.Context, files []string) {
	if len(a.urls) == 0 {
		return
	}
	for _, f := range files {
		a.results = append(a.results, tsa.StampFile(ctx, a.client, f, a.urls)...)
	}
}

// stamper returns what wacz.Options.Stamp asks for, or nil without --tsa.
func (a *attestation) stamper(pkg string) func(ctx context.Context, digest []byte) [][]byte {
	if len(a.urls) == 0 {
		return nil
	}
	return func(ctx context.Context, digest []byte) [][]byte {
		out := make([][]byte, len(a.urls))
		for i, u := range a.urls {
			r := tsa.Result{Authority: u, File: pkg + "#datapackage-digest.json"}
			tsr, tok, err := tsa.Request(ctx, a.client, u, digest)
			if err != nil {
				r.Err = err
			} else {
				out[i], r.Token, r.Path = tsr, tok, fmt.Sprintf("%s#timestamps/datapackage-digest.json.%d.tsr", pkg, i+1)
			}
			a.results = append(a.results, r)
		}
		return out
	}
}

// outcome is err, or errNotAttested when a timestamp is missing.
func (a *attestation) outcome(err error) error {
	if err != nil {
		return err
	}
	missing := 0
	for _, r := range a.results {
		if r.Err != nil {
			missing++
		}
	}
	if missing > 0 {
		return fmt.Errorf("capture: %w: %d of %d timestamps missing", errNotAttested, missing, len(a.results))
	}
	return nil
}

// captureOptions checks the flags and builds the library's options from
// them, and loads the signing key.
func (opts *captureOptions) captureOptions(g *globalOptions, args []string) (capture.Options, *ecdsa.PrivateKey, error) {
	co := capture.DefaultOptions()
	co.Dir = opts.Output
	co.Prefix = opts.Prefix
	co.WarcSize = opts.WarcSize
	co.Depth = opts.Depth
	scope, err := capture.ParseScope(opts.Scope)
	if err != nil {
		return co, nil, usageError{err}
	}
	co.Scope = scope
	if co.Include, err = compileAll("--include", opts.Include); err != nil {
		return co, nil, err
	}
	if co.Exclude, err = compileAll("--exclude", opts.Exclude); err != nil {
		return co, nil, err
	}
	digest, err := warc.ParseDigestAlgorithm(opts.Digest)
	if err != nil {
		return co, nil, usageError{fmt.Errorf("--digest %q: want sha256 or sha1", opts.Digest)}
	}
	if opts.Concurrency < 1 || opts.PerHost < 1 {
		return co, nil, usageError{errors.New("--concurrency and --per-host must be at least 1")}
	}
	for _, a := range args {
		if _, err := capture.NormalizeURL(a); err != nil {
			return co, nil, usageError{err}
		}
	}
	co.MaxPages = opts.MaxPages
	co.Concurrency = opts.Concurrency
	co.PerHost = opts.PerHost
	co.Delay = opts.Delay
	co.IgnoreRobots = opts.IgnoreRobots
	co.Software = "warcbox/" + version
	co.UserAgent = opts.UserAgent
	co.Timeout = opts.Timeout
	co.Retries = opts.Retries
	co.MaxSize = opts.MaxSize
	co.Digest = digest
	co.Insecure = opts.Insecure
	co.DedupIndex = opts.DedupIndex
	co.NoRequisites = opts.NoRequisites
	if co.Mode, err = capture.ParseMode(opts.Mode); err != nil {
		return co, nil, usageError{fmt.Errorf("--mode: %w", err)}
	}
	co.CommandLine = opts.commandLine
	if co.RootCAs, err = loadCAFile(opts.CAFile); err != nil {
		return co, nil, err
	}
	if opts.Proxy != "" {
		px, err := capture.ParseUpstream(opts.Proxy)
		if err != nil {
			return co, nil, usageError{fmt.Errorf("--proxy: %w", err)}
		}
		co.Proxy = px
	}
	co.Logger = g.logger()
	var signKey *ecdsa.PrivateKey
	if opts.SignKey != "" {
		if opts.WACZ == "" {
			return co, nil, usageError{errors.New("--sign-key signs a WACZ: give --wacz FILE too")}
		}
		if signKey, err = wacz.LoadKey(opts.SignKey); err != nil {
			return co, nil, usageError{fmt.Errorf("--sign-key: %w", err)}
		}
	}
	return co, signKey, nil
}

// compileAll compiles the regular expressions of a repeatable flag.
func compileAll(flag string, exprs []string) ([]*regexp.Regexp, error) {
	var out []*regexp.Regexp
	for _, s := range exprs {
		re, err := regexp.Compile(s)
		if err != nil {
			return nil, usageError{fmt.Errorf("%s: %w", flag, err)}
		}
		out = append(out, re)
	}
	return out, nil
}

// loadCAFile returns the system roots plus the certificates of a PEM file
// (nil, the system roots alone, without one).
func loadCAFile(path string) (*x509.CertPool, error) {
	if path == "" {
		return nil, nil
	}
	pemb, err := os.ReadFile(path)
	if err != nil {
		return nil, usageError{fmt.Errorf("--ca-file: %w", err)}
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pemb) {
		return nil, usageError{fmt.Errorf("--ca-file %s: no PEM certificate found", path)}
	}
	return pool, nil
}

// progress sets co.Progress: a bar on a terminal (or with --progress
// bar), else a log line every few seconds unless --quiet. The bar, if
// any, is returned to be finished.
func (opts *captureOptions) progress(g *globalOptions, co *capture.Options) *ui.Progress {
	t := g.term()
	if opts.Progress == "bar" || (opts.Progress == "auto" && t.ShowProgress()) {
		bar := ui.NewCounter(t.Err, "capturing")
		start := time.Now()
		co.Progress = func(s capture.Stats) {
			bar.Set(s.Done, s.Done+s.Queued)
			rate := float64(s.Bytes) / max(time.Since(start).Seconds(), 0.001)
			bar.Describe(fmt.Sprintf("%d done, %d queued, %s (%s/s), %d errors", s.Done, s.Queued, ui.Bytes(s.Bytes), ui.Bytes(int64(rate)), s.Failed))
		}
		return bar
	}
	if !g.Quiet {
		log, last := co.Logger, time.Now()
		co.Progress = func(s capture.Stats) {
			// One line every few seconds keeps logs readable.
			if time.Since(last) < 5*time.Second {
				return
			}
			last = time.Now()
			log.Info("progress", "done", s.Done, "queued", s.Queued, "bytes", s.Bytes, "failed", s.Failed)
		}
	}
	return nil
}

// printCapture prints the capture's report and returns err, the
// capture's outcome.
func printCapture(g *globalOptions, res ui.CaptureResult, err error) error {
	p := ui.NewCapturePrinter(g.term())
	if perr := p.Print(res); perr != nil && err == nil {
		err = perr
	}
	if perr := p.Close(); perr != nil && err == nil {
		err = perr
	}
	return err
}

// runBrowserCapture captures each URL in headless Chromium. In this mode
// --timeout bounds a whole page (navigation to records); each upstream
// fetch keeps the default fetch timeout.
func runBrowserCapture(ctx context.Context, opts *captureOptions, g *globalOptions, args []string, co capture.Options, key *ecdsa.PrivateKey) error {
	pageTimeout := opts.Timeout
	co.Timeout = capture.DefaultOptions().Timeout
	co.Mode = capture.ModeBrowser
	log := co.Logger
	tabs := opts.Tabs
	if tabs <= 0 {
		tabs = browser.DefaultTabs()
	}
	behaviors, err := browser.ParseBehaviors(opts.Behaviors)
	if err != nil {
		return usageError{err}
	}
	bo := browser.Options{
		Behaviors: behaviors,
		Capture:   co, Chromium: opts.Chromium, Wait: opts.Wait, Timeout: pageTimeout,
		MaxScreenshotHeight: opts.MaxShot, UserAgent: opts.UserAgent, Tabs: tabs,
		OnPage: func(p browser.Page) {
			if p.Err != nil {
				log.Warn("page failed", "url", p.URL, "err", p.Err)
				return
			}
			log.Info("page", "url", p.URL, "title", p.Title, "requests", p.Requests, "idle", p.Idle)
		},
	}
	sum, err := browser.Run(ctx, args, bo)
	if errors.Is(err, browser.ErrNoChromium) || sum == nil {
		return err
	}
	var pages []wacz.Page
	for _, p := range sum.Pages {
		if p.Err == nil {
			pages = append(pages, wacz.Page{URL: p.URL, TS: p.Start.UTC().Format(time.RFC3339), Title: p.Title})
		}
	}
	att := newAttestation(opts.TSA)
	if err == nil {
		att.stampFiles(context.WithoutCancel(ctx), sum.Files)
	}
	if err == nil && opts.WACZ != "" {
		err = writeWACZ(context.WithoutCancel(ctx), opts, sum.Files, pages, key, log, att)
	}
	res := ui.CaptureResult{Summary: &sum.Summary, Browser: &ui.BrowserResult{Name: sum.Browser, Pages: len(sum.Pages)}, Timestamps: att.results}
	if err == nil {
		res.WACZ = opts.WACZ
	}
	return att.outcome(printCapture(g, res, err))
}

// writeWACZ packages WARC files; pages nil means every HTML page in them.
func writeWACZ(ctx context.Context, opts *captureOptions, files []string, pages []wacz.Page, key *ecdsa.PrivateKey, log *slog.Logger, att *attestation) error {
	title := opts.Title
	if title == "" {
		title = "warcbox capture " + time.Now().UTC().Format(time.RFC3339)
	}
	err := wacz.WriteFile(ctx, opts.WACZ, wacz.Options{
		WARCs: files, Pages: pages, Title: title, Software: "warcbox " + version, Key: key, Logger: log,
		Description: opts.commandLine, Stamp: att.stamper(opts.WACZ),
	})
	if err != nil {
		return fmt.Errorf("capture: package %s: %w", opts.WACZ, err)
	}
	return nil
}
