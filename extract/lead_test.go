package extract

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
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
