package extract

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestLeadRecovered runs the extractor on a page of trafilatura's evaluation
// set (../shared/extract-eval/trafilatura, ahlen.de.reparaturcafe.html,
// whose first labelled segment is the standfirst above the article body).
// go-trafilatura alone starts the body after it. The page's description
// repeats the standfirst, which is what lets it back in.
func TestLeadRecovered(t *testing.T) {
	dir := sharedDir(t, "trafilatura")
	f, err := os.Open(filepath.Join(dir, "tests", "eval", "ahlen.de.reparaturcafe.html.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	page, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	p := Page{HTML: page, URL: "https://www.ahlen.de/start/aktuelles/aktuelle/information/nachricht/aus-ahlen/reparaturcafe-am-31-januar/"}
	const standfirst = "Jede Menge Spaß bereitet es den"

	a, err := New(DefaultOptions()).Extract(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(a.Body, standfirst) {
		t.Errorf("body does not open with the standfirst: %.120q", a.Body)
	}
	if !strings.Contains(a.Body, "Das Projekt ist eine Kooperationsveranstaltung") {
		t.Errorf("body lost the article: %.200q", a.Body)
	}
	if !strings.Contains(a.Sources["body"], "standfirst") {
		t.Errorf("sources[body] = %q, want it to name the lead", a.Sources["body"])
	}

	opts := DefaultOptions()
	opts.Fallback = false
	b, err := New(opts).Extract(p)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.Body, standfirst) {
		t.Errorf("without readability the standfirst is there too; the test no longer shows the recovery")
	}
}

// A Chinese title separates the headline from the site name by a dash that
// touches the letters ("武汉的声音-新华网"): the headline repeated as the
// body's first paragraph is that part, found by the titles' own separator
// rule (splitTitle), not by one that wants spaces around a dash.
func TestDropHeadlineSplitsCJKTitles(t *testing.T) {
	st := &state{tags: &pageTags{}, cands: map[string][]Candidate{"title": {{Kind: KindHTML, Value: "武汉的声音-新华网"}}}}
	paras := []string{"武汉的声音", "正文第一段。"}
	got := dropHeadline(paras, st)
	if len(got) != 1 || got[0] != "正文第一段。" {
		t.Errorf("dropHeadline = %q, want the headline dropped", got)
	}
}

// The standfirst class of issue 14: readability's paragraphs above the
// body (the old rule) brought back a teaser set beside the article's
// container, or the standfirst again when the container already held it.
// A paragraph comes back only when the page's description repeats it and
// the body lacks it.
func TestLeadNotATeaserOrARepeat(t *testing.T) {
	article := `<div class="entry-content">
	<p>The council approved the budget on Tuesday evening after a long debate about schools, roads and the new library.</p>
	<p>The vote was seven to two, with two members absent and one abstention recorded by the clerk of the council.</p>
	<p>The mayor said the money would go to the new school first, and to the roads in the old town after that.</p>
	<p>Opposition members said the plan left too little for the library, whose roof has leaked for three winters now.</p>
	<p>The budget takes effect in January; a first report on the school building is due to the council in March.</p>
	</div>`
	for _, tc := range []struct {
		name, desc, above, want string
	}{
		{"teaser beside the article", "How the council voted on the budget.",
			`<p class="promo">Read also our long report on how the city's bus lines are to be cut back next year, and why the drivers say the new timetable will not work.</p>`,
			"The council approved"},
		{"standfirst the description repeats", "The budget passed after four hours of debate, and the schools get the first share of the money.",
			`<p class="standfirst">The budget passed after four hours of debate, and the schools get the first share of the money.</p>`,
			"The budget passed"},
	} {
		page := `<html><head><title>Council approves the budget</title><meta name="description" content="` + tc.desc + `"></head>
		<body><div id="main"><h1>Council approves the budget</h1>` + tc.above + article + `</div></body></html>`
		a, err := New(DefaultOptions()).Extract(Page{HTML: []byte(page), URL: "https://ex.org/news/budget"})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(a.Body, tc.want) {
			t.Errorf("%s: body starts %.80q (%s), want %q", tc.name, a.Body, a.Sources["body"], tc.want)
		}
		if n := strings.Count(a.Body, "The budget passed after four hours"); n > 1 {
			t.Errorf("%s: standfirst %d times in the body", tc.name, n)
		}
	}
}

// Furniture set above the headline repeated in the body (a photo credit, a
// kicker) goes with the headline; a paragraph of text above it stays.
func TestDropHeadlineAfterFurniture(t *testing.T) {
	st := &state{tags: &pageTags{}, cands: map[string][]Candidate{"title": {{Kind: KindHTML, Value: "Council approves the budget | Ex"}}}}
	text := strings.Repeat("The council approved the budget on Tuesday after a long debate. ", 4)
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{[]string{"© Jane Doe", "Council approves the budget", text}, text},
		{[]string{"Politics", "Photo: Jane Doe", "Council approves the budget", text}, text},
		{[]string{text, "Council approves the budget", "More text."}, text},
	} {
		got := dropHeadline(slices.Clone(tc.in), st)
		if len(got) == 0 || got[0] != tc.want {
			t.Errorf("dropHeadline(%.60q) starts %.60q, want %.60q", tc.in, got, tc.want)
		}
	}
}

// The page's description may be its headline: the headline is then no
// standfirst to put before the body.
func TestLeadNotTheHeadline(t *testing.T) {
	const headline = "Vessel returning to the port with 475 pounds of cocaine intercepted by federal agents, the agency says"
	page := `<html><head><title>` + headline + `</title><meta name="description" content="` + headline + `"></head>
	<body><section><h2>` + headline + `</h2></section><div class="entry-content">
	<p>Agents found 475 pounds of cocaine concealed inside a vessel being removed from the water at the public boat ramp on Sunday.</p>
	<p>The vessel had arrived from the neighbouring island the day before, the agency said in a statement released on Monday morning.</p>
	<p>Two men were detained at the ramp and handed over to the federal prosecutors, who will decide on charges later this week.</p>
	<p>The drugs have an estimated value of several million dollars on the street, according to the agency's own estimate.</p>
	</div></body></html>`
	a, err := New(DefaultOptions()).Extract(Page{HTML: []byte(page), URL: "https://ex.org/news/vessel"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(a.Body, "Agents found") {
		t.Errorf("body starts %.80q (%s)", a.Body, a.Sources["body"])
	}
}
