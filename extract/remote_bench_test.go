package extract

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/warcbox/warcbox/internal/tests3"
	"github.com/warcbox/warcbox/storage"
	"github.com/warcbox/warcbox/warc"
)

// BenchmarkRunCollection is `warcbox extract` over a collection of 8
// WARC.gz files of evaluation pages, read from local disk and from a real
// S3 server on 127.0.0.1 (versitygw): the issue asks S3 for at least 0.8×
// the local pages/s. Compare the two sub-benchmarks of one run
// (bench/remote/run.sh prints the ratio).
func BenchmarkRunCollection(b *testing.B) {
	pages := evalPages(b, 80)
	dir := b.TempDir()
	const files = 8
	per := (len(pages) + files - 1) / files
	for i := 0; i < files; i++ {
		lo, hi := i*per, min((i+1)*per, len(pages))
		if lo >= hi {
			break
		}
		p := pagesWARC(b, pages[lo:hi])
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("part-%02d.warc.gz", i)), data, 0o644)
	}
	srv := tests3.Start(b)
	srv.Bucket(b, "bench")
	srv.PutDir(b, "bench", "coll", dir)
	ex := New(DefaultOptions())
	for _, tc := range []struct{ name, arg string }{{"local", dir}, {"s3", "s3://bench/coll/"}} {
		b.Run(tc.name, func(b *testing.B) {
			st := storage.New(storage.Options{})
			inputs, err := warc.ExpandContext(context.Background(), []string{tc.arg}, nil, warc.Options{Store: st})
			if err != nil || len(inputs) != files {
				b.Fatalf("%d inputs: %v", len(inputs), err)
			}
			n := 0
			for b.Loop() {
				err := Run(context.Background(), inputs, RunOptions{Extractor: ex, Store: st}, func(Article) error { n++; return nil })
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "pages/s")
			b.ReportMetric(float64(runtime.NumCPU()), "cores")
		})
	}
}
