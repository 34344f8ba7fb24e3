package browser

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/warcbox/warcbox/capture"
	"github.com/warcbox/warcbox/internal/testneed"
)

// pythonDocs is Debian's python3.11-doc, the local site of the benchmark.
const pythonDocs = "/usr/share/doc/python3.11/html"

// benchPages are pages of the Python documentation of several sizes, from
// a short index to the long library reference pages.
var benchPages = []string{
	"index.html", "contents.html", "tutorial/index.html", "tutorial/introduction.html",
	"tutorial/controlflow.html", "tutorial/datastructures.html", "library/index.html",
	"library/functions.html", "library/stdtypes.html",
	"library/os.html",
	"reference/datamodel.html", "howto/logging.html",
}

// BenchmarkBrowserCapture captures pages of the Python documentation served
// on 127.0.0.1, one browser for the run, and reports pages/s, the peak
// memory of warcbox (Go heap and the process's peak RSS) and the peak
// memory of the browser (the proportional set size of all its processes).
// Run: go test ./capture/browser -run '^$' -bench BrowserCapture -benchtime 1x
func BenchmarkBrowserCapture(b *testing.B) {
	// Full pages, and pages cut at 10 000 px: Python's reference pages are
	// up to 300 000 px tall, and the screenshot is most of the cost.
	// Then the cut pages again in two tabs at once.
	for _, c := range []struct{ limit, tabs int }{{0, 1}, {10000, 1}, {10000, 2}} {
		name := "full-page"
		if c.limit > 0 {
			name = fmt.Sprintf("max-height-%d", c.limit)
		}
		if c.tabs > 1 {
			name += fmt.Sprintf("-tabs-%d", c.tabs)
		}
		b.Run(name, func(b *testing.B) { benchCapture(b, c.limit, c.tabs) })
	}
}

func benchCapture(b *testing.B, maxHeight, tabs int) {
	chromium := chromiumOrSkip(b)
	if _, err := os.Stat(filepath.Join(pythonDocs, "index.html")); err != nil {
		testneed.Missing(b, "%s missing (apt-get install python3.11-doc)", pythonDocs)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(pythonDocs)))
	defer srv.Close()
	var urls []string
	for _, p := range benchPages {
		urls = append(urls, srv.URL+"/"+p)
	}

	var mu sync.Mutex
	var peakHeap uint64
	var peakBrowser int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			br := descendantsPSS(os.Getpid())
			mu.Lock()
			peakHeap = max(peakHeap, ms.HeapInuse)
			peakBrowser = max(peakBrowser, br)
			mu.Unlock()
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()

	var pages, requests, cut int
	var bytesWritten int64
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		sum, err := Run(context.Background(), urls, Options{
			Capture:  capture.Options{Dir: filepath.Join(dir, "archive"), Hostname: "bench", Logger: benchLogger()},
			Chromium: chromium, MaxScreenshotHeight: maxHeight, Tabs: tabs,
		})
		if err != nil {
			b.Fatal(err)
		}
		for _, pg := range sum.Pages {
			if pg.Err != nil {
				b.Fatalf("%s: %v", pg.URL, pg.Err)
			}
			pages++
			requests += pg.Requests
			if pg.ShotHeight < pg.Height {
				cut++
			}
		}
		for _, f := range sum.Files {
			if st, err := os.Stat(f); err == nil {
				bytesWritten += st.Size()
			}
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	close(stop)
	wg.Wait()
	b.ReportMetric(float64(pages)/elapsed.Seconds(), "pages/s")
	b.ReportMetric(float64(requests)/float64(pages), "requests/page")
	b.ReportMetric(float64(cut), "shots-cut")
	b.ReportMetric(float64(bytesWritten)/float64(pages)/1024, "warc-KiB/page")
	b.ReportMetric(float64(peakHeap)/(1<<20), "heap-MiB")
	b.ReportMetric(float64(selfKB("VmHWM"))/1024, "rss-peak-MiB")
	b.ReportMetric(float64(peakBrowser)/1024, "browser-pss-MiB")
}

// benchLogger shows each page's timing under -v.
func benchLogger() *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return nil
}

// selfKB reads a kB field of /proc/self/status (VmHWM: peak RSS).
func selfKB(field string) int64 {
	return statusKB("/proc/self/status", field)
}

func statusKB(path, field string) int64 {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

// descendantsPSS sums the proportional set size (kB) of every process
// below pid — the browser and its renderers, GPU and utility processes;
// PSS shares the pages they have in common instead of counting them in
// each.
func descendantsPSS(pid int) int64 {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	parent := map[int]int{}
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p))
		if err != nil {
			continue
		}
		// The command name is in parentheses and may hold spaces.
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		fields := strings.Fields(string(b[i+1:]))
		if len(fields) < 2 {
			continue
		}
		pp, _ := strconv.Atoi(fields[1])
		parent[p] = pp
	}
	var total int64
	for p := range parent {
		for q := parent[p]; q > 1; q = parent[q] {
			if q == pid {
				total += statusKB(fmt.Sprintf("/proc/%d/smaps_rollup", p), "Pss")
				break
			}
		}
	}
	return total
}

// BenchmarkProxyExchange is the proxy's hot path without a browser: a
// request in, fetched upstream, recorded, answered.
func BenchmarkProxyExchange(b *testing.B) {
	body := bytes.Repeat([]byte("x"), 16<<10)
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "%s %s", r.URL.Path, body) // a distinct payload each time: no revisits
	}))
	defer up.Close()
	px, _ := testProxy(b, capture.Options{})
	cl := proxyClient(px, nil)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		resp, err := cl.Get(fmt.Sprintf("%s/%d", up.URL, i))
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// BenchmarkBrowserCaptureVsFloor sets warcbox's browser capture against
// its floor in one run: the same Chromium, started the same way, loading
// the same pages one after the other in one tab and taking the same
// screenshots (cut at 10 000 px), through chromedp with nothing recorded
// and no waits beyond the load event. Each iteration runs both, floor
// first, and x-floor is warcbox's time per page over the floor's.
// Run: go test ./capture/browser -run '^$' -bench BrowserCaptureVsFloor -benchtime 2x
func BenchmarkBrowserCaptureVsFloor(b *testing.B) {
	chromium := chromiumOrSkip(b)
	if _, err := os.Stat(filepath.Join(pythonDocs, "index.html")); err != nil {
		b.Skipf("%s missing (apt-get install python3.11-doc)", pythonDocs)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(pythonDocs)))
	defer srv.Close()
	var urls []string
	for _, p := range benchPages {
		urls = append(urls, srv.URL+"/"+p)
	}
	const limit = 10000
	var floor, capt time.Duration
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if err := floorRun(chromium, urls, limit); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		sum, err := Run(context.Background(), urls, Options{
			Capture:  capture.Options{Dir: filepath.Join(b.TempDir(), "archive"), Hostname: "bench", Logger: benchLogger()},
			Chromium: chromium, MaxScreenshotHeight: limit,
		})
		if err != nil {
			b.Fatal(err)
		}
		for _, pg := range sum.Pages {
			if pg.Err != nil {
				b.Fatalf("%s: %v", pg.URL, pg.Err)
			}
		}
		floor += t1.Sub(t0)
		capt += time.Since(t1)
	}
	n := float64(b.N * len(urls))
	b.ReportMetric(floor.Seconds()/n, "floor-s/page")
	b.ReportMetric(capt.Seconds()/n, "warcbox-s/page")
	b.ReportMetric(capt.Seconds()/floor.Seconds(), "x-floor")
}

// floorRun loads and screenshots each page with nothing recorded.
func floorRun(chromium string, urls []string, limit int) error {
	opts := Options{Chromium: chromium}
	opts.fill()
	bctx, stop, err := launch(context.Background(), opts)
	if err != nil {
		return err
	}
	defer stop()
	for _, u := range urls {
		if err := func() error {
			tctx, cancel := chromedp.NewContext(bctx)
			defer cancel()
			ctx, cancelT := context.WithTimeout(tctx, opts.Timeout)
			defer cancelT()
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(opts.Width), int64(opts.Height)), chromedp.Navigate(u)); err != nil {
				return fmt.Errorf("floor %s: %w", u, err)
			}
			h, err := chromedp.Run(ctx, chromedp.Evaluate[int](heightJS))
			if err != nil {
				return fmt.Errorf("floor %s: %w", u, err)
			}
			if _, err := screenshot(ctx, opts.Width, h, limit); err != nil {
				return fmt.Errorf("floor %s: %w", u, err)
			}
			return nil
		}(); err != nil {
			return err
		}
	}
	return nil
}
