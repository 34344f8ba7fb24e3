// Package index finds captures: one small Source interface over sorted CDXJ
// files, folders of WARCs indexed in memory, a remote CDX server, and an
// aggregate of several, with pywb's query semantics (match types, time
// ranges, closest-first ordering).
package index

import (
	"context"
	"errors"
	"iter"
	"strconv"
	"strings"

	"github.com/warcbox/warcbox/cdxj"
)

// Capture is one line of an index: where one archived response (or
// revisit, or resource) is and what it holds.
type Capture struct {
	URLKey    string `json:"urlkey"`
	Timestamp string `json:"timestamp"` // 14 digits, UTC
	URL       string `json:"url"`
	Mime      string `json:"mime,omitempty"` // "warc/revisit" for revisits, as pywb
	Status    string `json:"status,omitempty"`
	Digest    string `json:"digest,omitempty"`
	Length    int64  `json:"length,string,omitempty"`
	Offset    int64  `json:"offset,string"`
	Filename  string `json:"filename"`
	// Method and RequestBody are set for non-GET captures (pywb's keys).
	Method      string `json:"method,omitempty"`
	RequestBody string `json:"requestBody,omitempty"`
	// Title is the page's <title>, when the indexer saw one (HTML 200s).
	Title string `json:"title,omitempty"`
}

// IsRevisit reports whether the capture is a revisit record.
func (c *Capture) IsRevisit() bool { return c.Mime == "warc/revisit" }

// StatusCode is the HTTP status as a number (0 when unknown).
func (c *Capture) StatusCode() int { n, _ := strconv.Atoi(c.Status); return n }

// MatchType selects which keys a query matches, as pywb's matchType.
type MatchType string

const (
	MatchExact  MatchType = "exact"
	MatchPrefix MatchType = "prefix"
	MatchHost   MatchType = "host"
	MatchDomain MatchType = "domain"
)

// Query asks a Source for captures.
type Query struct {
	// Key is the canonical (SURT) key of the URL; Key() computes it.
	Key       string
	URL       string
	MatchType MatchType // zero means exact
	// From and To bound the timestamp (inclusive); partial timestamps are
	// padded (From with zeros, To with the end of the period). Empty: open.
	From, To string
	// Limit caps the number of captures (0: no limit).
	Limit int
}

// Source yields captures in key order, then timestamp order.
type Source interface {
	Lookup(ctx context.Context, q Query) iter.Seq2[Capture, error]
}

// ErrBadQuery is returned for queries a Source cannot answer.
var ErrBadQuery = errors.New("index: bad query")

// keyRange returns the [lo, hi) key range a query covers.
func keyRange(q Query) (lo, hi string, err error) {
	k := q.Key
	switch q.MatchType {
	case "", MatchExact:
		return k, k + "\x00", nil
	case MatchPrefix:
		// a prefix query on a URL ending in "/" or with a path matches every key
		// starting with the key text
		return k, k + "\xff", nil
	case MatchHost:
		host, _, _ := strings.Cut(k, ")")
		return host + ")", host + ")\xff", nil
	case MatchDomain:
		host, _, _ := strings.Cut(k, ")")
		return host, host + "-", nil // "," and ")" sort before "-"
	}
	return "", "", ErrBadQuery
}

// keyMatches reports whether key falls within the query's match (keyRange
// is a superset for domain queries: "com,example" must not match
// "com,examples").
func keyMatches(q Query, key string) bool {
	lo, hi, err := keyRange(q)
	if err != nil || key < lo || key >= hi {
		return false
	}
	if q.MatchType == MatchDomain {
		rest := key[len(lo):]
		return rest == "" || rest[0] == ',' || rest[0] == ')'
	}
	return true
}

// PadTimestamp pads a partial timestamp as pywb does (cdxj.PadTimestamp):
// low fills with the earliest instant of the period ("2020" →
// 20200101000000), high with the latest (20201231235959). Non-digits make
// it invalid (ok false).
func PadTimestamp(ts string, high bool) (string, bool) {
	p, err := cdxj.PadTimestamp(ts, high)
	return p, err == nil
}

// timeOK reports whether ts is within the query's time bounds.
func timeOK(q Query, ts string) bool {
	if q.From != "" {
		if f, ok := PadTimestamp(q.From, false); ok && ts < f {
			return false
		}
	}
	if q.To != "" {
		if t, ok := PadTimestamp(q.To, true); ok && ts > t {
			return false
		}
	}
	return true
}

// Collect gathers a lookup's captures, stopping at the first error.
func Collect(ctx context.Context, s Source, q Query) ([]Capture, error) {
	var out []Capture
	for c, err := range s.Lookup(ctx, q) {
		if err != nil {
			return out, err
		}
		out = append(out, c)
	}
	return out, nil
}
