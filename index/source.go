package index

import (
	"context"
	"errors"
	"iter"
	"strconv"
	"strings"

	"github.com/warcbox/warcbox/cdxj"
)

// Capture is one row of an index, a cdxj.Line (where one archived
// response, revisit or resource is and what it holds), extended with the
// page's title where one is known: the pages list shows it.
type Capture struct {
	cdxj.Line
	// Title is the page's <title>, when the indexer saw one (HTML 200s),
	// or the "title" member of an index line.
	Title string
}

// IsRevisit reports whether the capture is a revisit record.
func (c *Capture) IsRevisit() bool { return c.Mime == "warc/revisit" }

// StatusCode is the HTTP status as a number (0 when unknown).
func (c *Capture) StatusCode() int { n, _ := strconv.Atoi(c.Status); return n }

// Query asks a Source for captures.
type Query struct {
	// Key is the canonical (SURT) key of the URL; cdxj.Key computes it.
	Key       string
	URL       string
	MatchType cdxj.MatchType // zero means exact
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
	case cdxj.MatchExact:
		return k, k + "\x00", nil
	case cdxj.MatchPrefix:
		// a prefix query on a URL ending in "/" or with a path matches every key
		// starting with the key text
		return k, k + "\xff", nil
	case cdxj.MatchHost:
		host, _, _ := strings.Cut(k, ")")
		return host + ")", host + ")\xff", nil
	case cdxj.MatchDomain:
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
	if q.MatchType == cdxj.MatchDomain {
		rest := key[len(lo):]
		return rest == "" || rest[0] == ',' || rest[0] == ')'
	}
	return true
}

// timeOK reports whether ts is within the query's time bounds.
func timeOK(q Query, ts string) bool {
	if q.From != "" {
		if f, err := cdxj.PadTimestamp(q.From, false); err == nil && ts < f {
			return false
		}
	}
	if q.To != "" {
		if t, err := cdxj.PadTimestamp(q.To, true); err == nil && ts > t {
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
