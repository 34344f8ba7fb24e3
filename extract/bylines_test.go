package extract

import (
	"slices"
	"testing"
)

// checkAuthors extracts a page's authors, failing the test with where they
// came from when they differ from want (nil: no author).
func checkAuthors(t *testing.T, name, page, url string, want []string) {
	t.Helper()
	a := extractMeta(t, page, url)
	if !slices.Equal(a.Authors, want) {
		t.Errorf("%s: authors %q (from %s), want %q", name, a.Authors, a.Sources["authors"], want)
	}
}

// The closing credits (an agency's codes in parentheses, a "Quelle:"
// line) share one notion of closing the article's text: no paragraph of
// running text follows their block in its container. Short lines after it
// (a network's note, a picture credit) and text outside the article's
// container (a newsletter box after it) leave the credit closing the text.
func TestAuthorClosingCreditsCloseRunningText(t *testing.T) {
	const newsletter = `<div class="signup"><p>` + longText + `</p></div>`
	for _, tc := range []struct {
		name, article, after string
		want                 []string
	}{
		{"agency, short lines after", `<p>` + longText + ` (AFP)</p><p><em>Part of a network.</em></p><p>Picture: © Agency</p>`, ``, []string{"AFP"}},
		{"agency, newsletter after the article", `<p>` + longText + ` (AFP)</p>`, newsletter, []string{"AFP"}},
		{"agency, paragraph after", `<p>` + longText + ` (AFP)</p><p>` + longText + `</p>`, ``, nil},
		{"source, picture credit after", `<p>` + longText + `</p><p>Quelle: Musterpress</p><p>Picture: © Agency</p>`, ``, []string{"Musterpress"}},
		{"source, paragraph after", `<p>` + longText + `</p><p>Quelle: Musterpress</p><p>` + longText + `</p>`, ``, nil},
	} {
		page := `<html><head><title>Story of the day</title></head><body><main><article><h1>Story of the day</h1>` + tc.article +
			`</article>` + tc.after + `</main></body></html>`
		checkAuthors(t, tc.name, page, "https://www.planet.example/story", tc.want)
	}
}

// A byline label is no name: standing alone ("Article by", "Autor:"), a
// text ending in a colon (it introduces what follows), and the forms
// German writes for both genders ("Autor/in:", "Autor*in:", "AutorIn:")
// or a source's label ("Quelle:", "Źródło:") before the name.
func TestSplitAuthorsDropsLabels(t *testing.T) {
	for in, want := range map[string][]string{
		"Article by":                    nil,
		"Autor:":                        nil,
		"so Artikel empfehlen:":         nil,
		"Autor/in: Korinna Muster":      {"Korinna Muster"},
		"Autor*in: Korinna Muster":      {"Korinna Muster"},
		"AutorIn: Korinna Muster":       {"Korinna Muster"},
		"Autor:in Korinna Muster":       {"Korinna Muster"},
		"Authors: Jane Muster and Nils": {"Jane Muster", "Nils"},
		"Article by Jane Muster":        {"Jane Muster"},
		"Ein Artikel von Jane Muster":   {"Jane Muster"},
		"Źródło: Statista.example":      {"Statista.example"},
		"Quelle: hr/dpa":                {"hr/dpa"},
	} {
		if got := splitAuthors(in); !slices.Equal(got, want) {
			t.Errorf("splitAuthors(%q) = %q, want %q", in, got, want)
		}
	}
}

// An element classed as a byline that holds only its label ("Article
// by") gives way to the next one, which holds the name.
func TestAuthorClassedLabelThenName(t *testing.T) {
	page := `<html><head><title>Story of the day</title></head><body><article><h1>Story of the day</h1>
	<div><span class="article_author_single">Article by</span><br><span class="author_single">Jane Muster </span></div>
	<p>` + longText + `</p></article></body></html>`
	checkAuthors(t, "label, then name", page, "https://www.planet.example/story", []string{"Jane Muster"})
}

// An element classed as a byline inside a link that holds more than it
// (a teaser card of another article: its headline and writer) names that
// article's writer: the article's own byline, classed or labelled, stays.
func TestAuthorTeaserBylineIsNotTheArticles(t *testing.T) {
	teaser := `<div class="teaser"><a href="/other-story"><h3>Another story that is linked from this one</h3><div class="byline">Von Nils Beispiel</div></a></div>`
	for _, tc := range []struct {
		name, body string
		want       []string
	}{
		{"own labelled byline, teaser after", `<p>Von Jane Muster</p><p>` + longText + `</p>` + teaser, []string{"Jane Muster"}},
		{"own classed byline, teaser after", `<div class="byline">Von <a href="/autor/jane-muster">Jane Muster</a></div><p>` + longText + `</p>` + teaser, []string{"Jane Muster"}},
	} {
		page := `<html><head><title>Story of the day</title></head><body><main><article><h1>Story of the day</h1>` + tc.body + `</article></main></body></html>`
		checkAuthors(t, tc.name, page, "https://www.planet.example/story", tc.want)
	}
}

// A label the labelled-byline reader knows may stand in its own text, the
// name in the next one (a link): the both-gender German forms and "Article
// by" open a byline as "Autor:" and "By" do. Before, only "Autor(in)" did,
// and these pages gave no author.
func TestAuthorLabelAloneThenNameInLink(t *testing.T) {
	for _, label := range []string{"Autor/in:", "Autor*in:", "AutorIn:", "Autor:innen", "Article by", "Ein Artikel von"} {
		page := `<html><head><title>Story of the day</title></head><body><main><article><h1>Story of the day</h1>` +
			`<div><span>` + label + `</span> <a href="/team">Korinna Muster</a></div><p>` + longText + `</p>` +
			`</article></main></body></html>`
		checkAuthors(t, label, page, "https://www.planet.example/story", []string{"Korinna Muster"})
	}
}
