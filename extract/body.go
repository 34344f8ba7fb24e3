package extract

import (
	"net/url"
	"strings"
	"unicode"
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
	links       map[string]*html.Node // the first link of each of linkTexts
	base        *url.URL
	articleBody int // runes; 0 if none
	anyLink     map[string]bool
}

// maxTrailingLinks bounds how many lines dropTrailingLinks removes: a
// "more" link, a comments link, a line of further reading.
const maxTrailingLinks = 3

// dropTrailingLinks removes the lines at the end of the body that are a
// link's whole text (a "more" link, a comments link, the next article):
// go-trafilatura keeps them when they sit in the article's container, but
// an article's text ends with its own words, not with a link. It returns
// how many it removed.
func (ev pageEvidence) dropTrailingLinks(paras []string) ([]string, int) {
	n := 0
	for ; n < maxTrailingLinks && len(paras) > 1; n++ {
		last := paras[len(paras)-1]
		lines := strings.Split(last, "\n")
		l := lines[len(lines)-1]
		if !ev.anyLink[norm(l)] {
			break
		}
		if len(lines) > 1 {
			paras[len(paras)-1] = strings.Join(lines[:len(lines)-1], "\n")
		} else {
			paras = paras[:len(paras)-1]
		}
	}
	return paras, n
}

func (st *state) evidence() pageEvidence {
	ev := pageEvidence{linkTexts: map[string]bool{}, links: map[string]*html.Node{}, base: st.base}
	ev.anyLink = map[string]bool{}
	walkElements(st.doc, func(n *html.Node) bool {
		if n.DataAtom == atom.A {
			t := norm(textOf(n))
			if t != "" {
				ev.anyLink[t] = true
			}
			if len(t) >= 12 {
				if !ev.linkTexts[t] {
					ev.links[t] = n
				}
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

// The body's edges. go-trafilatura keeps whole containers, so a body may
// end with what follows the article on the page (an author's box, an app
// or newsletter prompt, a reader comment) and hold the titles of other
// articles linked from inside it. Both are told apart by the page's
// structure, not by their words: the article is the element of the page
// that holds most of the body's text, and a teaser is a link whose text is
// the title its target's URL spells.

// coverShare is the share of the body's text (in paragraphs found on the
// page) the article element holds: the lowest element holding that much.
const coverShare = 0.8

// docBlock is one leaf block of the page (a paragraph, heading or list item
// as laid out: an element with no block element inside), in document order.
type docBlock struct {
	n    *html.Node
	norm string // norm of its rendered text
}

// pageBlocks lists the page's visible leaf blocks.
func pageBlocks(doc *html.Node) []docBlock {
	var out []docBlock
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || hidden(c) {
				continue
			}
			switch c.DataAtom {
			case atom.Head, atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Button, atom.Select, atom.Iframe, atom.Svg:
				continue
			}
			if !isBlock(c.DataAtom) && !isInline(c) || hasBlockInside(c) {
				walk(c)
				continue
			}
			if t := normText(c); t != "" {
				out = append(out, docBlock{n: c, norm: t})
			}
		}
	}
	walk(doc)
	return out
}

// hasBlockInside reports whether a block element is below n.
func hasBlockInside(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (isBlock(c.DataAtom) || hasBlockInside(c)) {
			return true
		}
	}
	return false
}

// hidden reports an element the page does not show.
func hidden(n *html.Node) bool {
	if hasAttr(n, "hidden") || attr(n, "aria-hidden") == "true" {
		return true
	}
	s := attr(n, "style")
	return s != "" && strings.Contains(strings.ReplaceAll(strings.ToLower(s), " ", ""), "display:none")
}

// maxMatchTries bounds the block comparisons mapParas makes for one page
// (a paragraph found nowhere costs one per block); paragraphs past it are
// not looked for, which keeps them in the body.
const maxMatchTries = 200_000

// anchorKey is how many bytes of a paragraph's norm text identify it.
const anchorKey = 32

func keyOf(s string) string {
	if len(s) > anchorKey {
		return s[:anchorKey]
	}
	return s
}

// mapParas finds each paragraph's block on the page, -1 if none (short
// paragraphs are not looked for): the first block after the previous
// paragraph's, else the first on the page, that contains the paragraph's
// start or whose start begins it (an extractor splits and joins blocks).
func mapParas(paras []string, blocks []docBlock) []int {
	pos := make([]int, len(paras))
	last := 0
	budget := maxMatchTries
	for i, p := range paras {
		pos[i] = -1
		np := norm(p)
		if len(np) < minAnchorRunes/2 || budget <= 0 {
			continue
		}
		k := keyOf(np)
		match := func(j int) bool {
			budget--
			b := blocks[j].norm
			return strings.Contains(b, k) || len(b) >= minAnchorRunes/2 && strings.HasPrefix(np, keyOf(b))
		}
		for j := last; j < len(blocks); j++ {
			if match(j) {
				pos[i], last = j, j
				break
			}
		}
		for j := 0; j < last && pos[i] < 0; j++ {
			if match(j) {
				pos[i] = j
			}
		}
	}
	return pos
}

// articleEnd returns how many of paras belong to the article, and the
// article element: those up to
// the last one inside the article element, and the paragraphs right after
// it that were not found on the page. The first paragraph found outside it
// after its last one ends the article.
func articleEnd(paras []string, pos []int, blocks []docBlock) (int, *html.Node) {
	total := 0
	runes := map[*html.Node]int{}
	var top *html.Node
	for i, p := range paras {
		if pos[i] < 0 {
			continue
		}
		n := utf8.RuneCountInString(p)
		total += n
		par := blocks[pos[i]].n.Parent
		runes[par] += n
		if top == nil || runes[par] > runes[top] {
			top = par
		}
	}
	within := func(i int, el *html.Node) bool {
		for n := blocks[pos[i]].n; n != nil; n = n.Parent {
			if n == el {
				return true
			}
		}
		return false
	}
	// The article is the lowest ancestor of the parent holding most text
	// that holds coverShare of it all.
	for ; top != nil; top = top.Parent {
		covered := 0
		for i, p := range paras {
			if pos[i] >= 0 && within(i, top) {
				covered += utf8.RuneCountInString(p)
			}
		}
		if float64(covered) >= coverShare*float64(total) {
			break
		}
	}
	last := -1
	for i := range paras {
		if pos[i] >= 0 && within(i, top) {
			last = i
		}
	}
	if top == nil || last < 0 {
		return len(paras), nil
	}
	end := last + 1
	for end < len(paras) && pos[end] < 0 {
		end++
	}
	return end, top
}

// teaserLink reports whether a is a link to another page whose text is
// that page's title: its URL's slug spells half its words or more.
func teaserLink(a *html.Node, text string, base *url.URL) bool {
	href := strings.TrimSpace(attr(a, "href"))
	if href == "" || strings.HasPrefix(href, "#") {
		return false
	}
	u, err := url.Parse(href)
	if err != nil {
		return false
	}
	if base != nil && (base.Scheme == "http" || base.Scheme == "https") {
		u = base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "" {
		return false // mailto:, javascript:
	}
	if base != nil && u.Host == base.Host && u.Path == base.Path && u.RawQuery == base.RawQuery {
		return false // this page
	}
	slug := urlSlug(u)
	if len(slug) < 2 {
		return false
	}
	in := map[string]bool{}
	for _, w := range slug {
		in[w] = true
	}
	words, spelt := 0, 0
	for _, w := range strings.FieldsFunc(strings.ToLower(text), notWordRune) {
		words++
		for _, v := range slugWords(w) {
			if in[v] {
				spelt++
				break
			}
		}
	}
	return words >= 2 && 2*spelt >= words
}

// dropTeasers removes the lines that are the whole text of a teaser link.
func (ev pageEvidence) dropTeasers(paras []string) []string {
	if len(ev.links) == 0 {
		return paras
	}
	out := paras[:0:0]
	for _, p := range paras {
		var keep []string
		for _, l := range strings.Split(p, "\n") {
			if a := ev.links[norm(l)]; a == nil || !teaserLink(a, l, ev.base) {
				keep = append(keep, l)
			}
		}
		if len(keep) > 0 {
			out = append(out, strings.Join(keep, "\n"))
		}
	}
	return out
}

// normText is norm(renderedText(n)) without the text in between: norm
// keeps letters and digits only, so where elements add spaces is moot.
func normText(n *html.Node) string {
	var sb strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				for _, r := range c.Data {
					if r < utf8.RuneSelf {
						switch {
						case 'a' <= r && r <= 'z' || '0' <= r && r <= '9':
							sb.WriteByte(byte(r))
						case 'A' <= r && r <= 'Z':
							sb.WriteByte(byte(r) + 'a' - 'A')
						}
						continue
					}
					if unicode.IsLetter(r) || unicode.IsDigit(r) {
						sb.WriteRune(unicode.ToLower(r))
					}
				}
			case html.ElementNode:
				if unrendered(c) {
					continue
				}
				walk(c)
			}
		}
	}
	walk(n)
	return sb.String()
}
