package replay

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// loadChildEnv names the URL a child process of TestTenThousandConnections
// loads; loadChildN how many connections it opens at once.
const (
	loadChildEnv = "WARCBOX_LOAD_URL"
	loadChildN   = "WARCBOX_LOAD_N"
)

// loadResult is what the load child reports on its stdout.
type loadResult struct {
	OK, Busy, Other int
	FirstOther      string
}

// raiseNoFile makes sure the process may hold n descriptors, raising the
// hard limit if need be (root can); it reports what stands in the way.
func raiseNoFile(n uint64) error {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return fmt.Errorf("getrlimit: %w", err)
	}
	if l.Cur >= n {
		return nil
	}
	want := syscall.Rlimit{Cur: n, Max: max(l.Max, n)}
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want); err != nil {
		return fmt.Errorf("RLIMIT_NOFILE is %d (hard %d) and cannot be raised to %d: %w", l.Cur, l.Max, n, err)
	}
	return nil
}

// runLoadChild is the client side, run in its own process so that its
// 10,000 connections' buffers and descriptors do not count as the
// server's: every client opens its own connection at once and asks for
// the page once.
func runLoadChild(target string, n int) {
	if err := raiseNoFile(uint64(n) + 256); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	tr := &http.Transport{
		DisableKeepAlives:  true, // one connection per client, closed after its answer
		DisableCompression: true,
		DialContext:        (&net.Dialer{Timeout: 3 * time.Minute}).DialContext,
	}
	client := &http.Client{Transport: tr, Timeout: 5 * time.Minute}
	var res loadResult
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			resp, err := client.Get(target)
			var status int
			var retry string
			if err == nil {
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				status, retry = resp.StatusCode, resp.Header.Get("Retry-After")
			}
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil && status == http.StatusOK:
				res.OK++
			case err == nil && status == http.StatusServiceUnavailable && retry != "":
				res.Busy++
			default:
				res.Other++
				if res.FirstOther == "" {
					res.FirstOther = fmt.Sprintf("status %d, error %v", status, err)
				}
			}
		}()
	}
	close(start)
	wg.Wait()
	json.NewEncoder(os.Stdout).Encode(res)
	os.Exit(0)
}

// rss reads the process's resident set size from /proc.
func rss() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// TestTenThousandConnections (issue 12: "memory flat at 1,000 and 10,000
// connections"): warcbox replay as `warcbox replay` serves (Serve, its
// connection bound, --max-concurrent 8, a queue of 100) takes 1,000 and
// then 10,000 clients at once on a 240 KB page, each on its own
// connection from another process. Every client is answered, 200 or 503
// with Retry-After, and the server's heap and resident memory grow by
// about as much at 10,000 as at 1,000: what a connection costs is bounded
// by the connections kept open (Config.MaxConnections), not by the
// clients; those past it wait in the listen backlog.
func TestTenThousandConnections(t *testing.T) {
	if u := os.Getenv(loadChildEnv); u != "" {
		n, _ := strconv.Atoi(os.Getenv(loadChildN))
		runLoadChild(u, n)
		return
	}
	if testing.Short() {
		t.Skip("10,000 connections: skipped in -short mode")
	}
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc for the resident set")
	}
	const clients = 10000
	// The server holds at most MaxConnections (4096) connections, the
	// child all 10,000: each process needs more than the usual 1,024.
	if err := raiseNoFile(4096 + 512); err != nil {
		t.Skipf("cannot hold the server's connections: %v", err)
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
	const limit, queued = 8, 100
	s, err := New(ctx, Config{Paths: []string{dir}, PollInterval: -1, MaxConcurrent: limit, MaxQueued: queued})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	defer func() {
		cancel()
		if err := <-served; err != nil {
			t.Error(err)
		}
	}()
	// The UI sends archival URLs to the collection's content origin.
	resp, _ := get(t, "http://"+ln.Addr().String()+"/web/20240101000000/http://big.test/")
	target := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(target, "http://") {
		t.Fatalf("UI answered %d, Location %q", resp.StatusCode, target)
	}
	if resp, body := get(t, target); resp.StatusCode != 200 || len(body) < 240<<10 {
		t.Fatalf("content origin answered %d with %d bytes", resp.StatusCode, len(body))
	}

	load := func(n int) (res loadResult, heap, res2 uint64) {
		runtime.GC()
		var base runtime.MemStats
		runtime.ReadMemStats(&base)
		baseRSS := rss()
		var peakHeap, peakRSS atomic.Uint64
		stop := make(chan struct{})
		sampled := make(chan struct{})
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
				if r := rss(); r > peakRSS.Load() {
					peakRSS.Store(r)
				}
			}
		}()
		cmd := exec.Command(os.Args[0], "-test.run=^TestTenThousandConnections$")
		cmd.Env = append(os.Environ(), loadChildEnv+"="+target, loadChildN+"="+strconv.Itoa(n))
		var out, errOut strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		close(stop)
		<-sampled
		if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 3 {
			t.Skipf("the client process cannot open %d connections: %s", n, errOut.String())
		}
		if err != nil {
			t.Fatalf("client process: %v\n%s%s", err, out.String(), errOut.String())
		}
		// the result is the child's last line (anything the test framework
		// printed before it is not)
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		if err := json.Unmarshal([]byte(lines[len(lines)-1]), &res); err != nil {
			t.Fatalf("client process said %q: %v", out.String(), err)
		}
		return res, peakHeap.Load() - min(peakHeap.Load(), base.HeapInuse), peakRSS.Load() - min(peakRSS.Load(), baseRSS)
	}
	type figure struct {
		n          int
		res        loadResult
		heap, rsss uint64
	}
	var figs []figure
	for _, n := range []int{1000, clients} {
		res, heap, r := load(n)
		figs = append(figs, figure{n, res, heap, r})
		t.Logf("%d clients: %d served, %d told to retry, %d failed (%s); server heap +%d MiB, RSS +%d MiB; at most %d worked on at once",
			n, res.OK, res.Busy, res.Other, res.FirstOther, heap>>20, r>>20, s.limit.peak.Load())
		if res.OK+res.Busy != n || res.OK == 0 {
			t.Errorf("%d clients: %d served, %d told to retry, %d not answered (first: %s)", n, res.OK, res.Busy, res.Other, res.FirstOther)
		}
	}
	if p := s.limit.peak.Load(); p > limit {
		t.Errorf("%d requests worked on at once, bound %d", p, limit)
	}
	// Flat: ten times the clients may not cost ten times the memory. The
	// bounds are generous (a loaded machine closes connections later, so
	// more of the 4096 kept open are alive at once, each with its buffers
	// and goroutine, plus the pages being written: 31 to 56 MiB of heap
	// seen at 10,000) and fail if each client held a page (2.4 GB) or the
	// heap grew with the clients rather than the bounds.
	one, ten := figs[0], figs[1]
	if ten.heap > 4*one.heap+128<<20 || ten.heap > 256<<20 {
		t.Errorf("server heap grew by %d MiB at 10,000 clients against %d MiB at 1,000", ten.heap>>20, one.heap>>20)
	}
	if ten.rsss > 4*one.rsss+256<<20 || ten.rsss > 512<<20 {
		t.Errorf("server RSS grew by %d MiB at 10,000 clients against %d MiB at 1,000", ten.rsss>>20, one.rsss>>20)
	}
}
