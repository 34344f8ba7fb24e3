package replay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/warcbox/warcbox/internal/fdcount"
	"github.com/warcbox/warcbox/storage"
)

// The file cache keeps at most MaxCachedFiles archives, and a file that
// changed or disappeared is not served from the cache: a replaced file is
// read as it is now (not the deleted one whose descriptor the cache held),
// a removed one is dropped, and no descriptor stays on either. Before, a
// replaced file was served from the old descriptor and a removed file's
// entry stayed for ever.
func TestFileCacheBoundedAndForgetsChangedFiles(t *testing.T) {
	dir := t.TempDir()
	rec := func(i int, body string) []byte {
		return []byte(warcRecord(fmt.Sprintf("http://f%d.test/", i), "2021-05-05T00:00:00Z",
			"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\n"+body))
	}
	const n = 5
	for i := 0; i < n; i++ {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%d.warc", i)), rec(i, fmt.Sprintf("v%d1", i)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := New(ctx, Config{Paths: []string{dir}, Name: "c", PollInterval: -1, MaxCachedFiles: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv := httptest.NewServer(s)
	defer srv.Close()
	url := func(i int) string { return fmt.Sprintf("%s/c/20210505000000id_/http://f%d.test/", srv.URL, i) }

	for i := 0; i < n; i++ {
		if resp, body := get(t, url(i)); resp.StatusCode != 200 || body != fmt.Sprintf("v%d1", i) {
			t.Fatalf("f%d: %d %q", i, resp.StatusCode, body)
		}
		if k := s.files.len(); k > 2 {
			t.Errorf("after %d archives read: %d kept, bound 2", i+1, k)
		}
	}
	if k := fdcount.Under(t, dir); k > 2 {
		t.Errorf("%d descriptors open on the archives, bound 2", k)
	}

	// f4 is kept (read last). Rewritten by a tool (same length, same
	// offsets, new bytes) without the index noticing: served as it is now.
	p := filepath.Join(dir, "f4.warc")
	if err := os.WriteFile(p+".tmp", rec(4, "v42"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(p+".tmp", p); err != nil {
		t.Fatal(err)
	}
	if resp, body := get(t, url(4)); resp.StatusCode != 200 || body != "v42" {
		t.Errorf("rewritten f4: %d %q, want 200 %q (the file as it is now)", resp.StatusCode, body, "v42")
	}
	if _, deleted := fdcount.On(t, p); deleted != 0 {
		t.Errorf("%d descriptors left on the replaced f4", deleted)
	}

	// Removed: the request fails, the entry goes, nothing stays open.
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	if resp, body := get(t, url(4)); resp.StatusCode == 200 {
		t.Errorf("removed f4 still served: %q", body)
	}
	s.files.mu.Lock()
	_, kept := s.files.files[p]
	s.files.mu.Unlock()
	if kept {
		t.Errorf("removed f4 still kept in the file cache")
	}
	if _, deleted := fdcount.On(t, p); deleted != 0 {
		t.Errorf("%d descriptors left on the removed f4", deleted)
	}
	// The others still answer.
	for i := 0; i < 4; i++ {
		if resp, body := get(t, url(i)); resp.StatusCode != 200 || body != fmt.Sprintf("v%d1", i) {
			t.Errorf("f%d after f4 went: %d %q", i, resp.StatusCode, body)
		}
	}
}

// Opening a remote archive the Store knows nothing of asks the server for
// its size; a slow answer holds up that request only. Before, the cache's
// lock was held over the request, so every other request's read, of any
// archive, waited for it.
func TestFileCacheSlowOpenBlocksNoOther(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a", "b"} {
		rec := warcRecord("http://"+name+".test/", "2021-05-05T00:00:00Z",
			"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\n"+name+name+name)
		if err := os.WriteFile(filepath.Join(dir, name+".warc"), []byte(rec), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var hold atomic.Bool
	held, release := make(chan struct{}, 1), make(chan struct{})
	fsrv := http.FileServer(http.Dir(dir))
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead && r.URL.Path == "/a.warc" && hold.Load() {
			held <- struct{}{}
			<-release
		}
		fsrv.ServeHTTP(w, r)
	}))
	defer hs.Close()
	defer func() {
		if hold.Swap(false) {
			close(release)
		}
	}()
	st := storage.New(storage.Options{})
	defer st.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := New(ctx, Config{Paths: []string{hs.URL + "/a.warc", hs.URL + "/b.warc"}, Name: "c", PollInterval: -1, Store: st, SearchMaxPages: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv := httptest.NewServer(s)
	defer srv.Close()
	// a's size is forgotten: opening it asks the server, which holds on.
	st.Forget(hs.URL+"/a.warc", false)
	hold.Store(true)
	aDone := make(chan string, 1)
	go func() {
		resp, body := get(t, srv.URL+"/c/20210505000000id_/http://a.test/")
		aDone <- fmt.Sprint(resp.StatusCode, " ", body)
	}()
	select {
	case <-held:
	case <-time.After(30 * time.Second):
		t.Fatal("a's HEAD never reached the server")
	}
	bDone := make(chan string, 1)
	go func() {
		resp, body := get(t, srv.URL+"/c/20210505000000id_/http://b.test/")
		bDone <- fmt.Sprint(resp.StatusCode, " ", body)
	}()
	var bGot string
	select {
	case bGot = <-bDone:
		if bGot != "200 bbb" {
			t.Errorf("b while a's open was held: %s", bGot)
		}
	case <-time.After(15 * time.Second):
		t.Error("b waited for a's open to end")
	}
	hold.Store(false)
	close(release)
	if got := <-aDone; got != "200 aaa" {
		t.Errorf("a: %s", got)
	}
	if bGot == "" {
		if got := <-bDone; got != "200 bbb" {
			t.Errorf("b: %s", got)
		}
	}
}

// Requests that read archives while others push them out of the file
// cache never take more descriptors than the Store's bound (MaxOpenFiles):
// a file dropped from the cache stays open, in the Store's pool, until
// the last request reading it ends. Before, the cache closed it at once
// and each later read of it by a request still in progress opened the
// file again outside the pool, so the bound became the number of
// requests at once (4 descriptors with a bound of 3, in each of 3 runs).
func TestFileCacheReadsStayWithinFileBound(t *testing.T) {
	dir := t.TempDir()
	const files, kept, bound, clients = 12, 4, 3, 3
	body := func(i int) string { return strings.Repeat(fmt.Sprintf("%02d", i), 128<<10) }
	for i := 0; i < files; i++ {
		rec := warcRecord(fmt.Sprintf("http://f%d.test/", i), "2021-05-05T00:00:00Z",
			fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s", len(body(i)), body(i)))
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%02d.warc", i)), []byte(rec), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	st := storage.New(storage.Options{MaxOpenFiles: bound})
	defer st.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := New(ctx, Config{Paths: []string{dir}, Name: "c", PollInterval: -1, SearchMaxPages: -1,
		MaxCachedFiles: kept, Store: st})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv := httptest.NewServer(s)
	defer srv.Close()

	stop := fdcount.Peak(t, dir)
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 0; r < 40; r++ {
				i := (r*5 + c*7) % files
				resp, err := srv.Client().Get(fmt.Sprintf("%s/c/20210505000000id_/http://f%d.test/", srv.URL, i))
				if err != nil {
					errs <- err
					return
				}
				b, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != 200 || string(b) != body(i) {
					errs <- fmt.Errorf("f%02d: %d, %d bytes, %v", i, resp.StatusCode, len(b), err)
					return
				}
			}
		}()
	}
	wg.Wait()
	m := stop()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if m > bound {
		t.Errorf("%d descriptors open at once on the archives, bound %d", m, bound)
	}
	if k := s.files.len(); k > kept {
		t.Errorf("%d archives kept, bound %d", k, kept)
	}
}

// A file read with a context that never ends, outside a request or job
// (no holdFiles; direct calls of load), kept a reference per read that no
// end would ever drop: dropped from the cache, its object stayed open for
// good, even after the server closed. Such reads now share one reference
// per file, dropped when the server closes.
func TestFileCacheNeverEndingContextBounded(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a", "b"} {
		if err := os.WriteFile(filepath.Join(dir, name+".warc"), []byte("WARC/1.1 "+name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	st := storage.New(storage.Options{})
	defer st.Close()
	fc := &fileCache{store: func() *storage.Store { return st }, max: 1}
	pa := filepath.Join(dir, "a.warc")
	var ra io.ReaderAt
	for range 3 {
		r, err := fc.open(context.Background(), pa)
		if err != nil {
			t.Fatal(err)
		}
		ra = r
	}
	cf := ra.(cachedReader).cf
	fc.mu.Lock()
	refs := cf.refs
	fc.mu.Unlock()
	if refs != 2 {
		t.Errorf("a.warc after 3 reads: %d references, want 2 (the cache's, the unheld reads')", refs)
	}
	// b.warc pushes a.warc out of the cache: the reads go on.
	if _, err := fc.open(context.Background(), filepath.Join(dir, "b.warc")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 10)
	if n, err := ra.ReadAt(buf, 0); string(buf[:n]) != "WARC/1.1 a" {
		t.Fatalf("a.warc once dropped from the cache: %q, %v", buf[:n], err)
	}
	fc.closeAll()
	if _, err := ra.ReadAt(buf, 0); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("a.warc read after the cache closed: %v, want fs.ErrClosed (its object closed)", err)
	}
}
