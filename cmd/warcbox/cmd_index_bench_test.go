package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// smallWARCs writes n one-page WARCs (a gzip member each for the response
// and its request, ~2 KB) into dir/many and the same bytes as one file
// dir/one/all.warc.gz: the shape of a crawl that rotates files per page.
func smallWARCs(tb testing.TB, dir string, n int) (many, one string) {
	tb.Helper()
	many, one = filepath.Join(dir, "many"), filepath.Join(dir, "one")
	for _, d := range []string{many, one} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	rec := func(typ, uri, ct, block string, id int) []byte {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		fmt.Fprintf(zw, "WARC/1.0\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%08x-0000-4000-8000-000000000000>\r\nWARC-Date: 2024-01-01T00:00:00Z\r\nWARC-Target-URI: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n",
			typ, id, uri, ct, len(block), block)
		zw.Close()
		return b.Bytes()
	}
	var all bytes.Buffer
	for i := 0; i < n; i++ {
		uri := fmt.Sprintf("http://many.test/page/%d", i)
		body := fmt.Sprintf("<html><head><title>Page %d</title></head><body><p>Small page number %d, word%d, lorem ipsum dolor sit amet.</p></body></html>", i, i, i)
		var f bytes.Buffer
		f.Write(rec("response", uri, "application/http;msgtype=response",
			fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s", len(body), body), 2*i))
		f.Write(rec("request", uri, "application/http;msgtype=request",
			fmt.Sprintf("GET /page/%d HTTP/1.1\r\nHost: many.test\r\n\r\n", i), 2*i+1))
		if err := os.WriteFile(filepath.Join(many, fmt.Sprintf("f%05d.warc.gz", i)), f.Bytes(), 0o644); err != nil {
			tb.Fatal(err)
		}
		all.Write(f.Bytes())
	}
	if err := os.WriteFile(filepath.Join(one, "all.warc.gz"), all.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
	return many, one
}

// BenchmarkIndexManySmallFiles: `warcbox index -o` (CDXJ and search
// index) over 5,000 small WARCs against the same records in one file
// (issue 12: 21 s against 5 s). go test -bench ManySmall -benchtime 1x ./cmd/warcbox
func BenchmarkIndexManySmallFiles(b *testing.B) {
	many, one := smallWARCs(b, b.TempDir(), 5000)
	for _, in := range []struct{ name, dir string }{{"files=5000", many}, {"files=1", one}} {
		for _, search := range []bool{false, true} {
			b.Run(fmt.Sprintf("%s/search=%v", in.name, search), func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					out := filepath.Join(b.TempDir(), "i.cdxj")
					g := &globalOptions{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
					if err := runIndex(context.Background(), indexOptions{Output: out, NoSearch: !search}, g, []string{in.dir}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/5000, "ns/page")
			})
		}
	}
}
