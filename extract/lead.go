package extract

import (
	"net/url"
	"strings"
	"unicode/utf8"

	readability "github.com/go-shiori/go-readability"
	"github.com/warcbox/warcbox/internal/xpath"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

const (
	// minLeadRunes keeps bylines, datelines and labels out of standfirsts.
	minLeadRunes = 80
	// minAnchorRunes is how long a paragraph must be to count when texts
	// are compared; short ones ("Share", a date) recur anywhere.
	minAnchorRunes = 30
	// maxAboveHeadline and maxAboveHeadlineRunes bound what dropHeadline
	// removes above a headline repeated in the body: two short lines.
	maxAboveHeadline      = 3
	maxAboveHeadlineRunes = 160
)

// readableContent runs readability on a copy of doc (it clones) and returns
// its article tree.
func readableContent(doc *html.Node, base *url.URL) *html.Node {
	p := readability.NewParser()
	art, err := p.ParseDocument(doc, base)
	if err != nil {
		return nil
	}
	return art.Node
}

// dropHeadline removes the headline repeated at the start of a body: a
// leading paragraph that is the text of one of the page's <h1>s or a title
// candidate. Article texts do not start with their own headline; go-
// trafilatura keeps it when the <h1> sits inside the content container.
func dropHeadline(paras []string, st *state) []string {
	heads := headlineTexts(st)
	// Furniture may come before the repeated headline (a photo credit, a
	// kicker, a breadcrumb): short lines above it go with it.
	for i := 1; i < maxAboveHeadline && i < len(paras)-1; i++ {
		if utf8.RuneCountInString(paras[i-1]) > maxAboveHeadlineRunes {
			break
		}
		if heads[norm(paras[i])] {
			paras = paras[i:]
			break
		}
	}
	for i := 0; i < 2 && len(paras) > 1; i++ {
		if !heads[norm(paras[0])] {
			break
		}
		paras = paras[1:]
	}
	return paras
}

// headlineTexts is the norm texts a headline repeated in the body may
// have: the page's <h1>s, the headings the template marks as titles, and
// the title candidates whole and in their parts.
func headlineTexts(st *state) map[string]bool {
	heads := map[string]bool{}
	for _, h := range st.tags.h1 {
		heads[norm(h.Value)] = true
	}
	for _, h := range st.tags.headlines {
		heads[norm(h.Value)] = true
	}
	for _, c := range st.cands["title"] {
		heads[norm(c.Value)] = true
		for _, p := range splitTitle(c.Value) {
			heads[norm(p)] = true
		}
	}
	delete(heads, "")
	return heads
}

// lead returns a standfirst to put before the body, and sets st.leadHow.
//
// go-trafilatura starts at the article container's first paragraph and
// misses a standfirst set above it. Taking readability's paragraphs above
// that point (the stop-8 rule) raised recall on trafilatura's set but, on
// unseen sites, added a teaser or a paragraph the body already had more
// often than a lead. The standfirst is now taken only where two independent
// sources agree on it: the page's description metadata (og:description,
// meta description, JSON-LD description) and a visible element with the same
// text placed before the body's first paragraph. Measured on the halves of
// bench/extract-eval (body F1 tuning/validation): no standfirst .919/.918,
// this rule .929/.927, readability's paragraphs (with every fallback run)
// .929/.923.
func (e *Extractor) lead(st *state, paras []string) []string {
	if len(paras) == 0 || !e.opts.Fallback {
		return nil
	}
	flat := collapseSpace(strings.Join(paras, " "))
	var descs []string
	seen := map[string]bool{}
	for _, c := range st.cands["description"] {
		d := norm(strings.TrimRight(c.Value, "…. "))
		if utf8.RuneCountInString(d) >= minLeadRunes/2 && !seen[d] {
			seen[d] = true
			descs = append(descs, d)
		}
	}
	if len(descs) == 0 {
		return nil
	}
	heads := headlineTexts(st)
	first := norm(paras[0])
	if len(first) > 60 {
		first = first[:60]
	}
	var found *html.Node
	var foundText string
	done := false
	walkElements(st.doc, func(n *html.Node) bool {
		if done {
			return false
		}
		switch n.DataAtom {
		case atom.Head, atom.Script, atom.Style, atom.Nav, atom.Aside, atom.Figure, atom.Footer, atom.Form, atom.Noscript, atom.Template:
			return false
		}
		if !leafBlock(n) {
			return true
		}
		t := renderedText(n)
		nt := norm(t)
		if found == nil {
			for _, d := range descs {
				if (nt == d || (len(d) >= 60 && strings.HasPrefix(nt, d))) && !heads[nt] {
					if utf8.RuneCountInString(t) >= minLeadRunes && !strings.Contains(flat, collapseSpace(t)) {
						found, foundText = n, t
					}
					break
				}
			}
			if found != nil {
				return false
			}
		}
		if first != "" && strings.HasPrefix(nt, first) {
			done = true
		}
		return false
	})
	if found == nil || !done {
		return nil
	}
	st.leadHow = "standfirst: the element " + xpath.Of(found) + " repeats the page's description above the main content"
	return []string{foundText}
}

// leafBlock reports a block-level element without block-level children: a
// paragraph as the page lays it out.
func leafBlock(n *html.Node) bool {
	if n.Type != html.ElementNode || !isBlock(n.DataAtom) && n.DataAtom != atom.Span && n.DataAtom != atom.Strong {
		return false
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && isBlock(c.DataAtom) {
			return false
		}
	}
	return true
}
