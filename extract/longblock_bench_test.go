package extract

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// BenchmarkMetaLongBlock extracts the metadata of a page whose first block
// after the headline holds 20,000 short lines (split by <br>) of the shapes
// the byline readers look at. Each reader once walked the whole block per
// line (quadratic: 28-138 s a page, 76ad876, 817e19c, 3d251e5); linear, a
// page costs about a second or less. A reader that asks a block's text
// per text again shows here as a jump of 10x or more.
func BenchmarkMetaLongBlock(b *testing.B) {
	for _, tc := range []struct{ name, line string }{
		{"plain", "line of a very long list<br>"},
		{"agency-credit", "text (AFP)<br>"},
		{"source-credit", "Quelle: Jane<br>"},
		{"profile-link", "<a href=/author/jane>Jane Muster</a><br>"},
		{"name", "Jane wrote this line<br>"},
		{"signature", "Jane Muster<br>"}, // 30059d3/371b085's role line read per line: 37 s
	} {
		page := []byte(`<html><head><title>Story</title><script type="application/ld+json">{"@type":"NewsArticle","author":{"@type":"Person","name":"Jane Muster"}}</script>` +
			`<meta name="author" content="Jane"></head><body><h1>Story</h1><article><p>` + strings.Repeat(tc.line, 20000) + `</p></article></body></html>`)
		ex := New(Options{SkipBody: true})
		b.Run(tc.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := ex.Extract(Page{HTML: page, URL: "https://ex.org/a"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCopyrightManyCredits reads the rights lines of a page whose one
// block holds 20,000 picture credits after a picture that 20,000 empty
// elements precede: each credit is skipped, and once each walked those
// elements again (quadratic: 117 s a page); the block's tests are made
// once per element now.
func BenchmarkCopyrightManyCredits(b *testing.B) {
	doc := manyCreditsPage(b)
	for i := 0; i < b.N; i++ {
		copyrightHolder(doc, nil, "example.com")
	}
}

func manyCreditsPage(tb testing.TB) *html.Node {
	tb.Helper()
	page := "<body><div><img src=a.jpg>" + strings.Repeat("<b></b>", 20000) + "<div>" +
		strings.Repeat("© Jane Doe<br>", 20000) + "</div></div><p>The article's text goes on.</p>"
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		tb.Fatal(err)
	}
	return doc
}
