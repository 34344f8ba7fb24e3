package extract

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/warcbox/warcbox/internal/xpath"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// attr returns the value of an attribute (names are lower-cased by the parser).
func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name && a.Namespace == "" {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, name string) bool {
	for _, a := range n.Attr {
		if a.Key == name && a.Namespace == "" {
			return true
		}
	}
	return false
}

// appendLowerASCII appends strings.ToLower of vals joined by spaces to b
// when every byte is ASCII. ok is false, and b to be ignored, otherwise
// (strings.ToLower maps some other letters to ASCII ones: "K" Kelvin sign
// to "k"), which callers answer with strings.ToLower itself.
func appendLowerASCII(b []byte, vals ...string) (_ []byte, ok bool) {
	for i, v := range vals {
		if i > 0 {
			b = append(b, ' ')
		}
		for j := 0; j < len(v); j++ {
			c := v[j]
			switch {
			case c >= utf8.RuneSelf:
				return b, false
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			}
			b = append(b, c)
		}
	}
	return b, true
}

// textOf returns the whitespace-normalised text of a subtree, without
// script and style. Elements are separated by a space (bylines set names
// in sibling links); see renderedText for text as a browser shows it.
func textOf(n *html.Node) string {
	return subtreeText(n, func(*html.Node) bool { return false })
}

// renderedText is a subtree's text as a browser renders it: inline elements
// add no space ("<i>Brand</i>'s" reads "Brand's"), other elements do.
func renderedText(n *html.Node) string {
	return subtreeText(n, isInline)
}

func subtreeText(n *html.Node, inline func(*html.Node) bool) string {
	return nodesText([]*html.Node{n}, inline, nil)
}

// nodesText is the text of a run of sibling nodes, elements for which skip
// reports true left out (skip may be nil).
func nodesText(nodes []*html.Node, inline, skip func(*html.Node) bool) string {
	// The text is collapsed as it is gathered, which spares a second copy.
	// Gathered first and collapsed after, a text node that ends inside a
	// UTF-8 sequence would join the next one; such a (broken) tree takes
	// that path, so the result is always the same.
	var c collapser
	walkText(nodes, inline, skip, &c)
	if c.bad {
		return nodesTextGathered(nodes, inline, skip)
	}
	return c.sb.String()
}

// nodesTextGathered is nodesText gathering the raw text first.
func nodesTextGathered(nodes []*html.Node, inline, skip func(*html.Node) bool) string {
	var g gatherer
	walkText(nodes, inline, skip, &g)
	return collapseSpace(g.String())
}

// textSink takes a tree's text in document order, with a separator where a
// block element starts and ends.
type textSink interface {
	write(string)
	sep()
}

// walkText gives sink the text of nodes, leaving out scripts, styles and
// elements for which skip reports true (skip may be nil).
func walkText(nodes []*html.Node, inline, skip func(*html.Node) bool, sink textSink) {
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			sink.write(n.Data)
			return
		case html.ElementNode:
			if unrendered(n) {
				return
			}
			if skip != nil && skip(n) {
				return
			}
			if !inline(n) {
				sink.sep()
				defer sink.sep()
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
}

// gatherer keeps the raw text, a space for each separator.
type gatherer struct{ strings.Builder }

func (g *gatherer) write(s string) { g.WriteString(s) }
func (g *gatherer) sep()           { g.WriteByte(' ') }

// collapser builds collapseSpace's result piece by piece. bad is set at
// the first byte that is not UTF-8, where it stops.
type collapser struct {
	sb    strings.Builder
	space bool
	bad   bool
}

// sep is a white space between pieces.
func (c *collapser) sep() { c.space = c.sb.Len() > 0 }

func (c *collapser) write(s string) {
	if c.bad {
		return
	}
	for i := 0; i < len(s); {
		b := s[i]
		n := 1
		if b < utf8.RuneSelf {
			if b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' {
				c.sep()
				i++
				continue
			}
		} else {
			var r rune
			r, n = utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				c.bad = true
				return
			}
			if r == '\u00a0' || r == '\u200b' || r == '\u3000' {
				c.sep()
				i += n
				continue
			}
		}
		if c.space {
			c.sb.WriteByte(' ')
			c.space = false
		}
		c.sb.WriteString(s[i : i+n])
		i += n
	}
}

// isInline reports phrasing elements, which browsers render without a break.
func isInline(n *html.Node) bool {
	switch n.DataAtom {
	case atom.A, atom.Abbr, atom.B, atom.Bdi, atom.Bdo, atom.Cite, atom.Code, atom.Data, atom.Dfn, atom.Em,
		atom.Font, atom.I, atom.Kbd, atom.Mark, atom.Q, atom.S, atom.Samp, atom.Small, atom.Span, atom.Strong,
		atom.Sub, atom.Sup, atom.Time, atom.U, atom.Var, atom.Ins, atom.Del, atom.Wbr, atom.Nobr, atom.Tt, atom.Big, atom.Strike:
		return true
	}
	return false
}

// collapseSpace trims and collapses runs of white space (including NBSP) to one space.
func collapseSpace(s string) string {
	if isCollapsed(s) {
		// Most strings it is given (meta values, link texts, single words)
		// are already so; building a copy of each was a tenth of warcbox's
		// own CPU per page.
		return s
	}
	var sb strings.Builder
	sb.Grow(len(s))
	space := false
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\u00a0' || r == '\u200b' || r == '\u3000' {
			space = sb.Len() > 0
			continue
		}
		if space {
			sb.WriteByte(' ')
			space = false
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// isCollapsed reports whether collapseSpace would return s unchanged: valid
// UTF-8 (the slow path writes U+FFFD for a bad byte), no white space but
// single ASCII spaces between other characters.
func isCollapsed(s string) bool {
	space := true // a leading space is not kept
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch c {
			case ' ':
				if space {
					return false
				}
				space = true
			case '\t', '\n', '\r', '\f':
				return false
			default:
				space = false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || r == '\u00a0' || r == '\u200b' || r == '\u3000' {
			return false
		}
		space = false
		i += n
	}
	return !space || s == ""
}

// attrPath is the XPath of an element's attribute.
func attrPath(n *html.Node, a string) string { return xpath.Of(n) + "/@" + a }

// metaPath names a <meta>/<link> by its identifying attribute, which is how a
// reader finds it again: /html/head/meta[@property='og:title']/@content.
func metaPath(n *html.Node, key, keyVal, valAttr string) string {
	prefix := "//"
	if n.Parent != nil && n.Parent.DataAtom == atom.Head {
		prefix = "/html/head/"
	}
	q := "'"
	if strings.Contains(keyVal, "'") {
		q = `"`
	}
	return prefix + n.Data + "[@" + key + "=" + q + keyVal + q + "]/@" + valAttr
}

// walkElements calls f for every element in document order; f returns false
// to skip the element's children.
func walkElements(n *html.Node, f func(*html.Node) bool) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			if !f(c) {
				continue
			}
		}
		walkElements(c, f)
	}
}

// baseHref returns the first <base href> of the document.
func baseHref(doc *html.Node) string {
	href := ""
	walkElements(doc, func(n *html.Node) bool {
		if href != "" {
			return false
		}
		if n.DataAtom == atom.Base && hasAttr(n, "href") {
			href = attr(n, "href")
			return false
		}
		return n.DataAtom != atom.Body
	})
	return href
}

// renderText writes an extracted content tree as plain text: one paragraph
// per block element, separated by blank lines, with <br> kept as a line break.
func renderText(root *html.Node) string {
	return strings.Join(blockTexts(root, nil), "\n\n")
}

// blockTexts splits a tree into the text of its block elements, in document
// order, leaving out the subtrees skip reports: one paragraph per block, its
// lines (at <br>) joined by "\n".
func blockTexts(root *html.Node, skip func(*html.Node) bool) []string {
	if root == nil {
		return nil
	}
	var paras []string
	var para strings.Builder
	last := -1
	walkLines(root, lineWalk{
		flow: blockFlow,
		skip: func(n *html.Node) bool {
			switch tagAtom(n) {
			case atom.Script, atom.Style, atom.Template:
				return true
			}
			return skip != nil && skip(n)
		},
	}, func(l textLine) {
		if l.block != last {
			if para.Len() > 0 {
				paras = append(paras, para.String())
				para.Reset()
			}
			last = l.block
		} else {
			para.WriteByte('\n')
		}
		para.WriteString(l.s)
	})
	if para.Len() > 0 {
		paras = append(paras, para.String())
	}
	return paras
}

// blockFlow breaks lines at the block elements isBlock names (go-trafilatura's
// trees set no atoms: tagAtom) and sets a table cell's text apart by a space.
func blockFlow(n *html.Node) flow {
	a := tagAtom(n)
	switch {
	case isBlock(a):
		return flowBlock
	case a == atom.Td || a == atom.Th:
		return flowSpaceAfter
	}
	return flowInline
}

// flow is how an element's text stands among the text around it.
type flow uint8

const (
	flowInline     flow = iota // runs on with the text around it
	flowSpaceAfter             // runs on, a space after it (a table cell)
	flowBlock                  // lines of its own: a break before and after
)

// textLine is one line of a tree's text: a block's text up to the next
// block boundary or <br>, white space collapsed.
type textLine struct {
	s     string
	n     *html.Node // the element holding the line's first (non-space) text
	block int        // the lines of one block share it; the next block's differ
}

// lineWalk says how walkLines reads a tree.
type lineWalk struct {
	flow func(*html.Node) flow // how an element's text stands
	skip func(*html.Node) bool // subtrees left out (<br> is asked about as well)
	// maxLine bounds the bytes gathered for one line: text nodes after
	// it are left out (0: no bound).
	maxLine int
}

// walkLines gives emit each non-empty line of root's text in document order:
// the one walker of lines for the body's paragraphs (blockTexts) and the
// author readers that look at lines (visibleLines).
func walkLines(root *html.Node, w lineWalk, emit func(textLine)) {
	var cur strings.Builder
	var first *html.Node
	block := 0
	flush := func() {
		if cur.Len() > 0 {
			if s := collapseSpace(cur.String()); s != "" {
				emit(textLine{s, first, block})
			}
			cur.Reset()
		}
		first = nil
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		f := flowInline
		switch n.Type {
		case html.TextNode:
			if w.maxLine == 0 || cur.Len() < w.maxLine {
				cur.WriteString(n.Data)
			}
			if first == nil && strings.TrimSpace(n.Data) != "" {
				first = n.Parent
			}
			return
		case html.ElementNode:
			if w.skip(n) {
				return
			}
			if tagAtom(n) == atom.Br {
				flush()
				return
			}
			f = w.flow(n)
		}
		if f == flowBlock {
			flush()
			block++
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		switch f {
		case flowBlock:
			flush()
			block++
		case flowSpaceAfter:
			cur.WriteByte(' ')
		}
	}
	walk(root)
	flush()
}

// tagAtom is the element's atom; go-trafilatura creates elements with Data
// only, so the atom is looked up from the name when unset.
func tagAtom(n *html.Node) atom.Atom {
	if n.DataAtom != 0 {
		return n.DataAtom
	}
	return atom.Lookup([]byte(n.Data))
}

func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Li, atom.Ul, atom.Ol,
		atom.Blockquote, atom.Pre, atom.Table, atom.Tr, atom.Section, atom.Article, atom.Header, atom.Footer,
		atom.Figure, atom.Figcaption, atom.Dl, atom.Dt, atom.Dd, atom.Hr, atom.Main, atom.Aside, atom.Details, atom.Summary,
		atom.Head, atom.Body:
		return true
	}
	return false
}

// insideAny reports whether n or one of its ancestors is an element of one
// of the kinds given.
func insideAny(n *html.Node, kinds ...atom.Atom) bool {
	for p := n; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && slices.Contains(kinds, p.DataAtom) {
			return true
		}
	}
	return false
}

// styleValue is the value an inline style (a style attribute) gives a
// property (the last declaration of it wins), lower-cased and trimmed, ""
// where it gives none: the one reader of inline declarations
// (fixedPosition, rightAligned).
func styleValue(style, prop string) string {
	val := ""
	for _, decl := range strings.Split(style, ";") {
		if k, v, ok := strings.Cut(decl, ":"); ok && strings.EqualFold(strings.TrimSpace(k), prop) {
			val = strings.ToLower(strings.TrimSpace(v))
		}
	}
	return val
}

// unrendered reports an element whose content no reader sees as text:
// scripts, styles, templates, and <noscript>, which x/net/html parses as
// raw text with scripting on. Walkers that skip more (the head, forms,
// navigation) ask for those beside it.
func unrendered(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Noscript, atom.Template:
		return true
	}
	return false
}
