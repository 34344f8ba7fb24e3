package extract

import (
	"slices"
	"strings"
	"testing"
)

// authorPage builds a page whose head and byline are given; the JSON-LD
// block is left out when ld is empty.
func authorPage(head, ld, byline string) string {
	if ld != "" {
		head += `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Story of the day","author":` + ld + `}</script>`
	}
	return `<html><head><title>Story of the day</title>` + head + `</head>
	<body><article><h1>Story of the day</h1>` + byline + `<p>` + longText + `</p></article></body></html>`
}

// The author is the one more independent sources name: the head's tags,
// the structured data and the visible byline are written apart, so a name
// two of them agree on beats one that only the first-ranked source gives,
// whichever kind that is. With equal support, precedence decides.
func TestAuthorChoiceByAgreement(t *testing.T) {
	const account = `{"@type":"Person","name":"Karla Account"}`
	for _, tc := range []struct {
		name, head, ld, byline string
		want                   []string
	}{
		{"an OpenGraph author alone loses to meta and byline agreeing",
			`<meta property="article:author" content="Karla Account"><meta name="author" content="Jane Muster">`, ``,
			`<div class="byline">By Jane Muster</div>`, []string{"Jane Muster"}},
		{"a JSON-LD account alone loses to meta and byline agreeing",
			`<meta name="author" content="Jane Muster">`, account,
			`<div class="byline">By Jane Muster</div>`, []string{"Jane Muster"}},
		{"agreement read past case, accents and word order",
			`<meta name="author" content="Jane Muster">`, account,
			`<div class="byline">By JANE MÜSTER</div>`, []string{"Jane Muster"}},
		{"one source against one: precedence",
			``, account,
			`<div class="byline">By Jane Muster</div>`, []string{"Karla Account"}},
		{"meta against byline alone: precedence",
			`<meta name="author" content="Jane Muster">`, ``,
			`<div class="byline">By Nils Beispiel</div>`, []string{"Jane Muster"}},
		{"two sources of one kind are one witness",
			`<meta property="article:author" content="Karla Account"><meta name="author" content="Jane Muster"><meta name="dc.creator" content="Jane Muster">`, ``,
			``, []string{"Karla Account"}},
		{"the first-ranked source shares a person with the byline: co-authors added",
			`<meta name="author" content="Karla Account, Jane Muster">`, account,
			`<div class="byline">By Karla Account and Jane Muster</div>`, []string{"Karla Account", "Jane Muster"}},
	} {
		a := extractMeta(t, authorPage(tc.head, tc.ld, tc.byline), "https://www.ex.org/story")
		if !slices.Equal(a.Authors, tc.want) {
			t.Errorf("%s: authors %q (from %s), want %q", tc.name, a.Authors, a.Sources["authors"], tc.want)
		}
	}
}

// --explain says why a candidate lost to agreement, and why one that
// agreed no more than the chosen one lost to precedence.
func TestExplainAuthorAgreement(t *testing.T) {
	page := authorPage(`<meta name="author" content="Jane Muster">`, `{"@type":"Person","name":"Karla Account"}`,
		`<div class="byline">By Jane Muster</div>`)
	a := sameAsNormal(t, Options{SkipBody: true}, Page{HTML: []byte(page), URL: "https://www.ex.org/story"})
	if !slices.Equal(a.Authors, []string{"Jane Muster"}) {
		t.Fatalf("authors %q, want [Jane Muster]", a.Authors)
	}
	x, _ := New(Options{SkipBody: true, Explain: true}).Extract(Page{HTML: []byte(page), URL: "https://www.ex.org/story"})
	why := map[string]string{}
	for _, c := range x.Explain["authors"] {
		if c.Chosen {
			why[c.Kind] = "chosen"
		} else {
			why[c.Kind] = c.Why
		}
	}
	if why[KindMeta] != "chosen" {
		t.Errorf("meta author not chosen: %q", why)
	}
	if !strings.Contains(why[KindJSONLD], "named by 1 of the page's independent author sources") || !strings.Contains(why[KindJSONLD], "the chosen value by 2") {
		t.Errorf("JSON-LD's reason %q: want the counts of sources naming it and the chosen value", why[KindJSONLD])
	}
	if !strings.Contains(why[KindByline], "byline ranks below meta, and no more independent author sources") {
		t.Errorf("byline's reason %q: want precedence among equally supported values", why[KindByline])
	}
}

// A name is spelt as the page shows it when the visible text writes it in
// another case only ("JANE MUSTER" in the byline, "Jane Muster" in the
// structured data); not when the text also writes it as given, writes it
// lower-cased (a handle's or a link's spelling), or only in navigation.
func TestAuthorSpeltAsWritten(t *testing.T) {
	const ld = `{"@type":"Person","name":"Jane Muster"}`
	for _, tc := range []struct {
		name, body string
		want       string
	}{
		{"byline in capitals", `<div class="byline">By JANE MUSTER</div>`, "JANE MUSTER"},
		{"capitals in a sentence-free block", `<p>Text: JANE MUSTER</p>`, "JANE MUSTER"},
		{"also written as given", `<div class="byline">By JANE MUSTER</div><p class="bio">Jane Muster writes on science.</p>`, "Jane Muster"},
		{"lower-cased elsewhere", `<div class="byline">By JANE MUSTER</div><p>Follow jane muster on the site.</p>`, "Jane Muster"},
		{"only in navigation", `<nav><a href="/a/jm">JANE MUSTER</a></nav>`, "Jane Muster"},
		{"two other spellings", `<p>JANE MUSTER</p><p>Jane MUSTER</p>`, "Jane Muster"},
		{"part of a longer word", `<p>JANE MUSTERMANN</p>`, "Jane Muster"},
	} {
		a := extractMeta(t, authorPage(``, ld, tc.body), "https://www.ex.org/story")
		if !slices.Equal(a.Authors, []string{tc.want}) {
			t.Errorf("%s: authors %q, want [%s]", tc.name, a.Authors, tc.want)
		}
	}
}
