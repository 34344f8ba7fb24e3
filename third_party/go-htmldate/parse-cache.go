// warcbox patch: this file is not upstream's (see PATCHES.md).

package htmldate

import (
	"strings"
	"sync"
	"time"
)

// ParseCache remembers go-dateparser's answer (the day it read, or none)
// for the strings the extensive search hands it, so that a string met again,
// on the same page or a later one (a site's footer, a player's caption, the
// same heading read as a date element and as a title), is not parsed again.
// go-dateparser tries every locale it knows on each string (~10 ms for a
// string that is not a date), and its answer depends only on the string,
// the configuration (htmldate's default, the only one cached) and, for
// incomplete dates, the current day, which is part of the key. The bounds
// of Options (MinDate, MaxDate) are applied after the lookup, per page.
//
// A ParseCache is safe for concurrent use and holds at most the number of
// strings given to NewParseCache (the oldest is forgotten first); strings
// are at most 52 characters (maxSegmentLen).
type ParseCache struct {
	mu    sync.Mutex
	days  map[parseKey]time.Time
	order []parseKey // ring of the keys, oldest at next
	next  int
}

type parseKey struct {
	s   string
	day int64 // the current UTC day, as Unix seconds
}

// NewParseCache returns a cache of at most n strings (n < 1 means 1).
func NewParseCache(n int) *ParseCache {
	n = max(n, 1)
	return &ParseCache{days: make(map[parseKey]time.Time, n), order: make([]parseKey, 0, n)}
}

func (c *ParseCache) get(k parseKey) (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.days[k]
	return t, ok
}

func (c *ParseCache) put(k parseKey, t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.days[k]; ok {
		return
	}
	// s is often a slice of a page's text (normalizeSpaces and strLimit
	// return substrings): the cache outlives the page, so it keeps a copy.
	k.s = strings.Clone(k.s)
	if len(c.order) < cap(c.order) {
		c.order = append(c.order, k)
	} else {
		delete(c.days, c.order[c.next])
		c.order[c.next] = k
		c.next = (c.next + 1) % len(c.order)
	}
	c.days[k] = t
}

// Len is how many strings the cache holds.
func (c *ParseCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.days)
}
