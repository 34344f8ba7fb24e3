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
