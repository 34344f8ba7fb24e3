package extract

import (
	"net/url"
	"strings"

	"github.com/warcbox/warcbox/internal/xpath"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// microdataItems reads top-level microdata items (itemscope without
// itemprop), following the WHATWG algorithm: properties are found in the
// item's subtree, nested itemscopes become nested items, and itemref adds
// properties from elsewhere in the page.
func microdataItems(doc *html.Node, base *url.URL) []*item {
	var ids map[string]*html.Node
	var roots []*item
	walkElements(doc, func(n *html.Node) bool {
		if hasAttr(n, "itemscope") && !hasAttr(n, "itemprop") {
			if ids == nil && hasAttr(n, "itemref") {
				ids = elementIDs(doc)
			}
			roots = append(roots, microdataItem(n, base, ids, 0))
		}
		return true
	})
	return roots
}

func elementIDs(doc *html.Node) map[string]*html.Node {
	m := map[string]*html.Node{}
	walkElements(doc, func(n *html.Node) bool {
		if id := attr(n, "id"); id != "" {
			if _, ok := m[id]; !ok {
				m[id] = n
			}
		}
		return true
	})
	return m
}

func microdataItem(n *html.Node, base *url.URL, ids map[string]*html.Node, depth int) *item {
	it := &item{Syntax: "microdata", ID: attr(n, "itemid"), Path: xpath.Of(n)}
	for _, t := range strings.Fields(attr(n, "itemtype")) {
		it.Types = append(it.Types, shortType(t))
	}
	if depth > 15 {
		return it
	}
	var scan func(p *html.Node)
	scan = func(p *html.Node) {
		for c := p.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			props := strings.Fields(attr(c, "itemprop"))
			if len(props) > 0 {
				var v value
				if hasAttr(c, "itemscope") {
					v = value{Item: microdataItem(c, base, ids, depth+1), Path: xpath.Of(c)}
				} else {
					v = microdataValue(c, base)
				}
				for _, p := range props {
					it.add(shortType(p), v)
				}
			}
			if !hasAttr(c, "itemscope") {
				scan(c)
			}
		}
	}
	scan(n)
	for _, ref := range strings.Fields(attr(n, "itemref")) {
		if r := ids[ref]; r != nil && r != n {
			// The referenced element itself may carry the itemprop.
			if props := strings.Fields(attr(r, "itemprop")); len(props) > 0 {
				var v value
				if hasAttr(r, "itemscope") {
					v = value{Item: microdataItem(r, base, ids, depth+1), Path: xpath.Of(r)}
				} else {
					v = microdataValue(r, base)
				}
				for _, p := range props {
					it.add(shortType(p), v)
				}
			}
			// As extruct does: a referenced item that is not itself a
			// property lends its properties too.
			if !hasAttr(r, "itemscope") || !hasAttr(r, "itemprop") {
				scan(r)
			}
		}
	}
	return it
}

// microdataValue is the property value of an element per the microdata spec.
func microdataValue(n *html.Node, base *url.URL) value {
	switch {
	case hasAttr(n, "content"):
		return value{S: attr(n, "content"), Path: attrPath(n, "content")}
	}
	switch n.DataAtom {
	case atom.Meta:
		return value{S: attr(n, "content"), Path: attrPath(n, "content")}
	case atom.Audio, atom.Embed, atom.Iframe, atom.Img, atom.Source, atom.Track, atom.Video:
		return value{S: resolve(base, attr(n, "src")), Path: attrPath(n, "src")}
	case atom.A, atom.Area, atom.Link:
		return value{S: resolve(base, attr(n, "href")), Path: attrPath(n, "href")}
	case atom.Object:
		return value{S: resolve(base, attr(n, "data")), Path: attrPath(n, "data")}
	case atom.Data, atom.Meter:
		return value{S: attr(n, "value"), Path: attrPath(n, "value")}
	case atom.Time:
		if hasAttr(n, "datetime") {
			return value{S: attr(n, "datetime"), Path: attrPath(n, "datetime")}
		}
	}
	return value{S: textOf(n), Path: xpath.Of(n)}
}

// resolve makes a link absolute against the page URL (unchanged if either is unusable).
func resolve(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if base == nil || ref == "" {
		return ref
	}
	u, err := base.Parse(ref)
	if err != nil {
		return ref
	}
	return u.String()
}

// rdfaItems reads RDFa Lite: typeof starts an item, property adds a value,
// vocab/prefixes are reduced to short names (schema.org is the only
// vocabulary article pages use in practice).
func rdfaItems(doc *html.Node, base *url.URL) []*item {
	var roots []*item
	walkElements(doc, func(n *html.Node) bool {
		if hasAttr(n, "typeof") && !hasAttr(n, "property") {
			roots = append(roots, rdfaItem(n, base, 0))
			return false
		}
		return true
	})
	return roots
}

func rdfaItem(n *html.Node, base *url.URL, depth int) *item {
	it := &item{Syntax: "rdfa", ID: attr(n, "resource"), Path: xpath.Of(n)}
	for _, t := range strings.Fields(attr(n, "typeof")) {
		it.Types = append(it.Types, shortType(t))
	}
	if depth > 15 {
		return it
	}
	var scan func(p *html.Node)
	scan = func(p *html.Node) {
		for c := p.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			props := strings.Fields(attr(c, "property"))
			if len(props) > 0 {
				var v value
				switch {
				case hasAttr(c, "typeof"):
					v = value{Item: rdfaItem(c, base, depth+1), Path: xpath.Of(c)}
				case hasAttr(c, "content"):
					v = value{S: attr(c, "content"), Path: attrPath(c, "content")}
				case hasAttr(c, "resource"):
					v = value{S: resolve(base, attr(c, "resource")), Path: attrPath(c, "resource")}
				default:
					v = microdataValue(c, base)
				}
				for _, p := range props {
					it.add(shortType(p), v)
				}
				if hasAttr(c, "typeof") {
					continue
				}
			} else if hasAttr(c, "typeof") {
				continue // an unrelated nested item
			}
			scan(c)
		}
	}
	scan(n)
	return it
}
