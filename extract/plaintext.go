package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// plainText is v as text when v holds HTML markup: CMSs put a rich-text
// field's HTML ("<p>…</p>", a "Read more" link) into og:description and
// JSON-LD as is, and a user's description column is text. A value is taken
// as markup only when the tokenizer finds a tag naming an HTML element, so
// prose such as "a < b" or "x<y" keeps its brackets (and its entities, which
// only markup is known to escape).
func plainText(v string) string {
	if !strings.Contains(v, "<") || !holdsMarkup(v) {
		return v
	}
	nodes, err := html.ParseFragment(strings.NewReader(v), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		return v
	}
	return nodesText(nodes, isInline, nil)
}

// holdsMarkup reports whether v has a start, end or self-closing tag of a
// known HTML element.
func holdsMarkup(v string) bool {
	z := html.NewTokenizer(strings.NewReader(v))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return false
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			if name, _ := z.TagName(); atom.Lookup(name) != 0 {
				return true
			}
		}
	}
}

// noscriptAsText replaces the markup a <noscript> holds by its text. x/net/html
// parses with scripting on, as a browser that runs scripts does, so a
// <noscript>'s content is one text node holding its markup
// ("<iframe src=…>"): warcbox's own readers skip the element, but
// go-trafilatura's baseline, which takes the body's whole text when nothing
// better is found, gave that markup to users as body text (kochbar.de in the
// trafilatura set). Its text is kept, not dropped: some pages put their
// article there for readers without scripts.
func noscriptAsText(doc *html.Node) {
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && c.DataAtom == atom.Noscript {
				for t := c.FirstChild; t != nil; t = t.NextSibling {
					if t.Type == html.TextNode {
						t.Data = plainText(t.Data)
					}
				}
				continue
			}
			walk(c)
		}
	}
	walk(doc)
}
