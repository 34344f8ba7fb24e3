package extract

import (
	"slices"
	"strings"
	"testing"
)

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

// A page known by no host (saved without its address) still has a site:
// the one its canonical link names, or the one most of its links open.
// The site's own menu links ("Forgot Password" opening /forgot_password/)
// are then no profile elsewhere; a link to a person's page on another
// site still is.
func TestAuthorSiteLinksOnAPageWithoutHost(t *testing.T) {
	menu := `<header><ul><li><a href="https://www.planet.example/news/">News</a></li>` +
		`<li><a href="https://www.planet.example/sports/">Sports</a></li>` +
		`<li><a href="https://www.planet.example/forgot_password/">Forgot Password</a></li></ul></header>`
	for _, tc := range []struct {
		name, head, article string
		want                []string
	}{
		{"menu link, canonical names the site", `<link rel="canonical" href="https://www.planet.example/story">`, ``, nil},
		{"menu link, most links open the site", ``, ``, nil},
		{"profile on another site", ``, `<p class="who"><a href="https://social.example/in/jane-muster">Jane Muster</a></p>`, []string{"Jane Muster"}},
	} {
		page := `<html><head><title>Story of the day</title>` + tc.head + `</head><body>` + menu +
			`<main><article><h1>Story of the day</h1>` + tc.article + `<p>` + longText + `</p></article></main></body></html>`
		checkAuthors(t, tc.name, page, "saved::story.html", tc.want)
	}
}

// A link to an account page inside a sentence ("… or register a new
// account") names what it opens, not who wrote the page; the same link
// alone in the byline does name its user.
func TestAuthorProfileLinkInASentenceIsNoByline(t *testing.T) {
	for _, tc := range []struct {
		name, block string
		want        []string
	}{
		{"account link in a sentence", `<div class="notice">To submit a manuscript online or to check the status of a submission sent earlier, you must be registered with the journal and logged in to it. Log in to an existing account <a href="/login">Login</a> or create a new account <a href="/user/register">Registrieren</a>.</div>`, nil},
		{"user link alone", `<div class="meta"><a href="/user/marianne1">Marianne1</a></div>`, []string{"Marianne1"}},
	} {
		page := `<html><head><title>Submissions</title></head><body><main><article><h1>Submissions</h1>` + tc.block +
			`<p>` + longText + `</p></article></main></body></html>`
		checkAuthors(t, tc.name, page, "https://journal.example/about/submissions", tc.want)
	}
}

// A signature set flush right under the last paragraph names the writer,
// on a page without a headline and with footnotes after it; a name set
// flush right inside the text (a paragraph of its own before more text)
// or a right-aligned line that is no name does not.
func TestAuthorRightAlignedSignature(t *testing.T) {
	para := `<p>` + strings.Repeat("Le marché du travail est-il trop rigide, demandent les économistes. ", 4) + `</p>`
	for _, tc := range []struct {
		name, body string
		want       []string
	}{
		{"align=right, footnotes after", para + para + `<p align="right"><em><font size="2">Denis Muster</font></em></p>
			<p><font size="2">(1) Ces chiffres sont collectés par l'OCDE.</font></p>
			<table><tr><td>Le marché du travail est-il trop rigide ?</td></tr></table>`, []string{"Denis Muster"}},
		{"inline style", para + `<div style="text-align: right">Jane Doe</div><p>(1) Note.</p>`, []string{"Jane Doe"}},
		{"right-aligned, no name", para + `<p align="right"><em>Mehr lesen</em></p><p>(1) Note.</p>`, nil},
		{"left, notes after", para + `<p><em>Denis Muster</em></p><p>(1) Ces chiffres sont collectés par l'OCDE.</p>`, nil},
	} {
		page := `<html><head><title>Travail</title></head><body><table><tr><td>` + tc.body + `</td></tr></table></body></html>`
		checkAuthors(t, tc.name, page, "https://www.planet.example/story.html", tc.want)
	}
}

// A letter or statement signed with the signer's name and role on two
// lines ("Jane Doe<br>Chairwoman"), after a closing greeting, names its
// writer, on a page without a headline too; a two-line block whose second
// line is a sentence is no signature.
func TestAuthorSignatureWithRole(t *testing.T) {
	para := `<p>` + strings.Repeat("Wir wünschen allen Gemeinden eine gesegnete Nacht und Frieden in der Welt. ", 4) + `</p>`
	for _, tc := range []struct {
		name, sig string
		want      []string
	}{
		{"name, role", `<p>Jane Doe<br> Bundesvorsitzende</p>`, []string{"Jane Doe"}},
		{"name, sentence", `<p>Jane Doe<br>Sie schreibt seit Jahren über Politik.</p>`, nil},
	} {
		page := `<html><head><title>Botschaft</title></head><body><div class="content">` + para + para +
			`<p>Möge die Nacht gesegnet sein.</p>` + tc.sig + `</div><div class="nav"></div></body></html>`
		checkAuthors(t, tc.name, page, "https://www.verband.example/detail.php?id=765", tc.want)
	}
}

// Where nothing is classed or labelled as a byline, the short name that
// shares a small box with the article's date under the headline names the
// writer; a topic's link beside the date, a name in a sentence that gives
// a date, and a name with no date beside it do not.
func TestAuthorNameBesideTheDate(t *testing.T) {
	body := `<p>` + strings.Repeat("Die Gemeinde plant den Umbau des Bahnhofs und lädt zur Versammlung ein. ", 4) + `</p>`
	for _, tc := range []struct {
		name, head string
		want       []string
	}{
		{"name, date", `<div class="meta"><span>Jane Muster</span> <span>12.03.2021</span></div>`, []string{"Jane Muster"}},
		{"name, time", `<div><p><em>Jane Muster</em></p><p><time datetime="2021-03-12">12. März</time></p></div>`, []string{"Jane Muster"}},
		{"topic link", `<div class="meta"><a href="/thema/solar-news/" rel="tag">Top Solar News</a> <span>12.03.2021</span></div>`, nil},
		{"sentence", `<p>Die Feier findet am 12.03.2021 im <a href="https://map.example/1">Cafe Hurricane</a> statt.</p>`, nil},
		{"no date", `<div class="meta"><span>Jane Muster</span> <span>Lokales</span></div>`, nil},
	} {
		page := `<html><head><title>Bahnhof wird umgebaut</title></head><body><div class="page"><h1>Bahnhof wird umgebaut</h1>` +
			tc.head + body + body + `</div></body></html>`
		checkAuthors(t, tc.name, page, "https://www.zeitung.example/lokales/bahnhof", tc.want)
	}
}
