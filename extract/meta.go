package extract

import (
	"bytes"
	"net/url"
	"strings"

	"github.com/warcbox/warcbox/internal/xpath"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// tag is one value found in the page's markup with its XPath.
type tag struct {
	Value string
	Path  string
	Node  *html.Node
}

// pageTags is everything the metadata sources read from plain HTML, gathered
// in one walk of the tree.
type pageTags struct {
	meta      map[string][]tag // <meta> by lower-cased name / property / itemprop / http-equiv
	links     map[string][]tag // <link rel> and <a rel> by rel token: href resolved
	linkText  map[string][]tag // <a rel=…> text (rel=author bylines)
	title     tag              // <title>
	h1        []tag
	headlines []tag // h1-h3 classed as entry/post/article title or headline
	times     []tag // <time datetime>
	lang      tag   // <html lang>
	bylines   []tag // elements whose class/id/itemprop says author or byline
}

func collectTags(doc *html.Node, base *url.URL) *pageTags {
	t := &pageTags{meta: map[string][]tag{}, links: map[string][]tag{}, linkText: map[string][]tag{}}
	walkElements(doc, func(n *html.Node) bool {
		switch n.DataAtom {
		case atom.Html:
			if l := attr(n, "lang"); l != "" && t.lang.Value == "" {
				t.lang = tag{Value: l, Path: attrPath(n, "lang"), Node: n}
			} else if l := attr(n, "xml:lang"); l != "" && t.lang.Value == "" {
				t.lang = tag{Value: l, Path: attrPath(n, "xml:lang"), Node: n}
			}
		case atom.Meta:
			content, hasContent := "", false
			for _, a := range n.Attr {
				if a.Key == "content" {
					content, hasContent = a.Val, true
				}
			}
			if !hasContent {
				if v := attr(n, "value"); v != "" {
					content, hasContent = v, true
				}
			}
			if !hasContent {
				return false
			}
			valAttr := "content"
			if !hasAttr(n, "content") {
				valAttr = "value"
			}
			for _, k := range []string{"property", "name", "itemprop", "http-equiv"} {
				key := strings.TrimSpace(attr(n, k))
				if key == "" {
					continue
				}
				// RDFa allows several properties in one attribute ("og:title twitter:title").
				for _, one := range strings.Fields(key) {
					lk := strings.ToLower(one)
					t.meta[lk] = append(t.meta[lk], tag{Value: content, Path: metaPath(n, k, key, valAttr), Node: n})
				}
			}
			return false
		case atom.Link, atom.A:
			rel := strings.ToLower(attr(n, "rel"))
			if rel != "" && hasAttr(n, "href") {
				href := resolve(base, attr(n, "href"))
				// The path and text are the same for each rel token
				// ("noopener noreferrer"): worked out once.
				var p, text, path string
				if n.DataAtom == atom.Link {
					p = metaPath(n, "rel", attr(n, "rel"), "href")
				} else {
					p = attrPath(n, "href")
					text, path = textOf(n), xpath.Of(n)
				}
				for _, r := range strings.Fields(rel) {
					t.links[r] = append(t.links[r], tag{Value: href, Path: p, Node: n})
					if n.DataAtom == atom.A {
						t.linkText[r] = append(t.linkText[r], tag{Value: text, Path: path, Node: n})
					}
				}
			}
		case atom.Title:
			if t.title.Value == "" && !inSVG(n) {
				t.title = tag{Value: textOf(n), Path: xpath.Of(n), Node: n}
			}
			return false
		case atom.H1, atom.H2, atom.H3:
			if n.DataAtom == atom.H1 && len(t.h1) < 5 {
				t.h1 = append(t.h1, tag{Value: renderedText(n), Path: xpath.Of(n), Node: n})
			}
			cls := strings.ToLower(attr(n, "class") + " " + attr(n, "itemprop"))
			if len(t.headlines) < 5 && (strings.Contains(cls, "entry-title") || strings.Contains(cls, "post-title") ||
				strings.Contains(cls, "article-title") || strings.Contains(cls, "headline") || strings.Contains(cls, "page-title") ||
				strings.Contains(cls, "posttitle") || strings.Contains(cls, "article__title") || strings.Contains(cls, "story-title")) {
				t.headlines = append(t.headlines, tag{Value: renderedText(n), Path: xpath.Of(n), Node: n})
			}
		case atom.Time:
			if dt := attr(n, "datetime"); dt != "" {
				t.times = append(t.times, tag{Value: dt, Path: attrPath(n, "datetime"), Node: n})
			}
		case atom.Script:
			return false
		case atom.Style, atom.Noscript, atom.Template:
			return false
		}
		if len(t.bylines) < 20 && mayBeByline(n) {
			classID := strings.ToLower(attr(n, "class") + " " + attr(n, "id") + " " + attr(n, "itemprop") + " " + attr(n, "rel"))
			if classID != "   " && isBylineClass(classID) && !inCaption(n) {
				t.bylines = append(t.bylines, tag{Value: textOf(n), Path: xpath.Of(n), Node: n})
			}
		}
		return true
	})
	return t
}

// inSVG reports a node inside an <svg>: its <title> labels a drawing, not the page.
func inSVG(n *html.Node) bool { return insideAny(n.Parent, atom.Svg) }

var bylineWords = []string{"byline", "author", "autor", "auteur", "writer", "posted-by", "postedby", "article-by", "verfasser", "entry-author", "dc.creator"}

// mayBeByline is false when isBylineClass cannot match the element's
// lower-cased class, id, itemprop and rel: every element of the page is
// asked, and building that string for each was 4 % of a metadata-only run.
// It lower-cases ASCII into a stack buffer; other bytes or long values
// answer true and leave the decision to isBylineClass.
func mayBeByline(n *html.Node) bool {
	var buf [256]byte
	b := buf[:0]
	for _, a := range n.Attr {
		switch a.Key {
		case "class", "id", "itemprop", "rel":
		default:
			continue
		}
		if len(b)+len(a.Val) >= len(buf) {
			return true
		}
		for i := 0; i < len(a.Val); i++ {
			c := a.Val[i]
			switch {
			case c >= 0x80:
				return true
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			}
			b = append(b, c)
		}
		b = append(b, ' ')
	}
	if len(b) == 0 || !hasBylineStem(b) {
		return false
	}
	for _, w := range bylineWords {
		if bytes.Contains(b, []byte(w)) {
			return true
		}
	}
	return false
}

// hasBylineStem reports whether b holds "by", "aut", "writer", "verfasser"
// or "creator", one of which is in each of bylineWords: one pass over b
// answers most elements, where trying each word was most of mayBeByline.
func hasBylineStem(b []byte) bool {
	for i := 0; i+1 < len(b); i++ {
		var stem string
		switch b[i] {
		case 'b':
			stem = "by"
		case 'a':
			stem = "aut"
		case 'w':
			stem = "writer"
		case 'v':
			stem = "verfasser"
		case 'c':
			stem = "creator"
		default:
			continue
		}
		if bytes.HasPrefix(b[i:], []byte(stem)) {
			return true
		}
	}
	return false
}

// isBylineClass matches class/id names sites use for the author line.
func isBylineClass(s string) bool {
	for _, w := range bylineWords {
		if strings.Contains(s, w) {
			// "author-bio", "authors-list" in comment sections: too noisy.
			if strings.Contains(s, "comment") || strings.Contains(s, "avatar") || strings.Contains(s, "bio") || strings.Contains(s, "social") || strings.Contains(s, "image") || strings.Contains(s, "img") || strings.Contains(s, "photo") {
				return false
			}
			return true
		}
	}
	return false
}

// get returns the first non-empty meta value among keys, in key order.
func (t *pageTags) get(keys ...string) (tag, bool) {
	for _, k := range keys {
		for _, m := range t.meta[k] {
			if v := collapseSpace(m.Value); v != "" {
				m.Value = v
				return m, true
			}
		}
	}
	return tag{}, false
}

// all returns every non-empty meta value among keys.
func (t *pageTags) all(keys ...string) []tag {
	var out []tag
	for _, k := range keys {
		for _, m := range t.meta[k] {
			if v := collapseSpace(m.Value); v != "" {
				m.Value = v
				out = append(out, m)
			}
		}
	}
	return out
}

// inCaption reports an element inside a figure or a caption/credit block:
// the names there are photographers', not the article's authors.
func inCaption(n *html.Node) bool {
	for p := n; p != nil; p = p.Parent {
		if p.Type != html.ElementNode {
			continue
		}
		switch p.DataAtom {
		case atom.Figure, atom.Figcaption:
			return true
		case atom.Article, atom.Main, atom.Body:
			return false
		}
		cls := strings.ToLower(attr(p, "class") + " " + attr(p, "id"))
		if strings.Contains(cls, "caption") || strings.Contains(cls, "credit") {
			return true
		}
	}
	return false
}
