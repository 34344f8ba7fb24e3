// Command replay-bench measures warcbox replay: start-up time, requests/s
// and p50/p99 latency at N concurrent clients for id_ payloads and for
// rewritten HTML on a synthesised collection of 1M+ captures, lookup time on
// a 10M-line CDXJ, and memory. It prints a Markdown table for BENCHMARKS.md.
//
//	go run ./bench/replay -captures 1000000 -bigindex 10000000 -duration 15s
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/index"
	"github.com/warcbox/warcbox/replay"
)

func main() {
	captures := flag.Int("captures", 1_000_000, "captures in the synthesised collection index")
	records := flag.Int("records", 2000, "distinct WARC records the captures point at")
	bigIndex := flag.Int("bigindex", 10_000_000, "lines in the CDXJ for the lookup benchmark (0 skips it)")
	duration := flag.Duration("duration", 10*time.Second, "load duration per mode")
	conc := flag.Int("c", 16, "concurrent clients")
	dir := flag.String("dir", "", "work folder (default: a temporary one, removed afterwards)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the load phases here")
	gogc := flag.Int("gogc", 400, "GC percent, as warcbox replay sets it (-1: leave the default/GOGC)")
	flag.Parse()
	if *gogc >= 0 {
		debug.SetGCPercent(*gogc)
	}
	if *dir == "" {
		d, err := os.MkdirTemp("", "warcbox-bench-*")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(d)
		*dir = d
	}
	fmt.Printf("Machine: %d CPUs (GOMAXPROCS %d), %s, GC percent %d\n\n", runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), *gogc)

	t0 := time.Now()
	coll := filepath.Join(*dir, "collections", "bench")
	offsets, err := writeWARC(filepath.Join(coll, "archive", "data.warc.gz"), *records)
	if err != nil {
		log.Fatal(err)
	}
	if err := writeIndex(filepath.Join(coll, "indexes", "index.cdxj"), *captures, offsets); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("Synthesised %d captures over %d records in %s\n\n", *captures, *records, time.Since(t0).Round(time.Millisecond))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	srv, err := replay.New(ctx, replay.Config{Paths: []string{filepath.Join(*dir, "collections")}, PollInterval: -1})
	if err != nil {
		log.Fatal(err)
	}
	startup := time.Since(start)
	defer srv.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: time.Minute}
	go hs.Serve(ln)
	defer hs.Close()
	base := "http://" + ln.Addr().String()

	if *cpuProfile != "" {
		pf, err := os.Create(*cpuProfile)
		if err != nil {
			log.Fatal(err)
		}
		pprof.StartCPUProfile(pf)
		defer pprof.StopCPUProfile()
	}
	fmt.Printf("| measure | value |\n|---|---|\n")
	fmt.Printf("| start-up (1M-capture collection, index on disk) | %s |\n", startup.Round(time.Microsecond))
	for _, mode := range []struct{ name, mod string }{{"id_ payload", "id_"}, {"rewritten HTML", ""}} {
		r := load(base, mode.mod, *captures, *conc, *duration)
		fmt.Printf("| %s: requests/s at %d clients | %.0f |\n", mode.name, *conc, r.rps)
		fmt.Printf("| %s: p50 / p99 latency | %s / %s |\n", mode.name, r.p50, r.p99)
		fmt.Printf("| %s: errors / requests | %d / %d |\n", mode.name, r.errors, r.n)
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		fmt.Printf("| %s: heap in use after / RSS | %.1f MiB / %.1f MiB |\n", mode.name, float64(ms.HeapInuse)/(1<<20), rssMiB())
	}
	// service time without queueing: one client
	r1 := load(base, "", *captures, 1, *duration/2)
	fmt.Printf("| rewritten HTML, 1 client: requests/s, p50 / p99 | %.0f, %s / %s |\n", r1.rps, r1.p50, r1.p99)
	if *bigIndex > 0 {
		lookupBench(*dir, *bigIndex)
	}
}

type result struct {
	rps       float64
	p50, p99  time.Duration
	n, errors int64
}

// load runs conc clients asking for random captures for d.
func load(base, mod string, captures, conc int, d time.Duration) result {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conc * 2}, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var n, errs atomic.Int64
	var mu sync.Mutex
	var lats []time.Duration
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, 7))
			var local []time.Duration
			for time.Now().Before(deadline) {
				i := rng.IntN(captures)
				u := fmt.Sprintf("%s/bench/20200101000000%s/%s", base, mod, captureURL(i))
				t := time.Now()
				resp, err := client.Get(u)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						err = fmt.Errorf("status %d for %s", resp.StatusCode, u)
					}
				}
				local = append(local, time.Since(t))
				n.Add(1)
				if err != nil {
					if errs.Add(1) <= 3 {
						log.Printf("error: %v", err)
					}
				}
			}
			mu.Lock()
			lats = append(lats, local...)
			mu.Unlock()
		}(uint64(w))
	}
	wg.Wait()
	el := time.Since(start)
	slices.Sort(lats)
	pct := func(p float64) time.Duration {
		if len(lats) == 0 {
			return 0
		}
		return lats[int(float64(len(lats)-1)*p)].Round(10 * time.Microsecond)
	}
	return result{rps: float64(n.Load()) / el.Seconds(), p50: pct(0.50), p99: pct(0.99), n: n.Load(), errors: errs.Load()}
}

// captureURL is the URL of synthetic capture i; sites and pages are
// zero-padded so the keys come out sorted when i increases.
func captureURL(i int) string {
	return fmt.Sprintf("http://s%05d.example.com/p/%07d.html", i/1000, i)
}

type rec struct {
	off, size int64
	html      bool
}

// writeWARC writes n response records, one gzip member each: half HTML
// pages of ~30 KB with a realistic density of links, half 20 KB binaries.
func writeWARC(path string, n int) ([]rec, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	var off int64
	var out []rec
	for i := 0; i < n; i++ {
		var body []byte
		ct := "text/html; charset=utf-8"
		html := i%2 == 0
		if html {
			body = page(i)
		} else {
			ct = "image/png"
			body = bytes.Repeat([]byte{byte(i)}, 20000)
		}
		httpBlock := fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\nServer: bench\r\n\r\n", ct, len(body))
		block := append([]byte(httpBlock), body...)
		hdr := fmt.Sprintf("WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-%012d>\r\nWARC-Date: 2020-01-01T00:00:00Z\r\nWARC-Target-URI: http://record.example.com/%d\r\nContent-Type: application/http;msgtype=response\r\nContent-Length: %d\r\n\r\n", i, i, len(block))
		var member bytes.Buffer
		gz, _ := gzip.NewWriterLevel(&member, gzip.BestSpeed)
		gz.Write([]byte(hdr))
		gz.Write(block)
		gz.Write([]byte("\r\n\r\n"))
		gz.Close()
		if _, err := w.Write(member.Bytes()); err != nil {
			return nil, err
		}
		out = append(out, rec{off, int64(member.Len()), html})
		off += int64(member.Len())
	}
	return out, w.Flush()
}

func page(i int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Page %d</title>\n", i)
	b.WriteString(`<link rel="stylesheet" href="/css/site.css"><script src="https://cdn.example.net/lib.js" integrity="sha256-x"></script>` + "\n")
	b.WriteString("<style>body{background:url(/img/bg.png)} .x{background-image:url('https://cdn.example.net/a.png')}</style>\n")
	b.WriteString(`<script>var here = window.location.href; if (location.hash) { console.log(document.location.pathname); }</script></head><body>` + "\n")
	for j := 0; j < 120; j++ {
		fmt.Fprintf(&b, "<p>Paragraph %d with some text to make the page realistically long, and a <a href=\"/p/%07d.html\">link</a> and <img src=\"/img/%d.png\" srcset=\"/img/%d.png 1x, /img/%d@2x.png 2x\" alt=\"\"></p>\n", j, i+j, j, j, j)
	}
	b.WriteString("</body></html>\n")
	return []byte(b.String())
}

// writeIndex writes a sorted CDXJ of n captures, capture i pointing at
// record (i mod len(recs)) with its own URL.
func writeIndex(path string, n int, recs []rec) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	for i := 0; i < n; i++ {
		r := recs[i%len(recs)]
		mime := "image/png"
		if r.html {
			mime = "text/html"
		}
		u := captureURL(i)
		c := index.Capture{Line: cdxj.Line{Key: cdxj.Key(u), Timestamp: "20200101000000", URL: u, Mime: mime, Status: "200",
			Digest: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", Length: r.size, Offset: r.off, Filename: "data.warc.gz"}}
		if err := index.WriteCDXJ(w, c); err != nil {
			return err
		}
	}
	return w.Flush()
}

// lookupBench writes an n-line CDXJ and times opening it and exact lookups.
func lookupBench(dir string, n int) {
	p := filepath.Join(dir, "big.cdxj")
	t0 := time.Now()
	f, err := os.Create(p)
	if err != nil {
		log.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 4<<20)
	for i := 0; i < n; i++ {
		fmt.Fprintf(w, "com,example,s%06d)/p/%08d.html 20200101000000 {\"url\":\"http://s%06d.example.com/p/%08d.html\",\"mime\":\"text/html\",\"status\":\"200\",\"offset\":\"%d\",\"filename\":\"x.warc.gz\"}\n", i/1000, i, i/1000, i, i)
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	f.Close()
	st, _ := os.Stat(p)
	gen := time.Since(t0)
	t1 := time.Now()
	src, err := index.OpenCDXJ(p)
	if err != nil {
		log.Fatal(err)
	}
	defer src.Close()
	open := time.Since(t1)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	var lats []time.Duration
	for k := 0; k < 20000; k++ {
		i := rng.IntN(n)
		key := fmt.Sprintf("com,example,s%06d)/p/%08d.html", i/1000, i)
		t := time.Now()
		found := 0
		for c, err := range src.Lookup(ctx, index.Query{Key: key}) {
			if err != nil {
				log.Fatal(err)
			}
			if c.Offset != int64(i) {
				log.Fatalf("lookup %s found offset %d", key, c.Offset)
			}
			found++
		}
		lats = append(lats, time.Since(t))
		if found != 1 {
			log.Fatalf("lookup %s found %d lines", key, found)
		}
	}
	slices.Sort(lats)
	fmt.Printf("| %d-line CDXJ (%.1f GiB, written in %s): open | %s |\n", n, float64(st.Size())/(1<<30), gen.Round(time.Second), open.Round(time.Microsecond))
	fmt.Printf("| %d-line CDXJ: exact lookup p50 / p99 (20k random keys, page cache warm) | %s / %s |\n", n,
		lats[len(lats)/2].Round(time.Microsecond), lats[len(lats)*99/100].Round(time.Microsecond))
}

func rssMiB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmRSS:") {
			var kb float64
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(l, "VmRSS:")), "%f", &kb)
			return kb / 1024
		}
	}
	return 0
}
