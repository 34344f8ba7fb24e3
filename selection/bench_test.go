package selection

import (
	"context"
	"io"
	"testing"

	"github.com/warcbox/warcbox/internal/testcorpus"
	"github.com/warcbox/warcbox/warc"
)

// BenchmarkEachScattered reads every other record of iana.warc.gz by
// offset (no two adjacent: one request each), bodies included: the
// fetching and parsing that extract --records adds to extraction.
func BenchmarkEachScattered(b *testing.B) {
	path := testcorpus.File(b, "pywb/sample_archive/warcs/iana.warc.gz")
	refs, _ := listing(b, path)
	var rows []Ref
	for i := 0; i < len(refs); i += 2 {
		rows = append(rows, refs[i])
	}
	var bytes int64
	for _, r := range rows {
		bytes += r.Length
	}
	b.SetBytes(bytes)
	b.ReportAllocs()
	for b.Loop() {
		_, err := Each(context.Background(), seq(rows), Options{},
			func(r Ref, rec *warc.Record) (int64, error) { return io.Copy(io.Discard, rec.Body) },
			func(Ref, int64, error) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(rows)*b.N)/b.Elapsed().Seconds(), "records/s")
}
