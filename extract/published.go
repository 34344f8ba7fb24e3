package extract

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The published date is chosen in two steps. First the day: precedence (the
// URL, then go-htmldate, then the metadata vocabularies; measured) proposes
// one, and agreement between independent sources may overrule it. Then the
// precision: a source naming the same day (or the same wall time) with a
// time of day or an offset lends them, so that no source's time or zone is
// lost when another source had the day right.

// dayOf is the YYYY-MM-DD prefix of an RFC 3339 candidate value.
func dayOf(v string) string {
	if len(v) >= 10 {
		return v[:10]
	}
	return v
}

// wallTime is the date and time of day as written, without the offset.
func wallTime(v string) string {
	if len(v) >= 19 {
		return v[:19]
	}
	return ""
}

func hasZone(v string) bool { return len(v) > 19 }
func hasTime(v string) bool { return len(v) >= 19 }

// choosePublished applies agreement and precision to the precedence pick c.
func (e *Extractor) choosePublished(st *state, c Candidate) Candidate {
	pub := st.cands["published"]
	// Which kinds name each day. go-htmldate reads the page's own markup
	// and text, so a day it shares with a metadata kind is not independent
	// agreement; it counts only for a day no markup names.
	support := map[string]map[string]bool{}
	for _, o := range pub {
		d := dayOf(o.Value)
		if support[d] == nil {
			support[d] = map[string]bool{}
		}
		support[d][o.Kind] = true
	}
	independent := func(d string) int {
		n := 0
		for k := range support[d] {
			if k != KindHTMLDate {
				n++
			}
		}
		return n
	}
	modifiedDays := map[string]bool{}
	for _, o := range st.cands["modified"] {
		modifiedDays[dayOf(o.Value)] = true
	}
	// The pick is overruled only when it stands alone (no other kind names
	// its day) and is suspect: a modification date, or a date go-htmldate
	// found with no markup behind it (often an event quoted in the text).
	// Then the earliest day that two independent kinds agree on wins.
	cd := dayOf(c.Value)
	alone := independent(cd) <= 1 && !(c.Kind != KindHTMLDate && support[cd][KindHTMLDate] && len(support[cd]) > 1)
	suspect := modifiedDays[cd] || (c.Kind == KindHTMLDate && independent(cd) == 0)
	if alone && suspect {
		best := ""
		for d := range support {
			if d == cd || independent(d) < 2 {
				continue
			}
			if modifiedDays[cd] && d > cd {
				continue // a modification comes after the publication
			}
			if best == "" || independent(d) > independent(best) || (independent(d) == independent(best) && d < best) {
				best = d
			}
		}
		if best != "" {
			for _, k := range e.opts.Precedence["published"] {
				if o, ok := firstOfKindOnDay(pub, k, best); ok {
					st.note("published", c, "day "+cd+" named by "+c.Kind+" alone and "+suspectWhy(modifiedDays[cd])+"; "+best+" agreed by "+kindList(support[best]))
					c = o
					break
				}
			}
		}
	}
	if o, why, ok := bylineOverrules(st, c, support); ok {
		st.note("published", c, why)
		c = o
	}
	c = e.precise(st, c)
	if (!hasZone(c.Value) || inUTC(c.Value)) && !st.datesDone {
		// A source ranked before go-htmldate named the day without the
		// time or offset (or in UTC), so the costly go-htmldate was
		// skipped; it reads markup the other sources do not (vendor meta
		// names, scripts) and may give them, or the page's own offset, for
		// the same day.
		e.htmldate(st)
		c = e.precise(st, c)
	}
	return c
}

// inUTC reports an RFC 3339 value with a zero offset.
func inUTC(v string) bool {
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return false
	}
	_, off := t.Zone()
	return off == 0
}

func suspectWhy(modified bool) string {
	if modified {
		return "also the modification date"
	}
	return "found in the text, no markup names it"
}

func kindList(m map[string]bool) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return strings.Join(ks, ", ")
}

func firstOfKindOnDay(cands []Candidate, kind, day string) (Candidate, bool) {
	for _, o := range cands {
		if o.Kind == kind && dayOf(o.Value) == day {
			return o, true
		}
	}
	return Candidate{}, false
}

// precise returns the candidate for c's day that says the most: a value with
// time and offset for the same wall time (or the same instant, written in the
// page's local offset rather than UTC), else one with a time for the same
// day, in precedence order. Where it reads from another source, the value is
// that source's and the source path says so.
func (e *Extractor) precise(st *state, c Candidate) Candidate {
	pub := st.cands["published"]
	order := e.opts.Precedence["published"]
	better := func(match func(o Candidate) bool) (Candidate, bool) {
		for _, k := range order {
			for _, o := range pub {
				if o.Kind == k && match(o) {
					return o, true
				}
			}
		}
		return Candidate{}, false
	}
	if c.Kind == KindHTMLDate || c.Kind == KindURL {
		// Heuristic sources give way to markup naming the same day at least
		// as precisely, for its exact path.
		d := dayOf(c.Value)
		if o, ok := better(func(o Candidate) bool {
			return o.Kind != KindHTMLDate && o.Kind != KindURL && dayOf(o.Value) == d &&
				(hasZone(o.Value) || !hasZone(c.Value)) && (hasTime(o.Value) || !hasTime(c.Value))
		}); ok {
			st.note("published", c, "same day as "+o.Kind+", whose markup path is exact")
			c = o
		}
	}
	switch {
	case hasZone(c.Value):
		// UTC while another source gives the same instant in a local offset:
		// the local form keeps the day and time the page shows.
		t, err := time.Parse(time.RFC3339, c.Value)
		if err != nil {
			return c
		}
		if _, off := t.Zone(); off != 0 {
			return c
		}
		if o, ok := better(func(o Candidate) bool {
			ot, err := time.Parse(time.RFC3339, o.Value)
			if err != nil {
				return false
			}
			_, oo := ot.Zone()
			return oo != 0 && ot.Equal(t)
		}); ok {
			st.note("published", c, "same instant as "+o.Kind+" but in UTC, not the page's offset")
			return o
		}
	case hasTime(c.Value):
		if o, ok := better(func(o Candidate) bool { return hasZone(o.Value) && wallTime(o.Value) == wallTime(c.Value) }); ok {
			st.note("published", c, "same wall time as "+o.Kind+", which gives the offset")
			return o
		}
	default:
		d := dayOf(c.Value)
		if o, ok := better(func(o Candidate) bool { return hasZone(o.Value) && dayOf(o.Value) == d }); ok {
			st.note("published", c, "same day as "+o.Kind+", which gives the time and offset")
			return o
		}
		if o, ok := better(func(o Candidate) bool { return hasTime(o.Value) && dayOf(o.Value) == d }); ok {
			st.note("published", c, "same day as "+o.Kind+", which gives the time")
			return o
		}
	}
	return c
}

// weakDateKinds name a day that a page's byline <time> outranks: the URL's
// directory date (often the day the draft was filed) and generic <meta> and
// Dublin Core dates, which many CMSs fill with the day the page was built.
var weakDateKinds = map[string]bool{KindURL: true, KindMeta: true, KindDublinCore: true}

// bylineOverrules lets the <time> under the headline (bylineTime) name the
// day when the pick's day has no better source than weakDateKinds (and
// go-htmldate, which reads the same markup or loose text). It does not when
// go-htmldate named the pick's day from that very element's visible text:
// a reader sees that text, whatever its datetime attribute says.
func bylineOverrules(st *state, c Candidate, support map[string]map[string]bool) (Candidate, string, bool) {
	bt, ok := bylineTime(st)
	if !ok {
		return c, "", false
	}
	d, ok := parseDate(bt.Value)
	if !ok || !plausible(d, st.page.CaptureDate) {
		return c, "", false
	}
	cd, bd := dayOf(c.Value), dayOf(d.String())
	o := Candidate{Kind: KindHTML, Value: d.String(), Source: bt.Path}
	if bd == cd {
		// The byline agrees on the day: it may still lend its time and
		// offset (precise), which the html source's first <time>, taken
		// before the headline was known, may not have been.
		addCandidate(st, "published", o)
		return c, "", false
	}
	for k := range support[cd] {
		if k != KindHTMLDate && !weakDateKinds[k] {
			return c, "", false
		}
	}
	if shown := collapseSpace(renderedText(bt.Node)); shown != "" {
		for _, o := range st.cands["published"] {
			if o.Kind != KindHTMLDate || dayOf(o.Value) != cd {
				continue
			}
			read := collapseSpace(strings.TrimPrefix(strings.TrimPrefix(o.Source, "go-htmldate"), " "))
			if read != "" && (strings.HasPrefix(read, shown) || strings.HasPrefix(shown, read)) {
				return c, "", false
			}
		}
	}
	addCandidate(st, "published", o)
	return o, "day " + cd + " named only by " + kindList(support[cd]) + "; the <time> under the headline names " + bd, true
}

// addCandidate adds o to field's candidates unless it is there already.
func addCandidate(st *state, field string, o Candidate) {
	if !slices.ContainsFunc(st.cands[field], func(x Candidate) bool {
		return x.Kind == o.Kind && x.Value == o.Value && x.Source == o.Source
	}) {
		st.cands[field] = append(st.cands[field], o)
	}
}

// bylineTimeRunes is how much text may stand between the start of the
// headline and the byline's <time>: the headline, a standfirst, the byline.
const bylineTimeRunes = 600

// bylineTime returns the first <time datetime> after the start of the
// headline (headlineElement) within bylineTimeRunes of text, skipping the times of comments, of
// list items and of links to other pages or to a comment's anchor (teasers,
// related articles, comment permalinks).
func bylineTime(st *state) (tag, bool) {
	if st.tags == nil || st.doc == nil || len(st.tags.times) == 0 {
		return tag{}, false
	}
	index := make(map[*html.Node]int, len(st.tags.times))
	for i, tm := range st.tags.times {
		index[tm.Node] = i
	}
	headline := headlineElement(st)
	if headline == nil {
		return tag{}, false
	}
	counting, runes, found, stop := false, 0, -1, false
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			if counting {
				runes += utf8.RuneCountInString(strings.TrimSpace(n.Data))
				stop = runes > bylineTimeRunes
			}
			return
		case html.ElementNode:
			if n.DataAtom == atom.Head || unrendered(n) {
				return
			}
			if n == headline {
				counting = true
			}
			if i, ok := index[n]; ok && counting && !teaserOrCommentTime(n, st) {
				found, stop = i, true
				return
			}
		}
		for ch := n.FirstChild; ch != nil && !stop; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(st.doc)
	if found < 0 {
		return tag{}, false
	}
	return st.tags.times[found], true
}

// teaserOrCommentTime reports a <time> inside a comment section (class or
// id naming comments), a list item linking to another page, or a link to
// another page or to an anchor of this one.
func teaserOrCommentTime(n *html.Node, st *state) bool {
	linked := false
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type != html.ElementNode {
			continue
		}
		// A list item is a teaser when it links to another page; a
		// theme's post-meta list (<ul class=post-meta><li><time>) holds
		// the article's own date and no such link.
		if p.DataAtom == atom.Li && linksElsewhere(p, st) {
			return true
		}
		if cls := strings.ToLower(attr(p, "class") + " " + attr(p, "id")); strings.Contains(cls, "comment") {
			return true
		}
		if p.DataAtom == atom.A && !linked {
			linked = true
			if !sameDocument(p, st) {
				return true
			}
		}
	}
	return false
}

// linksElsewhere reports a link under n to another page or to an anchor.
func linksElsewhere(n *html.Node, st *state) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if c.DataAtom == atom.A && attr(c, "href") != "" && !sameDocument(c, st) {
			return true
		}
		if linksElsewhere(c, st) {
			return true
		}
	}
	return false
}

// sameDocument reports a link to the page itself, without an anchor.
func sameDocument(a *html.Node, st *state) bool {
	if st.base == nil {
		return false
	}
	u, err := st.base.Parse(strings.TrimSpace(attr(a, "href")))
	if err != nil {
		return false
	}
	return u.Fragment == "" && u.Host == st.base.Host && u.Path == st.base.Path
}

// headlineElement is the element the byline follows: the chosen title's
// heading, else the first <h1> that may be the headline (not a logo, a
// site banner or a section's name), else the page's first <h1>. A logo
// <h1> above a header showing today's date would make that date the
// byline's.
func headlineElement(st *state) *html.Node {
	switch {
	case st.headline != nil:
		return st.headline
	case len(st.headings) > 0:
		return st.headings[0].Node
	case len(st.tags.h1) > 0:
		return st.tags.h1[0].Node
	}
	return nil
}
