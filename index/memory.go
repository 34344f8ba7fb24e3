package index

import (
	"context"
	"iter"
	"slices"
	"strings"
	"sync"
)

// Memory is a Source over captures held in memory, for collections small
// enough to index at start-up (folders of WARCs, WACZ files). Add may be
// called while lookups run.
type Memory struct {
	mu       sync.RWMutex
	caps     []Capture // sorted by key, then timestamp
	byDigest map[string][]int32
}

var _ Source = (*Memory)(nil)

// NewMemory returns a Memory holding caps.
func NewMemory(caps []Capture) *Memory {
	m := &Memory{}
	m.Add(caps)
	return m
}

// Add inserts captures, keeping the order.
func (m *Memory) Add(caps []Capture) {
	m.mu.Lock()
	defer m.mu.Unlock()
	all := make([]Capture, 0, len(m.caps)+len(caps))
	all = append(append(all, m.caps...), caps...)
	slices.SortStableFunc(all, compareCaptures)
	m.caps = all
	m.byDigest = make(map[string][]int32, len(all))
	for i, c := range all {
		if c.Digest != "" && !c.IsRevisit() {
			m.byDigest[c.Digest] = append(m.byDigest[c.Digest], int32(i))
		}
	}
}

// ReplaceFile drops every capture whose Filename is name and adds caps:
// a WARC that grew while being written is re-indexed whole.
func (m *Memory) ReplaceFile(name string, caps []Capture) {
	m.mu.Lock()
	kept := make([]Capture, 0, len(m.caps))
	for _, c := range m.caps {
		if c.Filename != name {
			kept = append(kept, c)
		}
	}
	m.caps = kept
	m.mu.Unlock()
	m.Add(caps)
}

// All yields every capture in key order (for the pages list).
func (m *Memory) All() iter.Seq[Capture] {
	return func(yield func(Capture) bool) {
		m.mu.RLock()
		caps := m.caps
		m.mu.RUnlock()
		for _, c := range caps {
			if !yield(c) {
				return
			}
		}
	}
}

// Len is the number of captures held.
func (m *Memory) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.caps)
}

func compareCaptures(a, b Capture) int {
	if c := strings.Compare(a.URLKey, b.URLKey); c != 0 {
		return c
	}
	return strings.Compare(a.Timestamp, b.Timestamp)
}

// Lookup yields the captures matching q in key, timestamp order.
func (m *Memory) Lookup(ctx context.Context, q Query) iter.Seq2[Capture, error] {
	return func(yield func(Capture, error) bool) {
		lo, hi, err := keyRange(q)
		if err != nil {
			yield(Capture{}, err)
			return
		}
		m.mu.RLock()
		caps := m.caps
		m.mu.RUnlock()
		i, _ := slices.BinarySearchFunc(caps, lo, func(c Capture, k string) int { return strings.Compare(c.URLKey, k) })
		n := 0
		for ; i < len(caps) && caps[i].URLKey < hi; i++ {
			if ctx.Err() != nil {
				yield(Capture{}, ctx.Err())
				return
			}
			c := caps[i]
			if !keyMatches(q, c.URLKey) || !timeOK(q, c.Timestamp) {
				continue
			}
			if !yield(c, nil) {
				return
			}
			n++
			if q.Limit > 0 && n >= q.Limit {
				return
			}
		}
	}
}

// ByDigest returns the non-revisit captures with payload digest d: the
// last resort for resolving revisits that name no original.
func (m *Memory) ByDigest(d string) []Capture {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var out []Capture
	for _, i := range m.byDigest[d] {
		out = append(out, m.caps[i])
	}
	return out
}
