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
// the merged stream.
func (m *Multi) Lookup(ctx context.Context, q Query) iter.Seq2[Capture, error] {
	return func(yield func(Capture, error) bool) {
		limit := q.Limit
		type head struct {
			next func() (Capture, error, bool)
			stop func()
			c    Capture
			ok   bool
		}
		heads := make([]*head, 0, len(m.srcs))
		defer func() {
			for _, h := range heads {
				h.stop()
			}
		}()
		for _, s := range m.srcs {
			next, stop := iter.Pull2(s.Lookup(ctx, q))
			h := &head{next: next, stop: stop}
			heads = append(heads, h)
			c, err, ok := next()
			if err != nil {
				yield(Capture{}, err)
				return
			}
			h.c, h.ok = c, ok
		}
		n := 0
		for {
			var best *head
			for _, h := range heads {
				if h.ok && (best == nil || compareCaptures(h.c, best.c) < 0) {
					best = h
				}
			}
			if best == nil {
				return
			}
			if !yield(best.c, nil) {
				return
			}
			n++
			if limit > 0 && n >= limit {
				return
			}
			c, err, ok := best.next()
			if err != nil {
				yield(Capture{}, err)
				return
			}
			best.c, best.ok = c, ok
		}
	}
}
