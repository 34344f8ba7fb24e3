package replay

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// gzipZeros is a gzip bomb: n zero bytes (a multiple of 1 MiB) as
// repeated gzip members of 1 MiB each, about 1 KB apiece.
func gzipZeros(t testing.TB, n int64) []byte {
	var m bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&m, gzip.BestCompression)
	zw.Write(make([]byte, 1<<20))
	zw.Close()
	return bytes.Repeat(m.Bytes(), int(n>>20))
}

// TestRangeOnGzipBomb: Range and HEAD on a payload that decodes to far
// more than it stores are bounded by MaxDecoded, stop when the client
// goes, and leave no temporary file.
func TestRangeOnGzipBomb(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	bomb := gzipZeros(t, 256<<20)
	medium := gzipZeros(t, 12<<20) // over the 8 MiB kept in memory: spooled to a file
	var w bytes.Buffer
	for _, r := range []struct {
		url  string
		body []byte
	}{{"http://bomb.test/video.mp4", bomb}, {"http://bomb.test/medium.mp4", medium}} {
		w.WriteString(warcRecord(r.url, "2024-01-01T00:00:00Z", fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n", len(r.body))+string(r.body)))
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bomb.warc"), w.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := New(ctx, Config{Paths: []string{dir}, PollInterval: -1, MaxDecoded: 64 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv := httptest.NewServer(s)
	defer srv.Close()
	u := srv.URL + "/web/20240101000000/http://bomb.test/video.mp4"
	resp, _ := get(t, u, "Range", "bytes=0-99")
	if resp.StatusCode != http.StatusRequestedRangeNotSatisfiable {
		t.Errorf("Range on a 256 MiB bomb with a 64 MiB bound: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodHead, u, nil)
	resp, _ = do(t, req)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Length") != "" {
		t.Errorf("HEAD on the bomb: %d, Content-Length %q", resp.StatusCode, resp.Header.Get("Content-Length"))
	}
	// under the bound: served, from a temporary file
	resp, body := get(t, srv.URL+"/web/20240101000000/http://bomb.test/medium.mp4", "Range", "bytes=12582900-")
	if resp.StatusCode != http.StatusPartialContent || len(body) != 12<<20-12582900 || resp.Header.Get("Content-Range") != fmt.Sprintf("bytes 12582900-%d/%d", 12<<20-1, 12<<20) {
		t.Errorf("Range under the bound: %d %q %d bytes", resp.StatusCode, resp.Header.Get("Content-Range"), len(body))
	}
	req, _ = http.NewRequest(http.MethodHead, srv.URL+"/web/20240101000000/http://bomb.test/medium.mp4", nil)
	resp, _ = do(t, req)
	if resp.Header.Get("Content-Length") != fmt.Sprint(12<<20) {
		t.Errorf("HEAD under the bound: Content-Length %q", resp.Header.Get("Content-Length"))
	}
	// the client has gone: spooling stops
	zr, _ := gzip.NewReader(bytes.NewReader(bomb))
	cctx, ccancel := context.WithCancel(context.Background())
	ccancel()
	if _, _, err := spool(cctx, zr, 1<<30); !errors.Is(err, context.Canceled) {
		t.Errorf("spool after the client left: %v", err)
	}
	rest, _ := io.Copy(io.Discard, zr)
	if rest < 200<<20 {
		t.Errorf("spool read %d MiB after the client left", (256<<20-rest)>>20)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestConcurrencyBounded: 1,000 clients at once on a 240 KB page are all
// answered (200, or 503 with Retry-After past the queue), with no more
// than MaxConcurrent worked on at once, and the heap stays within a few
// pages' worth instead of a thousand.
func TestConcurrencyBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("1,000 connections: skipped in -short mode")
	}
	var page strings.Builder
	page.WriteString("<!doctype html><html><head><title>big</title></head><body>")
	for page.Len() < 240<<10 {
		fmt.Fprintf(&page, `<p><a href="/p/%d">link %d</a> <img src="/i/%d.png"> text text text</p>`+"\n", page.Len(), page.Len(), page.Len())
	}
	page.WriteString("</body></html>")
	dir := t.TempDir()
	rec := warcRecord("http://big.test/", "2024-01-01T00:00:00Z", httpResp("text/html", "", page.String()))
	if err := os.WriteFile(filepath.Join(dir, "big.warc"), []byte(rec), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const limit, queued, clients = 8, 100, 1000
	s, err := New(ctx, Config{Paths: []string{dir}, PollInterval: -1, MaxConcurrent: limit, MaxQueued: queued})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv := httptest.NewServer(s)
	defer srv.Close()
	tr := &http.Transport{MaxConnsPerHost: 0, MaxIdleConnsPerHost: clients, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}

	var peakHeap atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peakHeap.Load() {
				peakHeap.Store(m.HeapInuse)
			}
		}
	}()
	var wg sync.WaitGroup
	var ok, busy, other atomic.Int64
	start := make(chan struct{})
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			resp, err := client.Get(srv.URL + "/web/20240101000000/http://big.test/")
			if err != nil {
				other.Add(1)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			switch {
			case resp.StatusCode == 200:
				ok.Add(1)
			case resp.StatusCode == 503 && resp.Header.Get("Retry-After") != "":
				busy.Add(1)
			default:
				other.Add(1)
			}
		}()
	}
	close(start)
	wg.Wait()
	close(stop)
	<-sampled
	t.Logf("%d served, %d told to retry, %d failed; at most %d at once; heap peak %d MiB over %d MiB",
		ok.Load(), busy.Load(), other.Load(), s.limit.peak.Load(), (peakHeap.Load()-min(peakHeap.Load(), base.HeapInuse))>>20, base.HeapInuse>>20)
	if ok.Load()+busy.Load() != clients || ok.Load() < queued || busy.Load() == 0 {
		t.Errorf("%d served, %d busy, %d failed of %d", ok.Load(), busy.Load(), other.Load(), clients)
	}
	if p := s.limit.peak.Load(); p > limit {
		t.Errorf("%d requests worked on at once, bound %d", p, limit)
	}
	// The client side of this test holds 1,000 connections' buffers too;
	// without the bound the server alone held >1 GB (issue 12).
	if grown := peakHeap.Load() - min(peakHeap.Load(), base.HeapInuse); grown > 200<<20 {
		t.Errorf("heap grew by %d MiB serving 1,000 clients", grown>>20)
	}
}

// TestManySmallWARCs: 5,000 small WARCs cost what the same records in one
// file cost (live heap after start-up) and log one line, not 5,000.
func TestManySmallWARCs(t *testing.T) {
	if testing.Short() {
		t.Skip("5,000 files: skipped in -short mode")
	}
	many, one := t.TempDir(), t.TempDir()
	var all bytes.Buffer
	for i := 0; i < 5000; i++ {
		rec := warcRecord(fmt.Sprintf("http://many.test/%d", i), "2024-01-01T00:00:00Z", httpResp("text/plain", "", "small"))
		if err := os.WriteFile(filepath.Join(many, fmt.Sprintf("f%05d.warc", i)), []byte(rec), 0o644); err != nil {
			t.Fatal(err)
		}
		all.WriteString(rec)
	}
	if err := os.WriteFile(filepath.Join(one, "all.warc"), all.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	live := func(dir string) (uint64, string) {
		var logs bytes.Buffer
		s, err := New(context.Background(), Config{Paths: []string{dir}, PollInterval: -1, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		if n := len(s.Collections()); n != 1 {
			t.Fatalf("%d collections", n)
		}
		return m.HeapAlloc, logs.String()
	}
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	oneHeap, _ := live(one)
	manyHeap, logs := live(many)
	t.Logf("live heap: one file %d KiB, 5,000 files %d KiB (base %d KiB)", oneHeap>>10, manyHeap>>10, base.HeapAlloc>>10)
	if grown, ref := manyHeap-min(manyHeap, base.HeapAlloc), oneHeap-min(oneHeap, base.HeapAlloc); grown > 2*ref+4<<20 {
		t.Errorf("5,000 files hold %d KiB against %d KiB for the same records in one", grown>>10, ref>>10)
	}
	if n := strings.Count(logs, "\n"); n != 1 || !strings.Contains(logs, "files=5000") || !strings.Contains(logs, "captures=5000") {
		t.Errorf("start-up logged %d lines, want one summary:\n%.500s", n, logs)
	}
}
