package browser

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// A Behavior is something done to a loaded page so that what it would
// fetch later, or only on a reader's action, is fetched while the capture
// records (as browsertrix-crawler's behaviors do).
type Behavior string

const (
	// BehaviorScroll steps down the page to its end (lazy images,
	// infinite lists, IntersectionObserver content).
	BehaviorScroll Behavior = "scroll"
	// BehaviorTimers waits, within Options.Wait, for timers the page has
	// set (setTimeout), so requests, form submissions and navigations made
	// by them seconds after the load are recorded.
	BehaviorTimers Behavior = "timers"
	// BehaviorClick clicks the page's own expand controls: closed
	// <details>, controls marked aria-expanded=false, and buttons or
	// in-page links labelled "more"/"load"/"show"/"expand". It never clicks
	// a link to another page or a form's submit button, and stops if the
	// page navigates.
	BehaviorClick Behavior = "click"
)

// Behaviors lists every behavior, in the order they run.
var Behaviors = []Behavior{BehaviorScroll, BehaviorTimers, BehaviorClick}

// DefaultBehaviors are run when Options.Behaviors is nil: the ones that
// only wait and look. Clicking changes the page and is asked for.
func DefaultBehaviors() []Behavior { return []Behavior{BehaviorScroll, BehaviorTimers} }

// ParseBehaviors reads a comma-separated list ("scroll,click"); "none" or
// "" is no behavior at all, "all" every one.
func ParseBehaviors(s string) ([]Behavior, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	switch s {
	case "", "none":
		return []Behavior{}, nil
	case "all":
		return slices.Clone(Behaviors), nil
	}
	var out []Behavior
	for _, f := range strings.Split(s, ",") {
		b := Behavior(strings.TrimSpace(f))
		if !slices.Contains(Behaviors, b) {
			return nil, fmt.Errorf("browser capture: unknown behavior %q (want scroll, timers, click, all or none)", f)
		}
		if !slices.Contains(out, b) {
			out = append(out, b)
		}
	}
	return out, nil
}

// timersJS is installed in every document before its scripts run. It
// notes each pending setTimeout and its due time, so that the capture can
// wait for those due within its budget; nothing else about the page
// changes (the callback runs as the page set it).
const timersJS = `(() => {
  if (window.__warcboxTimers) return;
  const pending = new Map();
  const st = window.setTimeout, ct = window.clearTimeout;
  const now = () => performance.now();
  window.setTimeout = function (fn, delay, ...args) {
    if (typeof fn !== 'function') return st.call(window, fn, delay, ...args);
    let h;
    const run = function () { pending.delete(h); return fn.apply(this, args); };
    h = st.call(window, run, delay);
    pending.set(h, now() + Math.max(0, Number(delay) || 0));
    return h;
  };
  window.clearTimeout = function (h) { pending.delete(h); return ct.call(window, h); };
  Object.defineProperty(window, '__warcboxTimers', {
    // The longest wait, in ms, until a pending timer due within horizon
    // ms fires; -1 when none is.
    value: (horizon) => {
      const t = now();
      let m = -1;
      for (const due of pending.values()) { const d = due - t; if (d <= horizon && d > m) m = d; }
      return m;
    },
  });
})();`

// clickJS clicks the next expand control not clicked yet and says whether
// it found one.
const clickJS = `(() => {
  const done = window.__warcboxClicked || (window.__warcboxClicked = new WeakSet());
  const label = /\b(more|load|show|expand|see all|view all|read all)\b|mehr|plus|más|mais|altro|więcej|meer/i;
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'; };
  const els = document.querySelectorAll('details:not([open]) > summary, [aria-expanded="false"], button, [role="button"], a[href="#"], a[href^="javascript:"]');
  for (const el of els) {
    if (done.has(el) || !visible(el) || el.disabled) continue;
    const expand = el.tagName === 'SUMMARY' || el.getAttribute('aria-expanded') === 'false';
    const text = (el.innerText || el.getAttribute('aria-label') || '').trim();
    if (!expand && (text.length > 40 || !label.test(text))) continue;
    // A submit button sends a form: that is the reader's act, not a view.
    if (el.form && (el.type || 'submit').toLowerCase() === 'submit') continue;
    done.add(el);
    el.click();
    return true;
  }
  return false;
})()`

// maxClicks bounds the click behavior: a "load more" button of an endless
// list would otherwise be clicked for ever.
const maxClicks = 20

// maxTimerRounds bounds the rounds of waiting for timers: a page that sets
// a new timer from each one would otherwise be waited on for ever (the
// Wait budget also bounds it).
const maxTimerRounds = 10

// has reports whether b is among the options' behaviors.
func (o *Options) has(b Behavior) bool {
	if o.Behaviors == nil {
		return slices.Contains(DefaultBehaviors(), b)
	}
	return slices.Contains(o.Behaviors, b)
}

// installTimers makes every document the tab loads note its timers.
func installTimers(ctx context.Context) error {
	_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: timersJS})
	return err
}

// waitTimers waits for the page's pending timers due before budget ends,
// and for the network to settle after each round; it returns how many
// rounds it waited. A timer that navigates the page is waited for like any
// other: the navigation's requests are recorded.
func waitTimers(ctx context.Context, env *pageEnv, budget time.Duration) int {
	end := time.Now().Add(budget)
	rounds := 0
	for ; rounds < maxTimerRounds; rounds++ {
		left := time.Until(end)
		if left <= 0 {
			break
		}
		due, err := chromedp.Run(ctx, chromedp.Evaluate[float64](fmt.Sprintf("window.__warcboxTimers ? window.__warcboxTimers(%d) : -1", left.Milliseconds())))
		if err != nil || due < 0 {
			break
		}
		wait := time.Duration(due)*time.Millisecond + 50*time.Millisecond
		select {
		case <-ctx.Done():
			return rounds
		case <-time.After(min(wait, left)):
		}
		env.px.waitIdle(ctx, env.opts.Idle, max(time.Until(end), env.opts.Idle))
	}
	return rounds
}

// clickExpanders runs the click behavior and returns how many controls it
// clicked. It stops when the page navigates away.
func clickExpanders(ctx context.Context, env *pageEnv) int {
	start, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return 0
	}
	n := 0
	for ; n < maxClicks; n++ {
		clicked, err := chromedp.Run(ctx, chromedp.Evaluate[bool](clickJS))
		if err != nil || !clicked {
			break
		}
		env.px.waitIdle(ctx, env.opts.Idle, env.opts.Wait)
		if loc, err := chromedp.Run(ctx, chromedp.Location()); err != nil || loc != start {
			n++
			break
		}
	}
	return n
}
