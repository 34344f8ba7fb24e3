package extract

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// FuzzPageCase feeds arbitrary CSS to the style-sheet reader, as a <style>
// element and as a style attribute: it must not panic, must give a known
// value for every element, and a later !important rule of an id selector
// the fuzzed sheet cannot outrank must win.
func FuzzPageCase(f *testing.F) {
	for _, s := range []string{
		`.by{text-transform:uppercase}`,
		`@media print{.by{text-transform:uppercase}} .by{text-transform:none}`,
		`@media screen and (min-width: 768px){@supports (display:grid){.by{text-transform:capitalize !important}}}`,
		`/* x */ .by{/*a*/text-transform:/*b*/uppercase} /* unterminated`,
		`.q::after{content:"}"} .by, .a::-moz-selection{text-transform:uppercase}`,
		`.by{color:red; & .q{text-transform:none} text-transform:lowercase}`,
		`@font-face{src:url("a}b")} @import "x.css"; .by{text-transform:inherit}`,
		`<!-- .by{text-transform:uppercase} -->`,
		`[data-x="{"] .by{text-transform:uppercase`,
		`.by{text-transform:var(--t)} .by:hover{text-transform:uppercase} .by:has(a){text-transform:uppercase}`,
		`@media (width >= 600px) or (orientation: portrait){p{text-transform:full-width uppercase}}`,
	} {
		f.Add(s, "text-transform: uppercase")
	}
	f.Fuzz(func(t *testing.T, css, style string) {
		if len(css) > 1<<16 || len(style) > 1<<12 {
			return
		}
		page := `<html><head><style>` + css + `</style><style>#x{text-transform:lowercase!important}</style></head><body><div class="meta" style="` +
			html.EscapeString(style) + `"><p class=by><span id=x>Bob Fischer</span><a>Jane Doe</a></p></div></body></html>`
		doc, err := html.Parse(strings.NewReader(page))
		if err != nil {
			return
		}
		pc := readPageCase(doc)
		if len(pc.decls) > maxCaseRules {
			t.Fatalf("%d rules kept, bound %d", len(pc.decls), maxCaseRules)
		}
		var walk func(*html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode {
				c := pc.of(n)
				if c > caseCapitalize {
					t.Fatalf("value %d out of range", c)
				}
				_ = c.render("Bob Fischer")
				if attr(n, "id") == "x" && c != caseLower && !strings.Contains(css, "important") && !strings.Contains(css, "<") {
					t.Fatalf("the later !important rule lost: %d", c)
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
		for _, q := range strings.Split(css, "{") {
			_ = mediaApplies(q)
		}
	})
}

// BenchmarkPageCase measures what RenderedCase costs on the first 100
// pages of the trafilatura set: the byte check on every page, then, on
// the pages that name text-transform, reading their CSS and computing the
// case of every element that holds text (far more than the few elements
// a page's authors and title ask about).
func BenchmarkPageCase(b *testing.B) {
	pages := evalPages(b, benchPages)
	ex := New(DefaultOptions())
	docs := make([]*html.Node, len(pages))
	for i, p := range pages {
		st, err := ex.prepare(p)
		if err != nil {
			b.Fatal(err)
		}
		docs[i] = st.doc
	}
	read, spent := 0, 0
	b.ResetTimer()
	for b.Loop() {
		read, spent = 0, 0
		for i, p := range pages {
			if !mayTransform(p.HTML) {
				continue
			}
			read++
			pc := readPageCase(docs[i])
			for _, t := range appendTexts(nil, docs[i]) {
				pc.of(t.n)
			}
			if pc.work <= 0 {
				spent++
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N*len(pages)), "ms/page")
	b.ReportMetric(float64(read), "pages-with-css-read")
	b.ReportMetric(float64(spent), "pages-over-budget")
}
