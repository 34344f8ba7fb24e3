// Package capture fetches web pages and writes what the servers sent into
// WARC/1.1 files, with a CDXJ index and a JSON-lines crawl log.
//
// The HTTP client records the bytes as they come off the connection;
// the crawler follows links and page requisites within a scope; identical
// payloads become revisit records. See Run.
package capture

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/publicsuffix"
	"golang.org/x/sync/errgroup"

	"github.com/warcbox/warcbox/capture/internal/fetch"
	"github.com/warcbox/warcbox/warc"
)

type crawler struct {
	opts   Options
	log    *slog.Logger
	client *fetch.Client
	w      *warc.Writer
	spool  *runSpool
	idx    Indexer
	clog   *crawlLog
	scope  *scopeRule
	dedup  *dedupStore
	cancel context.CancelCauseFunc

	mu       sync.Mutex
	cond     *sync.Cond
	queue    []*item
	seen     map[string]bool
	inflight int
	hostBusy map[string]int
	hostNext map[string]time.Time
	hostGap  map[string]time.Duration
	robots   map[string]*robotsEntry
	certDone map[string]bool
	stats    Stats
}

// newCrawler prepares what every capture needs, in HTTP or browser mode:
// file names from the options, the dedup store, the crawl log, the
// recording client, the index and the WARC writer. opts has its defaults
// filled.
func newCrawler(opts Options) (*crawler, error) {
	host := opts.Hostname
	if host == "" {
		host, _ = os.Hostname()
	}
	host = warc.FileHost(host)
	stem := fmt.Sprintf("%s-%s-%s", opts.Prefix, opts.Now().UTC().Format(fileTimeFormat), host)
	parent := filepath.Dir(filepath.Clean(opts.Dir))
	if opts.IndexPath == "" {
		opts.IndexPath = filepath.Join(parent, "indexes", stem+".cdxj")
	}
	if opts.LogPath == "" {
		opts.LogPath = filepath.Join(parent, "logs", stem+".jsonl")
	}

	dedup := newDedupStore(opts.Digest)
	for _, p := range opts.DedupIndex {
		n, err := dedup.load(p, opts.Logger)
		if err != nil {
			return nil, fmt.Errorf("capture: %w", err)
		}
		opts.Logger.Info("dedup index loaded", "file", p, "digests", n)
	}
	// What a capture killed earlier left in the folder goes first.
	removed, err := RemoveStaleSpools(opts.Dir, false)
	for _, r := range removed {
		opts.Logger.Warn("removed the spool of an interrupted capture", "folder", r.Path, "files", r.Files, "bytes", r.Bytes)
	}
	if err != nil {
		opts.Logger.Warn("stale spool not removed", "err", err)
	}
	spool, err := openRunSpool(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("capture: %w", err)
	}
	clog, err := openCrawlLog(opts.LogPath)
	if err != nil {
		spool.Close()
		return nil, fmt.Errorf("capture: %w", err)
	}
	jar, _ := cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List})
	c := &crawler{
		opts: opts,
		log:  opts.Logger,
		client: fetch.NewClient(fetch.ClientOptions{
			UserAgent: opts.UserAgent, Timeout: opts.Timeout, Insecure: opts.Insecure,
			RootCAs: opts.RootCAs, MaxSize: opts.MaxSize, Digest: opts.Digest, Jar: jar,
			Dial: opts.Dial, Lookup: opts.Lookup, Proxy: opts.Proxy.url(), TempDir: spool.dir,
		}),
		spool:    spool,
		clog:     clog,
		dedup:    dedup,
		seen:     map[string]bool{},
		hostBusy: map[string]int{},
		hostNext: map[string]time.Time{},
		hostGap:  map[string]time.Duration{},
		robots:   map[string]*robotsEntry{},
		certDone: map[string]bool{},
		cancel:   func(error) {},
	}
	c.cond = sync.NewCond(&c.mu)
	c.idx = opts.Indexer
	if c.idx == nil {
		c.idx = NewCDXJFile(opts.IndexPath)
	}
	c.w, err = warc.NewWriter(warc.WriterOptions{
		Dir: opts.Dir, Prefix: opts.Prefix, Hostname: host, MaxSize: opts.WarcSize, Digest: opts.Digest,
		Warcinfo: c.warcinfo, Now: opts.Now,
		OnClose: func(p string) { c.log.Debug("warc finished", "file", p) },
	})
	if err != nil {
		spool.Close()
		clog.Close()
		return nil, fmt.Errorf("capture: %w", err)
	}
	return c, nil
}

// Run captures seeds and returns a summary. On context cancellation it stops
// fetching, finishes the files and the index, and returns the summary with
// Canceled set and the context's error.
func Run(ctx context.Context, seeds []string, opts Options) (*Summary, error) {
	start := time.Now()
	if err := opts.validate(); err != nil {
		return nil, fmt.Errorf("capture: %w", err)
	}
	if opts.Mode == ModeBrowser {
		return nil, errors.New("capture: Run crawls in HTTP mode; browser mode is run by capture/browser")
	}
	if len(seeds) == 0 {
		return nil, errors.New("capture: no URL given")
	}
	fillDefaults(&opts)
	var seedURLs []*url.URL
	for _, s := range seeds {
		u, err := NormalizeURL(s)
		if err != nil {
			return nil, fmt.Errorf("capture: %w", err)
		}
		seedURLs = append(seedURLs, u)
	}
	c, err := newCrawler(opts)
	if err != nil {
		return nil, err
	}
	c.scope = newScopeRule(c.opts.Scope, seedURLs, c.opts.Include, c.opts.Exclude)

	for _, u := range seedURLs {
		c.enqueueLocked(&item{u: u, key: u.String(), page: true})
	}

	// A write error (disk full) stops the crawl; cancelCause keeps it apart
	// from the user's own Ctrl-C.
	cctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	c.cancel = cancel
	stopWake := context.AfterFunc(cctx, func() {
		c.mu.Lock()
		c.cond.Broadcast()
		c.mu.Unlock()
	})
	defer stopWake()

	var g errgroup.Group
	for i := 0; i < opts.Concurrency; i++ {
		g.Go(func() error {
			for {
				it := c.next(cctx)
				if it == nil {
					return nil
				}
				c.process(cctx, it)
				c.release(it)
			}
		})
	}
	g.Wait()
	c.client.CloseIdle()
	if err := c.spool.Close(); err != nil {
		c.log.Warn("spool not removed", "err", err)
	}

	var errs []error
	if cause := context.Cause(cctx); cause != nil && !errors.Is(cause, context.Canceled) {
		errs = append(errs, cause)
	}
	if err := c.w.Close(); err != nil {
		errs = append(errs, err)
	}
	if err := c.idx.Close(); err != nil {
		errs = append(errs, err)
	}
	if err := c.clog.Close(); err != nil {
		errs = append(errs, err)
	}
	c.mu.Lock()
	st := c.stats
	st.Queued = len(c.queue)
	c.mu.Unlock()
	sum := c.summary(st, start, ctx.Err() != nil)
	if len(errs) > 0 {
		return sum, fmt.Errorf("capture: %w", errors.Join(errs...))
	}
	if ctx.Err() != nil {
		return sum, fmt.Errorf("capture interrupted: %w", ctx.Err())
	}
	if st.Seeds == 0 {
		return sum, fmt.Errorf("%w (%d failed, %d blocked: see %s)", ErrNothingCaptured, st.Failed, st.Blocked, sum.LogPath)
	}
	return sum, nil
}

// summary reports a finished capture, naming only files that exist.
func (c *crawler) summary(st Stats, start time.Time, canceled bool) *Summary {
	sum := &Summary{
		Stats: st, Files: c.w.Files(), IndexPath: c.opts.IndexPath, LogPath: c.opts.LogPath,
		Elapsed: time.Since(start), Canceled: canceled,
	}
	if _, err := os.Stat(sum.IndexPath); err != nil {
		sum.IndexPath = "" // the index is written only when there is something to index
	}
	return sum
}

func fillDefaults(o *Options) {
	d := DefaultOptions()
	if o.Dir == "" {
		o.Dir = d.Dir
	}
	if o.Prefix == "" {
		o.Prefix = "warcbox"
	}
	if o.WarcSize <= 0 {
		o.WarcSize = d.WarcSize
	}
	if o.Scope == "" {
		o.Scope = ScopeHost
	}
	if o.Concurrency <= 0 {
		o.Concurrency = d.Concurrency
	}
	if o.PerHost <= 0 {
		o.PerHost = d.PerHost
	}
	if o.Timeout <= 0 {
		o.Timeout = d.Timeout
	}
	if o.RetryBackoff <= 0 {
		o.RetryBackoff = d.RetryBackoff
	}
	if o.Digest == "" {
		o.Digest = warc.SHA256
	}
	if o.Software == "" {
		o.Software = "warcbox"
	}
	if o.UserAgent == "" {
		o.UserAgent = o.Software + " (+https://github.com/warcbox/warcbox)"
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

func (c *crawler) process(ctx context.Context, it *item) {
	if !c.opts.IgnoreRobots && !it.robots {
		r := c.robotsFor(ctx, it)
		if ctx.Err() != nil {
			return
		}
		if !r.Allowed(it.u.RequestURI()) {
			c.clog.write(logEntry{URL: it.u.String(), Hops: it.hops, Via: it.via, Error: "blocked by robots.txt", Kind: "robots"})
			c.addStats(func(s *Stats) { s.Blocked++ })
			return
		}
	}
	ex := c.fetch(ctx, it)
	if ex == nil {
		return
	}
	defer ex.Close()
	links := c.extract(it, ex)
	if err := c.record(it, ex, links); err != nil {
		c.log.Error("write failed, stopping", "err", err)
		c.cancel(err)
		return
	}
	c.follow(it, ex, links)
}

// fetch performs the exchange with retries; nil means it failed (logged).
func (c *crawler) fetch(ctx context.Context, it *item) *fetch.Exchange {
	keep := func(status int, h http.Header) bool {
		if it.robots {
			return true
		}
		mt := mediaType(h.Get("Content-Type"))
		return mt == "" || isHTML(mt) || mt == "text/css"
	}
	backoff := c.opts.RetryBackoff
	for attempt := 0; ; attempt++ {
		referer := it.via
		if it.robots {
			referer = "" // robots.txt is fetched for the host, not linked from the page
		}
		ex, err := c.client.Do(ctx, it.u, referer, keep)
		if ctx.Err() != nil {
			// Interrupted: what arrived is incomplete because we stopped,
			// not because of the server; leave it out of the archive.
			ex.Close()
			c.clog.write(logEntry{URL: it.u.String(), Hops: it.hops, Via: it.via, Error: "capture interrupted", Kind: "canceled"})
			return nil
		}
		var reason string
		var wait time.Duration
		switch {
		case err != nil:
			var fe *fetch.FetchError
			kind := "other"
			if errors.As(err, &fe) {
				kind = fe.Kind
			}
			if kind == "refused" || kind == "reset" || kind == "timeout" || kind == "dns" {
				reason = kind
			}
			if reason == "" || attempt >= c.opts.Retries {
				c.clog.write(logEntry{URL: it.u.String(), Hops: it.hops, Via: it.via, Error: err.Error(), Kind: kind, Attempt: attempt + 1})
				if !it.robots {
					// A dead host fails its robots.txt and then the page;
					// count it once.
					c.addStats(func(s *Stats) { s.Failed++ })
				}
				c.log.Warn("fetch failed", "url", it.u.String(), "kind", kind, "err", err)
				return nil
			}
		case ex.Status == 429 || ex.Status >= 500:
			if attempt >= c.opts.Retries {
				return ex
			}
			reason = fmt.Sprintf("status %d", ex.Status)
			wait = retryAfter(ex.Header.Get("Retry-After"))
			ex.Close()
		default:
			return ex
		}
		if wait < backoff {
			wait = backoff
		}
		c.clog.write(logEntry{URL: it.u.String(), Hops: it.hops, Via: it.via, Error: "retrying after " + reason, Kind: "retry", Attempt: attempt + 1})
		select {
		case <-ctx.Done():
			c.clog.write(logEntry{URL: it.u.String(), Hops: it.hops, Via: it.via, Error: "capture interrupted", Kind: "canceled"})
			return nil
		case <-time.After(wait):
		}
		backoff *= 2
	}
}

// retryAfter parses a Retry-After in seconds, capped at a minute so one
// server cannot stall the crawl.
func retryAfter(v string) time.Duration {
	var n int
	if _, err := fmt.Sscanf(strings.TrimSpace(v), "%d", &n); err != nil || n <= 0 {
		return 0
	}
	return min(time.Duration(n)*time.Second, time.Minute)
}
