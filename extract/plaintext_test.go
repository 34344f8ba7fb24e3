package extract

import (
	"slices"
	"strings"
	"testing"
)

func TestPlainText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"<p>First line.</p><p><br></p><p>Second &amp; last.</p>", "First line. Second & last."},
		{`The boy was behind the wheel and<a class="excerpt-read-more" href="/x">Read More</a>`, "The boy was behind the wheel andRead More"},
		{"A <i>Brand</i>'s story", "A Brand's story"},
		{"<div>text<script>var x = 1;</script></div>", "text"},
		// Prose with brackets and entities but no tag of an HTML element is kept as is.
		{"a < b and c > d", "a < b and c > d"},
		{"x<y and 3<4", "x<y and 3<4"},
		{"Tom &amp; Jerry <3", "Tom &amp; Jerry <3"},
		{"use <foo> here", "use <foo> here"},
		{"", ""},
	} {
		if got := plainText(c.in); got != c.want {
			t.Errorf("plainText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestDescriptionMarkup: every source of the description gives text, not
// the HTML a CMS stored (together.ch, wsvn.com, mpimet.de in the
// trafilatura set carry such values).
func TestDescriptionMarkup(t *testing.T) {
	for _, c := range []struct{ name, head string }{
		{"og", `<meta property="og:description" content="&lt;p&gt;Firms &amp;amp; jobs in town.&lt;/p&gt;&lt;p&gt;&lt;br&gt;&lt;/p&gt;&lt;p&gt;Join us.&lt;/p&gt;">`},
		{"meta", `<meta name="description" content="&lt;p&gt;Firms &amp;amp; jobs in town.&lt;/p&gt;&lt;p&gt;Join us.&lt;/p&gt;">`},
		{"jsonld", `<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Firms","description":"<p>Firms &amp; jobs in town.</p>\n<p>Join us.</p>"}</script>`},
	} {
		page := `<!doctype html><html><head><title>Firms</title>` + c.head + `</head><body><article><h1>Firms</h1>` +
			`<p>A long body paragraph about the firms in town and the jobs they offer to graduates and young professionals.</p></article></body></html>`
		a, err := New(Options{}).Extract(Page{HTML: []byte(page), URL: "https://example.org/firms"})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if want := "Firms & jobs in town. Join us."; a.Description != want {
			t.Errorf("%s: description %q, want %q", c.name, a.Description, want)
		}
	}
}

// TestNoscriptMarkupNotBody: a page whose body go-trafilatura can only take
// whole (no <p>, no <article>) gave a <noscript>'s markup as body text.
func TestNoscriptMarkupNotBody(t *testing.T) {
	words := strings.Repeat("Tomatoes are cut with a sharp knife on a board, skin side down. ", 4)
	page := `<!doctype html><html><head><title>Cutting tomatoes</title></head><body>` +
		`<noscript><iframe src="https://tags.example/ns.html?id=GTM-1" height="0" width="0"></iframe></noscript>` +
		`<div>` + words + `</div><div>` + words + `</div></body></html>`
	a, err := New(Options{}).Extract(Page{HTML: []byte(page), URL: "https://example.org/tomatoes"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(a.Body, "<iframe") || strings.Contains(a.Body, "GTM-1") {
		t.Errorf("body holds the noscript markup: %q", a.Body)
	}
	if !strings.Contains(a.Body, "sharp knife") {
		t.Errorf("body lost the page's text: %q", a.Body)
	}
}

// TestAuthorMarkup: author names a CMS wrote as markup (links to the
// authors' profiles in JSON-LD's author.name, osw.waw.pl in the trafilatura
// set; a meta author holding a link) were split at the tags' commas and
// kept as 'a href="…">Jane Doe</a'.
func TestAuthorMarkup(t *testing.T) {
	body := `<body><article><h1>Talks resume</h1><p>Text.</p></article></body>`
	for _, c := range []struct {
		name, head string
		want       []string
	}{
		{"json-ld", `<script type="application/ld+json">{"@context":"https://schema.org","@type":"Article","headline":"Talks resume",` +
			`"author":{"@type":"Person","name":"<a href=\"/pl/eksperci/jan-kowalski\" hreflang=\"pl\">Jan Kowalski</a>, <a href=\"/pl/eksperci/anna-nowak\" hreflang=\"pl\">Anna Nowak</a>"}}</script>`,
			[]string{"Jan Kowalski", "Anna Nowak"}},
		{"meta", `<meta name="author" content="&lt;a href=&quot;/authors/jan-kowalski&quot;&gt;Jan Kowalski&lt;/a&gt;">`,
			[]string{"Jan Kowalski"}},
	} {
		page := `<html><head><title>Talks resume</title>` + c.head + `</head>` + body + `</html>`
		a := extractMeta(t, page, "https://news.example/2021/04/20/talks")
		if !slices.Equal(a.Authors, c.want) {
			t.Errorf("%s: authors %q from %s, want %q", c.name, a.Authors, a.Sources["authors"], c.want)
		}
	}
}
