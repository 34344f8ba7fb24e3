package search

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/warcbox/warcbox/internal/testcorpus"
)

// BenchmarkAddFile indexes the pages of pywb's iana.warc.gz (reading each
// record, its text, and the FTS5 inserts).
func BenchmarkAddFile(b *testing.B) {
	warcPath := filepath.Join(testcorpus.Dir(b), "pywb", "sample_archive", "warcs", "iana.warc.gz")
	pages := pagesOf(b, warcPath, "iana.warc.gz")
	ix, err := Open(context.Background(), filepath.Join(b.TempDir(), "b.sqlite"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	read := readerFor(b, warcPath)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := ix.AddFile(context.Background(), "iana.warc.gz", Stamp{}, pages, read); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(pages)*b.N)/b.Elapsed().Seconds(), "pages/s")
}

func BenchmarkSearch(b *testing.B) {
	ix, _ := ianaIndex(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := ix.Search(context.Background(), Query{Text: "internet numbers"}); err != nil {
			b.Fatal(err)
		}
	}
}
