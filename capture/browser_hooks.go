package capture

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/warcbox/warcbox/capture/internal/fetch"
	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/warc"
)

// Recorder gives a capture that does not crawl by itself — the browser mode
// of capture/browser, where Chromium decides what to fetch — the same
// output as Run: the same writer (rollover, warcinfo), the same records for
// an exchange (request, response or revisit, certificate chain, metadata),
// the same index and crawl log. It is the crawler without its queue.
type Recorder struct {
	c     *crawler
	start time.Time
}

// NewRecorder prepares the output of a capture as Run does (defaults filled,
// files named from opts). Close it to finish the WARCs and write the index.
func NewRecorder(opts Options) (*Recorder, error) {
	start := time.Now()
	if err := opts.validate(); err != nil {
		return nil, fmt.Errorf("capture: %w", err)
	}
	fillDefaults(&opts)
	c, err := newCrawler(opts)
	if err != nil {
		return nil, err
	}
	return &Recorder{c: c, start: start}, nil
}

// Options returns the options with defaults filled in.
func (r *Recorder) Options() Options { return r.c.opts }

// Client is the recording client, configured from the options (timeout,
// TLS roots, digest, max size).
func (r *Recorder) Client() *fetch.Client { return r.c.client }

// RecordWith records ex as Record does, with extra records (a WebSocket's
// messages) written in the same group after the response; extra gets the
// response record's ID, for WARC-Concurrent-To.
func (r *Recorder) RecordWith(ex *fetch.Exchange, via string, extra func(respID string) []*warc.OutRecord) error {
	it := &item{u: ex.URL, key: ex.URL.String(), via: via, hops: "E"}
	err := r.c.recordWith(it, ex, nil, extra)
	r.c.addStats(func(s *Stats) { s.Done++ })
	return err
}

// Allowed reports whether the host's robots.txt lets the capture load u,
// reading it as Run does: fetched and recorded once per scheme and host, a
// server error meaning disallow (RFC 9309), the rules for the options'
// UserAgent. A page it refuses goes to the crawl log as "blocked by
// robots.txt". With IgnoreRobots it is always true.
func (r *Recorder) Allowed(ctx context.Context, u *url.URL) bool {
	if r.c.opts.IgnoreRobots {
		return true
	}
	it := &item{u: u, key: u.String(), page: true}
	if r.c.robotsFor(ctx, it).Allowed(u.RequestURI()) {
		return true
	}
	r.c.clog.write(logEntry{URL: u.String(), Error: "blocked by robots.txt", Kind: "robots"})
	r.c.addStats(func(s *Stats) { s.Blocked++ })
	return false
}

// Record writes an exchange exactly as Run would have (digests,
// WARC-Concurrent-To, revisits of identical payloads, the TLS chain once per
// host, the crawl log line and the index entries). via is the page or
// resource that caused the fetch; page marks a navigation (hops "") rather
// than a resource the page loaded (hops "E").
func (r *Recorder) Record(ex *fetch.Exchange, via string, page bool) error {
	it := &item{u: ex.URL, key: ex.URL.String(), via: via, page: page}
	if !page {
		it.hops = "E"
	}
	err := r.c.record(it, ex, nil)
	r.c.addStats(func(s *Stats) {
		s.Done++
		if page {
			s.Pages++
		}
	})
	return err
}

// LogFailure adds a failed fetch to the crawl log and the counts.
func (r *Recorder) LogFailure(u, via string, err error) {
	kind := "other"
	var fe *fetch.FetchError
	if errors.As(err, &fe) {
		kind = fe.Kind
	}
	r.c.clog.write(logEntry{URL: u, Via: via, Error: err.Error(), Kind: kind, Attempt: 1})
	r.c.addStats(func(s *Stats) { s.Failed++; s.Done++ })
}

// WriteGroup writes records of the caller's own (screenshots, DOM
// snapshots, provenance) through the capture's writer, in one file, and
// indexes those given a line: index[i], when not nil, is completed with
// the file, offset and length of recs[i].
func (r *Recorder) WriteGroup(recs []*warc.OutRecord, index []*cdxj.Line) ([]warc.Written, error) {
	written, err := r.c.w.WriteGroup(recs)
	if err != nil {
		return written, err
	}
	for i, w := range written {
		if i >= len(index) || index[i] == nil {
			continue
		}
		l := *index[i]
		l.Filename, l.Offset, l.Length = w.File, w.Offset, w.Size
		if err := r.c.idx.Add(&l); err != nil {
			return written, err
		}
	}
	return written, nil
}

// SetWarcinfo replaces the block of the warcinfo record that opens each
// WARC file (Run's describes a crawl: robots, scope, depth). It applies to
// files opened after the call; call it before the first record to cover all.
func (r *Recorder) SetWarcinfo(block func() []byte) {
	r.c.w.SetWarcinfo(block)
}

// Stats returns the running counts.
func (r *Recorder) Stats() Stats {
	r.c.mu.Lock()
	defer r.c.mu.Unlock()
	return r.c.stats
}

// Close finishes the WARC files, the index and the crawl log.
func (r *Recorder) Close(ctx context.Context) (*Summary, error) {
	c := r.c
	c.client.CloseIdle()
	if err := c.spool.Close(); err != nil {
		c.log.Warn("spool not removed", "err", err)
	}
	var errs []error
	if err := c.w.Close(); err != nil {
		errs = append(errs, err)
	}
	if err := c.idx.Close(); err != nil {
		errs = append(errs, err)
	}
	if err := c.clog.Close(); err != nil {
		errs = append(errs, err)
	}
	sum := c.summary(r.Stats(), r.start, ctx.Err() != nil)
	if len(errs) > 0 {
		return sum, fmt.Errorf("capture: %w", errors.Join(errs...))
	}
	return sum, nil
}
