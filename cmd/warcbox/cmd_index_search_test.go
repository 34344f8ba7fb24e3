package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
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
