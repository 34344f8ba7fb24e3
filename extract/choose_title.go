package extract

import (
	"maps"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// titleGroup puts source kinds that copy one another into one group, so
// that agreement counts independent sources: OpenGraph and Twitter cards
// carry the same social headline; go-trafilatura's title is read from the
// <title> or a heading and confirms nothing.
func titleGroup(kind string) string {
	switch kind {
	case KindOpenGraph, KindTwitter:
		return "social"
	case KindJSONLD, KindMicrodata, KindRDFa:
		return "schema"
	case KindHeading:
		return "h1"
	case KindHTML:
		return "title"
	case KindTrafilatura:
		return ""
	}
	return kind
}

// titleSupport returns the groups whose value is v or has v as one of its
// separator-delimited parts ("v | Site").
func titleSupport(v string, cands []Candidate) map[string]bool {
	nv := norm(v)
	out := map[string]bool{}
	if nv == "" {
		return out
	}
	for _, o := range cands {
		g := titleGroup(o.Kind)
		if g == "" {
			continue
		}
		if norm(o.Value) == nv {
			out[g] = true
			continue
		}
		for _, p := range titleSepRe.Split(o.Value, -1) {
			if norm(p) == nv {
				out[g] = true
				break
			}
		}
	}
	return out
}

// chooseTitle picks the title by precedence, then lets agreement overrule
// it: go-trafilatura's guess counts only when another source names the same
// title, and a value two independent groups agree on beats a pick that no
// other group confirms.
func (e *Extractor) chooseTitle(st *state) (Candidate, bool) {
	all := st.cands["title"]
	var usable []Candidate
	for _, c := range all {
		if c.Kind == KindTrafilatura && len(titleSupport(c.Value, all)) == 0 {
			st.note("title", c, "go-trafilatura's guess, confirmed by no other source")
			continue
		}
		usable = append(usable, c)
	}
	c, ok := e.pick("title", usable)
	if !ok {
		return c, false
	}
	// A visible heading is not overruled: <title> and og:title agreeing on
	// another value are most often one SEO field written twice (measured:
	// overruling headings lost eight titles on the tuning half for two won).
	if c.Kind == KindHeading || len(titleSupport(c.Value, usable)) >= 2 {
		return c, true
	}
	for _, k := range e.opts.Precedence["title"] {
		for _, o := range usable {
			if o.Kind != k || norm(o.Value) == norm(c.Value) {
				continue
			}
			if s := titleSupport(o.Value, usable); len(s) >= 2 {
				st.note("title", c, "confirmed by no other source; "+o.Kind+"'s value is confirmed by "+strings.Join(sortedKeys(s), ", "))
				return o, true
			}
		}
	}
	return c, true
}

func sortedKeys(m map[string]bool) []string {
	return slices.Sorted(maps.Keys(m))
}

// notHeadline reports an <h1> that is page furniture rather than the
// article's headline: inside navigation or an aside, introducing a list
// (it ends with a colon: "Related:"), naming the page's section (the
// article's section metadata says so, or its only link leads to a folder
// above the page).
func notHeadline(n *html.Node, text string, sections []string, base *url.URL) bool {
	t := strings.TrimSpace(text)
	if strings.HasSuffix(t, ":") || strings.HasSuffix(t, "：") {
		return true
	}
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && (p.DataAtom == atom.Nav || p.DataAtom == atom.Aside || p.DataAtom == atom.Footer) {
			return true
		}
	}
	nt := norm(t)
	for _, s := range sections {
		if norm(s) == nt {
			return true
		}
	}
	// The heading's only link points to a folder above this page.
	var links []*html.Node
	walkElements(n, func(c *html.Node) bool {
		if c.DataAtom == atom.A {
			links = append(links, c)
		}
		return true
	})
	if len(links) == 1 && base != nil && norm(textOf(links[0])) == nt {
		if u, err := url.Parse(resolve(base, attr(links[0], "href"))); err == nil && u.Host == base.Host {
			lp := strings.TrimSuffix(u.Path, "/")
			pp := strings.TrimSuffix(base.Path, "/")
			if lp != "" && lp != pp && strings.HasPrefix(pp, lp+"/") {
				return true
			}
		}
	}
	return false
}
