package extract

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// go-trafilatura collects a page's schema.org Persons by ranging over Go
// maps, so the names it returns came out in a different order from run to
// run (a haufe.de page flipped "Rudolf Haufe"/"Miron Schneckenberger"
// between two bench/records runs). The candidate lists them in the order the
// page writes them, every run.
func TestTrafilaturaAuthorsInDocumentOrder(t *testing.T) {
	page := `<html><head><title>Story</title>
	<script type="application/ld+json">{"@type":"WebPage","headline":"Story",
	  "x1":{"@type":"Person","name":"Zo\u00eb Zander"},
	  "x2":{"@type":"Person","name":"Anna Alpha"},
	  "x3":{"@type":"Person","name":"Mia Mittel"},
	  "x4":{"@type":"Person","name":"Bert Beta"}}</script>
	</head><body><article><h1>Story</h1><p>` + longText + `</p></article></body></html>`
	want := []string{"Zoë Zander", "Anna Alpha", "Mia Mittel", "Bert Beta"}
	ex := New(DefaultOptions())
	for i := range 40 {
		cands, err := ex.Candidates(Page{HTML: []byte(page), URL: "https://ex.org/story"})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range cands["authors"] {
			if c.Kind == KindTrafilatura {
				got = c.Values
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("run %d: go-trafilatura's names %q, want the page's order %q", i, got, want)
		}
	}
}

// The page of the report, from ../shared/extract-eval: whole extraction, run
// many times, gives one author list.
func TestAuthorsDeterministicOnRealPage(t *testing.T) {
	f, err := os.Open(filepath.Join(sharedDir(t, "trafilatura"), "tests", "eval", "haufe.de-ordnungsgeld.html.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	ex := New(DefaultOptions())
	p := Page{HTML: b, URL: "https://www.haufe.de/recht/kanzleimanagement/buss-und-ordnungsgeld-gegen-anwalt-wegen-maskenverweigerung_222_560754.html"}
	first, _ := ex.Extract(p)
	for i := range 12 {
		a, _ := ex.Extract(p)
		if !slices.Equal(a.Authors, first.Authors) {
			t.Fatalf("run %d: authors %q, first run %q", i+1, a.Authors, first.Authors)
		}
	}
}

const longText = `This paragraph is long enough for the body extractor to keep it as the article's text, with several sentences in it. ` +
	`It goes on about nothing in particular, so that the page looks like an article and not like a stub or a list of links. ` +
	`A third sentence makes sure of that, and a fourth one adds a little more text to the page.`

func TestUnescapeJSONText(t *testing.T) {
	for in, want := range map[string]string{
		`Zo\u00EB`:              "Zoë",
		`a\/b \"q\"`:            `a/b "q"`,
		`\ud83d\ude00!`:         "😀!",
		`bad \u12 end`:          `bad \u12 end`,
		`trailing \`:            `trailing \`,
		`lone \ud83d surrogate`: "lone \uFFFD surrogate",
		`line\nbreak`:           "line break",
	} {
		if got := unescapeJSONText(in); got != want {
			t.Errorf("unescapeJSONText(%q) = %q, want %q", in, got, want)
		}
	}
}

// Issue 14's author classes measured on the tuning half, each on a small
// page or string written to show it.

// Digits inside a word are part of a user name, not a date after it.
func TestAuthorUserNameWithDigits(t *testing.T) {
	for in, want := range map[string][]string{
		"Bo2man":                      {"Bo2man"},
		"happyface313":                {"happyface313"},
		"Jane Doe, 07 Dezember 2022":  {"Jane Doe"},
		"Jane Doe Fr. 18. Oktober":    {"Jane Doe"},
		"Posted by Jane Doe 2 months": {"Jane Doe"},
	} {
		if got := splitAuthors(in); !slices.Equal(got, want) {
			t.Errorf("splitAuthors(%q) = %q, want %q", in, got, want)
		}
	}
}

// One word and a colon before a name label its role; a photo credit is no
// author.
func TestAuthorRoleLabel(t *testing.T) {
	for in, want := range map[string][]string{
		"Interview: Julia Lauter": {"Julia Lauter"},
		"Text: Jane Doe":          {"Jane Doe"},
		"Foto: Jane Doe":          nil,
		"Kommentar: Doe":          {"Kommentar: Doe"}, // one word after: no name to label
	} {
		if got := splitAuthors(in); !slices.Equal(got, want) {
			t.Errorf("splitAuthors(%q) = %q, want %q", in, got, want)
		}
	}
}

// "von" labels a byline ("Artikel von …") but is also a name's particle.
func TestCleanNameKeepsParticle(t *testing.T) {
	for in, want := range map[string]string{
		"Alexa von Heyden":             "Alexa von Heyden",
		"Artikel von Alexa von Heyden": "Alexa von Heyden",
		"Ein Beitrag von Hans Müller":  "Hans Müller",
		"Post author By Jane Doe":      "Jane Doe",
	} {
		if got := cleanName(in, nil); got != want {
			t.Errorf("cleanName(%q) = %q, want %q", in, got, want)
		}
	}
}

// A handle the page shows stays as written when the only later source
// respells it.
func TestAuthorHandleAsShown(t *testing.T) {
	page := `<html><head><title>Quests</title><meta name="author" content="ThE PaiN"></head>
	<body><article><h1>Quests</h1><p class="meta">von <a rel="author" href="/user/the_pain">ThE_PaiN</a></p><p>Text.</p></article></body></html>`
	checkAuthors(t, "", page, "https://ex.org/2008/05/quests.html", []string{"ThE_PaiN"})
}

// A name carrying a title or role beyond the name another source gives for
// the same person loses it.
func TestAuthorWithoutTitleWords(t *testing.T) {
	for _, tc := range []struct{ name, page string }{
		{"prefix", `<html><head><title>T</title>
		<script type="application/ld+json">{"@type":"NewsArticle","headline":"T","author":{"@type":"Person","name":"Ratgeber-Experte Jane Doe"}}</script>
		</head><body><article><h1>T</h1><p>Von <a rel="author" href="/autoren/jane-doe">Jane Doe</a></p><p>Text.</p></article></body></html>`},
		{"suffix", `<html><head><title>T</title><meta name="author" content="Jane Doe">
		</head><body><article><h1>T</h1><div class="author-box">Jane Doe Chefkoordinatorin</div><p>Text.</p></article></body></html>`},
	} {
		p := tc.page
		if tc.name == "suffix" {
			// The byline outranks nothing here: make it the pick by ranking it first.
			a, err := New(Options{SkipBody: true, Precedence: map[string][]string{"authors": {KindByline, KindMeta}}}).Extract(Page{HTML: []byte(p), URL: "https://ex.org/t"})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(a.Authors, []string{"Jane Doe"}) {
				t.Errorf("%s: authors %q (from %s), want [Jane Doe]", tc.name, a.Authors, a.Sources["authors"])
			}
			continue
		}
		checkAuthors(t, tc.name, p, "https://ex.org/t", []string{"Jane Doe"})
	}
}

// rel=author links of related articles are not co-authors; the links of
// one byline are.
func TestRelAuthorOneByline(t *testing.T) {
	related := strings.Repeat(`<li><a href="/other">Another article on a different subject with a long headline</a></li>`, 6)
	page := `<html><head><title>T</title></head><body><article><h1>T</h1>
	<p class="meta">By <a rel="author" href="/author/jane">Jane Doe</a> and <a rel="author" href="/author/max">Max Roe</a></p>
	<p>Text.</p></article><aside><ul>` + related + `<li>by <a rel="author" href="/author/john">John Poe</a></li></ul></aside></body></html>`
	checkAuthors(t, "", page, "https://ex.org/t", []string{"Jane Doe", "Max Roe"})
}

// A comment form's name field is no byline.
func TestBylineNotInCommentForm(t *testing.T) {
	page := `<html><head><title>T</title></head><body><article><h1>T</h1><p>Text.</p></article>
	<form><div class="td-form-author"><input name="author"><div class="td-warning-author">Please enter your name here</div></div></form></body></html>`
	a := extractMeta(t, page, "https://ex.org/t")
	if len(a.Authors) != 0 {
		t.Errorf("authors %q (from %s), want none", a.Authors, a.Sources["authors"])
	}
}

// The social-card label/data pair a CMS writes names the author.
func TestAuthorFromSocialCardLabel(t *testing.T) {
	page := `<html><head><title>T</title>
	<meta name="twitter:label1" content="Est. reading time"><meta name="twitter:data1" content="9 minutes">
	<meta name="twitter:label2" content="Verfasst von"><meta name="twitter:data2" content="Karla Muster">
	</head><body><article><h1>T</h1><p>Text.</p></article></body></html>`
	checkAuthors(t, "", page, "https://ex.org/t", []string{"Karla Muster"})
}

// A name after a byline label, in an element no class marks as a byline:
// the label and the name in one text, or the label alone and the name in
// the next element. Labels in navigation or running text do not count.
func TestAuthorAfterBylineLabel(t *testing.T) {
	for _, tc := range []struct{ name, byline string }{
		{"same text", `<p class="details">von Andreas Muster | 12.03.2020</p>`},
		{"label element", `<div><h5>Autor: </h5>Andreas Muster/SP-X</div>`},
		{"label then link", `<div><span>By</span><span><a href="/about/newsteam/andreas-muster">Andreas Muster</a></span></div>`},
	} {
		page := `<html><head><title>Story</title></head><body>
		<nav><ul><li>By <a href="/x">Some Section</a></li></ul></nav>
		<article><h1>Story</h1>` + tc.byline + `<p>Text by the river, von der Quelle bis zum Meer.</p></article></body></html>`
		checkAuthors(t, tc.name, page, "https://ex.org/story", []string{"Andreas Muster"})
	}
	page := `<html><head><title>Story</title></head><body><article><h1>Story</h1>
	<p>A river runs</p><p>by the old mill and on to the sea.</p></article></body></html>`
	if a := extractMeta(t, page, "https://ex.org/story"); len(a.Authors) != 0 {
		t.Errorf("running text: authors %q (from %s), want none", a.Authors, a.Sources["authors"])
	}
}

// A news agency's code after the person's name is not part of it.
func TestAuthorAgencySuffix(t *testing.T) {
	for in, want := range map[string][]string{
		"Peter Muster/SP-X":  {"Peter Muster"},
		"Peter Muster / DPA": {"Peter Muster"},
		"dpa/lno":            {"dpa/lno"},
		"Muster/AFP":         {"Muster/AFP"}, // no whole name before it
	} {
		if got := splitAuthors(in); !slices.Equal(got, want) {
			t.Errorf("splitAuthors(%q) = %q, want %q", in, got, want)
		}
	}
}

// The meta author field holding the publisher gives way to the person the
// page's byline names.
func TestAuthorMetaPublisherGivesWayToByline(t *testing.T) {
	page := `<html><head><title>T</title><meta name="author" content="Bund der Musterfreunde e.V."></head>
	<body><article><h1>T</h1><p>von Claudia Muster</p><p>Text.</p></article></body></html>`
	checkAuthors(t, "", page, "https://ex.org/t", []string{"Claudia Muster"})
}

func TestNameShaped(t *testing.T) {
	for s, want := range map[string]bool{
		"Claudia Muster": true, "Alexa von Heyden": true, "Vincent van der Berg": true, "J.R. Stone": true,
		"der Ringform zur Kastenform": false, "Bund der Musterfreunde e.V.": false, "Muster": false,
		"L-MAG – Das Magazin für Lesben": false, "Jane Doe 2": false,
	} {
		if got := nameShaped(s); got != want {
			t.Errorf("nameShaped(%q) = %v, want %v", s, got, want)
		}
	}
}

// A list written as one name ("Jane Doe, London, John Roe") keeps its
// names: the shorter name another source gives is one of them, not the
// name without a title.
func TestWithoutTitlesLeavesLists(t *testing.T) {
	cands := []Candidate{{Kind: KindTrafilatura, Values: []string{"John Roe"}}}
	if got := withoutTitles([]string{"Jane Doe, London, John Roe"}, KindJSONLD, cands, nil); !slices.Equal(got, []string{"Jane Doe, London, John Roe"}) {
		t.Errorf("withoutTitles = %q", got)
	}
}

// A role or source in parentheses is not part of the name; a separator may
// run into a byline label.
func TestAuthorParenthesesAndSeparatorBeforeLabel(t *testing.T) {
	if got := splitAuthors("Eberhard Muster (Pressesprecher des EJW)"); !slices.Equal(got, []string{"Eberhard Muster"}) {
		t.Errorf("splitAuthors = %q, want [Eberhard Muster]", got)
	}
	page := `<html><head><title>T</title></head><body><article><h1>T</h1>
	<div class="meta"><span>yas!</span><span class="sr">| By </span><span>Cara Muster</span> | <time>April 13, 2020</time></div><p>Text.</p></article></body></html>`
	checkAuthors(t, "", page, "https://ex.org/t", []string{"Cara Muster"})
}

// The site's own name in a list of authors is not a co-author.
func TestAuthorListWithoutSiteName(t *testing.T) {
	page := `<html><head><title>T</title><meta property="og:site_name" content="Musterblatt.at"></head><body><article><h1>T</h1>
	<p>Von <a rel="author" href="/autor/muster">Alexander Muster</a>, <a rel="author" href="/">Musterblatt.at</a></p><p>Text.</p></article></body></html>`
	checkAuthors(t, "", page, "https://www.musterblatt.at/t", []string{"Alexander Muster"})
}

// When every source is passed over as the site's name or a handle, a
// person's name among them comes before the first value.
func TestAuthorPersonAmongPassedOver(t *testing.T) {
	page := `<html><head><title>T</title><meta property="og:site_name" content="musterwelt.de">
	<meta property="article:author" content="musterwelt.de"><meta name="author" content="Ernst Muster">
	<meta name="dcterms.publisher" content="Ernst Muster"></head><body><article><h1>T</h1><p>Text.</p></article></body></html>`
	checkAuthors(t, "", page, "https://musterwelt.de/t", []string{"Ernst Muster"})
}

// Persons the structured data names as the publisher's employee or founder
// are not the article's authors (go-trafilatura took them for authors).
func TestAuthorsNotPublisherStaff(t *testing.T) {
	page := `<html><head><title>Story</title>
	<script type="application/ld+json">{"@type":"Article","headline":"Story","publisher":{"@type":"Organization","name":"Muster Verlag",
	  "employee":{"@type":"Person","name":"Miro Muster","jobTitle":"Online-Redakteur"},"founder":{"@type":"Person","name":"Rudolf Muster"}}}</script>
	</head><body><article><h1>Story</h1><p>` + longText + `</p></article></body></html>`
	a, err := New(DefaultOptions()).Extract(Page{HTML: []byte(page), URL: "https://ex.org/story"})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Authors) != 0 {
		t.Errorf("authors %q (from %s), want none", a.Authors, a.Sources["authors"])
	}
}

// A Review nested in the page's Recipe outranks it by type, but it is a
// part of the recipe: its author is a reviewer, not the recipe's author.
// The same holds for a live blog's updates.
func TestAuthorNotFromNestedReview(t *testing.T) {
	for _, tc := range []struct{ name, ld, want string }{
		{"recipe review", `{"@type":"Recipe","name":"Porridge","author":{"@type":"Person","name":"Iris Muster"},
		  "review":[{"@type":"Review","author":{"@type":"Person","name":"haferfan22"},"reviewBody":"Lecker"}]}`, "Iris Muster"},
		{"live blog update", `{"@type":"LiveBlogPosting","headline":"Ticker","author":{"@type":"Person","name":"Lena Muster"},
		  "liveBlogUpdate":[{"@type":"BlogPosting","headline":"12:04","author":{"@type":"Person","name":"Tom Beispiel"}}]}`, "Lena Muster"},
	} {
		page := `<html><head><title>T</title><script type="application/ld+json">` + tc.ld + `</script></head>
		<body><article><h1>T</h1><p>Text.</p></article></body></html>`
		checkAuthors(t, tc.name, page, "https://ex.org/t", []string{tc.want})
	}
	// A Blog lists its posts: the post is the page's item.
	page := `<html><head><title>T</title><script type="application/ld+json">{"@type":"Blog","name":"Musterblog",
	  "author":{"@type":"Person","name":"Blog Owner"},"blogPost":[{"@type":"BlogPosting","headline":"T","author":{"@type":"Person","name":"Gast Autorin"}}]}</script></head>
	<body><article><h1>T</h1><p>Text.</p></article></body></html>`
	checkAuthors(t, "", page, "https://ex.org/t", []string{"Gast Autorin"})
}

// A dateline next to the headline that gives a person's name beside the
// date is the byline where no element is marked as one; a place or the
// site's name beside a date is not, nor is a dated name further down.
func TestAuthorFromDatelineNextToHeadline(t *testing.T) {
	for _, tc := range []struct{ name, head, want string }{
		{"under", `<h1>Story</h1><p class="text-muted">11.12.2019 - Amelie Muster</p>`, "Amelie Muster"},
		{"above", `<small>04.02.2022 | 13:10 Uhr | Uta Beispiel</small><h1>Story</h1>`, "Uta Beispiel"},
		{"category between", `<h1>Story</h1><div>Essay</div><div><span>25.10.2022 - Reiner Muster</span></div>`, "Reiner Muster"},
		{"site name", `<h1>Story</h1><p>11.12.2019 - Muster Blatt</p>`, ""},
		{"no date", `<h1>Story</h1><p>Kultur - Amelie Muster</p>`, ""},
		{"far down", `<h1>Story</h1><p>One.</p><p>Two.</p><p>Three.</p><p>Four.</p><p>11.12.2019 - Amelie Muster</p>`, ""},
	} {
		page := `<html><head><title>Story</title><meta property="og:site_name" content="Muster Blatt"></head><body><main>` + tc.head +
			`<p>Text by the river.</p></main></body></html>`
		var want []string
		if tc.want != "" {
			want = []string{tc.want}
		}
		checkAuthors(t, tc.name, page, "https://musterblatt.example/story", want)
	}
}

// A desk byline ("Redaktion") is the author where no source names a
// person, and gives way to a person another source names.
func TestAuthorDeskByline(t *testing.T) {
	page := `<html><head><title>T</title></head><body><article><h1>T</h1>
	<div class="author-box"><span class="author">Redaktion</span> <time datetime="2023-11-01">1. November 2023</time></div><p>Text.</p></article></body></html>`
	checkAuthors(t, "", page, "https://ex.org/t", []string{"Redaktion"})
	page = `<html><head><title>T</title><script type="application/ld+json">{"@type":"NewsArticle","headline":"T","author":{"@type":"Person","name":"Redaktion"}}</script></head>
	<body><article><h1>T</h1><p>von Jana Muster</p><p>Text.</p></article></body></html>`
	checkAuthors(t, "", page, "https://ex.org/t", []string{"Jana Muster"})
}

// A WebPage item's author (the account that published the page) gives way
// to the person the article's byline names; a byline-classed element in a
// sidebar names another post's author.
func TestAuthorWebPageItemAndAsideByline(t *testing.T) {
	page := `<html><head><title>T</title><script type="application/ld+json">{"@graph":[{"@type":"WebPage","name":"T","author":{"@type":"Person","name":"Gilles Verleger"}}]}</script></head>
	<body><article><h1>T</h1><dl class="author"><dt>Uriel Muster</dt></dl><p>Text.</p></article></body></html>`
	checkAuthors(t, "", page, "https://ex.org/t", []string{"Uriel Muster"})
	page = `<html><head><title>T</title><script type="application/ld+json">{"@graph":[{"@type":"WebPage","name":"T","author":{"@type":"Person","name":"Florina Muster"}}]}</script></head>
	<body><article><h1>T</h1><p>Text.</p></article><aside><ul><li><a href="/c"><span class="entry-author">Kate Beispiel</span></a></li></ul></aside></body></html>`
	checkAuthors(t, "", page, "https://ex.org/t", []string{"Florina Muster"})
}

// Degrees after a name are not further names.
func TestAuthorDegreeSuffix(t *testing.T) {
	for in, want := range map[string][]string{
		"Grant Muster, PhD":         {"Grant Muster"},
		"Jane Doe, MD, MPH":         {"Jane Doe"},
		"Jane Doe, John Roe":        {"Jane Doe", "John Roe"},
		"Jane Doe and John Roe, RN": {"Jane Doe", "John Roe"},
	} {
		if got := splitAuthors(in); !slices.Equal(got, want) {
			t.Errorf("splitAuthors(%q) = %q, want %q", in, got, want)
		}
	}
}

// A handle the page shows as its byline is kept over go-trafilatura's
// guess, which no element of the page backs; a site name shown as a byline
// is not.
func TestAuthorShownHandleOverTrafilaturaGuess(t *testing.T) {
	e := New(DefaultOptions())
	for _, tc := range []struct {
		shown string
		want  []string
	}{
		{"c1ph4", []string{"c1ph4"}},
		{"Musterblog-Archiv", []string{"Ciphacipha Net"}},
	} {
		st := &state{cands: map[string][]Candidate{"authors": {
			{Kind: KindHTML, Values: []string{tc.shown}, Source: "/html/body/div/a"},
			{Kind: KindTrafilatura, Values: []string{"Ciphacipha Net"}, Source: "trafilatura metadata"},
		}}, chosen: map[string]string{}}
		c, ok := e.pickAuthors(st, []string{"musterblog.example", "musterblog"})
		if !ok || !slices.Equal(c.Values, tc.want) {
			t.Errorf("byline %q: authors %q, want %q", tc.shown, c.Values, tc.want)
		}
	}
}

// Where the visible byline names the structured author and co-authors,
// the co-authors are kept.
func TestAuthorCoAuthorsFromByline(t *testing.T) {
	page := `<html><head><title>T</title><script type="application/ld+json">{"@type":"Article","headline":"T","author":{"@type":"Person","name":"Rudolf Muster"}}</script></head>
	<body><article><h1>T</h1><div class="author-names">Rudolf Muster, Simon Beispiel</div><p>Text.</p></article></body></html>`
	checkAuthors(t, "", page, "https://ex.org/t", []string{"Rudolf Muster", "Simon Beispiel"})
}

// The site's name after a desk is part of the desk's name.
func TestCleanNameKeepsDeskSiteName(t *testing.T) {
	for in, want := range map[string]string{
		"Redacción Diario Muster Siete": "Redacción Diario Muster Siete",
		"Jane Doe Muster Siete":         "Jane Doe",
	} {
		if got := cleanName(in, []string{"Muster Siete"}); got != want {
			t.Errorf("cleanName(%q) = %q, want %q", in, got, want)
		}
	}
}

// An article signed with the author's name in a block of its own after its
// last paragraph; a name-shaped heading inside the text, or a name followed
// by more of the article, is no signature.
func TestAuthorSignatureAfterArticle(t *testing.T) {
	body := strings.Repeat(`<p>`+longText+`</p>`, 2)
	for _, tc := range []struct{ name, article, want string }{
		{"signed", `<h1>Story of the day</h1>` + body + `<p align="right"><em>Denis Muster</em></p>`, "Denis Muster"},
		{"signed strong", `<h1>Story of the day</h1>` + body + `<p class="clearfix"> <strong>Marina Beispiel</strong> </p>`, "Marina Beispiel"},
		{"heading inside", `<h1>Story of the day</h1><p>` + longText + `</p><h3>Neue Wege</h3>` + body, ""},
		{"short text", `<h1>Story of the day</h1><p>Short.</p><p><em>Denis Muster</em></p>`, ""},
		{"label before a list", `<h1>Story of the day</h1>` + body + `<p><b>Further Reading</b></p><ul><li><a href="/x">More</a></li></ul>`, ""},
		{"link", `<h1>Story of the day</h1>` + body + `<p><a href="/cookies">Cookie Settings</a></p>`, ""},
		{"sentence", `<h1>Story of the day</h1>` + body + `<p>Aufs Baugerüst.</p>`, ""},
		{"words of the text", `<h1>Story of the day</h1>` + body + `<p>Several Sentences</p>`, ""},
	} {
		page := `<html><head><title>Story of the day</title></head><body><div class="main">` + tc.article + `</div><div>Impressum</div></body></html>`
		var want []string
		if tc.want != "" {
			want = []string{tc.want}
		}
		checkAuthors(t, tc.name, page, "https://ex.org/t", want)
	}
}

// A broadcaster's or agency's code after a comma is an author of its own;
// a role label joined to another ("Text und Interview:") is no name; the
// site's name and a job title after a person's are cut.
func TestAuthorAgencyAfterCommaAndJoinedRole(t *testing.T) {
	for in, want := range map[string][]string{
		"Volkmar Muster; Jan Lukas Beispiel, NDR": {"Volkmar Muster", "Jan Lukas Beispiel", "NDR"},
		"Muster, Jane":                      {"Muster, Jane"},
		"Text und Interview: Harald Muster": {"Harald Muster"},
	} {
		if got := splitAuthors(in); !slices.Equal(got, want) {
			t.Errorf("splitAuthors(%q) = %q, want %q", in, got, want)
		}
	}
	if got := cleanName("Adam Muster PhillyBlatt Staff", []string{"PhillyBlatt"}); got != "Adam Muster" {
		t.Errorf("cleanName = %q, want Adam Muster", got)
	}
}

// A link to the site's page of an author or user, just after the headline,
// names the author where nothing else does; a link to another site's user
// page, or one whose text does not name the linked person, does not.
func TestAuthorFromProfileLink(t *testing.T) {
	for _, tc := range []struct{ name, link, want string }{
		{"user page", `<a href="https://www.ex.org/user/Marianne1.html">Marianne1</a>`, "Marianne1"},
		{"author slug", `<a href="/author/heinz-muster/">Heinz Muster</a>`, "Heinz Muster"},
		{"numeric id", `<a href="/user-uebersicht/?u=138114">HansBeispiel</a>`, "HansBeispiel"},
		{"other site", `<a href="https://video.example/user/channel">Muster Channel</a>`, ""},
		{"more posts", `<a href="/author/heinz-muster/">Weitere Beiträge</a>`, ""},
		{"menu", `<a href="/modules/profile/" title="Userprofile">Userprofile</a>`, ""},
	} {
		page := `<html><head><title>Story of the day</title></head><body><main><h1>Story of the day</h1><div class="box">` + tc.link +
			`</div><p>Text by the river.</p></main></body></html>`
		var want []string
		if tc.want != "" {
			want = []string{tc.want}
		}
		checkAuthors(t, tc.name, page, "https://www.ex.org/story", want)
	}
}

// An element classed as a byline that names no one (a date) does not stop
// the search for the byline; a label in running text opens none.
func TestAuthorClassedBylineWithoutNameAndRunningLabel(t *testing.T) {
	page := `<html><head><title>Story of the day</title></head><body><main><h1>Story of the day</h1>
	<div class="author-meta">25. Oktober 2023</div><p>von Nils Muster</p><p>Text by the river.</p></main></body></html>`
	checkAuthors(t, "", page, "https://www.ex.org/story", []string{"Nils Muster"})
	page = `<html><head><title>Story of the day</title></head><body><main><h1>Story of the day</h1><p>` + longText + `</p>
	<p>For more on the river, read <a href="/guide">the complete guide</a> by Darren Beispiel, the River Guy.</p></main></body></html>`
	if a := extractMeta(t, page, "https://www.ex.org/story"); len(a.Authors) != 0 {
		t.Errorf("running text: authors %q (from %s), want none", a.Authors, a.Sources["authors"])
	}
}

// An element classed as a byline that names only the site (a template's
// "Daily Planet" where the writer is credited in the text) does not stop
// the search for the byline: the labelled name after the headline is the
// article's author, not the site name the structured data also gives.
func TestAuthorClassedBylineNamingSite(t *testing.T) {
	page := `<html><head><title>Story of the day</title><meta property="og:site_name" content="Daily Planet">
	<meta name="author" content="Daily Planet"></head><body><article><h1>Story of the day</h1>
	<div class="post-author-name"><div>By</div> <a href="/author/planet/">Daily Planet</a></div><p><em>Written by: <a href="https://other.example/story">Jane Muster</a></em></p>
	<p>Text by the river.</p></article></body></html>`
	checkAuthors(t, "", page, "https://www.planet.example/story", []string{"Jane Muster"})
	// Where no label names a person, the site is the author: not the
	// writer of a related article, nor a profile link in the text.
	page = `<html><head><title>Story of the day</title><meta property="og:site_name" content="Daily Planet"></head><body><article>
	<h1>Story of the day</h1><div class="author-info"><a href="/user/dailyplanet">Daily Planet</a> vor 5 Stunden</div>
	<p>The project of <a href="/user/jane-muster">Jane Muster</a> won.</p><p>Text by the river.</p>
	<div class="related-items"><a href="/story2">Another story</a><span>Von <a href="/user/john-beispiel">John Beispiel</a></span></div>
	</article></body></html>`
	checkAuthors(t, "", page, "https://www.planet.example/story", []string{"Daily Planet"})
}

// A first name or a user handle alone ("Nils", "christian.beispiel"), as a
// CMS's account gives it, is the person the page names in full where its
// visible text writes that name one way only: the handle's parts are the
// first and last words of the full name. On a personal site the full name
// is the site's name.
func TestAuthorFullNameForFirstNameOrHandle(t *testing.T) {
	for _, tc := range []struct{ name, author, text, want string }{
		{"first name", "Nils", `<p>` + longText + `</p><p class="bio">Nils Muster ist freier Autor.</p>`, "Nils Muster"},
		{"handle", "christian.beispiel", `<p>` + longText + ` (Christian P. Beispiel) +++</p>`, "Christian P. Beispiel"},
		{"two full names", "Nils", `<p>Nils Muster und Nils Beispiel.</p><p>` + longText + `</p>`, "Nils"},
		{"not written", "mady", `<p>` + longText + `</p>`, "mady"},
		{"personal site", "Jane", `<div class="site-title"><a href="/" rel="home">Dr. Jane Muster</a></div><p>` + longText + `</p>`, "Jane Muster"},
	} {
		page := `<html><head><title>Story of the day</title><meta property="og:site_name" content="Dr. Jane Muster"><script type="application/ld+json">{"@type":"NewsArticle",
		"headline":"Story of the day","author":{"@type":"Person","name":"` + tc.author + `"}}</script></head>
		<body><article><h1>Story of the day</h1>` + tc.text + `</article></body></html>`
		checkAuthors(t, tc.name, page, "https://www.ex.org/story", []string{tc.want})
	}
}

// A full name the page writes only in a sentence of its text is no
// evidence of who wrote it: "Anna" stays "Anna" where the text mentions
// the novel "Anna Karenina", or a "Nils Muster" the article quotes. The
// evidence is where pages credit their writer: the site's own name (a
// personal site, also by its host name), an author box, the paragraph that
// closes the article, another author source.
func TestAuthorFullNameOnlyFromBylineEvidence(t *testing.T) {
	for _, tc := range []struct{ name, url, author, text, want string }{
		{"book title", "https://www.ex.org/story", "Anna", `<p>She read Anna Karenina twice that summer.</p><p>` + longText + `</p>`, "Anna"},
		{"quoted person", "https://www.ex.org/story", "Nils", `<p>` + longText + `</p><p>Nils Muster said so.</p><p>` + longText + `</p>`, "Nils"},
		{"author box", "https://www.ex.org/story", "Nils", `<p>` + longText + `</p><div class="author-box"><span>Nils Muster</span></div><p>` + longText + `</p>`, "Nils Muster"},
		{"host names the person", "https://muster-handball.de/story", "Dago", `<p>Dago Muster coaches the team.</p><p>` + longText + `</p>`, "Dago Muster"},
	} {
		page := `<html><head><title>Story of the day</title><script type="application/ld+json">{"@type":"NewsArticle",
		"headline":"Story of the day","author":{"@type":"Person","name":"` + tc.author + `"}}</script></head>
		<body><article><h1>Story of the day</h1>` + tc.text + `</article></body></html>`
		checkAuthors(t, tc.name, page, tc.url, []string{tc.want})
	}
}

// An organisation named in one word is no first name: a schema.org
// Organization ("Reuters") or an agency's acronym ("AFP") stays as the
// source gives it, not "Reuters Graphics" or the photo credit "AFP Photo"
// the page writes elsewhere.
func TestAuthorFullNameNotForOrganisations(t *testing.T) {
	for _, tc := range []struct{ author, typ, text string }{
		{"Reuters", "Organization", `<p>` + longText + `</p><p>Reuters Graphics shows the data.</p>`},
		{"Bloomberg", "NewsMediaOrganization", `<p>` + longText + `</p><p>Bloomberg Businessweek reported.</p>`},
		{"AFP", "Thing", `<p>` + longText + ` AFP Photo</p>`},
	} {
		page := `<html><head><title>Story of the day</title><script type="application/ld+json">{"@type":"NewsArticle",
		"headline":"Story of the day","author":{"@type":"` + tc.typ + `","name":"` + tc.author + `"}}</script></head>
		<body><article><h1>Story of the day</h1>` + tc.text + `</article></body></html>`
		checkAuthors(t, tc.author, page, "https://www.ex.org/story", []string{tc.author})
	}
}

// A short block of its own just under the headline whose text ends with a
// byline label and a person's name ("Eine Kolumne von Jane Doe", "A column
// by Jane Doe") names the author; a photo credit written the same way, a
// label further down the article or in a sentence does not.
func TestAuthorIntroducedUnderHeadline(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"column", `<p><strong>Eine Kolumne von Nils Muster</strong></p><p>` + longText + `</p>`, "Nils Muster"},
		{"blog post", `<p>A blog post by Jane Beispiel</p><p>` + longText + `</p>`, "Jane Beispiel"},
		{"photo", `<p>Fotos von Nils Muster</p><p>` + longText + `</p>`, ""},
		{"sentence", `<p>Read the column by Nils Muster.</p><p>` + longText + `</p>`, ""},
		{"far down", `<p>` + longText + `</p><p>` + longText + `</p><p>Lead.</p><p>More.</p><p>Eine Kolumne von Nils Muster</p>`, ""},
	} {
		page := `<html><head><title>Story of the day</title></head><body><article><h1>Story of the day</h1>` + tc.body + `</article></body></html>`
		var want []string
		if tc.want != "" {
			want = []string{tc.want}
		}
		checkAuthors(t, tc.name, page, "https://www.ex.org/story", want)
	}
}

// A label before a link to the site's user page names that user, even by a
// handle ("Geschrieben von <a href=/userinfo.php?uid=6>Cooper</a>"): label
// and profile link agree. A handle after a label without such a link, or
// linking to another site, is no byline.
func TestAuthorLabelledProfileHandle(t *testing.T) {
	for _, tc := range []struct{ name, byline, want string }{
		{"user page", `Geschrieben von <a href="http://www.club.example/bbr/userinfo.php?uid=6">Cooper</a> am 25.08.2015`, "Cooper"},
		{"no link", `Geschrieben von Cooper am 25.08.2015`, "Club Example"},
		{"other site", `Geschrieben von <a href="https://social.example/user/cooper">Cooper</a>`, "Club Example"},
	} {
		page := `<html><head><title>Story of the day</title><meta name="author" content="Club Example"></head><body><table><tr><td>
		<h3>Story of the day</h3></td></tr><tr><td><span>` + tc.byline + `</span></td></tr><tr><td><p>` + longText + `</p></td></tr></table></body></html>`
		checkAuthors(t, tc.name, page, "http://www.club.example/bbr/article.php?storyid=504", []string{tc.want})
	}
}

// A link to the site's author page in an author box after a long article
// names the author when every such link further down names the same
// person; links naming several people there (a list of posts) do not.
func TestAuthorFromProfileLinkInAuthorBox(t *testing.T) {
	article := strings.Repeat(`<p>A short paragraph of the article.</p>`, 45)
	for _, tc := range []struct{ name, box, want string }{
		{"author box", `<div class="box"><h3><a href="/author/jane">Jane Muster</a></h3><p><a href="/author/jane">Alles von Jane Muster</a></p></div>`, "Jane Muster"},
		{"two people", `<ul><li><a href="/author/jane">Jane Muster</a></li><li><a href="/author/john">John Beispiel</a></li></ul>`, ""},
	} {
		page := `<html><head><title>Story of the day</title></head><body><main><h1>Story of the day</h1>` + article + tc.box + `</main></body></html>`
		var want []string
		if tc.want != "" {
			want = []string{tc.want}
		}
		checkAuthors(t, tc.name, page, "https://www.ex.org/story", want)
	}
}

// Chinese bylines: a label ("责任编辑：", "作者：") before a name of two to
// four Han characters names the author; the name has no spaces, so the
// Latin name shape does not apply.
func TestAuthorChineseLabelledName(t *testing.T) {
	page := `<html><head><title>新闻标题</title></head><body><div><h1>新闻标题</h1><p>` + longText + `</p>
	<span>责任编辑： <span>张三丰</span></span></div></body></html>`
	checkAuthors(t, "", page, "https://www.ex.cn/story", []string{"张三丰"})
	if !hanName("张三丰") || hanName("新闻标题报道内容") || hanName("Jane") {
		t.Error("hanName")
	}
}

// Chinese writes no space after a label's full-width colon: the usual
// "责任编辑：张三丰" in one text names the author as the spaced form does.
func TestAuthorChineseLabelWithoutSpace(t *testing.T) {
	for _, b := range []string{`<p>责任编辑：张三丰</p>`, `<p>作者:张三丰</p>`} {
		page := `<html><head><title>新闻标题</title></head><body><div><h1>新闻标题</h1><p>` + longText + `</p>` + b + `</div></body></html>`
		checkAuthors(t, b, page, "https://www.ex.cn/story", []string{"张三丰"})
	}
}

// FuzzVisibleBylines runs the readers of bylines in the visible text
// (labelled, introduced, dateline, signature, profile link, full name of a
// handle) on fuzzed markup under a headline: no panic, and every author
// is a non-empty name without the list separator it was split at.
func FuzzVisibleBylines(f *testing.F) {
	for _, s := range []string{
		`<p><strong>Eine Kolumne von Nils Muster</strong></p>`,
		`<span>Geschrieben von <a href="/userinfo.php?uid=6">Cooper</a> am 25.08.2015</span>`,
		`<span>责任编辑： <span>张三丰</span></span>`,
		`<div class="post-author-name"><div>By</div> <a href="/author/planet/">Daily Planet</a></div><p><em>Written by: <a href="/x">Jane Muster</a></em></p>`,
		`<div class="box"><h3><a href="/author/jane">Jane Muster</a></h3></div>`,
		`<p>Text (Christian P. Beispiel) +++</p>`,
		`<p>Hamburg (dpa/lno) – Text of the lead.</p>`,
		`<p><b>Jan Muster</b><br><a href="mailto:jan.muster@ex.org">jan.muster@ex.org</a></p>`,
		`<div><a href="https://social.example/in/ingamuster?trk=x">Inga Muster</a></div>`,
		`<p>Text of the story that runs on for a while. (XY mit dpa)</p>`,
		`<p>Quelle: <a href="https://agentur.example">agentur</a></p>`,
		`<div class="teaser"><a href="/other"><h3>Another story linked from this one</h3><div class="byline">Von Nils Beispiel</div></a></div>`,
	} {
		f.Add(s, "christian.beispiel")
	}
	f.Fuzz(func(t *testing.T, body, author string) {
		if len(body) > 4000 || len(author) > 100 {
			return
		}
		ld, err := json.Marshal(map[string]any{"@type": "NewsArticle", "headline": "Story of the day", "author": map[string]string{"@type": "Person", "name": author}})
		if err != nil {
			return
		}
		page := `<html><head><title>Story of the day</title><meta property="og:site_name" content="Daily Planet"><script type="application/ld+json">` +
			string(ld) + `</script></head><body><article><h1>Story of the day</h1>` + body + `<p>` + longText + `</p></article></body></html>`
		a, err := New(Options{SkipBody: true}).Extract(Page{HTML: []byte(page), URL: "https://www.planet.example/story"})
		if err != nil {
			return // refused as a whole (binary bytes): a reasoned error, not a panic
		}
		for _, n := range a.Authors {
			if strings.TrimSpace(n) == "" || strings.Contains(n, ";") {
				t.Errorf("author %q in %q", n, a.Authors)
			}
		}
	})
}

// Where nothing names an author, the news agency's code in the lead's
// dateline ("Hamburg (dpa/lno) – …") is the author: a short code in
// parentheses after the place, before the dash. Words in parentheses there
// ("Hamburg (Germany) – …") are not codes.
func TestAuthorAgencyDateline(t *testing.T) {
	for _, tc := range []struct{ lead, want string }{
		{"Hamburg (dpa/lno) – " + longText, "dpa/lno"},
		{"Hamburg (Germany) – " + longText, ""},
		{longText + " Hamburg (dpa/lno) – this is not the lead.", ""},
	} {
		page := `<html><head><title>Story of the day</title></head><body><article><h1>Story of the day</h1><p>` + tc.lead + `</p></article></body></html>`
		a := extractMeta(t, page, "https://www.ex.org/story")
		var want []string
		if tc.want != "" {
			want = []string{tc.want}
		}
		if !slices.Equal(a.Authors, want) {
			t.Errorf("%.30s: authors %q (from %s), want %q", tc.lead, a.Authors, a.Sources["authors"], want)
		}
	}
}

// Where nothing else names the author, a link whose address spells the
// name beside it does ("Jan Muster" above mailto:jan.muster@…, "Inga
// Muster" linking to …/in/ingamuster): the text and the link's target
// agree. A mail box named otherwise, or a person linked from a sentence of
// the text, names no author.
func TestAuthorFromSelfNamedLink(t *testing.T) {
	for _, tc := range []struct{ name, box, want string }{
		{"contact mail", `<p><b>Jan Muster</b><br>Telefon 040 123<br><a href="mailto:jan.muster@ex.org">jan.muster@ex.org</a></p>`, "Jan Muster"},
		{"profile elsewhere", `<div class="info"><a href="https://social.example/in/ingamuster?trk=x">Inga Muster</a></div>`, "Inga Muster"},
		{"mail box of a desk", `<p><b>Jan Muster</b><br><a href="mailto:redaktion@ex.org">redaktion@ex.org</a></p>`, ""},
		{"running text", `<p>` + longText + ` As <a href="https://social.example/janemuster">Jane Muster</a> wrote.</p>`, ""},
	} {
		page := `<html><head><title>Story of the day</title></head><body><main><h1>Story of the day</h1><p>` + longText + `</p>` + tc.box + `</main></body></html>`
		var want []string
		if tc.want != "" {
			want = []string{tc.want}
		}
		checkAuthors(t, tc.name, page, "https://www.ex.org/story", want)
	}
}

// An agency credit closing a paragraph of the article ("… (XY mit dpa)")
// is the author where the structured data names only a desk or the site;
// a person named there stays, and words in parentheses are no credit.
func TestAuthorClosingAgencyCredit(t *testing.T) {
	for _, tc := range []struct{ name, author, text, want string }{
		{"desk", "Redaktion", `<p>` + longText + ` (XY mit dpa)</p><p><em>Part of a network.</em></p>`, "XY mit dpa"},
		{"site", "Daily Planet", `<p>` + longText + ` (AFP)</p>`, "AFP"},
		{"person", "Jane Muster", `<p>` + longText + ` (XY mit dpa)</p>`, "Jane Muster"},
		{"words", "Redaktion", `<p>` + longText + ` (Germany)</p>`, "Redaktion"},
		{"mid-paragraph", "Redaktion", `<p>` + longText + ` (dpa) and more text follows here.</p>`, "Redaktion"},
		// A paragraph of running text after it: an aside of the text, not
		// the article's credit.
		{"aside", "Redaktion", `<p>` + longText + ` (see below)</p><p>` + longText + `</p>`, "Redaktion"},
		{"acronym", "Redaktion", `<p>` + longText + ` (PDF)</p><p>Short line.</p><p>` + longText + `</p>`, "Redaktion"},
		{"last of several", "Redaktion", `<p>` + longText + ` (PDF)</p><p>` + longText + ` (AFP)</p><p><em>Part of a network.</em></p>`, "AFP"},
		// The same with each paragraph in a wrapper of its own (a CMS's
		// text blocks): the wrapper is the block that running text follows.
		{"wrapped aside", "Redaktion", `<div class="para"><p>` + longText + ` (see below)</p></div><div class="para"><p>` + longText + `</p></div>`, "Redaktion"},
		{"aside, then sections", "Redaktion", `<section><p>` + longText + ` (PDF)</p></section><section><p>` + longText + `</p></section>`, "Redaktion"},
		{"aside, then bare text", "Redaktion", `<div><p>` + longText + ` (PDF)</p></div>` + longText, "Redaktion"},
		{"wrapped, last", "Redaktion", `<div class="para"><p>` + longText + `</p></div><div class="para"><p>` + longText + ` (AFP)</p></div><div><em>Part of a network.</em></div>`, "AFP"},
	} {
		page := `<html><head><title>Story of the day</title><meta property="og:site_name" content="Daily Planet"><script type="application/ld+json">{"@type":"NewsArticle",
		"headline":"Story of the day","author":{"@type":"Person","name":"` + tc.author + `"}}</script></head>
		<body><article><h1>Story of the day</h1>` + tc.text + `</article></body></html>`
		checkAuthors(t, tc.name, page, "https://www.planet.example/story", []string{tc.want})
	}
}

// The article's structured author gives way where the page's visible
// byline and its meta author tags, independent of each other, agree on
// other people and share no name with it (a CMS account that did not
// write the story); one visible source alone does not outvote it.
func TestAuthorStructuredOutvotedByAgreeingSources(t *testing.T) {
	for _, tc := range []struct {
		name, head, byline string
		want               []string
	}{
		{"byline and meta agree", `<meta name="author" content="Jane Muster, Nils Beispiel">`, `<div class="byline">By Jane Muster and Nils Beispiel</div>`, []string{"Jane Muster", "Nils Beispiel"}},
		{"byline alone", ``, `<div class="byline">By Jane Muster and Nils Beispiel</div>`, []string{"Karla Account"}},
		{"meta alone", `<meta name="author" content="Jane Muster">`, ``, []string{"Karla Account"}},
		{"one shared", `<meta name="author" content="Karla Account, Jane Muster">`, `<div class="byline">By Karla Account and Jane Muster</div>`, []string{"Karla Account", "Jane Muster"}},
	} {
		page := `<html><head><title>Story of the day</title>` + tc.head + `<script type="application/ld+json">{"@type":"NewsArticle",
		"headline":"Story of the day","author":{"@type":"Person","name":"Karla Account"}}</script></head>
		<body><article><h1>Story of the day</h1>` + tc.byline + `<p>` + longText + `</p></article></body></html>`
		checkAuthors(t, tc.name, page, "https://www.ex.org/story", tc.want)
	}
}

// "Redaktion" before the site's name is the desk's name, as the byline and
// the structured data both write it ("Redaktion Daily Planet"); before a
// colon it labels the name after it ("Redaktion: Jane Muster").
func TestAuthorDeskNamedAfterSite(t *testing.T) {
	for _, tc := range []struct{ author, want string }{
		{"Redaktion Daily Planet", "Redaktion Daily Planet"},
		{"Redaktion: Jane Muster", "Jane Muster"},
	} {
		page := `<html><head><title>Story of the day</title><meta property="og:site_name" content="Daily Planet"><script type="application/ld+json">{"@type":"NewsArticle",
		"headline":"Story of the day","author":[{"@type":"Person","name":"` + tc.author + `"}]}</script></head>
		<body><article><h1>Story of the day</h1><p class="article-author">` + tc.author + `</p><p>` + longText + `</p></article></body></html>`
		checkAuthors(t, tc.author, page, "https://www.planet.example/story", []string{tc.want})
	}
}

// A source credit closing the article ("Quelle: Agentur") is the author
// where nothing else names one (a meta author naming the site gives way
// to it, even written as a handle); a source named mid-article (a study,
// a quote) is not.
func TestAuthorClosingSourceCredit(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"closing", `<p>` + longText + `</p><p> </p><p style="text-align:right">Quelle: <a href="https://agentur.example">agentur</a></p>`, "agentur"},
		{"closing, English", `<p>` + longText + `</p><p>Source: Musterpress</p>`, "Musterpress"},
		{"mid-article", `<p>` + longText + `</p><p>Quelle: Agentur</p><p>` + longText + `</p>`, ""},
	} {
		page := `<html><head><title>Story of the day</title></head><body><div class="content"><h1>Story of the day</h1>` + tc.text + `</div><div class="footer-links"><a href="/">Home</a></div></body></html>`
		var want []string
		if tc.want != "" {
			want = []string{tc.want}
		}
		checkAuthors(t, tc.name, page, "https://www.ex.org/story", want)
	}
}

func TestAuthorClosingSourceCreditOverSiteMeta(t *testing.T) {
	page := `<html><head><title>Story of the day</title><meta name="author" content="ex.org"></head><body><div class="content"><h1>Story of the day</h1><p>` + longText +
		`</p><p>Quelle: <a href="https://agentur.example">agentur</a></p></div></body></html>`
	checkAuthors(t, "", page, "https://www.ex.org/story", []string{"agentur"})
}

// A byline that ends in a label for what follows it ("| Photos:", ",
// aktualisiert:", a date filled in elsewhere) still names its writer: only
// a text that is nothing but a label ("Share this article:", "Autor:") is
// dropped whole.
func TestSplitAuthorsClosingLabelKeepsName(t *testing.T) {
	for in, want := range map[string][]string{
		"By Jane Doe | Photos:":       {"Jane Doe"},
		"Von Jane Doe, aktualisiert:": {"Jane Doe"},
		"Jane Doe · Updated:":         {"Jane Doe"},
		"Jane Doe, John Roe; Fotos:":  {"Jane Doe", "John Roe"},
		"Share this article:":         nil,
		"Autor:":                      nil,
		"Quelle:":                     nil,
	} {
		if got := splitAuthors(in); !slices.Equal(got, want) {
			t.Errorf("splitAuthors(%q) = %q, want %q", in, got, want)
		}
	}
	// One clause after the prefix, closed by a colon: nothing to cut, and
	// the writer is still named.
	if got := splitAuthors("By Jane Doe Published:"); len(got) != 1 || !strings.HasPrefix(got[0], "Jane Doe") {
		t.Errorf("splitAuthors(%q) = %q, want Jane Doe", "By Jane Doe Published:", got)
	}
}

// The labelled-byline reader opens a byline with every form of "author"
// the name cleaner strips (authorWord): the plurals too, which the
// cleaner knew and the reader's own list had lost.
func TestAuthorPluralLabelThenNameInLink(t *testing.T) {
	for _, label := range []string{"Autoren:", "Authors:", "Autor/in:"} {
		page := `<html><head><title>Story of the day</title></head><body><main><article><h1>Story of the day</h1>` +
			`<div><span>` + label + `</span> <a href="/team">Korinna Muster</a></div><p>` + longText + `</p>` +
			`</article></main></body></html>`
		checkAuthors(t, label, page, "https://www.planet.example/story", []string{"Korinna Muster"})
	}
}
