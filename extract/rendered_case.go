package extract

import (
	"bytes"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/andybalholm/cascadia"
	"github.com/warcbox/warcbox/internal/xpath"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/cases"
	"golang.org/x/text/language"
)

// The letter case a reader of the page sees: a site may write "Jane Doe"
// in its HTML and show "JANE DOE" because its stylesheet sets the byline
// in capitals (text-transform: uppercase). Only the page's OWN CSS is read
// here: its <style> elements and style attributes. Rules in external
// stylesheets (<link rel=stylesheet>, @import) are not in the page, so a
// name they set in capitals stays as the HTML writes it.

// textCase is a computed text-transform, as far as it changes letter case.
type textCase uint8

const (
	caseAsWritten  textCase = iota // none, or a transform that keeps case (full-width)
	caseUpper                      // uppercase
	caseLower                      // lowercase
	caseCapitalize                 // capitalize: each word's first letter
)

// Bounds on what one page's CSS may cost: the bytes of <style> text read,
// the rules scanned, the text-transform rules kept (each is matched
// against the elements asked about and their ancestors), the nesting of
// @media/@supports blocks and the length of a selector compiled.
const (
	maxCSSBytes     = 1 << 20
	maxCSSRules     = 20000
	maxCaseRules    = 2000
	maxCSSDepth     = 8
	maxSelectorLen  = 2048
	assumedViewport = 1280 // CSS px: width media features are read for a desktop window
)

// caseDecl is one text-transform declaration and its rank in the cascade.
type caseDecl struct {
	sel       *complexSel
	spec      cascadia.Specificity
	order     int
	important bool
	inherit   bool // inherit, unset, revert: the parent's value
	value     textCase
}

// pageCase answers the computed text-transform of a page's elements from
// the page's own CSS. The zero value (no rules) says every element is
// shown as written.
type pageCase struct {
	decls   []caseDecl
	inline  bool // some style attribute may declare text-transform
	memo    map[*html.Node]textCase
	matched map[matchKey]bool // selector parts matched (rendered_case_match.go)
	work    int               // matching left before every element is taken as written
}

// mayTransform is the cheap test before any CSS is read: a page whose
// bytes never name text-transform has no rule to find. CSS names are
// ASCII case-insensitive ("Text-transform"), so each "-" is looked at.
func mayTransform(page []byte) bool {
	const name = "text-transform"
	for off := 0; ; {
		i := bytes.IndexByte(page[off:], '-')
		if i < 0 {
			return false
		}
		i += off
		if i >= 4 && i+10 <= len(page) && bytes.EqualFold(page[i-4:i+10], []byte(name)) {
			return true
		}
		off = i + 1
	}
}

// readPageCase reads the text-transform rules of doc's <style> elements
// (those for screens) in document order, within the bounds above.
func readPageCase(doc *html.Node) *pageCase {
	pc := &pageCase{memo: map[*html.Node]textCase{}, matched: map[matchKey]bool{}, work: maxMatchWork}
	r := cssReader{pc: pc}
	budget := maxCSSBytes
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch {
			case c.DataAtom == atom.Template:
				continue // not rendered
			case c.DataAtom == atom.Style:
				if budget <= 0 || !styleForScreen(c) {
					continue
				}
				var sb strings.Builder
				for t := c.FirstChild; t != nil && sb.Len() < budget; t = t.NextSibling {
					if t.Type == html.TextNode {
						sb.WriteString(t.Data)
					}
				}
				css := sb.String()
				if len(css) > budget {
					css = css[:budget]
				}
				budget -= len(css)
				if strings.Contains(strings.ToLower(css), "text-transform") {
					r.sheet(css)
				}
				continue
			}
			if !pc.inline && strings.Contains(strings.ToLower(attr(c, "style")), "text-transform") {
				pc.inline = true
			}
			walk(c)
		}
	}
	walk(doc)
	return pc
}

// styleForScreen reports a <style> element a screen applies: CSS (no
// type, or text/css) for all media or a media query a desktop window meets.
func styleForScreen(n *html.Node) bool {
	if t := strings.TrimSpace(attr(n, "type")); t != "" && !strings.EqualFold(t, "text/css") {
		return false
	}
	return mediaApplies(attr(n, "media"))
}

// of returns the text-transform computed for n (a text node: its
// element's): the winning declaration of the nearest element that has
// one, inherited down the tree, as browsers do.
func (pc *pageCase) of(n *html.Node) textCase {
	if pc == nil || pc.work <= 0 {
		return caseAsWritten // none read, or too dear to match: as written
	}
	if n != nil && n.Type != html.ElementNode {
		n = n.Parent
	}
	// Walk up to an element whose value is known or declared, then fill
	// the memo back down: iterative, as a hostile page may nest deeply.
	type link struct {
		n        *html.Node
		v        textCase
		declared bool
	}
	var chain []link
	v := caseAsWritten
	for ; n != nil && n.Type == html.ElementNode; n = n.Parent {
		if m, ok := pc.memo[n]; ok {
			v = m
			break
		}
		d, ok := pc.declared(n)
		chain = append(chain, link{n, d.value, ok && !d.inherit})
		if ok && !d.inherit {
			break
		}
	}
	for i := len(chain) - 1; i >= 0; i-- {
		if chain[i].declared {
			v = chain[i].v
		}
		pc.memo[chain[i].n] = v
	}
	if pc.work <= 0 {
		return caseAsWritten
	}
	return v
}

// declared returns the declaration that wins the cascade on n itself:
// !important first, then the style attribute over any selector, then the
// more specific selector, then the later rule.
func (pc *pageCase) declared(n *html.Node) (caseDecl, bool) {
	var best caseDecl
	found := false
	for _, d := range pc.decls {
		if (found && !outranks(d, best)) || !pc.matches(d.sel, n) {
			continue
		}
		best, found = d, true
	}
	if pc.inline {
		if s := attr(n, "style"); s != "" {
			if d, ok := transformDecl(s); ok && (!found || d.important || !best.important) {
				best, found = d, true
			}
		}
	}
	return best, found
}

// outranks reports whether stylesheet declaration a beats b.
func outranks(a, b caseDecl) bool {
	if a.important != b.important {
		return a.important
	}
	if a.spec != b.spec {
		return b.spec.Less(a.spec)
	}
	return a.order > b.order
}

// render spells s as a browser shows it under c. Case maps are Unicode's
// full ones (ß shows as SS in capitals); the language-specific ones
// (Turkish dotted i) are not applied.
func (c textCase) render(s string) string {
	switch c {
	case caseUpper:
		return cases.Upper(language.Und).String(s)
	case caseLower:
		return cases.Lower(language.Und).String(s)
	case caseCapitalize:
		var sb strings.Builder
		prev := ' '
		for _, r := range s {
			if wordStart(prev) && unicode.IsLetter(r) {
				sb.WriteRune(unicode.ToTitle(r))
			} else {
				sb.WriteRune(r)
			}
			prev = r
		}
		return sb.String()
	}
	return s
}

// wordStart reports a rune after which a letter starts a word for
// capitalize: a space or punctuation, but not an apostrophe ("O'neil").
func wordStart(prev rune) bool {
	if prev == '\'' || prev == '’' || prev == utf8.RuneError {
		return false
	}
	return !(unicode.IsLetter(prev) || unicode.IsDigit(prev) || unicode.IsMark(prev))
}

// casesOf returns the page's own text-transform rules, read on first use;
// nil when the page has none (its bytes never name text-transform, or no
// <style> rule or style attribute declares it), every element shown as
// written.
func (st *state) casesOf() *pageCase {
	if !st.casesRead {
		st.casesRead = true
		if st.doc != nil && mayTransform(st.page.HTML) {
			if pc := readPageCase(st.doc); len(pc.decls) > 0 || pc.inline {
				st.cases = pc
			}
		}
	}
	return st.cases
}

// asRendered spells each chosen name as a reader of the page sees it:
// where the element the name was read from has a computed text-transform
// in the page's own CSS, the name as that element shows it. The element
// is the chosen byline's (a visible candidate), else the bylines of
// visible candidates that offer the same name, else every visible text
// that writes it, when they all show it alike and CSS sets the case of
// at least one. A name no such text writes, one no CSS changes, or one
// they show in more than one way, is kept.
func asRendered(names []string, c Candidate, st *state) []string {
	if st.casesOf() == nil {
		return names
	}
	out, cloned := names, false
	for i, n := range names {
		texts, ok := renderedTexts(n, c, st)
		if !ok {
			continue
		}
		var seen []string
		styled := false // some text shows the name in a case its CSS sets
		ln := strings.ToLower(n)
		for _, t := range texts {
			lt := strings.ToLower(t.s)
			if len(lt) != len(t.s) {
				continue // lower-casing changed the bytes: offsets would not map
			}
			for off := 0; ; {
				j := strings.Index(lt[off:], ln)
				if j < 0 {
					break
				}
				j += off
				off = j + len(ln)
				if !wordEdge(t.s, j) || !wordEdge(t.s, off) {
					continue
				}
				tc := st.casesOf().of(t.n)
				styled = styled || tc != caseAsWritten
				seen = append(seen, tc.render(t.s[j:off]))
			}
		}
		if !styled || slices.ContainsFunc(seen, func(s string) bool { return s != seen[0] }) || seen[0] == n {
			// No CSS changes its case (the case the HTML writes is
			// asWritten's to judge), or it is shown two ways.
			continue
		}
		if !cloned {
			out, cloned = slices.Clone(names), true
		}
		out[i] = seen[0]
	}
	return out
}

// renderedTexts returns the texts a name was read from: those inside the
// chosen candidate's element when it is a visible one, else those inside
// the elements of visible candidates that offer the same name, else the
// page's visible texts. ok is false when a visible candidate's element is
// not found.
func renderedTexts(name string, c Candidate, st *state) (texts []bylineText, ok bool) {
	var roots []*html.Node
	if visibleKind(c.Kind) {
		r := xpath.NodeAt(st.doc, c.Source)
		if r == nil {
			return nil, false
		}
		roots = append(roots, r)
	} else {
		for _, o := range st.cands["authors"] {
			if visibleKind(o.Kind) && slices.ContainsFunc(o.Values, func(v string) bool { return strings.EqualFold(v, name) }) {
				if r := xpath.NodeAt(st.doc, o.Source); r != nil && !slices.Contains(roots, r) {
					roots = append(roots, r)
				}
			}
		}
	}
	if len(roots) == 0 {
		return st.visibleTexts(), true
	}
	for _, r := range roots {
		texts = appendTexts(texts, r)
	}
	return texts, true
}

// appendTexts appends the texts inside n (not those of scripts, styles
// or templates), each with its element.
func appendTexts(texts []bylineText, n *html.Node) []bylineText {
	if n.Type == html.TextNode {
		if s := collapseSpace(n.Data); s != "" && len(texts) < 5000 {
			texts = append(texts, bylineText{s: s, n: n.Parent})
		}
		return texts
	}
	if n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style || n.DataAtom == atom.Template) {
		return texts
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		texts = appendTexts(texts, c)
	}
	return texts
}

// titleAsRendered spells the chosen headline as its element shows it:
// when every text in the headline's element has one computed
// text-transform, the title under it.
func titleAsRendered(title string, st *state) string {
	if st.headline == nil || st.casesOf() == nil {
		return title
	}
	texts := appendTexts(nil, st.headline)
	if len(texts) == 0 {
		return title
	}
	pc := st.casesOf()
	c := pc.of(texts[0].n)
	for _, t := range texts[1:] {
		if pc.of(t.n) != c {
			return title
		}
	}
	return c.render(title)
}
