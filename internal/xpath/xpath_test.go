package xpath

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestNodeAtInvertsXPath: every element's xpath leads back to it, siblings
// of one tag told apart by position (extract's asRendered finds a candidate's element
// so).
func TestNodeAtInvertsXPath(t *testing.T) {
	doc, err := html.Parse(strings.NewReader(`<html><head><title>T</title></head><body><div><p>a</p><p>b<br><span>c</span><span>d</span></p></div><div><p>e</p></div><svg><path d=""></path></svg></body></html>`))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	var walk func(*html.Node)
	walk = func(e *html.Node) {
		if e.Type == html.ElementNode {
			n++
			if got := NodeAt(doc, Of(e)); got != e {
				t.Errorf("NodeAt(Of(<%s>)) = %v, at %s", e.Data, got, Of(e))
			}
		}
		for c := e.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if n < 12 {
		t.Fatalf("walked %d elements", n)
	}
	for _, bad := range []string{"", "html", "/html/body/div[x]", "/html/body/div[3]", "/nope"} {
		if got := NodeAt(doc, bad); got != nil {
			t.Errorf("NodeAt(%q) = <%s>, want nil", bad, got.Data)
		}
	}
}
