package extract

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// sameAsNormal extracts page with and without Explain and fails when any
// field but Explain differs.
func sameAsNormal(t *testing.T, opts Options, p Page) Article {
	t.Helper()
	a, errA := New(opts).Extract(p)
	opts.Explain = true
	x, errX := New(opts).Extract(p)
	if (errA == nil) != (errX == nil) {
		t.Fatalf("%s: error %v normally, %v with --explain", p.URL, errA, errX)
	}
	if x.Explain == nil && errX == nil {
		t.Fatalf("%s: --explain gave no explanation", p.URL)
	}
	x.Explain = nil
	if !reflect.DeepEqual(a, x) {
		aj, _ := json.Marshal(a)
		xj, _ := json.Marshal(x)
		t.Errorf("%s: --explain changes the article:\nnormal  %s\nexplain %s", p.URL, aj, xj)
	}
	return a
}

// The URL names the day and JSON-LD the same day with its time and offset,
// so a normal run does not need go-htmldate. --explain used to run
// go-htmldate before the choice (when this test was written, JSON-LD gave
// UTC here and go-htmldate's reading of a vendor meta name changed
// published); it now runs after it, and its candidate says why it lost.
func TestExplainKeepsPublished(t *testing.T) {
	page := `<html><head><title>T</title>
	<script type="application/ld+json">{"@type":"NewsArticle","headline":"T","datePublished":"2020-05-01T09:00:00+01:00"}</script>
	<meta name="shareaholic:article_published_time" content="2020-05-01T10:00:00+02:00">
	</head><body><article><h1>T</h1><p>Text.</p></article></body></html>`
	p := Page{HTML: []byte(page), URL: "https://ex.org/2020/05/01/story", CaptureDate: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	a := sameAsNormal(t, Options{SkipBody: true}, p)
	if a.Published != "2020-05-01T09:00:00+01:00" {
		t.Errorf("published %q, want JSON-LD's 2020-05-01T09:00:00+01:00", a.Published)
	}
	x, _ := New(Options{SkipBody: true, Explain: true}).Extract(p)
	listed := false
	for _, c := range x.Explain["published"] {
		if c.Kind == KindHTMLDate {
			listed = true
			if c.Chosen || !strings.Contains(c.Why, "not read by a run without --explain") {
				t.Errorf("go-htmldate's candidate %+v: want it listed as not read by a normal run", c)
			}
		}
	}
	if !listed {
		t.Errorf("--explain does not list go-htmldate's candidate: %+v", x.Explain["published"])
	}
}

// Over pages of both evaluation sets, --explain gives exactly the fields of
// a normal run (the htmldate set's pages, whose dates are the hard part,
// metadata only; the first trafilatura pages with their body).
func TestExplainSameAsNormalOnEvalPages(t *testing.T) {
	if testing.Short() {
		t.Skip("reads ../shared/extract-eval pages")
	}
	type page struct{ url, file string }
	read := func(dir, name string, n int) []page {
		raw, err := os.ReadFile(filepath.Join(dir, "tests", name))
		if err != nil {
			t.Fatal(err)
		}
		raw = bytes.ReplaceAll(raw, []byte(": NaN"), []byte(": null")) // bare NaN is not JSON
		var m map[string]struct {
			File string `json:"file"`
		}
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var out []page
		for u, v := range m {
			out = append(out, page{u, v.File})
		}
		slices.SortFunc(out, func(a, b page) int { return strings.Compare(a.url, b.url) })
		return out[:min(n, len(out))]
	}
	gz := func(dir, file string) []byte {
		for _, sub := range []string{"eval", "cache", "test_set"} {
			f, err := os.Open(filepath.Join(dir, "tests", sub, file+".gz"))
			if err != nil {
				continue
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
			return b
		}
		t.Fatalf("%s: not found", file)
		return nil
	}
	capture := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	hd := sharedDir(t, "htmldate")
	n := 0
	for _, name := range []string{"eval_default.json", "eval_mediacloud_2020.json"} {
		for _, p := range read(hd, name, 80) {
			sameAsNormal(t, Options{SkipBody: true}, Page{HTML: gz(hd, p.file), URL: p.url, CaptureDate: capture})
			n++
		}
	}
	td := sharedDir(t, "trafilatura")
	for _, p := range read(td, "evaldata.json", 15) {
		sameAsNormal(t, DefaultOptions(), Page{HTML: gz(td, p.file), URL: p.url, CaptureDate: capture})
		n++
	}
	t.Logf("%d pages extracted alike with and without --explain", n)
}
