package extract

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// Tests for the defect classes of issue 14, each on a small page written to
// show the class. Every one failed before its fix.

func extractMeta(t *testing.T, page, url string) Article {
	t.Helper()
	a, err := New(Options{SkipBody: true}).Extract(Page{HTML: []byte(page), URL: url, CaptureDate: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// checkAuthors extracts a page's authors, failing the test with where they
// came from when they differ from want (nil: no author).
func checkAuthors(t *testing.T, name, page, url string, want []string) {
	t.Helper()
	a := extractMeta(t, page, url)
	if !slices.Equal(a.Authors, want) {
		if name != "" {
			name += ": "
		}
		t.Errorf("%sauthors %q (from %s), want %q", name, a.Authors, a.Sources["authors"], want)
	}
}

// A time without zone from one tag while another tag gives the same wall
// time with its offset: the offset is kept.
func TestPublishedKeepsOffsetOfSameWallTime(t *testing.T) {
	page := `<html><head><title>T</title>
	<meta name="pubdate" content="2023-04-05T09:30:00">
	</head><body><article><h1>T</h1>
	<p class="byline"><time datetime="2023-04-05T09:30:00+02:00">5 April 2023</time></p><p>Text.</p></article></body></html>`
	a := extractMeta(t, page, "https://ex.org/2023/04/05/story")
	if a.Published != "2023-04-05T09:30:00+02:00" {
		t.Errorf("published %q (from %s), want the wall time with its +02:00", a.Published, a.Sources["published"])
	}
}

// UTC in one tag, the same instant in the page's offset in another: the
// local form is kept (its day is the one the page shows).
func TestPublishedPrefersLocalOffsetOfSameInstant(t *testing.T) {
	page := `<html><head><title>T</title>
	<meta property="article:published_time" content="2019-12-09T23:30:00Z">
	</head><body><article><h1>T</h1>
	<p><time datetime="2019-12-10T00:30:00+01:00">10.12.2019</time></p><p>Text.</p></article></body></html>`
	a := extractMeta(t, page, "https://ex.org/story")
	if a.Published != "2019-12-10T00:30:00+01:00" {
		t.Errorf("published %q (from %s)", a.Published, a.Sources["published"])
	}
}

// A modification date taken as the publication (here og:updated_time, which
// some CMSs also write as the only "published" meta, and go-htmldate) loses
// when datePublished, the URL and the byline agree on an earlier day.
func TestPublishedNotTheModifiedDate(t *testing.T) {
	page := `<html><head><title>T</title>
	<meta name="last-modified" content="2022-03-09T10:00:00+01:00">
	<meta property="og:updated_time" content="2022-03-09T10:00:00+01:00">
	<script type="application/ld+json">{"@type":"NewsArticle","headline":"T","datePublished":"2022-03-01T08:00:00+01:00","dateModified":"2022-03-09T10:00:00+01:00"}</script>
	</head><body><article><h1>T</h1>
	<p class="byline">1 March 2022</p><p>Text.</p></article></body></html>`
	a := New(Options{SkipBody: true, Precedence: map[string][]string{
		// The order that put the modification first: the meta vocabulary before JSON-LD.
		"published": {KindMeta, KindOpenGraph, KindJSONLD, KindURL, KindHTMLDate},
		"modified":  {KindJSONLD, KindMeta},
	}})
	got, err := a.Extract(Page{HTML: []byte(page), URL: "https://ex.org/2022/03/01/story", CaptureDate: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got.Published, "2022-03-01") {
		t.Errorf("published %q (from %s), want 2022-03-01", got.Published, got.Sources["published"])
	}
}

// go-htmldate picks a date of an event quoted in the text (its free-text
// search found it, no markup names it) while JSON-LD and the byline's <time>
// agree on another day: the agreed day wins. The pick is the one precedence
// made before (go-htmldate ranks above the metadata vocabularies).
func TestPublishedNotAQuotedEventDate(t *testing.T) {
	e := New(Options{})
	st := &state{cands: map[string][]Candidate{"published": {
		{Kind: KindJSONLD, Value: "2021-06-14", Source: "json-ld NewsArticle.datePublished"},
		{Kind: KindHTML, Value: "2021-06-14T08:00:00+02:00", Source: "/html/body/article/div/time/@datetime"},
		{Kind: KindHTMLDate, Value: "2011-03-03", Source: "go-htmldate On 3 March 2011, the bridge opened"},
	}}}
	pick, _ := e.pick("published", st.cands["published"])
	if pick.Kind != KindHTMLDate {
		t.Fatalf("precedence picked %s; the test wants go-htmldate's pick to overrule", pick.Kind)
	}
	got := e.choosePublished(st, pick)
	if got.Value != "2021-06-14T08:00:00+02:00" {
		t.Errorf("published %q from %s", got.Value, got.Source)
	}
	// A day only go-htmldate gives, with nothing agreeing elsewhere, stays.
	st.cands["published"] = st.cands["published"][2:]
	if got := e.choosePublished(st, st.cands["published"][0]); got.Value != "2011-03-03" {
		t.Errorf("lone go-htmldate day replaced by %q", got.Value)
	}
}

// JSON-LD author.name given as an array keeps every name.
func TestJSONLDAuthorNameArray(t *testing.T) {
	page := `<html><head><script type="application/ld+json">{"@type":"NewsArticle","headline":"H",
	"author":{"@type":"Person","name":["Jane Doe","John Roe"]}}</script></head><body><h1>H</h1></body></html>`
	a := extractMeta(t, page, "https://ex.org/h")
	if got := strings.Join(a.Authors, "; "); got != "Jane Doe; John Roe" {
		t.Errorf("authors %q", got)
	}
}

// An HTML entity inside a JSON-LD string is decoded before lists are split
// at ";".
func TestJSONLDEntityNotSplit(t *testing.T) {
	page := `<html><head><script type="application/ld+json">{"@type":"NewsArticle","headline":"H",
	"author":[{"@type":"Person","name":"Daniel O&#039;Mahony"},{"@type":"Person","name":"Redacci&oacute;n Diario"}]}</script></head><body><h1>H</h1></body></html>`
	a := extractMeta(t, page, "https://ex.org/h")
	if got := strings.Join(a.Authors, "; "); got != "Daniel O'Mahony; Redacción Diario" {
		t.Errorf("authors %q", got)
	}
}

// An organisation as JSON-LD author gives way to the person the byline names.
func TestAuthorOrganisationGivesWayToPerson(t *testing.T) {
	page := `<html><head><script type="application/ld+json">{"@type":"NewsArticle","headline":"H",
	"author":{"@type":"NewsMediaOrganization","name":"Daily Planet Newsroom"}}</script></head>
	<body><article><h1>H</h1><p class="byline">By Lois Lane</p><p>Text.</p></article></body></html>`
	a := extractMeta(t, page, "https://ex.org/h")
	if got := strings.Join(a.Authors, "; "); got != "Lois Lane" {
		t.Errorf("authors %q (from %s)", got, a.Sources["authors"])
	}
}

// A headline running into an inline element gets no stray space.
func TestTitleNoSpaceBeforeInline(t *testing.T) {
	page := `<html><head><title>Why <Brand>'s sales fell | Ex</title><meta property="og:site_name" content="Ex"></head>
	<body><article><h1>Why <i>Brand</i>'s sales fell</h1><p>Text.</p></article></body></html>`
	a := extractMeta(t, page, "https://ex.org/h")
	if a.Title != "Why Brand's sales fell" {
		t.Errorf("title %q", a.Title)
	}
}

// A photo credit in a figure caption is not a byline.
func TestAuthorNotFromFigureCaption(t *testing.T) {
	page := `<html><head><title>H</title></head><body><article><h1>H</h1>
	<figure><img src="a.jpg"><figcaption>The bridge. <span class="author">Max Muster</span></figcaption></figure>
	<p class="byline">By Erika Beispiel</p><p>Text.</p></article></body></html>`
	a := extractMeta(t, page, "https://ex.org/h")
	if got := strings.Join(a.Authors, "; "); got != "Erika Beispiel" {
		t.Errorf("authors %q (from %s)", got, a.Sources["authors"])
	}
}

func TestCleanName(t *testing.T) {
	sites := []string{"PhillyVoice", "phillyvoice.com"}
	for in, want := range map[string]string{
		"Post author By Helge Fahrnberger": "Helge Fahrnberger",
		"~ Cem Basman":                     "Cem Basman",
		"Senior Editor":                    "",
		"March":                            "",
		"Jane Doe Published":               "Jane Doe",
		"Jane Doe Posted 3 March 2020":     "Jane Doe",
		"Isabella.DiBiase am Samstag":      "Isabella.DiBiase",
		"Adam Aaronson PhillyVoice":        "Adam Aaronson",
		"Theresa May":                      "Theresa May",
		"Jan Koch":                         "Jan Koch",
		"Mohamed El Said":                  "Mohamed El Said",
		"All Rights Reserved":              "",
		"Alle Rechte vorbehalten.":         "",
		"Example KG - all rights reserved": "Example KG",
		"Copyright Jane Doe":               "Jane Doe",
		"© Jane Doe":                       "Jane Doe",
		"Uppdaterad":                       "",
		"Jane Doe Uppdaterad 3 mars":       "Jane Doe",
		"Jane Doe Actualizado":             "Jane Doe",
	} {
		got := cleanName(in, sites)
		if got != want {
			t.Errorf("cleanName(%q) = %q, want %q", in, got, want)
		}
	}
}

// A CMS meta field running the name together loses to JSON-LD's spacing of
// the same letters, whichever ranks first.
func TestAuthorSpacingFromAnotherSource(t *testing.T) {
	page := `<html><head><meta name="author" content="HansEhrlich">
	<script type="application/ld+json">{"@type":"WebPage","author":{"@type":"Person","name":"Hans Ehrlich"}}</script>
	</head><body><h1>H</h1></body></html>`
	e := New(Options{SkipBody: true, Precedence: map[string][]string{"authors": {KindMeta, KindJSONLD}}})
	a, err := e.Extract(Page{HTML: []byte(page), URL: "https://ex.org/h"})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(a.Authors, "; "); got != "Hans Ehrlich" {
		t.Errorf("authors %q", got)
	}
}

// A section name in an <h1> (confirmed by the <title>, which names the
// section between headline and site) is not the headline: its only link
// leads to the folder above the page.
func TestTitleNotSectionH1(t *testing.T) {
	page := `<html><head><title>Rat beschließt neuen Haushalt - Politik - Stadtblatt</title><meta property="og:site_name" content="Stadtblatt">
	</head>
	<body><div class="ressort"><h1><a href="/politik/">Politik</a></h1></div>
	<article><h2>Rat beschließt neuen Haushalt</h2><p>Text.</p></article></body></html>`
	a := extractMeta(t, page, "https://stadtblatt.example/politik/rat-beschliesst-haushalt")
	if !strings.HasPrefix(a.Title, "Rat beschließt neuen Haushalt") {
		t.Errorf("title %q from %s: the section's heading", a.Title, a.Sources["title"])
	}
}

// A "Related:" heading, classed as a headline by the template, is not the
// article's headline.
func TestTitleNotRelatedHeading(t *testing.T) {
	page := `<html><head><title>Council approves the budget</title></head>
	<body><article><p>Text.</p></article><div><h2 class="headline">Related:</h2><ul><li><a href="/x">X</a></li></ul></div></body></html>`
	a := extractMeta(t, page, "https://ex.org/story")
	if a.Title != "Council approves the budget" {
		t.Errorf("title %q from %s", a.Title, a.Sources["title"])
	}
}

// og:title is a social headline; the page's single visible <h1> is the
// article's headline, as the JSON-LD headline confirms.
func TestTitleSingleH1OverSocialHeadline(t *testing.T) {
	page := `<html><head><title>You won't believe what the council did</title>
	<meta property="og:title" content="You won't believe what the council did">
	<script type="application/ld+json">{"@type":"NewsArticle","headline":"Council approves the 2024 budget"}</script></head>
	<body><article><h1>Council approves the 2024 budget</h1><p>Text.</p></article></body></html>`
	a := extractMeta(t, page, "https://ex.org/story")
	if a.Title != "Council approves the 2024 budget" {
		t.Errorf("title %q from %s", a.Title, a.Sources["title"])
	}
}

func bodyCand(name string, paras ...string) bodyCandidate {
	c := bodyCandidate{name: name, paras: paras}
	for _, p := range paras {
		c.runes += len([]rune(p))
	}
	return c
}

// The fallback comparison swapped the article for a reader comment or a
// list of other posts when the other extractor's text was longer. A
// fallback now replaces go-trafilatura's text only when it contains it, and
// never when it is mostly the texts of the page's links.
func TestFallbackDoesNotSwapForCommentsOrLinkLists(t *testing.T) {
	article := bodyCand("go-trafilatura",
		strings.Repeat("The council approved the budget on Tuesday after a long debate about schools. ", 4),
		strings.Repeat("The vote was 7 to 2, with two members absent and one abstention recorded. ", 4))
	comment := bodyCand("go-readability",
		strings.Repeat("I have lived in this town for forty years and I have never seen such waste. ", 12),
		strings.Repeat("Reply from another reader who agrees and adds a long story of their own. ", 12))
	links := bodyCand("go-domdistiller",
		"Ten things to do in the city this weekend with children",
		"Police report a quiet night after the festival ended early",
		"Opinion: why the new bridge is a mistake for the old town",
		strings.Repeat("x", 10))
	ev := pageEvidence{linkTexts: map[string]bool{}}
	for _, p := range links.paras[:3] {
		ev.linkTexts[norm(p)] = true
	}
	if ok, why := ev.replaces(article, comment); ok {
		t.Error("a longer reader comment replaced the article")
	} else if !strings.Contains(why, "another region") {
		t.Errorf("comment rejected for %q", why)
	}
	if ok, _ := ev.replaces(article, links); ok {
		t.Error("a list of other posts replaced the article")
	}
	longer := bodyCand("go-readability", append([]string{strings.Repeat("A standfirst and more context that go-trafilatura missed. ", 16)}, article.paras...)...)
	// A short, doubtful go-trafilatura result (a dateline, a consent line)
	// gives way to a longer text elsewhere on the page.
	short := bodyCand("go-trafilatura", "Written: 2023-11-07 15:03", "This website uses cookies.")
	if ok, why := ev.replaces(short, comment); !ok {
		t.Errorf("a short result was kept: %s", why)
	}
	// Beside a short result the overlap test does not apply (there is
	// little to contain): the link share alone keeps a list of other
	// posts out, however much longer than the result it is.
	if ok, why := ev.replaces(short, links); ok {
		t.Error("a list of other posts replaced a short result")
	} else if !strings.Contains(why, "link texts") {
		t.Errorf("list of posts rejected for %q", why)
	}
	if ok, why := ev.replaces(article, longer); !ok {
		t.Errorf("a longer text containing the article was refused: %s", why)
	}
}

// A body starts without the headline repeated.
func TestBodyDoesNotRepeatHeadline(t *testing.T) {
	page := `<html><head><title>Council approves budget | Ex</title><meta property="og:site_name" content="Ex"></head><body>
	<article><h1>Council approves budget</h1>
	<p>The council approved the budget on Tuesday after a long debate about schools and roads in the city.</p>
	<p>The vote was 7 to 2, with two members absent and one abstention recorded by the clerk of the council.</p>
	<p>The mayor said the money would go to the new school first, and to the roads in the old town after that.</p>
	</article></body></html>`
	a, err := New(DefaultOptions()).Extract(Page{HTML: []byte(page), URL: "https://ex.org/budget"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(a.Body, "The council approved") {
		t.Errorf("body starts %.60q", a.Body)
	}
}

// FuzzAuthorNames runs the byline parsers: no panic, no empty name, no name
// carrying the list separators it was split at, and cleaning is idempotent.
func FuzzAuthorNames(f *testing.F) {
	for _, s := range []string{"By Jane Doe and John Roe", "Post author By Helge Fahrnberger", "Jane Doe Published 3 March 2020",
		"Redacci&oacute;n; Diario", "Senior Editor", "~ Cem Basman", "Doe, Jane", "Isabella.DiBiase am Samstag",
		"Bo2man", "Interview: Julia Lauter", "Artikel von Alexa von Heyden", "Peter Muster/SP-X", "Foto: Jane Doe",
		"Article by", "Autor/in: Korinna Muster", "Źródło: Statista.example", "so Artikel empfehlen:"} {
		f.Add(s, "Example News")
	}
	f.Fuzz(func(t *testing.T, s, site string) {
		for _, n := range cleanNames(splitAuthors(s), []string{site}) {
			if strings.TrimSpace(n) == "" || strings.Contains(n, ";") {
				t.Fatalf("name %q from %q", n, s)
			}
			if again := cleanName(n, []string{site}); again != n && again != "" {
				t.Fatalf("cleanName not idempotent: %q → %q", n, again)
			}
		}
	})
}

// FuzzParseDate checks that whatever parses renders as a date that parses
// back to the same instant and precision.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2024-03-05T09:30:00+01:00", "Tue, 05 Mar 2024 09:30:00 GMT", "05.03.2024", "20240305", "1709631000", "2024-03-05 09:30", "20200924T15:04:34Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := parseDate(s)
		if !ok {
			return
		}
		back, ok := parseDate(d.String())
		if !ok || back.String() != d.String() {
			t.Fatalf("%q → %q → %q (%v)", s, d.String(), back.String(), ok)
		}
	})
}
