package extract

import (
	"runtime"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// articleText is a few paragraphs of an article, long enough for
// go-trafilatura to take the container holding them.
var articleText = []string{
	"The council approved the budget for next year after a debate that lasted well into the night, with most members backing the plan for new school buildings.",
	"Opponents said the spending on roads was too low and that the money set aside for the harbour would not cover the repairs the engineers had asked for last spring.",
	"The mayor said the plan balanced the needs of every district and promised a review of the harbour works once the first contracts have been signed in the summer.",
	"Residents will be able to comment on the detailed figures at three public meetings in the town hall, the first of them on the second Monday of next month.",
}

func paragraphsHTML(ps []string) string {
	var sb strings.Builder
	for _, p := range ps {
		sb.WriteString("<p>" + p + "</p>\n")
	}
	return sb.String()
}

func extractBody(t *testing.T, page, url string) Article {
	t.Helper()
	a, err := New(DefaultOptions()).Extract(Page{HTML: []byte(page), URL: url})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// go-trafilatura keeps the container it chose whole, so the author's box
// and an app prompt set after the article (but inside that container) end
// the body. The article element (the lowest element holding most of the
// body's text) ends where its last paragraph does.
func TestBodyEndsWithTheArticleElement(t *testing.T) {
	const contact = "Your contact person for this topic at the association"
	const phone = "Jane Doe, telephone +49 40 123456 and by mail at the office"
	page := `<html><head><title>Council approves budget</title></head><body>
	<div><div><h1>Council approves budget</h1>` + paragraphsHTML(articleText) + `</div>
	<div><h2>` + contact + `</h2><p>` + phone + `</p></div>
	</div></body></html>`
	a := extractBody(t, page, "https://news.example/2024/05/01/council-approves-budget")
	for _, p := range articleText {
		if !strings.Contains(a.Body, p) {
			t.Errorf("body lost %.40q…", p)
		}
	}
	for _, p := range []string{contact, phone} {
		if strings.Contains(a.Body, p) {
			t.Errorf("body keeps %.40q… after the article", p)
		}
	}
	if !strings.Contains(a.Sources["body"], "after the article element /html/body/div/div[1]") {
		t.Errorf("sources[body] = %q, want it to say what was left out", a.Sources["body"])
	}
}

// A paragraph after the article element's last one that is not found on
// the page as a block of its own (an extractor's joined text) stays: only
// a paragraph placed outside the article ends it.
func TestArticleEndKeepsUnplacedParagraphs(t *testing.T) {
	page := `<html><body><div><div class="entry">` + paragraphsHTML(articleText) + `</div><div class="bio"><p>` +
		articleText[0] + `</p></div></div></body></html>`
	doc := mustParse(t, page)
	blocks := pageBlocks(doc)
	paras := append(append([]string{}, articleText...), "A short line.", "Something joined from two blocks that the page never shows as one paragraph.")
	pos := mapParas(paras, blocks)
	if end, _ := articleEnd(paras, pos, blocks); end != len(paras) {
		t.Errorf("articleEnd = %d of %d (positions %v), want every paragraph kept", end, len(paras), pos)
	}
	paras = append(paras, articleText[0]) // now placed: inside .bio, the page's last block
	pos = mapParas(paras, blocks)
	if end, art := articleEnd(paras, pos, blocks); end != len(paras)-1 || art == nil || attr(art, "class") != "entry" {
		t.Errorf("articleEnd = %d of %d, %v (positions %v): want the last paragraph left out, article .entry", end, len(paras), art, pos)
	}
}

// Inside the article container a paragraph that is only a link to another
// article, whose URL spells the link's text, is a teaser: it is left out.
// A link to a page whose URL does not spell its text, or a sentence with a
// link in it, stays.
func TestBodyDropsTeaserLinks(t *testing.T) {
	const teaser = "Harbour repairs will cost twice the estimate"
	const source = "The full budget document is published here"
	page := `<html><head><title>Council approves budget</title></head><body><article><h1>Council approves budget</h1>
	<p>` + articleText[0] + `</p><p>` + articleText[1] + `</p>
	<p><a href="/2024/04/12/harbour-repairs-will-cost-twice-the-estimate/">` + teaser + `</a></p>
	<p>` + articleText[2] + `</p>
	<p><a href="/files/b2024-final.pdf">` + source + `</a></p>
	<p>` + articleText[3] + `</p></article></body></html>`
	a := extractBody(t, page, "https://news.example/2024/05/01/council-approves-budget")
	if strings.Contains(a.Body, teaser) {
		t.Errorf("body keeps the teaser %q", teaser)
	}
	for _, p := range append([]string{source}, articleText...) {
		if !strings.Contains(a.Body, p) {
			t.Errorf("body lost %.40q…", p)
		}
	}
}

func TestTeaserLink(t *testing.T) {
	base := mustURL(t, "https://news.example/2024/05/01/council-approves-budget")
	for _, c := range []struct {
		href, text string
		want       bool
	}{
		{"/2024/04/12/harbour-repairs-will-cost-twice-the-estimate/", "Harbour repairs will cost twice the estimate", true},
		{"https://other.example/politik/neue-regeln-fuer-den-hafen-123456.html", "Neue Regeln für den Hafen", true},
		{"#comments", "Harbour repairs will cost twice", false},
		{"/2024/05/01/council-approves-budget#top", "Council approves budget", false}, // this page
		{"/files/b2024-final.pdf", "The full budget document", false},
		{"mailto:harbour-repairs@news.example", "harbour repairs", false},
		{"/tag/harbour/", "Harbour", false}, // one word
	} {
		doc := mustParse(t, `<a href="`+c.href+`">`+c.text+`</a>`)
		var a *html.Node
		walkElements(doc, func(n *html.Node) bool {
			if n.Data == "a" {
				a = n
			}
			return true
		})
		if got := teaserLink(a, c.text, base); got != c.want {
			t.Errorf("teaserLink(%q, %q) = %v, want %v", c.href, c.text, got, c.want)
		}
	}
}

// BenchmarkBodyEdges is the cost of the structural steps after the body
// extractors (the page's blocks, the article's end, the teasers) on the
// first pages of the trafilatura set: to set beside
// BenchmarkStages/go-trafilatura.
func BenchmarkBodyEdges(b *testing.B) {
	pages := evalPages(b, benchPages)
	ex := New(DefaultOptions())
	type page struct {
		st    *state
		ev    pageEvidence // computed for the fallbacks' test anyway
		paras []string
	}
	var ps []page
	for _, p := range pages {
		st, err := ex.prepare(p)
		if err != nil {
			b.Fatal(err)
		}
		var a Article
		ex.body(&a, st, map[string]string{})
		ps = append(ps, page{st, st.evidence(), strings.Split(a.Body, "\n\n")})
	}
	runtime.GC()
	b.ResetTimer()
	cpu0 := cpuTime()
	n := 0
	for b.Loop() {
		for _, p := range ps {
			blocks := pageBlocks(p.st.doc)
			articleEnd(p.paras, mapParas(p.paras, blocks), blocks)
			p.ev.dropTeasers(p.paras)
			n++
		}
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(n), "cpu-ms/page")
}

// normText must read as norm(renderedText(…)) does: mapParas compares the
// two.
func TestNormText(t *testing.T) {
	doc := mustParse(t, `<div>Ünïcode <b>BOLD</b>, digits 42 <script>x()</script><span>İstanbul ǅ</span> — end.<style>p{}</style></div>`)
	if got, want := normText(doc), norm(renderedText(doc)); got != want {
		t.Errorf("normText = %q, norm(renderedText) = %q", got, want)
	}
}

// A line at the end of the body that is a link's whole text (the comments
// link, a "more" link, which go-trafilatura keeps when it is not in an
// element of its own) is left out; a last paragraph holding a link among
// its own words stays.
func TestBodyDropsTrailingLinkLines(t *testing.T) {
	const last = `Residents can read the figures <a href="/budget.pdf">in the full budget</a> before the meetings begin.`
	page := `<html><head><title>Council approves budget</title></head><body>
	<div><h1>Council approves budget</h1>` + paragraphsHTML(articleText) + `<p>` + last + `</p>
	<a href="#comments">View Comments</a>
	</div></body></html>`
	a := extractBody(t, page, "https://news.example/2024/05/01/council-approves-budget")
	for _, p := range articleText {
		if !strings.Contains(a.Body, p) {
			t.Errorf("body lost %.40q…", p)
		}
	}
	if !strings.HasSuffix(a.Body, "before the meetings begin.") {
		t.Errorf("body ends %q, want the article's last sentence", a.Body[max(0, len(a.Body)-80):])
	}
	if !strings.Contains(a.Sources["body"], "lines at the end that are a link's whole text left out: 1") {
		t.Errorf("sources[body] = %q, want it to say what was left out", a.Sources["body"])
	}
}
