package replay

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/warcbox/warcbox/storage"
	"github.com/warcbox/warcbox/wacz"
)

// fillerWARC writes an uncompressed WARC of n resource records of 1 MiB of
// random bytes: a package that is large in bytes but small in captures.
func fillerWARC(b *testing.B, dir string, n int) string {
	var buf bytes.Buffer
	r := rand.New(rand.NewPCG(3, 4))
	block := make([]byte, 1<<20)
	for i := 0; i < n; i++ {
		for j := range block {
			block[j] = byte(r.IntN(256))
		}
		fmt.Fprintf(&buf, "WARC/1.1\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-%012d>\r\n"+
			"WARC-Date: 2014-01-26T20:06:24Z\r\nWARC-Target-URI: http://filler.example/%d.bin\r\nContent-Type: application/octet-stream\r\n"+
			"Content-Length: %d\r\n\r\n", i, i, len(block))
		buf.Write(block)
		buf.WriteString("\r\n\r\n")
	}
	p := filepath.Join(dir, "filler.warc")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkReplayWACZFirstPage is the time from `warcbox replay` opening a
// WACZ to the first page served (the IANA home page, rewritten), from the
// local file and over HTTP (a fresh Store each time: nothing cached), for
// a small package (iana.warc.gz, 0.8 MB) and one 64 MiB larger in bytes.
// heap-MB is the heap held once the page is served: flat whatever the
// package's size, since a remote package is read by Range, never whole.
// fetched-KB is what the HTTP server sent. The zipnum package holds
// iana.warc.gz with a ZipNum index of 150,000 captures (1.7 MB of
// blocks): large in captures, searched in place.
func BenchmarkReplayWACZFirstPage(b *testing.B) {
	dir := b.TempDir()
	iana := filepath.Join(sampleDir(b), "iana.warc.gz")
	small := filepath.Join(dir, "small.wacz")
	big := filepath.Join(dir, "big.wacz")
	ctx := context.Background()
	if err := wacz.WriteFile(ctx, small, wacz.Options{WARCs: []string{iana}, Software: "bench"}); err != nil {
		b.Fatal(err)
	}
	if err := wacz.WriteFile(ctx, big, wacz.Options{WARCs: []string{iana, fillerWARC(b, dir, 64)}, Software: "bench"}); err != nil {
		b.Fatal(err)
	}
	zipnum, _ := waczWithZipNum(b, b.TempDir(), 150000)
	if err := os.Rename(zipnum, filepath.Join(dir, "zipnum.wacz")); err != nil {
		b.Fatal(err)
	}
	zipnum = filepath.Join(dir, "zipnum.wacz")
	var sent atomic.Int64
	fs := http.FileServer(http.Dir(dir))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.ServeHTTP(&countingWriter{w, &sent}, r)
	}))
	defer srv.Close()
	const page = "/web/20140126200624/http://www.iana.org/"
	// Warm up (templates, rules, first-use allocations) outside the
	// figures, so that the first sub-benchmark does not pay for all.
	if s, err := New(ctx, Config{Paths: []string{small}, PollInterval: -1}); err == nil {
		s.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, page, nil))
		s.Close()
	}
	for _, tc := range []struct{ name, path string }{
		{"local-small", small}, {"http-small", srv.URL + "/small.wacz"},
		{"local-big", big}, {"http-big", srv.URL + "/big.wacz"},
		{"local-zipnum", zipnum}, {"http-zipnum", srv.URL + "/zipnum.wacz"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var heap uint64
			sent.Store(0)
			for b.Loop() {
				st := storage.New(storage.Options{})
				s, err := New(ctx, Config{Paths: []string{tc.path}, PollInterval: -1, Store: st})
				if err != nil {
					b.Fatal(err)
				}
				w := httptest.NewRecorder()
				s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, page, nil))
				if w.Code != 200 {
					b.Fatalf("%d", w.Code)
				}
				b.StopTimer()
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				heap = max(heap, ms.HeapAlloc)
				s.Close()
				st.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/first-page")
			b.ReportMetric(float64(heap)/(1<<20), "heap-MB")
			b.ReportMetric(float64(sent.Load())/float64(b.N)/1024, "fetched-KB")
		})
	}
}
