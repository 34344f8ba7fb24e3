package extract

import (
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode"

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

var titleSepRe = regexp.MustCompile(`\s+(?:[|–—·•»«›‹⋆/:]|::|-{1,2}|\\)\s+`)

// cleanTitle removes a site name that pages append or prepend to headlines
// ("Headline | Site", "Site - Headline"). A part is dropped only when it
// names the site or when the page's single <h1> equals another part: an
// unrecognised suffix is kept rather than guessed away.
func cleanTitle(title string, siteNames []string, h1 []tag) string {
	title = collapseSpace(title)
	locs := titleSepRe.FindAllStringIndex(title, -1)
	if len(locs) == 0 {
		return title
	}
	var parts []string
	prev := 0
	for _, l := range locs {
		parts = append(parts, title[prev:l[0]])
		prev = l[1]
	}
	parts = append(parts, title[prev:])
	for _, h := range h1 {
		for _, p := range parts {
			if p != "" && norm(p) == norm(h.Value) {
				return p
			}
		}
	}
	isSite := func(p string) bool { return isSiteName(p, siteNames) }
	// Drop site names at either end, keeping the separators inside the headline.
	start, end := 0, len(parts)
	for end-start > 1 && isSite(parts[end-1]) {
		end--
	}
	for end-start > 1 && isSite(parts[start]) {
		start++
	}
	if start == 0 && end == len(parts) {
		return title
	}
	from := 0
	if start > 0 {
		from = locs[start-1][1]
	}
	to := len(title)
	if end < len(parts) {
		to = locs[end-1][0]
	}
	return strings.TrimSpace(title[from:to])
}

// headlineConfirmed reports an <h1> that a title repeats: the whole title,
// one of its separator-delimited parts, or most of it. An <h1> longer than
// the title is not confirmed: it carries a kicker ("Topic: Headline").
func headlineConfirmed(h1 string, heads []string) bool {
	nh := norm(h1)
	for _, hd := range heads {
		nd := norm(hd)
		if nd == nh {
			return true
		}
		for _, p := range titleSepRe.Split(collapseSpace(hd), -1) {
			if norm(p) == nh {
				return true
			}
		}
		if strings.Contains(nd, nh) && 2*len(nh) >= len(nd) {
			return true
		}
	}
	return false
}

// isSiteName reports whether a title part names the site.
func isSiteName(p string, siteNames []string) bool {
	np := norm(p)
	if np == "" {
		return false
	}
	for _, s := range siteNames {
		ns := norm(s)
		if ns == "" {
			continue
		}
		if np == ns || (len(ns) >= 4 && strings.Contains(np, ns) && len(np) <= len(ns)+12) || (len(np) >= 4 && strings.Contains(ns, np)) {
			return true
		}
	}
	return false
}

// isSiteBanner reports an <h1> used as the site's logo or banner: inside a
// element classed as logo/site title, or linking
// to the home page. (A <header> ancestor is not a sign: measured, article
// headlines sit in page headers as often as logos do.)
func isSiteBanner(n *html.Node, base *url.URL) bool {
	for p := n; p != nil; p = p.Parent {
		if p.Type != html.ElementNode {
			continue
		}
		if p.DataAtom == atom.Article || p.DataAtom == atom.Main {
			break
		}
		cls := strings.ToLower(attr(p, "class") + " " + attr(p, "id"))
		if strings.Contains(cls, "logo") || strings.Contains(cls, "site-title") || strings.Contains(cls, "site-name") ||
			strings.Contains(cls, "brand") || strings.Contains(cls, "blog-title") || strings.Contains(cls, "masthead") ||
			strings.Contains(cls, "site-header") || strings.Contains(cls, "blogtitle") || strings.Contains(cls, "header-title") {
			return true
		}
	}
	home := false
	walkElements(n, func(c *html.Node) bool {
		if c.DataAtom == atom.A {
			href := resolve(base, attr(c, "href"))
			if u, err := url.Parse(href); err == nil && (u.Path == "" || u.Path == "/") && u.RawQuery == "" {
				home = true
			}
		}
		return !home
	})
	return home
}

// norm lower-cases and keeps letters and digits only (of any script), for
// comparisons: dashes, quotes and spaces of every kind drop out.
func norm(s string) string {
	var sb strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			sb.WriteRune(r)
		}
	}
	return sb.String()
}
