package extract

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// FuzzMayBeByline checks the property the shortcut relies on: whenever
// isBylineClass matches an element's lower-cased class, id, itemprop and
// rel, mayBeByline is true.
func FuzzMayBeByline(f *testing.F) {
	for _, s := range [][4]string{
		{"Article-Byline", "", "", ""}, {"c-AUTHOR__name", "x", "", ""}, {"", "", "author", "author"},
		{"meta", "post", "", ""}, {"byline comment", "", "", ""}, {"\u212aAUTHOR", "", "", ""}, // Kelvin sign lower-cases to k
		{strings.Repeat("x", 300) + " author", "", "", ""},
	} {
		f.Add(s[0], s[1], s[2], s[3])
	}
	f.Fuzz(func(t *testing.T, class, id, itemprop, rel string) {
		n := &html.Node{Type: html.ElementNode, Data: "div"}
		for k, v := range map[string]string{"class": class, "id": id, "itemprop": itemprop, "rel": rel} {
			if v != "" {
				n.Attr = append(n.Attr, html.Attribute{Key: k, Val: v})
			}
		}
		exact := isBylineClass(strings.ToLower(attr(n, "class") + " " + attr(n, "id") + " " + attr(n, "itemprop") + " " + attr(n, "rel")))
		if exact && !mayBeByline(n) {
			t.Fatalf("mayBeByline false where isBylineClass matches: %q %q %q %q", class, id, itemprop, rel)
		}
	})
}

// TestDecodeUTF8AsIs checks that valid UTF-8 parsed without the decoder
// gives the tree the decoder gave, and that a page cut inside a rune still
// goes through the decoder (its U+FFFD).
func TestDecodeUTF8AsIs(t *testing.T) {
	page := []byte("<html><head><meta charset=utf-8><title>Grüße – 東京</title></head><body><p>naïve café</p></body></html>")
	doc, name, err := decodeHTML(page, "text/html; charset=UTF-8")
	if err != nil || name != "utf-8" {
		t.Fatal(name, err)
	}
	viaDecoder, _, _ := transform.Bytes(unicode.UTF8.NewDecoder(), page)
	want, _ := html.Parse(bytes.NewReader(viaDecoder))
	var a, b bytes.Buffer
	html.Render(&a, doc)
	html.Render(&b, want)
	if a.String() != b.String() {
		t.Fatalf("tree differs:\n%s\n%s", a.String(), b.String())
	}
	cut := append([]byte("<html><body><p>café 東"), "京"[:2]...)
	doc, _, err = decodeHTML(cut, "text/html; charset=utf-8")
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(doc); !strings.HasSuffix(got, "東\uFFFD") {
		t.Fatalf("cut rune: got %q, want the decoder's U+FFFD at the end", got)
	}
}
