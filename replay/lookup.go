package replay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/index"
	"github.com/warcbox/warcbox/internal/archivalurl"
	"github.com/warcbox/warcbox/storage"
	"github.com/warcbox/warcbox/warc"
)

// captures returns every capture of url (keyed with the request method and
// body for non-GET requests), in timestamp order. When there is none, the
// fuzzy rules are tried; fuzzy reports that they matched.
func (s *Server) captures(ctx context.Context, c *collection, keyURL string) (caps []index.Capture, fuzzy bool, err error) {
	caps, err = exactCaptures(ctx, c.source(), keyURL)
	if caps = s.answers(ctx, c, caps); err != nil || len(caps) > 0 {
		return caps, false, err
	}
	caps, err = s.fuzzyCaptures(ctx, c.source(), keyURL)
	caps = s.answers(ctx, c, caps)
	return caps, len(caps) > 0, err
}

// answers keeps the captures that are answers for their URL: response,
// revisit, resource and conversion records. warcio.js and pywb also index
// metadata records under the URL they describe (warcbox capture writes the
// TLS certificate chain with the first answer from each https host, in
// the same second), which are no capture of it: listed, they doubled the
// URL's timeline, and picked as the closest (the line sorts first) they
// replayed the certificate in place of the page. An index line says
// nothing of its record's type, but every answer other than a resource has
// a status or is a revisit, so only status-less lines are read, once each.
func (s *Server) answers(ctx context.Context, c *collection, caps []index.Capture) []index.Capture {
	out := caps[:0]
	for _, cp := range caps {
		if s.isAnswer(ctx, c, cp) {
			out = append(out, cp)
		}
	}
	return out
}

// maxKinds bounds the record facts a collection remembers.
const maxKinds = 100000

// recordFacts is what replay remembers of a record it read for a list.
type recordFacts struct {
	answer    bool   // an answer for its URL (recordAnswers)
	truncated string // its WARC-Truncated reason
}

func (s *Server) isAnswer(ctx context.Context, c *collection, cp index.Capture) bool {
	if (cp.Status != "" && cp.Status != "-") || cp.IsRevisit() {
		return true
	}
	f, ok := s.facts(ctx, c, cp)
	return !ok || f.answer // unreadable for now: loading it reports the error
}

// truncation returns the WARC-Truncated reason of cp's record ("" for a
// whole one, a revisit, or a record in a remote file, where each read is
// a request).
func (s *Server) truncation(ctx context.Context, c *collection, cp index.Capture) string {
	if cp.IsRevisit() {
		return ""
	}
	if loc, err := c.Locate(cp.Filename); err != nil || storage.IsRemote(loc.Path) {
		return ""
	}
	f, _ := s.facts(ctx, c, cp)
	return f.truncated
}

// facts reads cp's record head once and remembers what lists need of it;
// ok is false when the record could not be read for a reason other than
// being malformed.
func (s *Server) facts(ctx context.Context, c *collection, cp index.Capture) (recordFacts, bool) {
	key := titleKey(cp)
	c.mu.Lock()
	f, ok := c.facts[key]
	c.mu.Unlock()
	if ok {
		return f, true
	}
	rec, err := s.readRecord(ctx, c, cp)
	var bad *warc.RecordError
	switch {
	case errors.As(err, &bad):
		// Malformed (indexing logged it as skipped): nothing to replay.
		f = recordFacts{}
	case err != nil:
		return f, false
	default:
		f = recordFacts{answer: recordAnswers(rec), truncated: rec.Header.Get("WARC-Truncated")}
		if cl, ok := rec.Body.(io.Closer); ok {
			cl.Close()
		}
	}
	c.mu.Lock()
	if c.facts == nil || len(c.facts) >= maxKinds {
		c.facts = map[string]recordFacts{}
	}
	c.facts[key] = f
	c.mu.Unlock()
	return f, true
}

// recordAnswers reports whether a record holds an answer for its target
// URI: not a metadata, request, warcinfo or continuation record (ARC
// records have no type and are all responses), and not a response with an
// empty block, which is what the reader yields of a record whose
// Content-Length it could not read (indexing logs it as a malformed
// record skipped; warcio.js's line for it stays in the index).
func recordAnswers(rec *warc.Record) bool {
	switch rec.Type() {
	case "metadata", "request", "warcinfo", "continuation":
		return false
	case "response":
		return rec.ContentLength > 0
	}
	return true
}

// exactCaptures returns the captures of u and of u with its path's
// trailing slash added or removed, in timestamp order: pywb's SURT drops
// that slash, so a query for ".../db" finds the capture of ".../db/".
func exactCaptures(ctx context.Context, src index.Source, u string) ([]index.Capture, error) {
	caps, err := index.Collect(ctx, src, index.Query{Key: cdxj.Key(u), URL: u})
	if err != nil {
		return nil, err
	}
	alt, ok := altSlashURL(u)
	if !ok || cdxj.Key(alt) == cdxj.Key(u) {
		return caps, nil
	}
	more, err := index.Collect(ctx, src, index.Query{Key: cdxj.Key(alt), URL: alt})
	if err != nil || len(more) == 0 {
		return caps, err
	}
	// A CDX server that already merges the two (pywb, warcbox) answers
	// both queries with both captures: keep each once.
	type at struct {
		file string
		off  int64
	}
	seen := make(map[at]bool, len(caps))
	for _, c := range caps {
		seen[at{c.Filename, c.Offset}] = true
	}
	for _, c := range more {
		if !seen[at{c.Filename, c.Offset}] {
			seen[at{c.Filename, c.Offset}] = true
			caps = append(caps, c)
		}
	}
	sort.SliceStable(caps, func(i, j int) bool { return caps[i].Timestamp < caps[j].Timestamp })
	return caps, nil
}

// exactCapturesBetween is exactCaptures within from and to (partial
// timestamps, as a captures query's range).
func exactCapturesBetween(ctx context.Context, src index.Source, u, from, to string) ([]index.Capture, error) {
	caps, err := exactCaptures(ctx, src, u)
	if err != nil || (from == "" && to == "") {
		return caps, err
	}
	out := caps[:0]
	for _, c := range caps {
		if timeInRange(c.Timestamp, from, to) {
			out = append(out, c)
		}
	}
	return out, nil
}

// fuzzyCaptures applies the fuzzy rules; a URL whose path ends in "/"
// right before its query ("screen.css/?_=1") is also tried without that
// slash, as pywb's fuzzy matcher cuts it.
func (s *Server) fuzzyCaptures(ctx context.Context, src index.Source, u string) ([]index.Capture, error) {
	caps, err := index.Fuzzy(ctx, src, s.rules, u)
	if err != nil || len(caps) > 0 {
		return caps, err
	}
	if i := strings.Index(u, "/?"); i > 0 && !strings.HasSuffix(u[:i], "/") && strings.Count(u[:i], "/") > 2 {
		return index.Fuzzy(ctx, src, s.rules, u[:i]+u[i+1:])
	}
	return nil, nil
}

// altSlashURL returns u with the trailing slash of its path added or
// removed; ok is false for a root or empty path.
func altSlashURL(u string) (string, bool) {
	i := strings.Index(u, "://")
	if i < 0 {
		return "", false
	}
	rest := u[i+3:]
	ps := strings.IndexAny(rest, "/?#")
	if ps < 0 || rest[ps] != '/' {
		return "", false
	}
	pathStart := i + 3 + ps
	pathEnd := len(u)
	if j := strings.IndexAny(u[pathStart:], "?#"); j >= 0 {
		pathEnd = pathStart + j
	}
	path := u[pathStart:pathEnd]
	if path == "/" {
		return "", false
	}
	if strings.HasSuffix(path, "/") {
		return u[:pathEnd-1] + u[pathEnd:], true
	}
	return u[:pathEnd] + "/" + u[pathEnd:], true
}

// byCloseness orders captures by distance from target (latest first when
// target is empty), ties going to the earlier capture as pywb does.
func byCloseness(caps []index.Capture, target string) []index.Capture {
	out := append([]index.Capture(nil), caps...)
	if target == "" {
		sort.SliceStable(out, func(i, j int) bool { return out[i].Timestamp > out[j].Timestamp })
		return out
	}
	t := tsTime(target)
	dist := func(c index.Capture) time.Duration {
		d := tsTime(c.Timestamp).Sub(t)
		if d < 0 {
			d = -d
		}
		return d
	}
	sort.SliceStable(out, func(i, j int) bool {
		di, dj := dist(out[i]), dist(out[j])
		if di != dj {
			return di < dj
		}
		return out[i].Timestamp < out[j].Timestamp
	})
	return out
}

// byPartial orders captures for a partial timestamp, whose padded form
// is the end of the period: "2030" means the latest capture up to then, so
// captures not after it come first (latest first), then later ones.
func byPartial(caps []index.Capture, end string) []index.Capture {
	var before, after []index.Capture
	for _, c := range caps {
		if c.Timestamp <= end {
			before = append(before, c)
		} else {
			after = append(after, c)
		}
	}
	sort.SliceStable(before, func(i, j int) bool { return before[i].Timestamp > before[j].Timestamp })
	sort.SliceStable(after, func(i, j int) bool { return after[i].Timestamp < after[j].Timestamp })
	return append(before, after...)
}

// tsTime parses a (padded) 14-digit timestamp; invalid ones give zero.
func tsTime(ts string) time.Time {
	p, err := cdxj.PadTimestamp(ts, false)
	if err != nil {
		return time.Time{}
	}
	t, err := time.Parse("20060102150405", p)
	if err != nil {
		// out-of-range parts (month 13): clamp by parsing the year alone
		t, _ = time.Parse("2006", p[:4])
	}
	return t
}

// normaliseURL turns the URL part of an archival path into an absolute URL:
// scheme added when missing, "http:/x" (slashes merged by a proxy) mended.
// ok is false for what cannot be a web URL.
func normaliseURL(raw string) (string, bool) {
	u := strings.TrimSpace(raw)
	if u == "" {
		return "", false
	}
	lower := strings.ToLower(u)
	if strings.HasPrefix(lower, "urn:") && len(u) > 4 {
		// Resource records a browser capture writes (urn:screenshot:<url>,
		// urn:dom:<url>) are replayed under their URN, as pywb does.
		return u, true
	}
	if sch, rest, ok := strings.Cut(u, ":"); ok && isSchemeName(sch) && !startsWithDigit(rest) {
		switch strings.ToLower(sch) {
		case "http", "https", "http%3a", "https%3a":
		default:
			return "", false // ftp:, javascript:, mailto:… are not replayable
		}
	}
	u = archivalurl.Target(u)
	lower = strings.ToLower(u)
	for _, sch := range []string{"http:", "https:"} {
		if strings.HasPrefix(lower, sch) {
			// lower-case scheme: SURT keys only transform "http(s):"
			u = sch + "//" + strings.TrimLeft(u[len(sch):], "/")
			break
		}
	}
	if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
		return "", false
	}
	u = canonicalHost(u)
	p, err := url.Parse(u)
	if err != nil || p.Host == "" || strings.ContainsAny(p.Host, " \t\r\n<>\"") {
		return "", false
	}
	return u, true
}

// isSchemeName reports whether s looks like a URL scheme (letters, then
// letters, digits, "+", "-", "."), or pywb's %-encoded "http%3A".
func isSchemeName(s string) bool {
	if s == "" || !('a' <= s[0]|0x20 && s[0]|0x20 <= 'z') {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !('a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.' || c == '%') {
			return false
		}
	}
	return true
}

func startsWithDigit(s string) bool { return s != "" && '0' <= s[0] && s[0] <= '9' }

// canonicalHost rewrites the host of an absolute http(s) URL as pywb
// canonicalises it before a lookup: lower case, IDNA (UTS #46) to
// punycode, trailing dots dropped. Index keys drop "www." only when it is
// in lower case (as warcio.js does), so "http://WWW.IANA.ORG/" must be
// lowered before its key is computed.
func canonicalHost(u string) string {
	i := strings.Index(u, "://")
	if i < 0 {
		return u
	}
	start := i + 3
	end := len(u)
	if j := strings.IndexAny(u[start:], "/?#\\"); j >= 0 {
		end = start + j
	}
	auth := u[start:end]
	user := ""
	if at := strings.LastIndexByte(auth, '@'); at >= 0 {
		user, auth = auth[:at+1], auth[at+1:]
	}
	host, port := auth, ""
	if !strings.HasPrefix(host, "[") {
		if c := strings.LastIndexByte(host, ':'); c >= 0 {
			host, port = host[:c], host[c:]
		}
	}
	h := cdxj.CanonicalHost(host)
	if h == "" {
		return u
	}
	return u[:start] + user + h + port + u[end:]
}

// sameResource reports whether two URLs name one resource for replay
// (http/https and www. variants included): the test for self-redirects.
func sameResource(a, b string) bool { return slashless(cdxj.Key(a)) == slashless(cdxj.Key(b)) }

// slashless drops a trailing slash from a key's path (not from the root
// path ")/"), so ".../db" and ".../db/" compare equal as in pywb's keys.
func slashless(key string) string {
	path, query, hasQuery := strings.Cut(key, "?")
	if strings.HasSuffix(path, "/") && !strings.HasSuffix(path, ")/") {
		path = path[:len(path)-1]
	}
	if hasQuery {
		return path + "?" + query
	}
	return path
}

func fmtTS(t time.Time) string { return t.UTC().Format("20060102150405") }

// httpDate formats a 14-digit timestamp as an HTTP date (Memento-Datetime).
func httpDate(ts string) string { return tsTime(ts).UTC().Format(timeFormatHTTP) }

const timeFormatHTTP = "Mon, 02 Jan 2006 15:04:05 GMT"

func errf(format string, a ...any) error { return fmt.Errorf("replay: "+format, a...) }

// isCaptureQuery reports whether the path after the collection asks for
// a list of captures: pywb's query form, "*/url", "2010*/url",
// "2010-/url", "2009-2015/url", "2009*2015/url", "-2015/url", "*2015/url"
// (and "…/url*" for URLs with a prefix).
func isCaptureQuery(rest string) bool {
	a, err := archivalurl.Parse(rest)
	return err == nil && (a.Kind == archivalurl.KindQuery || a.Kind == archivalurl.KindURLQuery)
}

// captureQuery returns a capture query's time range (from and to, as
// pywb's timestamp and end_timestamp) and its URL, with the "*" of a
// URL-prefix query kept.
func captureQuery(rest string) (from, to, urlPart string) {
	a, _ := archivalurl.Parse(rest)
	urlPart = a.URL
	if a.Kind == archivalurl.KindURLQuery {
		urlPart += "*"
	}
	return a.Timestamp, a.End, urlPart
}
