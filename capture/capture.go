// Package capture fetches web pages and writes what the servers sent into
// WARC/1.1 files, with a CDXJ index and a JSON-lines crawl log.
//
// The HTTP client records the bytes as they come off the connection;
// the crawler follows links and page requisites within a scope; identical
// payloads become revisit records. See Run.
package capture

import (
	"bytes"
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"mime"
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
	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/warc"
)

// fileTimeFormat is the 14-digit timestamp of file names and dns records.
const fileTimeFormat = "20060102150405"

type item struct {
	u         *url.URL
	key       string
	depth     int
	hops      string
	via       string
	page      bool // a page: its links are followed (requisites' are not)
	redirects int
	robots    bool // the robots.txt fetch itself
}

type crawler struct {
	opts   Options
	log    *slog.Logger
	client *fetch.Client
	w      *warc.Writer
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

type robotsEntry struct {
	done chan struct{}
	r    *Robots
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
	clog, err := openCrawlLog(opts.LogPath)
	if err != nil {
		return nil, fmt.Errorf("capture: %w", err)
	}
	jar, _ := cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List})
	c := &crawler{
		opts: opts,
		log:  opts.Logger,
		client: fetch.NewClient(fetch.ClientOptions{
			UserAgent: opts.UserAgent, Timeout: opts.Timeout, Insecure: opts.Insecure,
			RootCAs: opts.RootCAs, MaxSize: opts.MaxSize, Digest: opts.Digest, Jar: jar,
			Dial: opts.Dial, Lookup: opts.Lookup, Proxy: opts.Proxy.url(),
		}),
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
	if opts.Mode != "" && opts.Mode != "http" {
		return nil, fmt.Errorf("capture: mode %q is not available yet (only http)", opts.Mode)
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
	sum := &Summary{
		Stats: st, Files: c.w.Files(), IndexPath: c.opts.IndexPath, LogPath: c.opts.LogPath,
		Elapsed: time.Since(start), Canceled: ctx.Err() != nil,
	}
	if len(errs) > 0 {
		return sum, fmt.Errorf("capture: %w", errors.Join(errs...))
	}
	if ctx.Err() != nil {
		return sum, fmt.Errorf("capture interrupted: %w", ctx.Err())
	}
	return sum, nil
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

func (c *crawler) warcinfo() []byte {
	var b bytes.Buffer
	robots := "obey"
	if c.opts.IgnoreRobots {
		robots = "ignore"
	}
	fmt.Fprintf(&b, "software: %s\r\n", c.opts.Software)
	b.WriteString("format: WARC File Format 1.1\r\n")
	b.WriteString("conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n")
	if c.opts.CommandLine != "" {
		fmt.Fprintf(&b, "command-line: %s\r\n", oneLine(c.opts.CommandLine))
	}
	fmt.Fprintf(&b, "http-header-user-agent: %s\r\n", oneLine(c.opts.UserAgent))
	fmt.Fprintf(&b, "robots: %s\r\n", robots)
	if c.opts.Proxy != nil {
		fmt.Fprintf(&b, "proxy: %s\r\n", c.opts.Proxy)
	}
	fmt.Fprintf(&b, "scope: %s\r\ndepth: %d\r\ndigest: %s\r\n", c.opts.Scope, c.opts.Depth, c.opts.Digest)
	return b.Bytes()
}

func oneLine(s string) string { return strings.NewReplacer("\r", " ", "\n", " ").Replace(s) }

// enqueueLocked adds it unless already seen; c.mu must be held (or the
// crawl not yet started).
func (c *crawler) enqueueLocked(it *item) bool {
	if c.seen[it.key] {
		return false
	}
	// A redirect continues the page it came from: it neither counts toward
	// --max-pages nor is stopped by it (a seed moving to https must land).
	newPage := it.page && it.redirects == 0
	if newPage && c.opts.MaxPages > 0 && c.stats.Pages >= c.opts.MaxPages {
		return false
	}
	c.seen[it.key] = true
	if newPage {
		c.stats.Pages++
	}
	c.queue = append(c.queue, it)
	c.stats.Queued = len(c.queue)
	if c.cond != nil {
		c.cond.Broadcast()
	}
	return true
}

// next blocks until an item may be fetched (its host has a free slot and
// its delay has passed), or returns nil when the crawl is over.
func (c *crawler) next(ctx context.Context) *item {
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		if ctx.Err() != nil {
			return nil
		}
		if len(c.queue) == 0 && c.inflight == 0 {
			c.cond.Broadcast()
			return nil
		}
		now := time.Now()
		var soonest time.Time
		for i, it := range c.queue {
			h := it.u.Host
			limit := c.opts.PerHost
			if c.opts.Delay > 0 || c.hostGap[h] > 0 {
				// A pause between fetches means one at a time.
				limit = 1
			}
			if c.hostBusy[h] >= limit {
				continue
			}
			if t := c.hostNext[h]; now.Before(t) {
				if soonest.IsZero() || t.Before(soonest) {
					soonest = t
				}
				continue
			}
			c.queue = append(c.queue[:i], c.queue[i+1:]...)
			c.stats.Queued = len(c.queue)
			c.inflight++
			c.hostBusy[h]++
			return it
		}
		if !soonest.IsZero() {
			t := time.AfterFunc(time.Until(soonest), func() {
				c.mu.Lock()
				c.cond.Broadcast()
				c.mu.Unlock()
			})
			c.cond.Wait()
			t.Stop()
			continue
		}
		c.cond.Wait()
	}
}

func (c *crawler) release(it *item) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.inflight--
	h := it.u.Host
	c.hostBusy[h]--
	gap := max(c.opts.Delay, c.hostGap[h])
	if gap > 0 {
		c.hostNext[h] = time.Now().Add(gap)
	}
	c.stats.Done++
	if c.opts.Progress != nil {
		c.opts.Progress(c.stats)
	}
	c.cond.Broadcast()
}

func (c *crawler) addStats(f func(*Stats)) {
	c.mu.Lock()
	f(&c.stats)
	c.mu.Unlock()
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

func mediaType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt, _, _ = strings.Cut(ct, ";")
	}
	return strings.ToLower(strings.TrimSpace(mt))
}

func isHTML(mt string) bool { return mt == "text/html" || mt == "application/xhtml+xml" }

func (c *crawler) extract(it *item, ex *fetch.Exchange) []Link {
	if ex.Payload == nil || it.robots || ex.Status < 200 || ex.Status >= 300 {
		return nil
	}
	body, err := decodeBody(ex.Payload, ex.Header.Get("Content-Encoding"))
	if err != nil {
		c.log.Debug("cannot decode body for links", "url", it.u.String(), "err", err)
		return nil
	}
	mt := mediaType(ex.Header.Get("Content-Type"))
	if mt == "" {
		mt = mediaType(http.DetectContentType(body))
	}
	switch {
	case isHTML(mt):
		return ExtractHTML(body, it.u)
	case mt == "text/css":
		return ExtractCSS(body, it.u)
	}
	return nil
}

func (c *crawler) follow(it *item, ex *fetch.Exchange, links []Link) {
	c.mu.Lock()
	defer c.mu.Unlock()
	redirect := func(raw string) {
		t, err := it.u.Parse(strings.TrimSpace(raw))
		if err != nil {
			return
		}
		u, err := NormalizeURL(t.String())
		if err != nil {
			return
		}
		if it.redirects >= 20 {
			c.clog.write(logEntry{URL: u.String(), Hops: it.hops + "R", Via: it.u.String(), Error: "more than 20 redirects", Kind: "redirect-limit"})
			return
		}
		seedChain := strings.Trim(it.hops, "R") == "" && it.page
		if c.scope.filtered(u.String()) || (it.page && !seedChain && !c.scope.follows(u)) {
			// The redirect itself is recorded; say why its target is not.
			c.clog.write(logEntry{URL: u.String(), Hops: it.hops + "R", Via: it.u.String(), Error: "redirect target out of scope or filtered", Kind: "scope"})
			c.stats.Blocked++
			return
		}
		if seedChain && !c.scope.follows(u) {
			// A seed moved (http→https, a www. host): its new home is
			// what the user meant to capture.
			c.scope.addSeed(u)
		}
		n := &item{u: u, key: u.String(), depth: it.depth, hops: it.hops + "R", via: it.u.String(), page: it.page, redirects: it.redirects + 1}
		c.enqueueLocked(n)
	}
	if ex.Status >= 300 && ex.Status < 400 {
		if loc := ex.Header.Get("Location"); loc != "" {
			redirect(loc)
		}
	}
	for _, l := range links {
		u, err := NormalizeURL(l.URL)
		if err != nil {
			continue
		}
		switch l.Hop {
		case 'R':
			redirect(u.String())
		case 'E':
			if c.opts.NoRequisites || c.scope.filtered(u.String()) {
				continue
			}
			// Requisites of requisites (an iframe's images, a style
			// sheet's imports) are needed, but a chain of them is the
			// classic crawler trap: cap it, as Heritrix caps trans hops.
			if embedRun(it.hops) >= maxEmbedHops {
				c.clog.write(logEntry{URL: u.String(), Hops: it.hops + "E", Via: it.u.String(), Error: "more than 5 embed hops in a row", Kind: "embed-limit"})
				continue
			}
			c.enqueueLocked(&item{u: u, key: u.String(), depth: it.depth, hops: it.hops + "E", via: it.u.String()})
		case 'L':
			if !it.page || (c.opts.Depth >= 0 && it.depth+1 > c.opts.Depth) {
				continue
			}
			if c.scope.filtered(u.String()) || !c.scope.follows(u) {
				continue
			}
			c.enqueueLocked(&item{u: u, key: u.String(), depth: it.depth + 1, hops: it.hops + "L", via: it.u.String(), page: true})
		}
	}
}

// maxEmbedHops bounds a run of requisite hops (E) after the last link (L).
const maxEmbedHops = 5

// embedRun counts the trailing hops since the last followed link.
func embedRun(hops string) int {
	n := 0
	for i := len(hops) - 1; i >= 0 && hops[i] != 'L'; i-- {
		if hops[i] == 'E' {
			n++
		}
	}
	return n
}

// robotsFor returns the rules for it's host, fetching robots.txt once per
// scheme and host (recorded in the WARC like any other fetch).
func (c *crawler) robotsFor(ctx context.Context, it *item) *Robots {
	key := it.u.Scheme + "://" + it.u.Host
	c.mu.Lock()
	e, ok := c.robots[key]
	if !ok {
		e = &robotsEntry{done: make(chan struct{})}
		c.robots[key] = e
		c.seen[key+"/robots.txt"] = true
	}
	c.mu.Unlock()
	if ok {
		select {
		case <-e.done:
		case <-ctx.Done():
		}
		return e.r
	}
	defer close(e.done)
	ru, _ := url.Parse(key + "/robots.txt")
	rit := &item{u: ru, key: ru.String(), depth: it.depth, hops: it.hops + "P", via: it.u.String(), robots: true}
	ex := c.fetch(ctx, rit)
	if ex == nil {
		return nil // unreachable: RFC 9309 would disallow, but a dead host fails anyway
	}
	defer ex.Close()
	if err := c.record(rit, ex, nil); err != nil {
		c.cancel(err)
	}
	c.addStats(func(s *Stats) { s.Done++ })
	switch {
	case ex.Status >= 200 && ex.Status < 300:
		body, err := decodeBody(ex.Payload, ex.Header.Get("Content-Encoding"))
		if err != nil {
			return nil
		}
		e.r = ParseRobots(body, c.opts.UserAgent)
		if e.r.CrawlDelay > 0 {
			c.mu.Lock()
			c.hostGap[it.u.Host] = min(time.Duration(e.r.CrawlDelay*float64(time.Second)), 30*time.Second)
			c.mu.Unlock()
		}
	case ex.Status >= 500:
		// RFC 9309 §2.3.1.4: an unreachable robots.txt means full disallow.
		e.r = ParseRobots([]byte("User-agent: *\nDisallow: /\n"), "")
	}
	return e.r
}

// record writes the exchange's records as one group and indexes them.
func (c *crawler) record(it *item, ex *fetch.Exchange, links []Link) error {
	reqID, respID := warc.NewRecordID(), warc.NewRecordID()
	date := warc.FormatDate(ex.Date)
	uri := it.u.String()
	var group []*warc.OutRecord
	if ex.DNS != nil {
		group = append(group, dnsRecord(ex.DNS, c.opts.Digest))
	}
	group = append(group, &warc.OutRecord{
		Type: "request", ID: reqID,
		Fields: compact([]warc.Field{
			{Name: "WARC-Target-URI", Value: uri},
			{Name: "WARC-Date", Value: date},
			{Name: "WARC-Concurrent-To", Value: respID},
			{Name: "WARC-IP-Address", Value: ex.IP},
			{Name: "Content-Type", Value: "application/http;msgtype=request"},
			{Name: "WARC-Block-Digest", Value: c.opts.Digest.Of(ex.Request)},
		}),
		Body: bytes.NewReader(ex.Request), Length: int64(len(ex.Request)),
	})

	proto := []warc.Field{{Name: "WARC-Protocol", Value: "http/1.1"}}
	if ex.TLS != nil {
		proto = append(proto, warc.Field{Name: "WARC-Protocol", Value: fetch.TLSVersionName(ex.TLS.Version)}, warc.Field{Name: "WARC-Cipher-Suite", Value: fetch.CipherName(ex.TLS.CipherSuite)})
	}
	mt := mediaType(ex.Header.Get("Content-Type"))
	revisit := false
	var ref dedupRef
	if ex.Status >= 200 && ex.Status < 300 && ex.PayloadLen > 0 && ex.Truncated == "" {
		ref, revisit = c.dedup.lookupOrAdd(ex.PayloadDigest, dedupRef{URI: uri, Date: ex.Date, ID: respID})
	}
	var resp *warc.OutRecord
	if revisit {
		f := []warc.Field{
			{Name: "WARC-Target-URI", Value: uri},
			{Name: "WARC-Date", Value: date},
			{Name: "WARC-Concurrent-To", Value: reqID},
			{Name: "WARC-IP-Address", Value: ex.IP},
		}
		f = append(f, proto...)
		f = append(f,
			warc.Field{Name: "WARC-Profile", Value: warc.ProfileIdenticalPayloadDigest},
			warc.Field{Name: "WARC-Refers-To", Value: ref.ID},
			warc.Field{Name: "WARC-Refers-To-Target-URI", Value: ref.URI},
			warc.Field{Name: "WARC-Refers-To-Date", Value: warc.FormatDate(ref.Date)},
			warc.Field{Name: "Content-Type", Value: "application/http;msgtype=response"},
			// The block is the header alone; its digest covers just that,
			// which is what wget gets wrong.
			warc.Field{Name: "WARC-Block-Digest", Value: c.opts.Digest.Of(ex.RawHeader)},
			warc.Field{Name: "WARC-Payload-Digest", Value: ex.PayloadDigest},
		)
		resp = &warc.OutRecord{Type: "revisit", ID: respID, Fields: compact(f), Body: bytes.NewReader(ex.RawHeader), Length: int64(len(ex.RawHeader))}
	} else {
		f := []warc.Field{
			{Name: "WARC-Target-URI", Value: uri},
			{Name: "WARC-Date", Value: date},
			{Name: "WARC-Concurrent-To", Value: reqID},
			{Name: "WARC-IP-Address", Value: ex.IP},
		}
		f = append(f, proto...)
		f = append(f,
			warc.Field{Name: "Content-Type", Value: "application/http;msgtype=response"},
			warc.Field{Name: "WARC-Block-Digest", Value: ex.BlockDigest},
			warc.Field{Name: "WARC-Payload-Digest", Value: ex.PayloadDigest},
			warc.Field{Name: "WARC-Truncated", Value: ex.Truncated},
		)
		if mt != "" {
			f = append(f, warc.Field{Name: "WARC-Identified-Payload-Type", Value: mt})
		}
		resp = &warc.OutRecord{Type: "response", ID: respID, Fields: compact(f), Body: ex.Response.Reader(), Length: ex.Response.Len()}
	}
	group = append(group, resp)

	if ex.TLS != nil && len(ex.TLS.PeerCertificates) > 0 {
		c.mu.Lock()
		first := !c.certDone[it.u.Host]
		c.certDone[it.u.Host] = true
		c.mu.Unlock()
		if first {
			var pemb bytes.Buffer
			for _, cert := range ex.TLS.PeerCertificates {
				pem.Encode(&pemb, &pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})
			}
			group = append(group, &warc.OutRecord{
				Type: "metadata", ID: warc.NewRecordID(),
				Fields: []warc.Field{
					{Name: "WARC-Target-URI", Value: uri},
					{Name: "WARC-Date", Value: date},
					{Name: "WARC-Concurrent-To", Value: respID},
					{Name: "Content-Type", Value: "application/x-pem-file"},
					{Name: "WARC-Block-Digest", Value: c.opts.Digest.Of(pemb.Bytes())},
				},
				Body: bytes.NewReader(pemb.Bytes()), Length: int64(pemb.Len()),
			})
		}
	}
	if isHTML(mt) && !it.robots {
		var mb bytes.Buffer
		if it.via != "" {
			fmt.Fprintf(&mb, "via: %s\r\n", it.via)
		}
		fmt.Fprintf(&mb, "hopsFromSeed: %s\r\n", it.hops)
		fmt.Fprintf(&mb, "fetchTimeMs: %d\r\n", ex.Duration.Milliseconds())
		for _, l := range links {
			fmt.Fprintf(&mb, "outlink: %s %c %s\r\n", l.URL, l.Hop, l.Context)
		}
		group = append(group, &warc.OutRecord{
			Type: "metadata", ID: warc.NewRecordID(),
			Fields: []warc.Field{
				{Name: "WARC-Target-URI", Value: uri},
				{Name: "WARC-Date", Value: date},
				{Name: "WARC-Concurrent-To", Value: respID},
				{Name: "Content-Type", Value: "application/warc-fields"},
				{Name: "WARC-Block-Digest", Value: c.opts.Digest.Of(mb.Bytes())},
			},
			Body: bytes.NewReader(mb.Bytes()), Length: int64(mb.Len()),
		})
	}

	written, err := c.w.WriteGroup(group)
	if err != nil {
		return err
	}
	var respW warc.Written
	for i, w := range written {
		r := group[i]
		var e *cdxj.Line
		switch r.Type {
		case "response", "revisit":
			respW = w
			// The media type as warcio.js indexes it: the header value
			// before any parameters, case kept.
			ct, _, _ := strings.Cut(ex.Header.Get("Content-Type"), ";")
			e = indexLine(uri, ex.Date, strings.TrimSpace(ct), ex.Status, ex.PayloadDigest)
			if r.Type == "revisit" {
				e.Mime = "warc/revisit"
			}
		case "resource":
			e = indexLine("dns:"+ex.DNS.Host, ex.DNS.Date, "text/dns", 0, fieldValue(r.Fields, "WARC-Payload-Digest"))
		case "metadata":
			// warcio.js indexes metadata records other than warc-fields:
			// here the certificate chain.
			if ct := fieldValue(r.Fields, "Content-Type"); ct != "application/warc-fields" {
				e = indexLine(uri, ex.Date, ct, 0, "")
			}
		}
		if e != nil {
			e.Filename, e.Offset, e.Length = w.File, w.Offset, w.Size
			if err := c.idx.Add(e); err != nil {
				return err
			}
		}
	}
	kind := "response"
	if revisit {
		kind = "revisit"
	}
	c.clog.write(logEntry{
		URL: uri, Status: ex.Status, Size: ex.PayloadLen, DurationMs: ex.Duration.Milliseconds(),
		Hops: it.hops, Via: it.via, Mime: mt, Digest: ex.PayloadDigest, Record: kind,
		Truncated: ex.Truncated, Error: errString(ex.BodyErr), WARC: respW.File, Offset: respW.Offset,
	})
	c.addStats(func(s *Stats) {
		s.Fetched++
		s.Bytes += ex.PayloadLen
		if revisit {
			s.Revisits++
		}
	})
	c.log.Debug("fetched", "url", uri, "status", ex.Status, "bytes", ex.PayloadLen, "record", kind)
	return nil
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func fieldValue(f []warc.Field, name string) string {
	for _, x := range f {
		if strings.EqualFold(x.Name, name) {
			return x.Value
		}
	}
	return ""
}

// compact drops fields with empty values.
func compact(f []warc.Field) []warc.Field {
	out := f[:0]
	for _, x := range f {
		if x.Value != "" {
			out = append(out, x)
		}
	}
	return out
}

func dnsRecord(d *fetch.DNSResult, alg warc.DigestAlgorithm) *warc.OutRecord {
	var b bytes.Buffer
	b.WriteString(d.Date.UTC().Format(fileTimeFormat))
	b.WriteString("\r\n")
	// Master-file lines (RFC 1035 §5.1) without a TTL: Go's resolver does
	// not report one and we will not invent it.
	for _, ip := range d.IPs {
		typ := "A"
		if ip.To4() == nil {
			typ = "AAAA"
		}
		fmt.Fprintf(&b, "%s.\tIN\t%s\t%s\r\n", d.Host, typ, ip)
	}
	body := b.Bytes()
	dg := alg.Of(body)
	return &warc.OutRecord{
		Type: "resource", ID: warc.NewRecordID(),
		Fields: []warc.Field{
			{Name: "WARC-Target-URI", Value: "dns:" + d.Host},
			{Name: "WARC-Date", Value: warc.FormatDate(d.Date)},
			{Name: "Content-Type", Value: "text/dns"},
			{Name: "WARC-Block-Digest", Value: dg},
			{Name: "WARC-Payload-Digest", Value: dg},
		},
		Body: bytes.NewReader(body), Length: int64(len(body)),
	}
}
