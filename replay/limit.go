package replay

import (
	"context"
	"net/http"
	"runtime"
	"sync/atomic"
)

// limiter bounds the requests worked on at once: loading and rewriting a
// page costs memory in proportion to the page, so a thousand clients at
// once would cost a thousand pages' worth. Requests past the bound wait
// their turn; past MaxQueued waiting ones, they get a 503 with
// Retry-After. A request whose client has gone stops waiting.
type limiter struct {
	slots     chan struct{}
	queued    atomic.Int64
	maxQueued int64
	busy      atomic.Int64
	peak      atomic.Int64 // the most requests worked on at once (tests)
}

func newLimiter(concurrent, queued int) *limiter {
	return &limiter{slots: make(chan struct{}, concurrent), maxQueued: int64(queued)}
}

// defaultConcurrent is Config.MaxConcurrent's default: enough that a few
// slow clients streaming video do not hold up everyone, few enough that
// pages rewritten at once (about 1 MB each at most) stay in tens of MB.
func defaultConcurrent() int { return max(64, 8*runtime.GOMAXPROCS(0)) }

// acquire waits for a slot; ok is false if the queue is full (full is
// true) or ctx ended first.
func (l *limiter) acquire(ctx context.Context) (release func(), full bool, ok bool) {
	select {
	case l.slots <- struct{}{}:
	default:
		if l.queued.Add(1) > l.maxQueued {
			l.queued.Add(-1)
			return nil, true, false
		}
		select {
		case l.slots <- struct{}{}:
			l.queued.Add(-1)
		case <-ctx.Done():
			l.queued.Add(-1)
			return nil, false, false
		}
	}
	if n := l.busy.Add(1); n > l.peak.Load() {
		l.peak.Store(n) // racy max, good enough for a statistic
	}
	return func() { l.busy.Add(-1); <-l.slots }, false, true
}

// limit wraps a handler in the limiter.
func (l *limiter) limit(w http.ResponseWriter, r *http.Request, h func(http.ResponseWriter, *http.Request)) {
	release, full, ok := l.acquire(r.Context())
	if !ok {
		if full {
			w.Header().Set("Retry-After", "1")
			http.Error(w, "503 busy: too many requests at once, try again shortly", http.StatusServiceUnavailable)
		}
		return
	}
	defer release()
	h(w, r)
}
