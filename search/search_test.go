package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sync/errgroup"

	"github.com/warcbox/warcbox/index"
	"github.com/warcbox/warcbox/internal/testcorpus"
	"github.com/warcbox/warcbox/warc"
)

// pagesOf indexes a WARC as replay and warcbox index do and returns its
// captures as search pages.
func pagesOf(t testing.TB, path, name string) []Page {
	t.Helper()
	caps, err := index.ReadCaptures(context.Background(), path, index.Options{Filename: name})
	if err != nil {
		t.Fatal(err)
	}
	var pages []Page
	for _, c := range caps {
		if Indexable(c.Status, c.Mime, c.Method) {
			pages = append(pages, Page{URL: c.URL, Timestamp: c.Timestamp, Status: c.Status, Mime: c.Mime, Filename: c.Filename, Offset: c.Offset})
		}
	}
	return pages
}

func ianaIndex(t testing.TB) (*Index, string) {
	t.Helper()
	warcPath := filepath.Join(testcorpus.Dir(t), "pywb", "sample_archive", "warcs", "iana.warc.gz")
	dbPath := filepath.Join(t.TempDir(), "search.sqlite")
	ix, err := Open(context.Background(), dbPath, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	n, skipped, err := ix.AddWARC(context.Background(), warcPath, "iana.warc.gz", pagesOf(t, warcPath, "iana.warc.gz"))
	if err != nil || skipped || n < 10 {
		t.Fatalf("AddWARC: %d pages, skipped %v, err %v", n, skipped, err)
	}
	return ix, warcPath
}

func TestSearchBodyWord(t *testing.T) {
	ix, _ := ianaIndex(t)
	ctx := context.Background()
	for _, tc := range []struct{ q, url, title string }{
		// words of the body text alone, not of the title
		{"renowned", "http://www.iana.org/about", "IANA — About the Internet Assigned Numbers Authority"},
		{"RENOWNED worldwide", "http://www.iana.org/about", "IANA — About the Internet Assigned Numbers Authority"},
		{"renown*", "http://www.iana.org/about", "IANA — About the Internet Assigned Numbers Authority"},
		{"Autonomous", "http://www.iana.org/numbers", "IANA — Number Resources"},
	} {
		res, err := ix.Search(ctx, Query{Text: tc.q})
		if err != nil {
			t.Fatalf("%q: %v", tc.q, err)
		}
		if len(res.Hits) == 0 || res.Hits[0].URL != tc.url || res.Hits[0].Title != tc.title {
			t.Fatalf("%q: hits %+v, want %s first", tc.q, res.Hits, tc.url)
		}
		h := res.Hits[0]
		if h.Status != "200" || h.Mime != "text/html" || len(h.Timestamp) != 14 || h.Captures < 1 {
			t.Errorf("%q: hit %+v", tc.q, h)
		}
		var marked []string
		for _, p := range h.SnippetParts {
			if p.Match {
				marked = append(marked, strings.ToLower(p.Text))
			}
		}
		first := strings.ToLower(strings.Fields(strings.TrimSuffix(tc.q, "*"))[0])
		if len(marked) == 0 || !strings.HasPrefix(marked[0], first) || !strings.Contains(strings.ToLower(h.Snippet), first) {
			t.Errorf("%q: snippet %q, marked %q", tc.q, h.Snippet, marked)
		}
	}
	// every word is required
	res, err := ix.Search(ctx, Query{Text: "renowned zebracorn"})
	if err != nil || len(res.Hits) != 0 {
		t.Errorf("a word no page has: %+v, %v", res.Hits, err)
	}
	// a title word ranks the page whose title has it first
	res, err = ix.Search(ctx, Query{Text: "protocol registries"})
	if err != nil || len(res.Hits) == 0 || res.Hits[0].URL != "http://www.iana.org/protocols" {
		t.Errorf("title words: %+v, %v", res.Hits, err)
	}
}

func TestSearchLimitsAndPaging(t *testing.T) {
	ix, _ := ianaIndex(t)
	ctx := context.Background()
	all, err := ix.Search(ctx, Query{Text: "iana", Limit: MaxLimit})
	if err != nil || len(all.Hits) < 5 || all.More {
		t.Fatalf("all: %d hits, more %v, %v", len(all.Hits), all.More, err)
	}
	seen := map[string]bool{}
	for _, h := range all.Hits {
		if seen[h.URL] {
			t.Errorf("URL %s listed twice", h.URL)
		}
		seen[h.URL] = true
	}
	page1, _ := ix.Search(ctx, Query{Text: "iana", Limit: 2})
	page2, _ := ix.Search(ctx, Query{Text: "iana", Limit: 2, Offset: 2})
	if len(page1.Hits) != 2 || !page1.More || len(page2.Hits) != 2 ||
		page1.Hits[0].URL != all.Hits[0].URL || page2.Hits[0].URL != all.Hits[2].URL {
		t.Errorf("paging: %+v then %+v", page1, page2)
	}
	huge, _ := ix.Search(ctx, Query{Text: "iana", Limit: 1 << 30})
	if len(huge.Hits) > MaxLimit {
		t.Errorf("limit not capped: %d", len(huge.Hits))
	}
	for _, q := range []string{"", "   ", `"*"`, "-- ()", strings.Repeat("a ", MaxQueryLen), strings.Repeat("w ", MaxTerms+1), "\xff\xfe"} {
		if _, err := ix.Search(ctx, Query{Text: q}); !errors.Is(err, ErrBadQuery) {
			t.Errorf("%q: err %v, want ErrBadQuery", q, err)
		}
	}
	// FTS5 syntax in the words is text, not operators
	for _, q := range []string{`NOT iana`, `iana OR`, `title:iana`, `NEAR(iana`, `"iana`, `iana^`, `{iana}`} {
		if _, err := ix.Search(ctx, Query{Text: q}); err != nil {
			t.Errorf("%q: %v", q, err)
		}
	}
}

func TestSearchIncremental(t *testing.T) {
	ix, warcPath := ianaIndex(t)
	ctx := context.Background()
	// unchanged: skipped
	n, skipped, err := ix.AddWARC(ctx, warcPath, "iana.warc.gz", pagesOf(t, warcPath, "iana.warc.gz"))
	if err != nil || !skipped || n != 0 {
		t.Fatalf("second AddWARC: %d, skipped %v, %v", n, skipped, err)
	}
	// reopened from disk: still there
	path := ix.Path()
	ix.Close()
	ix2, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix2.Close()
	res, err := ix2.Search(ctx, Query{Text: "renowned"})
	if err != nil || len(res.Hits) != 1 || res.Hits[0].Captures != 1 {
		t.Fatalf("after reopening: %+v, %v", res.Hits, err)
	}
	// a file indexed again replaces its pages rather than doubling them
	if _, err := ix2.AddFile(ctx, "iana.warc.gz", Stamp{Size: 1}, pagesOf(t, warcPath, "iana.warc.gz"), readerFor(t, warcPath)); err != nil {
		t.Fatal(err)
	}
	res, _ = ix2.Search(ctx, Query{Text: "renowned"})
	if len(res.Hits) != 1 || res.Hits[0].Captures != 1 {
		t.Fatalf("after indexing again: %+v", res.Hits)
	}
	if err := ix2.RemoveFile(ctx, "iana.warc.gz"); err != nil {
		t.Fatal(err)
	}
	res, _ = ix2.Search(ctx, Query{Text: "renowned"})
	if len(res.Hits) != 0 {
		t.Fatalf("after removing: %+v", res.Hits)
	}
}

func TestSearchUnreadablePagesLeftOut(t *testing.T) {
	warcPath := filepath.Join(testcorpus.Dir(t), "pywb", "sample_archive", "warcs", "iana.warc.gz")
	ix, err := Open(context.Background(), filepath.Join(t.TempDir(), "s.sqlite"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	pages := pagesOf(t, warcPath, "iana.warc.gz")
	good := len(pages)
	pages = append(pages, Page{URL: "http://bad.example/", Timestamp: "20200101000000", Status: "200", Mime: "text/html", Offset: 12345})
	n, err := ix.AddFile(context.Background(), "iana.warc.gz", Stamp{}, pages, readerFor(t, warcPath))
	if err != nil || n != good {
		t.Fatalf("%d pages indexed of %d good, %v", n, good, err)
	}
}

func readerFor(t testing.TB, path string) RecordReader {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return func(p Page) (*warc.Record, error) { return warc.ReadAtFile(f, p.Offset, path) }
}

func FuzzSearchQuery(f *testing.F) {
	for _, s := range []string{"renowned", `"a b"`, "x*", "NOT", "a OR b", "(", "^a", "NEAR(a b)", "col:x", "\u00e9t\u00e9", "-"} {
		f.Add(s)
	}
	ix, err := Open(context.Background(), filepath.Join(f.TempDir(), "f.sqlite"), Options{})
	if err != nil {
		f.Fatal(err)
	}
	defer ix.Close()
	f.Fuzz(func(t *testing.T, q string) {
		// any text is either a query SQLite accepts or ErrBadQuery
		if _, err := ix.Search(context.Background(), Query{Text: q}); err != nil && !errors.Is(err, ErrBadQuery) {
			t.Fatalf("%q: %v", q, err)
		}
	})
}

// One Writer takes many files from several goroutines and commits them in
// batches: every file is recorded and searchable after Flush, and files
// added again replace their pages instead of doubling them.
func TestWriterManyFiles(t *testing.T) {
	warcPath := filepath.Join(testcorpus.Dir(t), "pywb", "sample_archive", "warcs", "iana.warc.gz")
	ctx := context.Background()
	ix, err := Open(ctx, filepath.Join(t.TempDir(), "w.sqlite"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	pages := pagesOf(t, warcPath, "iana.warc.gz")
	read := readerFor(t, warcPath)
	const files = 10
	add := func(from, to int) {
		t.Helper()
		w := ix.NewWriter()
		var eg errgroup.Group
		eg.SetLimit(4)
		for i := from; i < to; i++ {
			eg.Go(func() error {
				_, err := w.AddFile(ctx, fmt.Sprintf("f%02d.warc.gz", i), Stamp{Size: int64(i)}, pages, read)
				return err
			})
		}
		if err := eg.Wait(); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(ctx); err != nil {
			t.Fatal(err)
		}
	}
	check := func(when string) {
		t.Helper()
		res, err := ix.Search(ctx, Query{Text: "renowned"})
		if err != nil || len(res.Hits) != 1 || res.Hits[0].Captures != files {
			t.Fatalf("%s: %+v, %v; want one URL with %d captures", when, res.Hits, err, files)
		}
		for i := 0; i < files; i++ {
			if !ix.Indexed(ctx, fmt.Sprintf("f%02d.warc.gz", i), Stamp{Size: int64(i)}) {
				t.Fatalf("%s: file %d not recorded", when, i)
			}
		}
	}
	add(0, files)
	check("first pass")
	add(files/2, files)
	check("half added again")
}
