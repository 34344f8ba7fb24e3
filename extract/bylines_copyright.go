package extract

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/warcbox/warcbox/internal/xpath"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// copyrightCandidate adds, as a last resort, the person a personal site's
// rights line names ("© 2019 Jane Doe", "Copyright (c) 2012- Jane Doe.",
// "2006-2008 by Jane Doe"): on a one-person site that line is often the
// only place the writer's name stands. It runs after every other author
// source and adds nothing when one of them already names a person, so it
// never competes with a byline or structured data.
func (e *Extractor) copyrightCandidate(st *state) {
	// Any name another source gives, a handle included, is the page's
	// own word for its writer; only organisations and the site's name
	// leave the question open.
	all := e.siteNames(st)
	for _, c := range st.cands["authors"] {
		if !c.org && slices.ContainsFunc(c.Values, func(n string) bool { return !isSiteName(n, all) }) {
			return
		}
	}
	// The site's own names, not its host: a personal site is often at its
	// owner's name (janedoe.com), while a company's footer repeats the
	// name it gives itself in og:site_name or its WebSite item.
	var siteNames []string
	for _, c := range st.cands["site_name"] {
		if c.Kind != KindTrafilatura {
			siteNames = append(siteNames, c.Value)
		}
	}
	for _, c := range st.cands["authors"] {
		// What the other author sources gave is the site's name or an
		// organisation: a footer repeating it is the publisher's.
		siteNames = append(siteNames, c.Values...)
	}
	host := ""
	if st.base != nil {
		host = strings.TrimPrefix(strings.ToLower(st.base.Hostname()), "www.")
		host, _, _ = strings.Cut(host, ".")
	}
	if name, path, ok := copyrightHolder(st.doc, siteNames, host); ok {
		st.add("authors", Candidate{Kind: KindByline, Values: []string{name}, Source: path})
	}
}

// maxRightsLines bounds the lines visibleLines keeps: the last ones.
const maxRightsLines = 20000

// copyrightHolder reads the holder of the page's last rights line where
// that line stands in the page's footer (a <footer>, role=contentinfo, an
// element classed or id'd as a footer, or the last block of <body>) or on
// a line of its own, and the holder is shaped like a person's name: not
// an organisation's legal form, not the site's own name, not the host's
// brand with more words ("Example Media" on example.com; "Jane Doe" on
// janedoe.com is the site's owner).
func copyrightHolder(doc *html.Node, siteNames []string, host string) (string, string, bool) {
	lines := visibleLines(doc)
	// The lines of one block share their element: its footer and picture
	// tests, which walk its siblings and read its ancestors' classes, are
	// made once, or 20,000 credits after one picture cost 20,000 walks.
	type where struct{ footer, credit bool }
	seen := map[*html.Node]where{}
	for i := len(lines) - 1; i >= 0; i-- {
		l := lines[i]
		holder, marked := rightsHolder(l.s)
		if holder == "" {
			continue
		}
		// The last rights line decides: an earlier one (a quoted
		// notice, a photo's credit) says nothing of the page's owner.
		w, ok := seen[l.n]
		if !ok {
			w.footer = inFooter(l.n)
			w.credit = onPicture(l.n) || !w.footer && afterImage(l.n)
			seen[l.n] = w
		}
		footer := w.footer
		if w.credit {
			continue // a picture's credit, as a figure's caption is
		}
		if !footer && !(marked && ownLine(l)) {
			return "", "", false
		}
		if !nameShaped(holder) || legalForm(holder) || isSiteName(holder, siteNames) || brandOf(holder, host) {
			return "", "", false
		}
		return holder, xpath.Of(l.n), true
	}
	return "", "", false
}

var (
	// rightsMarkRe opens a marked rights line: ©, (c), Copyright, then
	// the years, then an optional "by", then the holder.
	rightsMarkRe = regexp.MustCompile(`(?i)(?:©|\(c\)|\bcopyright\b)(?:\s*(?:©|\(c\)|\bcopyright\b))*\s*(?:\d{4}(?:\s*[-–—]\s*(?:\d{4})?)?\s*,?\s*)?(?:by\s+)?(.*)$`)
	// rightsYearsRe is an unmarked footer rights line: years, "by", the
	// holder ("2006-2008 by Jane Doe", after a licence's link).
	rightsYearsRe = regexp.MustCompile(`(?:^|[\s)])\d{4}(?:\s*[-–—]\s*\d{4})?\s+by\s+(.*)$`)
	// holderEndRe ends the holder: a sentence's or list's punctuation, a
	// dash between spaces.
	holderEndRe = regexp.MustCompile(`\s*(?:[.|·•,;:()/]|\s[-–—]\s)`)
)

// rightsHolder returns the holder a rights line names, and whether the
// line carries a copyright mark.
func rightsHolder(s string) (string, bool) {
	marked := true
	m := rightsMarkRe.FindStringSubmatch(s)
	if m == nil {
		marked = false
		if m = rightsYearsRe.FindStringSubmatch(s); m == nil {
			return "", false
		}
	}
	h := m[1]
	for _, loc := range holderEndRe.FindAllStringIndex(h, -1) {
		// An initial's period ("Jane Q. Doe") does not end the name.
		if end := strings.TrimSpace(h[loc[0]:loc[1]]); end == "." && initialBefore(h[:loc[0]]) {
			continue
		}
		h = h[:loc[0]]
		break
	}
	return collapseSpace(h), marked
}

// brandOf reports a holder one of whose words is the host's name while the
// whole name is not: the brand and what the company adds to it.
func brandOf(holder, host string) bool {
	if host == "" || slices.Contains(nameSpellings(norm(holder)), host) {
		return false
	}
	for _, w := range strings.Fields(holder) {
		if slices.Contains(nameSpellings(norm(w)), host) {
			return true
		}
	}
	return false
}

// initialBefore reports text ending in a one-letter word, an initial.
func initialBefore(s string) bool {
	f := strings.Fields(s)
	return len(f) > 0 && utf8.RuneCountInString(f[len(f)-1]) == 1
}

// legalFormWords end a company's name.
var legalFormWords = wordSet(`gmbh mbh ag kg ohg gbr ug ev e.v inc ltd llc llp lp plc corp co company limited sa sas sarl sàrl srl spa bv nv ab as asa oy oyj aps pty se kft sp`)

// legalForm reports a holder that is an organisation: its last word is a
// legal form, or it opens with an article ("The Example Times").
func legalForm(holder string) bool {
	f := strings.Fields(holder)
	if len(f) == 0 {
		return false
	}
	last := strings.ToLower(strings.TrimRight(f[len(f)-1], "."))
	first := strings.ToLower(f[0])
	return legalFormWords[last] || legalFormWords[strings.ReplaceAll(last, ".", "")] || first == "the" || strings.Contains(holder, "&")
}

// inFooter reports an element in the page's footer: a <footer>, an element
// whose role is contentinfo or whose class or id names a footer, or the last
// element of <body>.
func inFooter(n *html.Node) bool {
	for p := n; p != nil && p.Type == html.ElementNode; p = p.Parent {
		if p.DataAtom == atom.Footer || strings.EqualFold(attr(p, "role"), "contentinfo") {
			return true
		}
		if strings.Contains(strings.ToLower(attr(p, "class")+" "+attr(p, "id")), "footer") {
			return true
		}
		if p.Parent != nil && p.Parent.DataAtom == atom.Body && lastBlock(p) {
			return true
		}
	}
	return false
}

// lastBlock reports an element after which <body> holds no other element
// with visible text.
func lastBlock(n *html.Node) bool {
	for s := n.NextSibling; s != nil; s = s.NextSibling {
		if s.Type == html.ElementNode && hasText(s) {
			return false
		}
	}
	return true
}

// ownLine reports a rights line that is its element's whole text.
func ownLine(l textLine) bool {
	return textOf(l.n) == l.s
}

// invisible reports an element whose text a reader never sees: also the
// head and an iframe's fallback content.
func invisible(n *html.Node) bool {
	return unrendered(n) || n.DataAtom == atom.Head || n.DataAtom == atom.Iframe
}

// hasText reports an element with visible text, stopping at the first.
func hasText(n *html.Node) bool {
	if n.Type == html.TextNode {
		return strings.TrimSpace(n.Data) != ""
	}
	if n.Type == html.ElementNode && invisible(n) {
		return false
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if hasText(c) {
			return true
		}
	}
	return false
}

// visibleLines splits the page's visible text into lines at block
// boundaries and <br>, without figures, captions, navigation and asides
// (a photo's credit or another site's notice).
func visibleLines(doc *html.Node) []textLine {
	var lines []textLine
	walkLines(doc, lineWalk{flow: everyBlock, skip: notReadForRights, maxLine: 1024}, func(l textLine) {
		if l.n == nil {
			return // white space collapseSpace keeps (U+2003) but no text
		}
		if len(lines) == maxRightsLines {
			// The page's last lines are the ones read: keep the
			// later half, so that memory stays bounded.
			lines = append(lines[:0], lines[maxRightsLines/2:]...)
		}
		lines = append(lines, l)
	})
	return lines
}

// everyBlock breaks lines at every element but phrasing ones, as browsers
// lay them out.
func everyBlock(n *html.Node) flow {
	if isInline(n) {
		return flowInline
	}
	return flowBlock
}

// notReadForRights leaves out what a reader does not see and the parts of
// a page whose rights line is not the page's own.
func notReadForRights(n *html.Node) bool {
	if invisible(n) {
		return true
	}
	switch n.DataAtom {
	case atom.Figure, atom.Figcaption, atom.Nav, atom.Aside, atom.Select, atom.Button, atom.Form:
		return true
	}
	return false
}
