package extract

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBadInput feeds what real crawls contain: none of it may panic, and
// each result either extracts or says why not in Article.Error.
func TestBadInput(t *testing.T) {
	deep := strings.Repeat("<div>", 20000) + "deep text" + strings.Repeat("</div>", 20000)
	tests := []struct {
		name    string
		page    Page
		wantErr string // substring of Article.Error, "" for none
		check   func(t *testing.T, a Article)
	}{
		{name: "empty", page: Page{}, wantErr: "not HTML"},
		{name: "png as text/html", page: Page{HTML: append([]byte{0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a}, make([]byte, 200)...), ContentType: "text/html"}, wantErr: "not HTML"},
		{name: "pdf", page: Page{HTML: []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), ContentType: "text/html"}, wantErr: "not HTML"},
		{name: "json", page: Page{HTML: []byte(`{"a": [1,2,3]}`), ContentType: "text/html"}, wantErr: "not HTML"},
		{name: "invalid json-ld", page: Page{HTML: []byte(`<html><head><title>T</title><script type="application/ld+json">{"@type": "NewsArticle", "headline": "H" ,,, ]]]</script></head><body><p>x</p></body></html>`)},
			check: func(t *testing.T, a Article) {
				if a.Title != "T" {
					t.Errorf("title %q", a.Title)
				}
			}},
		{name: "json-ld reference cycle", page: Page{HTML: []byte(`<html><head><script type="application/ld+json">[{"@id":"a","@type":"NewsArticle","headline":"Loop","author":{"@id":"b"}},{"@id":"b","@type":"Person","name":"P","knows":{"@id":"a"}}]</script></head><body></body></html>`)},
			check: func(t *testing.T, a Article) {
				if a.Title != "Loop" || len(a.Authors) != 1 {
					t.Errorf("title %q authors %q", a.Title, a.Authors)
				}
			}},
		{name: "declared utf-16 but ascii", page: Page{HTML: []byte(`<html><head><meta charset="utf-16"><title>Plain</title></head></html>`)},
			check: func(t *testing.T, a Article) {
				if a.Title != "Plain" {
					t.Errorf("title %q", a.Title)
				}
			}},
		{name: "unknown charset", page: Page{HTML: []byte("<html><head><title>Caf\xe9</title></head></html>"), ContentType: "text/html; charset=x-no-such-thing"},
			check: func(t *testing.T, a Article) {
				if a.Title != "Café" {
					t.Errorf("title %q", a.Title)
				}
			}},
		{name: "deeply nested", page: Page{HTML: []byte("<html><body>" + deep + "</body></html>")}},
		{name: "date after capture ignored", page: Page{HTML: []byte(`<html><head><meta property="article:published_time" content="2030-01-01T00:00:00Z"><meta name="date" content="2020-05-06"></head><body></body></html>`), CaptureDate: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)},
			check: func(t *testing.T, a Article) {
				if a.Published != "2020-05-06" {
					t.Errorf("published %q", a.Published)
				}
			}},
		{name: "text/plain body with tags", page: Page{HTML: []byte("  \n\n<title>Late start</title><p>body</p>")},
			check: func(t *testing.T, a Article) {
				if a.Title != "Late start" {
					t.Errorf("title %q", a.Title)
				}
			}},
	}
	ex := New(Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := ex.Extract(tt.page)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(a.Error, tt.wantErr) {
					t.Fatalf("error %v / %q, want %q", err, a.Error, tt.wantErr)
				}
				if !errors.Is(err, ErrNotHTML) {
					t.Errorf("error %v is not ErrNotHTML", err)
				}
			} else if err != nil || a.Error != "" {
				t.Fatalf("error %v / %q", err, a.Error)
			}
			if tt.check != nil {
				tt.check(t, a)
			}
		})
	}
}

// TestHugePage: a 50 MB page is cut at MaxBytes, extracted, and says so.
func TestHugePage(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("<html><head><title>Huge</title></head><body>")
	para := []byte("<p>" + strings.Repeat("word ", 40) + "</p>\n")
	for b.Len() < 50<<20 {
		b.Write(para)
	}
	start := time.Now()
	a, err := New(Options{SkipBody: true, MaxBytes: 4 << 20}).Extract(Page{HTML: b.Bytes()})
	if err == nil || !strings.Contains(a.Error, "truncated") {
		t.Fatalf("error %v / %q, want truncation", err, a.Error)
	}
	if a.Title != "Huge" {
		t.Errorf("title %q", a.Title)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("took %s", d)
	}
}

// FuzzExtract runs the whole HTML→Article path: no panic, a JSON-encodable
// Article, and an error exactly when Article.Error says one.
func FuzzExtract(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "fuzz-seed", "*.html"))
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err == nil {
			f.Add(b, "text/html")
		}
	}
	f.Add(articleHTML("Seed", "Author"), "text/html; charset=utf-8")
	f.Add([]byte(`<html><script type="application/ld+json">{"@graph":[{"@id":"x","@type":"Article","author":{"@id":"x"}}]}</script>`), "")
	f.Add([]byte("<html><head><meta charset=shift_jis><title>\x93\xfa</title>"), "")
	f.Add([]byte("<html><head><meta charset=\"utf-8\"><title>Sz\xe9p \xf5r</title>"), "text/html; charset=ISO-8859-1")
	f.Add([]byte(`<meta property="og:title" content="&lt;i&gt;Nova&lt;/i&gt;'s &amp;amp; <b">`), "")
	f.Add([]byte(`<script type="application/ld+json">{"@type":"Article","author":{"name":"<a href=\"/a\">Jan Kowalski</a>, <a>Anna"}}</script>`), "")
	f.Add([]byte("<div itemscope itemref=a id=a><span itemprop=name>x</span></div>"), "text/html")
	ex := New(Options{SkipBody: true})
	f.Fuzz(func(t *testing.T, b []byte, ct string) {
		a, err := ex.Extract(Page{HTML: b, ContentType: ct, URL: "https://ex.org/2024/01/02/x"})
		if (err != nil) != (a.Error != "") {
			t.Fatalf("err %v but Article.Error %q", err, a.Error)
		}
		if _, jerr := json.Marshal(a); jerr != nil {
			t.Fatal(jerr)
		}
	})
}

// FuzzExtractBody runs the body path too (go-trafilatura, the doubtful-page
// fallbacks, standfirst and headline rules): no panic, the error contract
// of FuzzExtract, and a word count that matches the body.
func FuzzExtractBody(f *testing.F) {
	f.Add(articleHTML("Seed", "Author"))
	f.Add([]byte(`<html><head><meta name="description" content="A standfirst long enough to be taken back as the lead of this page."></head><body><article><h1>H</h1><p>A standfirst long enough to be taken back as the lead of this page.</p><p>Body text.</p></article></body></html>`))
	f.Add([]byte(`<ul><li><a href="/a">A link text that is long enough</a></li><li><a href="/b">Another link text of some length</a></li></ul>`))
	ex := New(DefaultOptions())
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := ex.Extract(Page{HTML: b, URL: "https://ex.org/2024/01/02/x"})
		if (err != nil) != (a.Error != "") {
			t.Fatalf("err %v but Article.Error %q", err, a.Error)
		}
		if a.WordCount != countWords(a.Body) {
			t.Fatalf("word count %d for a body of %d words", a.WordCount, countWords(a.Body))
		}
	})
}
