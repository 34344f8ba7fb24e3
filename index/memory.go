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
// called while lookups run: every change publishes a new sorted slice, so
// a lookup keeps reading the one it started with.
type Memory struct {
	mu       sync.RWMutex
	caps     []Capture          // sorted by key, then timestamp; never modified once published
	byDigest map[string]Capture // payload digest → a non-revisit capture with it
}

var _ Source = (*Memory)(nil)

// NewMemory returns a Memory holding caps.
func NewMemory(caps []Capture) *Memory {
	m := &Memory{byDigest: map[string]Capture{}}
	m.Add(caps)
	return m
}

// Add inserts captures, keeping the order. It sorts only the new ones and
// merges, so indexing many files one by one stays linear per file.
func (m *Memory) Add(caps []Capture) {
	if len(caps) == 0 {
		return
	}
	add := slices.Clone(caps)
	slices.SortStableFunc(add, compareCaptures)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.caps = mergeSorted(m.caps, add)
	if m.byDigest == nil {
		m.byDigest = map[string]Capture{}
	}
	for _, c := range add {
		if c.Digest != "" && !c.IsRevisit() {
			if _, ok := m.byDigest[c.Digest]; !ok {
				m.byDigest[c.Digest] = c
			}
		}
	}
}

func mergeSorted(a, b []Capture) []Capture {
	out := make([]Capture, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if compareCaptures(b[j], a[i]) < 0 {
			out = append(out, b[j])
			j++
		} else {
			out = append(out, a[i])
			i++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// ReplaceFile drops every capture whose Filename is name and adds caps:
// a WARC that grew while being written is re-indexed whole.
func (m *Memory) ReplaceFile(name string, caps []Capture) {
	m.mu.Lock()
	had := false
	for _, c := range m.caps {
		if c.Filename == name {
			had = true
			break
		}
	}
	if had {
		kept := make([]Capture, 0, len(m.caps))
		m.byDigest = map[string]Capture{}
		for _, c := range m.caps {
			if c.Filename == name {
				continue
			}
			kept = append(kept, c)
			if c.Digest != "" && !c.IsRevisit() {
				if _, ok := m.byDigest[c.Digest]; !ok {
					m.byDigest[c.Digest] = c
				}
			}
		}
		m.caps = kept
	}
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
	if c := strings.Compare(a.Key, b.Key); c != 0 {
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
		i, _ := slices.BinarySearchFunc(caps, lo, func(c Capture, k string) int { return strings.Compare(c.Key, k) })
		n := 0
		for ; i < len(caps) && caps[i].Key < hi; i++ {
			if ctx.Err() != nil {
				yield(Capture{}, ctx.Err())
				return
			}
			c := caps[i]
			if !keyMatches(q, c.Key) || !timeOK(q, c.Timestamp) {
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

// ByDigest returns a non-revisit capture with payload digest d, if any:
// the last resort for resolving revisits that name no original.
func (m *Memory) ByDigest(d string) (Capture, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	c, ok := m.byDigest[d]
	return c, ok
}
