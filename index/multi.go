package index

import (
	"context"
	"iter"
)

// Multi merges several Sources into one, keeping key/timestamp order.
type Multi struct{ srcs []Source }

var _ Source = (*Multi)(nil)

// NewMulti returns a Source over srcs.
func NewMulti(srcs ...Source) Source {
	if len(srcs) == 1 {
		return srcs[0]
	}
	return &Multi{srcs: srcs}
}

// Lookup yields the merged captures of every source; the limit applies to
// the merged stream. Each source's answer is gathered first (lookups are
// bounded by the query's limit), which is much cheaper than running the
// sources as coroutines in step.
func (m *Multi) Lookup(ctx context.Context, q Query) iter.Seq2[Capture, error] {
	return func(yield func(Capture, error) bool) {
		var lists [][]Capture
		for _, s := range m.srcs {
			if mem, ok := s.(*Memory); ok && mem.Len() == 0 {
				continue
			}
			l, err := Collect(ctx, s, q)
			if err != nil {
				yield(Capture{}, err)
				return
			}
			if len(l) > 0 {
				lists = append(lists, l)
			}
		}
		n := 0
		idx := make([]int, len(lists))
		var last *Capture
		for {
			best := -1
			for i, l := range lists {
				if idx[i] < len(l) && (best < 0 || compareCaptures(l[idx[i]], lists[best][idx[best]]) < 0) {
					best = i
				}
			}
			if best < 0 {
				return
			}
			c := &lists[best][idx[best]]
			idx[best]++
			if last != nil && last.Key == c.Key && last.Timestamp == c.Timestamp && last.Offset == c.Offset && last.Filename == c.Filename {
				continue // the same capture in two indexes (a re-indexed file)
			}
			last = c
			if !yield(*c, nil) {
				return
			}
			n++
			if q.Limit > 0 && n >= q.Limit {
				return
			}
		}
	}
}
