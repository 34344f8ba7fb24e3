package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warcbox/warcbox/search"
)

// warcbox index -o writes the search index beside the CDXJ, and a second
// run over the same WARCs leaves it as it was (the files are not read again).
func TestIndexWritesSearchIndex(t *testing.T) {
	d := corpusWARCs(t)
	out := filepath.Join(t.TempDir(), "coll.cdxj")
	g := &globalOptions{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	args := []string{filepath.Join(d, "iana.warc.gz"), filepath.Join(d, "example.warc.gz")}
	if err := runIndex(context.Background(), indexOptions{Output: out}, g, args); err != nil {
		t.Fatal(err)
	}
	sp := filepath.Join(filepath.Dir(out), "coll.search.sqlite")
	check := func() {
		t.Helper()
		ix, err := search.Open(context.Background(), sp, search.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		res, err := ix.Search(context.Background(), search.Query{Text: "renowned"})
		if err != nil || len(res.Hits) != 1 || res.Hits[0].URL != "http://www.iana.org/about" || res.Hits[0].Timestamp != "20140126200706" {
			t.Fatalf("search after index: %+v, %v", res.Hits, err)
		}
	}
	check()
	if err := runIndex(context.Background(), indexOptions{Output: out}, g, args); err != nil {
		t.Fatal(err)
	}
	check()
	// --no-search writes none
	out2 := filepath.Join(t.TempDir(), "other.cdxj")
	if err := runIndex(context.Background(), indexOptions{Output: out2, NoSearch: true}, g, args); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(out2), "other.search.sqlite")); !os.IsNotExist(err) {
		t.Errorf("--no-search wrote a search index: %v", err)
	}
}

// index -o DIR/ writes a search part beside each CDXJ part, complete
// whenever the CDXJ part is, and the parts searched together find the
// pages of every input.
func TestIndexPartsWriteSearchParts(t *testing.T) {
	d := corpusWARCs(t)
	out := filepath.Join(t.TempDir(), "parts") + "/"
	args := []string{filepath.Join(d, "iana.warc.gz"), filepath.Join(d, "example.warc.gz")}
	mustRun(t, append([]string{"index", "-q", "-o", out}, args...)...)
	var ixs []*search.Index
	for _, stem := range []string{"iana", "example"} {
		if _, err := os.Stat(filepath.Join(out, stem+".cdxj")); err != nil {
			t.Fatal(err)
		}
		ix, err := search.Open(context.Background(), filepath.Join(out, stem+".search.sqlite"), search.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		ixs = append(ixs, ix)
	}
	for q, want := range map[string]string{"renowned": "http://www.iana.org/about", "illustrative": "http://example.com?example=1"} {
		// Each part ranks with its own statistics, so only membership is
		// exact across parts.
		res, err := search.SearchAll(context.Background(), ixs, search.Query{Text: q})
		found := false
		for _, h := range res.Hits {
			found = found || h.URL == want
		}
		if err != nil || !found {
			t.Errorf("%s over the parts: %+v, %v", q, res.Hits, err)
		}
	}
	// one part's own index holds its own input's pages alone
	if res, _ := ixs[1].Search(context.Background(), search.Query{Text: "renowned"}); len(res.Hits) != 0 {
		t.Errorf("example's part finds iana's page: %+v", res.Hits)
	}
	ents, _ := os.ReadDir(out)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary %s left", e.Name())
		}
	}
}

// index --merge DIR/ -o all.cdxj also merges the search parts into
// all.search.sqlite: one index that ranks as indexing all inputs at once
// does, and a second merge copies nothing twice.
func TestIndexMergeMergesSearchParts(t *testing.T) {
	d := corpusWARCs(t)
	tmp := t.TempDir()
	parts := filepath.Join(tmp, "parts") + "/"
	args := []string{filepath.Join(d, "iana.warc.gz"), filepath.Join(d, "example.warc.gz")}
	mustRun(t, append([]string{"index", "-q", "-o", parts}, args...)...)
	merged := filepath.Join(tmp, "all.cdxj")
	once := filepath.Join(tmp, "once.cdxj")
	mustRun(t, append([]string{"index", "-q", "-o", once}, args...)...)
	for run := 0; run < 2; run++ {
		mustRun(t, "index", "--merge", "-o", merged, parts)
	}
	ctx := context.Background()
	open := func(p string) *search.Index {
		ix, err := search.Open(ctx, p, search.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ix.Close() })
		return ix
	}
	all, ref := open(filepath.Join(tmp, "all.search.sqlite")), open(filepath.Join(tmp, "once.search.sqlite"))
	for _, q := range []string{"renowned", "illustrative", "iana", "domain"} {
		got, err1 := all.Search(ctx, search.Query{Text: q})
		want, err2 := ref.Search(ctx, search.Query{Text: q})
		if err1 != nil || err2 != nil || len(got.Hits) == 0 || len(got.Hits) != len(want.Hits) {
			t.Fatalf("%s: %d hits merged, %d at once (%v, %v)", q, len(got.Hits), len(want.Hits), err1, err2)
		}
		for i := range got.Hits {
			if got.Hits[i].URL != want.Hits[i].URL || got.Hits[i].Captures != want.Hits[i].Captures || got.Hits[i].Snippet != want.Hits[i].Snippet {
				t.Errorf("%s: hit %d merged %+v, at once %+v", q, i, got.Hits[i], want.Hits[i])
			}
		}
	}
	f1, p1, _ := all.Counts(ctx)
	f2, p2, _ := ref.Counts(ctx)
	if f1 != 2 || f1 != f2 || p1 != p2 {
		t.Errorf("merged holds %d files, %d pages; at once %d, %d", f1, p1, f2, p2)
	}
}

// index -o over an https:// WARC writes its search index too, reading the
// pages' records by Range.
func TestIndexSearchOfRemoteWARC(t *testing.T) {
	d := corpusWARCs(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(d)))
	defer srv.Close()
	out := filepath.Join(t.TempDir(), "remote.cdxj")
	mustRun(t, "index", "-q", "-o", out, srv.URL+"/iana.warc.gz")
	ix, err := search.Open(context.Background(), filepath.Join(filepath.Dir(out), "remote.search.sqlite"), search.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	res, err := ix.Search(context.Background(), search.Query{Text: "renowned"})
	if err != nil || len(res.Hits) != 1 || res.Hits[0].URL != "http://www.iana.org/about" {
		t.Errorf("search of a remote WARC's pages: %+v, %v", res.Hits, err)
	}
}
