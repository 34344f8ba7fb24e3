// Package xpath writes the absolute XPaths extract gives as a candidate's
// Source (/html/body/div[2]/p) and leads them back to their element: one
// format for extract and for the tools that read its output.
package xpath

import (
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

// Of returns an absolute XPath for an element: /html/body/div[2]/p, with a
// position only where siblings share the tag name.
func Of(n *html.Node) string {
	var parts []string
	for ; n != nil && n.Type == html.ElementNode; n = n.Parent {
		pos, count := 0, 0
		if n.Parent != nil {
			for s := n.Parent.FirstChild; s != nil; s = s.NextSibling {
				if s.Type == html.ElementNode && s.Data == n.Data {
					count++
					if s == n {
						pos = count
					}
				}
			}
		}
		p := n.Data
		if count > 1 {
			p += "[" + strconv.Itoa(pos) + "]"
		}
		parts = append(parts, p)
	}
	var sb strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		sb.WriteByte('/')
		sb.WriteString(parts[i])
	}
	return sb.String()
}

// NodeAt returns the element at an XPath as Of writes it
// ("/html/body/div[2]/p"), or nil: Of's inverse, by which a candidate's
// Source leads back to its element.
func NodeAt(doc *html.Node, path string) *html.Node {
	if doc == nil || !strings.HasPrefix(path, "/") {
		return nil
	}
	n := doc
	for _, step := range strings.Split(path[1:], "/") {
		name, pos := step, 1
		if i := strings.IndexByte(step, '['); i > 0 && strings.HasSuffix(step, "]") {
			p, err := strconv.Atoi(step[i+1 : len(step)-1])
			if err != nil {
				return nil
			}
			name, pos = step[:i], p
		}
		var next *html.Node
		for c, k := n.FirstChild, 0; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && c.Data == name {
				if k++; k == pos {
					next = c
					break
				}
			}
		}
		if next == nil {
			return nil
		}
		n = next
	}
	if n == doc {
		return nil
	}
	return n
}
