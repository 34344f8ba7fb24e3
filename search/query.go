package search

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Bounds on one search: a query is short, its answer one page of hits.
const (
	// MaxQueryLen is the longest query text, in bytes.
	MaxQueryLen = 256
	// MaxTerms is how many words a query may have.
	MaxTerms = 16
	// DefaultLimit is how many hits a Query with Limit 0 returns.
	DefaultLimit = 20
	// MaxLimit is the most hits one Query returns.
	MaxLimit = 100
	// maxCandidates is how many best-ranked matching captures are grouped
	// into hits by URL: it bounds a query's work however common its words.
	maxCandidates = 2000
)

// ErrBadQuery is returned for a query that is empty or too long.
var ErrBadQuery = errors.New("search: bad query")

// Query asks for the pages holding every word of Text (in title or body;
// a word ending in * matches as a prefix; case and diacritics are
// ignored).
type Query struct {
	Text string
	// Limit caps the hits (0: DefaultLimit; at most MaxLimit); Offset
	// skips the first hits, for further pages of results.
	Limit, Offset int
}

// Hit is one matching URL, with its best-ranked matching capture.
type Hit struct {
	URL       string `json:"url"`
	Timestamp string `json:"timestamp"`
	Title     string `json:"title"`
	Status    string `json:"status"`
	Mime      string `json:"mime"`
	// Snippet is text around the matches; SnippetParts is the same text
	// cut into runs, Match set on the matched words.
	Snippet      string        `json:"snippet"`
	SnippetParts []SnippetPart `json:"snippet_parts"`
	// Captures counts the matching captures of URL (among the best
	// ranked few thousand).
	Captures int `json:"captures"`
}

// SnippetPart is a run of snippet text.
type SnippetPart struct {
	Text  string `json:"text"`
	Match bool   `json:"match,omitempty"`
}

// Results are the hits for a query, best first.
type Results struct {
	Query string `json:"query"`
	Hits  []Hit  `json:"hits"`
	// More is true when hits beyond these exist.
	More bool `json:"more"`
}

// ftsQuery turns a user's words into an FTS5 expression: each word a quoted
// string (so FTS5 operators and syntax in them are taken as text), all
// required; a trailing * makes a word a prefix.
func ftsQuery(text string) (string, error) {
	if len(text) > MaxQueryLen {
		return "", fmt.Errorf("%w: longer than %d bytes", ErrBadQuery, MaxQueryLen)
	}
	if !utf8.ValidString(text) {
		return "", fmt.Errorf("%w: not UTF-8", ErrBadQuery)
	}
	// Control characters separate words: a NUL would end the string
	// inside SQLite's FTS5 parser.
	text = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, text)
	var terms []string
	for _, w := range strings.Fields(text) {
		prefix := strings.HasSuffix(w, "*")
		w = strings.Trim(w, `*"`)
		w = strings.ReplaceAll(w, `"`, `""`)
		if !hasWordChar(w) {
			continue
		}
		t := `"` + w + `"`
		if prefix {
			t += "*"
		}
		terms = append(terms, t)
	}
	if len(terms) == 0 {
		return "", fmt.Errorf("%w: no words", ErrBadQuery)
	}
	if len(terms) > MaxTerms {
		return "", fmt.Errorf("%w: more than %d words", ErrBadQuery, MaxTerms)
	}
	return strings.Join(terms, " "), nil
}

// hasWordChar reports whether s has a letter or digit: a term of
// punctuation alone tokenizes to nothing and FTS5 rejects it.
func hasWordChar(s string) bool {
	for _, r := range s {
		if r >= 0x80 || ('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') {
			return true
		}
	}
	return false
}

// Search finds the pages matching q, best first, one hit per URL.
func (ix *Index) Search(ctx context.Context, q Query) (Results, error) {
	return SearchAll(ctx, []*Index{ix}, q)
}

// candidate is a matching capture of one index.
type candidate struct {
	hit   Hit
	ix    *Index
	rowid int64
	phase int // 0: every word in the title; 1: anywhere
	rank  float64
	seq   int // order of arrival, for ties
}

// SearchAll searches several indexes as one (the parts `warcbox index -o
// DIR/` writes, or an index made by warcbox index beside the one replay
// builds): the best-ranked matches of each, merged by rank, one hit per
// URL. Ranks come from each index's own statistics, which is close enough
// for parts of one collection.
func SearchAll(ctx context.Context, ixs []*Index, q Query) (Results, error) {
	res := Results{Query: q.Text, Hits: []Hit{}}
	expr, err := ftsQuery(q.Text)
	if err != nil {
		return res, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	offset := max(q.Offset, 0)
	var cands []candidate
	for _, ix := range ixs {
		if cands, err = ix.candidates(ctx, expr, cands); err != nil {
			return res, fmt.Errorf("search: %q: %w", q.Text, err)
		}
	}
	// Pages whose title has every word come first: bm25 alone ranks a long
	// page named after the words below short pages whose navigation
	// repeats them.
	slices.SortStableFunc(cands, func(a, b candidate) int {
		if a.phase != b.phase {
			return a.phase - b.phase
		}
		if c := cmp.Compare(a.rank, b.rank); c != 0 {
			return c
		}
		return a.seq - b.seq
	})
	type rowKey struct {
		ix    *Index
		rowid int64
	}
	var groups []*candidate
	byURL := map[string]*candidate{}
	seen := map[rowKey]bool{}
	for i := range cands {
		c := &cands[i]
		if k := (rowKey{c.ix, c.rowid}); seen[k] {
			continue
		} else {
			seen[k] = true
		}
		if old, ok := byURL[c.hit.URL]; ok {
			old.hit.Captures++
			continue
		}
		c.hit.Captures = 1
		byURL[c.hit.URL] = c
		groups = append(groups, c)
	}
	if offset >= len(groups) {
		return res, nil
	}
	groups = groups[offset:]
	if len(groups) > limit {
		groups, res.More = groups[:limit], true
	}
	for _, g := range groups {
		var snip string
		err := g.ix.db.QueryRowContext(ctx, `SELECT snippet(pages_fts, 1, ?, ?, '…', 24) FROM pages_fts WHERE pages_fts MATCH ? AND rowid = ?`,
			markOpen, markClose, expr, g.rowid).Scan(&snip)
		if err != nil {
			return res, fmt.Errorf("search: %q: snippet: %w", q.Text, err)
		}
		g.hit.SnippetParts = splitMarks(snip)
		g.hit.Snippet = markStripper.Replace(snip)
		res.Hits = append(res.Hits, g.hit)
	}
	return res, nil
}

// candidates appends the best-ranked matches of expr in ix to cands: those
// with every word in the title, then all.
func (ix *Index) candidates(ctx context.Context, expr string, cands []candidate) ([]candidate, error) {
	for phase, match := range []string{"title : (" + expr + ")", expr} {
		rows, err := ix.db.QueryContext(ctx, `SELECT f.rowid, f.rank, p.url, p.ts, p.title, p.status, p.mime
		FROM (SELECT rowid, rank FROM pages_fts WHERE pages_fts MATCH ? ORDER BY rank LIMIT ?) f
		JOIN pages p ON p.id = f.rowid ORDER BY f.rank`, match, maxCandidates)
		if err != nil {
			return cands, err
		}
		for rows.Next() {
			c := candidate{ix: ix, phase: phase, seq: len(cands)}
			if err := rows.Scan(&c.rowid, &c.rank, &c.hit.URL, &c.hit.Timestamp, &c.hit.Title, &c.hit.Status, &c.hit.Mime); err != nil {
				rows.Close()
				return cands, err
			}
			cands = append(cands, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return cands, err
		}
	}
	return cands, nil
}

// splitMarks cuts a snippet at the match marks.
func splitMarks(s string) []SnippetPart {
	var parts []SnippetPart
	for s != "" {
		i := strings.Index(s, markOpen)
		if i < 0 {
			parts = append(parts, SnippetPart{Text: s})
			break
		}
		if i > 0 {
			parts = append(parts, SnippetPart{Text: s[:i]})
		}
		s = s[i+len(markOpen):]
		j := strings.Index(s, markClose)
		if j < 0 {
			j = len(s)
		}
		parts = append(parts, SnippetPart{Text: s[:j], Match: true})
		s = strings.TrimPrefix(s[j:], markClose)
	}
	return parts
}
