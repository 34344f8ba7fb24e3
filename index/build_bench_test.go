package index

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/warcbox/warcbox/cdxj"
)

// BenchmarkIndexFile indexes pywb's iana.warc.gz (343 records, 787 kB):
// the whole hot path of `warcbox index` but the sort.
func BenchmarkIndexFile(b *testing.B) {
	path := filepath.Join(corpusDir(b), "pywb/sample_archive/warcs/iana.warc.gz")
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(fi.Size())
	var buf []byte
	for b.Loop() {
		_, err := BuildFile(context.Background(), path, Options{}, func(l *cdxj.Line) error {
			buf = l.AppendTo(buf[:0])
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
