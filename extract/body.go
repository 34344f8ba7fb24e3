package extract

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/go-shiori/dom"
	distiller "github.com/markusmobius/go-domdistiller"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The body is go-trafilatura's main content. readability and DOM Distiller
// are run only when that result looks doubtful, and one of them replaces it
// only on evidence that generalises: it is much longer, it is not a list of
// links, and it contains the text go-trafilatura found (a region around it,
// not another one such as a reader comment or a list of other posts). All
// three read the one tree parsed for the page.

const (
	// minBodyRunes is go-trafilatura's own "extracted enough" size (its
	// MinExtractedSize), doubled: below it a result is doubtful.
	minBodyRunes = 500
	// maxLinkShare is the share of a body's text, in paragraphs that are
	// the text of a link of the page, above which it is a list of links.
	maxLinkShare = 0.5
	// minOverlap is the share of go-trafilatura's paragraphs a fallback
	// must contain to replace it when go-trafilatura found a real text.
	minOverlap = 0.5
)

// bodyCandidate is one extractor's content.
type bodyCandidate struct {
	name  string
	node  *html.Node
	paras []string
	runes int
}

func newBodyCandidate(name string, n *html.Node) bodyCandidate {
	pruneFurniture(n)
	c := bodyCandidate{name: name, node: n, paras: blockTexts(n, nil)}
	for _, p := range c.paras {
		c.runes += utf8.RuneCountInString(p)
	}
	return c
}

// pruneFurniture removes elements that never belong to an article's text
// once extracted (figures with their credits, asides, navigation, forms,
// embedded frames): go-trafilatura's fallback comparison did the same to
// whichever result it kept.
func pruneFurniture(n *html.Node) {
	if n == nil {
		return
	}
	var drop []*html.Node
	walkElements(n, func(c *html.Node) bool {
		switch tagAtom(c) {
		case atom.Aside, atom.Audio, atom.Button, atom.Fieldset, atom.Figure, atom.Footer, atom.Iframe,
			atom.Input, atom.Label, atom.Link, atom.Nav, atom.Noscript, atom.Object, atom.Option, atom.Select,
			atom.Source, atom.Svg, atom.Time:
			drop = append(drop, c)
			return false
		}
		if c.Data == "noindex" {
			drop = append(drop, c)
			return false
		}
		return true
	})
	for _, c := range drop {
		if c.Parent != nil {
			c.Parent.RemoveChild(c)
		}
	}
}

// pageEvidence is what the page says about its own article, independently
// of any extractor: the texts of its links and the JSON-LD articleBody.
type pageEvidence struct {
	linkTexts   map[string]bool
	articleBody int // runes; 0 if none
}

func (st *state) evidence() pageEvidence {
	ev := pageEvidence{linkTexts: map[string]bool{}}
	walkElements(st.doc, func(n *html.Node) bool {
		if n.DataAtom == atom.A {
			if t := norm(textOf(n)); len(t) >= 12 {
				ev.linkTexts[t] = true
			}
			return false
		}
		return n.DataAtom != atom.Script && n.DataAtom != atom.Style && n.DataAtom != atom.Head
	})
	if st.article != nil {
		if b, _ := st.article.first("articleBody"); b != "" {
			ev.articleBody = utf8.RuneCountInString(b)
		}
	}
	return ev
}

// linkShare is the share of c's text in paragraphs that are a link's text.
func (ev pageEvidence) linkShare(c bodyCandidate) float64 {
	if c.runes == 0 {
		return 0
	}
	n := 0
	for _, p := range c.paras {
		for _, line := range strings.Split(p, "\n") {
			if ev.linkTexts[norm(line)] {
				n += utf8.RuneCountInString(line)
			}
		}
	}
	return float64(n) / float64(c.runes)
}

// doubtful says why go-trafilatura's result needs a second opinion ("" if not).
func (ev pageEvidence) doubtful(c bodyCandidate) string {
	switch {
	case c.runes < minBodyRunes:
		return "short"
	case ev.linkShare(c) > maxLinkShare:
		return "mostly link texts"
	case ev.articleBody >= minBodyRunes && (2*c.runes < ev.articleBody || c.runes > 2*ev.articleBody):
		return "length far from JSON-LD articleBody's"
	}
	return ""
}

// overlap is the share of base's substantial paragraphs found in c.
func overlap(base, c bodyCandidate) float64 {
	flat := collapseSpace(strings.Join(c.paras, " "))
	n, found := 0, 0
	for _, p := range base.paras {
		if utf8.RuneCountInString(p) < minAnchorRunes {
			continue
		}
		n++
		if strings.Contains(flat, collapseSpace(p)) {
			found++
		}
	}
	if n == 0 {
		return 1
	}
	return float64(found) / float64(n)
}

// replaces reports whether fallback c should replace base, and why not.
func (ev pageEvidence) replaces(base, c bodyCandidate) (bool, string) {
	switch {
	case c.runes == 0:
		return false, "empty"
	case ev.linkShare(c) > maxLinkShare:
		return false, "mostly link texts (a list of other pages)"
	case base.runes >= minBodyRunes && overlap(base, c) < minOverlap:
		return false, "does not contain go-trafilatura's text: another region of the page"
	case ev.articleBody >= minBodyRunes:
		if absRatio(c.runes, ev.articleBody) < absRatio(base.runes, ev.articleBody) {
			return true, ""
		}
		return false, "farther from JSON-LD articleBody's length"
	case c.runes > 2*base.runes:
		return true, ""
	}
	return false, "not much longer"
}

// absRatio is how far a is from b as a ratio ≥ 1.
func absRatio(a, b int) float64 {
	if a == 0 || b == 0 {
		return 1e9
	}
	if a > b {
		return float64(a) / float64(b)
	}
	return float64(b) / float64(a)
}

// fallbacks runs readability and DOM Distiller on the page's tree (each
// works on its own copy).
func fallbacks(doc *html.Node, base *url.URL) []bodyCandidate {
	var out []bodyCandidate
	if n := readableContent(doc, base); n != nil {
		out = append(out, newBodyCandidate("go-readability", n))
	}
	if res, err := distiller.Apply(dom.Clone(doc, true), &distiller.Options{OriginalURL: base, SkipPagination: true}); err == nil && res != nil && res.Node != nil {
		out = append(out, newBodyCandidate("go-domdistiller", res.Node))
	}
	return out
}
