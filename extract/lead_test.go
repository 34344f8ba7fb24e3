package extract

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestLeadParagraphs(t *testing.T) {
	lead := "The council voted on Monday to close the old bridge for good, after engineers found cracks in two of its piers."
	body := "Engineers had warned for years that the piers were failing.\n\nA new bridge is planned for 2030."
	readable := []string{
		"Local news",
		"Photo: City archive",
		lead,
		"Engineers had warned for years that the piers were failing.",
		"A new bridge is planned for 2030.",
	}
	got := leadParagraphs(readable, body)
	if len(got) != 1 || got[0] != lead {
		t.Fatalf("leadParagraphs = %q, want the standfirst alone", got)
	}

	for _, tc := range []struct {
		name     string
		readable []string
	}{
		{"no anchor in body", []string{lead, "Something else entirely that is long enough to anchor."}},
		{"anchor is first", []string{"Engineers had warned for years that the piers were failing.", lead}},
		{"too short", []string{"A short kicker line.", "Engineers had warned for years that the piers were failing."}},
		{"ends with a colon", []string{"Here is what the council decided on Monday evening, in the order the motions were put to the vote:", "Engineers had warned for years that the piers were failing."}},
		{"cookie banner", []string{"We use cookies to give you the best experience on our site; by continuing you agree to our policy.", "Engineers had warned for years that the piers were failing."}},
		{"already in body", []string{"A new bridge is planned for 2030.", "Engineers had warned for years that the piers were failing."}},
		{"too far above", []string{lead, "A second paragraph above the body that is long enough but ends with no stop", "Another label", "Engineers had warned for years that the piers were failing."}},
	} {
		if got := leadParagraphs(tc.readable, body); len(got) != 0 {
			t.Errorf("%s: leadParagraphs = %q, want none", tc.name, got)
		}
	}
	if got := leadParagraphs(readable, ""); got != nil {
		t.Errorf("empty body: got %q", got)
	}
}

func TestEndsSentence(t *testing.T) {
	for s, want := range map[string]bool{
		"It rained.": true, "Did it rain?": true, "»Es regnete.«": true, "“It rained.”": true,
		"下雨了。": true, "It rained": false, "Read this:": false, "(Photo: Getty)": false,
	} {
		if got := endsSentence(s); got != want {
			t.Errorf("endsSentence(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestLeadSkip(t *testing.T) {
	doc, err := html.Parse(strings.NewReader(`<div><p>Lead paragraph text.</p>` +
		`<figure><img src=a.jpg><figcaption>The bridge in 1950 (Photo: Archive)</figcaption></figure>` +
		`<p class="image-credit">Reuters/Someone</p><div id="cookie-notice"><p>We use cookies.</p></div><p>Body.</p></div>`))
	if err != nil {
		t.Fatal(err)
	}
	got := blockTexts(doc, leadSkip)
	want := []string{"Lead paragraph text.", "Body."}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("blockTexts with leadSkip = %q, want %q", got, want)
	}
}

// TestLeadRecovered runs the extractor on a page of trafilatura's evaluation
// set (../shared/extract-eval/trafilatura, ahlen.de.reparaturcafe.html,
// whose first labelled segment is the standfirst above the article body).
// go-trafilatura alone starts the body after it.
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
	if !strings.Contains(a.Sources["body"], leadSource) {
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
