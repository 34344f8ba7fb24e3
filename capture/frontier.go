package capture

// The frontier: which URL is fetched next (per-host slots and delays,
// robots.txt), and what a fetched page adds to the queue (links within
// scope, requisites, redirects).

import (
	"context"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/warcbox/warcbox/capture/internal/fetch"
)

// item is one URL in the frontier, with how it was reached.
type item struct {
	u         *url.URL
	key       string
	depth     int
	hops      string
	via       string
	page      bool // a page: its links are followed (requisites' are not)
	redirects int
	chain     []string // keys of the earlier URLs of its redirect chain
	robots    bool     // the robots.txt fetch itself
}

type robotsEntry struct {
	done chan struct{}
	r    *robotsRules
}

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

func (c *crawler) extract(it *item, ex *fetch.Exchange) []link {
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
		return extractHTML(body, it.u)
	case mt == "text/css":
		return extractCSS(body, it.u)
	}
	return nil
}

func mediaType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt, _, _ = strings.Cut(ct, ";")
	}
	return strings.ToLower(strings.TrimSpace(mt))
}

func isHTML(mt string) bool { return mt == "text/html" || mt == "application/xhtml+xml" }

func (c *crawler) follow(it *item, ex *fetch.Exchange, links []link) {
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
			c.stats.Failed++
			return
		}
		chain := append(slices.Clip(it.chain), it.key)
		if slices.Contains(chain, u.String()) {
			// The chain never reaches an answer: what it was fetched for
			// failed, though each redirect is recorded.
			c.clog.write(logEntry{URL: u.String(), Hops: it.hops + "R", Via: it.u.String(), Error: "redirect loop", Kind: "redirect-loop"})
			c.stats.Failed++
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
		n := &item{u: u, key: u.String(), depth: it.depth, hops: it.hops + "R", via: it.u.String(), page: it.page, redirects: it.redirects + 1, chain: chain}
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
func (c *crawler) robotsFor(ctx context.Context, it *item) *robotsRules {
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
		e.r = parseRobots(body, c.opts.UserAgent)
		if e.r.CrawlDelay > 0 {
			c.mu.Lock()
			c.hostGap[it.u.Host] = min(time.Duration(e.r.CrawlDelay*float64(time.Second)), 30*time.Second)
			c.mu.Unlock()
		}
	case ex.Status >= 500:
		// RFC 9309 §2.3.1.4: an unreachable robots.txt means full disallow.
		e.r = parseRobots([]byte("User-agent: *\nDisallow: /\n"), "")
	}
	return e.r
}
