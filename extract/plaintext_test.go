package extract

import "testing"

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
