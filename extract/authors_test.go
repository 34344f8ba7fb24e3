package extract

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"slices"
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
