package index

import (
	"bytes"
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/storage"
)

// servedPackage serves pkg as /x.wacz, counting the bytes sent.
func servedPackage(t *testing.T, pkg []byte) (url string, sent *atomic.Int64) {
	sent = new(atomic.Int64)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeContent(countingResponse{w, sent}, r, "x.wacz", time.Time{}, bytes.NewReader(pkg))
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/x.wacz", sent
}

// Listing a collection (replay's full-text search does) streams a
// package's own index searched in place: the first capture comes after
// one block of it, not after the whole index was read into memory (as a
// merged Lookup does); all its captures come, once.
func TestCollectionCapturesStreamed(t *testing.T) {
	caps := scattered(20000)
	idx, part := zipnumOf(t, caps, 0)
	u, sent := servedPackage(t, packageWith(t, packageMember{name: "indexes/index.cdx.gz", data: part}, packageMember{name: "indexes/index.idx", data: idx}))
	ctx := context.Background()
	colls, err := OpenCollections(ctx, CollectionOptions{Paths: []string{u}, Name: "c"})
	if err != nil {
		t.Fatal(err)
	}
	c := colls["c"]
	if len(c.IndexFiles()) != 1 || c.Len() != 0 {
		t.Fatalf("%d index files, %d captures in memory: not searched in place", len(c.IndexFiles()), c.Len())
	}
	opened := sent.Load()
	next, stop := iter.Pull2(c.Captures(ctx))
	if _, err, ok := next(); !ok || err != nil {
		t.Fatalf("first capture: %v %v", ok, err)
	}
	first := sent.Load() - opened
	n := 1
	for {
		_, err, ok := next()
		if !ok {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	stop()
	t.Logf("index part %d bytes: %d fetched at open, %d more for the first capture, %d for all %d", len(part), opened, first, sent.Load()-opened, n)
	if n != len(caps) {
		t.Errorf("%d captures listed, want %d", n, len(caps))
	}
	if first >= int64(len(part))/2 {
		t.Errorf("%d bytes fetched before the first capture, the part is %d: not streamed", first, len(part))
	}
}

// ByDigest finds a capture of a package searched in place by scanning its
// index; a digest found or not is remembered (no second scan) until the
// package is indexed again.
func TestCollectionByDigestInPlace(t *testing.T) {
	caps := scattered(5000)
	u, sent := servedPackage(t, zipnumPackage(t, caps, 500))
	ctx := context.Background()
	colls, err := OpenCollections(ctx, CollectionOptions{Paths: []string{u}, Name: "c"})
	if err != nil {
		t.Fatal(err)
	}
	c := colls["c"]
	want := caps[len(caps)*3/4]
	got, ok := byDigestOK(t, ctx, c, want.Digest)
	if !ok || got.URL != want.URL || got.Offset != want.Offset || got.Filename != "x.wacz#archive/f.warc.gz" {
		t.Fatalf("ByDigest(%s) = %v %s %d %s; want %s %d", want.Digest, ok, got.URL, got.Offset, got.Filename, want.URL, want.Offset)
	}
	if _, ok := byDigestOK(t, ctx, c, "sha1:NOSUCHDIGEST"); ok {
		t.Errorf("an unknown digest was found")
	}
	before := sent.Load()
	if got, ok := byDigestOK(t, ctx, c, want.Digest); !ok || got.URL != want.URL {
		t.Errorf("second ByDigest: %v %s", ok, got.URL)
	}
	if _, ok := byDigestOK(t, ctx, c, "sha1:NOSUCHDIGEST"); ok {
		t.Errorf("an unknown digest was found the second time")
	}
	if n := sent.Load() - before; n != 0 {
		t.Errorf("%d bytes fetched to answer digests asked before", n)
	}
	// A cancelled scan is not remembered as "not found".
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	other := caps[10]
	if _, ok, _ := c.ByDigest(cctx, other.Digest); ok {
		t.Errorf("found under a cancelled context")
	}
	if got, ok := byDigestOK(t, ctx, c, other.Digest); !ok || got.URL != other.URL {
		t.Errorf("after a cancelled scan: %v %s, want %s", ok, got.URL, other.URL)
	}
}

// After the first scan of a package's index (which builds its digest
// filter), a digest it lacks costs no read of the index at all, however
// many distinct ones are asked; digests it has are still found. The
// Store's block cache is made too small to hold the index, so a scan
// shows as bytes fetched. Before the filter, each missing digest fetched
// the whole index part again.
func TestByDigestFilterSkipsScans(t *testing.T) {
	caps := scattered(5000)
	idx, part := zipnumOf(t, caps, 500)
	u, sent := servedPackage(t, packageWith(t, packageMember{name: "indexes/index.cdx.gz", data: part}, packageMember{name: "indexes/index.idx", data: idx}))
	ctx := context.Background()
	st := storage.New(storage.Options{BlockSize: 4 << 10, CacheSize: 16 << 10})
	defer st.Close()
	colls, err := OpenCollections(ctx, CollectionOptions{Paths: []string{u}, Name: "c", Store: st})
	if err != nil {
		t.Fatal(err)
	}
	c := colls["c"]
	before := sent.Load()
	if _, ok := byDigestOK(t, ctx, c, "sha1:ABSENT0000000000000000000000000"); ok {
		t.Fatal("a missing digest was found")
	}
	first := sent.Load() - before
	if first < int64(len(part))/2 {
		t.Fatalf("the first scan fetched %d bytes of a %d-byte index part: not a scan", first, len(part))
	}
	before = sent.Load()
	for i := 1; i <= 20; i++ {
		if _, ok := byDigestOK(t, ctx, c, fmt.Sprintf("sha1:ABSENT%026d", i)); ok {
			t.Fatalf("missing digest %d was found", i)
		}
	}
	if n := sent.Load() - before; n != 0 {
		t.Errorf("20 missing digests fetched %d bytes after the filter was built (first scan: %d)", n, first)
	}
	for _, i := range []int{0, 1234, 2500, 4999} {
		want := caps[i]
		if got, ok := byDigestOK(t, ctx, c, want.Digest); !ok || got.URL != want.URL || got.Offset != want.Offset {
			t.Errorf("ByDigest(%s) = %v %s %d, want %s %d", want.Digest, ok, got.URL, got.Offset, want.URL, want.Offset)
		}
	}

	// Concurrent first calls on a fresh collection: one builds, the
	// others scan plainly; every answer is right (run with -race).
	colls, err = OpenCollections(ctx, CollectionOptions{Paths: []string{u}, Name: "c", Store: st})
	if err != nil {
		t.Fatal(err)
	}
	c = colls["c"]
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				want := caps[(w*997+i*131)%len(caps)]
				if got, ok := byDigestOK(t, ctx, c, want.Digest); !ok || got.URL != want.URL {
					t.Errorf("concurrent ByDigest(%s) = %v %s, want %s", want.Digest, ok, got.URL, want.URL)
				}
				if _, ok := byDigestOK(t, ctx, c, fmt.Sprintf("sha1:GONE%d%028d", w, i)); ok {
					t.Errorf("concurrent: a missing digest was found")
				}
			}
		}()
	}
	wg.Wait()
}

// A digest filter holds non-revisits only, and a scan cut short (a
// cancelled request) leaves no filter: the next scan builds it.
func TestDigestFilterStates(t *testing.T) {
	room := &filterBudget{free: maxFilterTotal}
	f := digestFilter{budget: room}
	skip, b := f.begin("sha1:A")
	if skip || b == nil {
		t.Fatalf("empty filter: skip %v build %v, want a build", skip, b != nil)
	}
	if skip, b2 := f.begin("sha1:A"); skip || b2 != nil {
		t.Fatalf("while building: skip %v build %v, want a plain scan", skip, b2 != nil)
	}
	f.abort(b)
	if _, b = f.begin("sha1:A"); b == nil {
		t.Fatal("after an aborted build: no new build")
	}
	b.addLine([]byte(`com,example)/ 20200101000000 {"url":"http://example.com/","mime":"text/html","status":"200","digest":"sha1:A","offset":"0","filename":"f.warc.gz"}`))
	b.addLine([]byte(`com,example)/r 20200101000000 {"url":"http://example.com/r","mime":"warc/revisit","digest":"sha1:R","offset":"9","filename":"f.warc.gz"}`))
	b.addLine([]byte(`not an index line`))
	b.addCapture(&Capture{Line: cdxj.Line{Mime: "text/html", Digest: "sha1:C"}})
	f.finish(b)
	for d, skipWanted := range map[string]bool{"sha1:A": false, "sha1:C": false, "sha1:R": true, "sha1:Z": true} {
		if skip, b := f.begin(d); skip != skipWanted || b != nil {
			t.Errorf("ready filter, %s: skip %v build %v, want skip %v", d, skip, b != nil, skipWanted)
		}
	}
	if free := room.free; free != maxFilterTotal-2 {
		t.Errorf("budget after one filter of 2: %d free, want %d", free, maxFilterTotal-2)
	}
	big := digestFilter{budget: room}
	_, b = big.begin("x")
	b.tooMany = true
	big.finish(b)
	if skip, b := big.begin("x"); skip || b != nil {
		t.Errorf("too large a filter: skip %v build %v, want a plain scan for ever", skip, b != nil)
	}
	f.drop()
	if room.free != maxFilterTotal {
		t.Errorf("budget after every filter was dropped or refused: %d free, want all %d", room.free, maxFilterTotal)
	}
}

// All of a collection's digest filters together stay within its budget
// (maxFilterTotal; here 2,500 fingerprints for three index files of 1,000
// captures): the files that fit get a filter, the one that does not is
// scanned, and every digest is still found wherever it is. Before, each
// file had its own bound only, so a collection's filters held 4 bytes
// for every capture of all its indexes.
func TestDigestFiltersBoundedInTotal(t *testing.T) {
	dir := t.TempDir()
	coll := filepath.Join(dir, "collections", "c")
	for _, sub := range []string{"archive", "indexes"} {
		if err := os.MkdirAll(filepath.Join(coll, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	var all []Capture
	for f := 0; f < 3; f++ {
		caps := scattered(1000)
		var buf bytes.Buffer
		for i := range caps {
			caps[i].Digest = fmt.Sprintf("sha1:F%dC%029d", f, i)
			caps[i].Filename = fmt.Sprintf("f%d.warc.gz", f)
			buf.WriteString(caps[i].String() + "\n")
		}
		all = append(all, caps...)
		if err := os.WriteFile(filepath.Join(coll, "indexes", fmt.Sprintf("f%d.cdxj", f)), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	colls, err := OpenCollections(ctx, CollectionOptions{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	c := colls["c"]
	const budget = 2500
	c.mu.Lock()
	c.filters, c.filterRoom = map[Source]*digestFilter{}, &filterBudget{free: budget}
	c.mu.Unlock()
	held := func() (n, ready int) {
		c.mu.Lock()
		defer c.mu.Unlock()
		for _, f := range c.filters {
			if k := f.held(); k > 0 {
				n += k
				ready++
			}
		}
		return n, ready
	}
	for i := 0; i < 6; i++ {
		if _, ok := byDigestOK(t, ctx, c, fmt.Sprintf("sha1:ABSENT%026d", i)); ok {
			t.Fatalf("missing digest %d was found", i)
		}
		if n, _ := held(); n > budget {
			t.Fatalf("after %d missing digests: filters hold %d fingerprints, budget %d", i+1, n, budget)
		}
	}
	if n, ready := held(); ready != 2 || n != 2000 {
		t.Errorf("filters: %d ready holding %d fingerprints, want the 2 that fit, 2000", ready, n)
	}
	if free := c.filterRoom.free; free != budget-2000 {
		t.Errorf("budget: %d free after the builds ended, want %d", free, budget-2000)
	}
	for _, i := range []int{0, 999, 1000, 1500, 2000, 2999} {
		want := all[i]
		if got, ok := byDigestOK(t, ctx, c, want.Digest); !ok || got.Filename != want.Filename || got.Offset != want.Offset {
			t.Errorf("ByDigest(%s) = %v %s %d, want %s %d", want.Digest, ok, got.Filename, got.Offset, want.Filename, want.Offset)
		}
	}
}

// BenchmarkByDigestScan: distinct digests no capture in memory has, looked
// up in a local package of 60,000 captures searched in place (the cost of
// resolving a revisit that names no original). Before digest filters each
// was one streamed scan of the package's index; now the first call scans
// and builds the filter, and the others cost a binary search.
func BenchmarkByDigestScan(b *testing.B) {
	c := byDigestBenchCollection(b)
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, ok := byDigestOK(b, ctx, c, fmt.Sprintf("sha1:ABSENT%026d", i)); ok {
			b.Fatal("found")
		}
	}
}

// BenchmarkByDigestFirstScan: the first missing digest asked of a freshly
// opened collection (the scan that builds the filter).
func BenchmarkByDigestFirstScan(b *testing.B) {
	p := byDigestBenchPackage(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		colls, err := OpenCollections(ctx, CollectionOptions{Paths: []string{p}, Name: "c"})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, ok := byDigestOK(b, ctx, colls["c"], "sha1:ABSENT0000000000000000000000000"); ok {
			b.Fatal("found")
		}
		b.StopTimer()
		for _, s := range colls["c"].IndexFiles() {
			if x, ok := s.(*PackageIndex); ok {
				x.Close()
			}
		}
		b.StartTimer()
	}
}

func byDigestBenchPackage(b *testing.B) string {
	caps := scattered(60000)
	p := b.TempDir() + "/x.wacz"
	if err := writeFile(p, zipnumPackage(b, caps, 3000)); err != nil {
		b.Fatal(err)
	}
	return p
}

func byDigestBenchCollection(b *testing.B) *Collection {
	colls, err := OpenCollections(context.Background(), CollectionOptions{Paths: []string{byDigestBenchPackage(b)}, Name: "c"})
	if err != nil {
		b.Fatal(err)
	}
	return colls["c"]
}

// ByDigest also finds a capture listed only in a collection's index files
// on disk: a pywb collection's indexes/index.cdxj (or warcbox's own
// per-WARC index from an earlier start-up) is searched, not loaded into
// memory, so a revisit whose original has another URL resolved on the
// first start (its WARC indexed into memory) and not after a restart.
func TestCollectionByDigestInIndexFile(t *testing.T) {
	dir := t.TempDir()
	coll := filepath.Join(dir, "collections", "c")
	for _, sub := range []string{"archive", "indexes"} {
		if err := os.MkdirAll(filepath.Join(coll, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	lines := "com,example)/a 20200101000000 {\"url\":\"http://example.com/a\",\"mime\":\"text/html\",\"status\":\"200\",\"digest\":\"sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"length\":\"100\",\"offset\":\"0\",\"filename\":\"a.warc.gz\"}\n" +
		"com,example)/b 20200102000000 {\"url\":\"http://example.com/b\",\"mime\":\"warc/revisit\",\"digest\":\"sha1:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB\",\"length\":\"100\",\"offset\":\"100\",\"filename\":\"a.warc.gz\"}\n" +
		"com,example)/c 20200103000000 {\"url\":\"http://example.com/c\",\"mime\":\"text/html\",\"status\":\"200\",\"digest\":\"sha1:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB\",\"length\":\"100\",\"offset\":\"200\",\"filename\":\"a.warc.gz\"}\n"
	if err := os.WriteFile(filepath.Join(coll, "indexes", "index.cdxj"), []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	colls, err := OpenCollections(ctx, CollectionOptions{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	c := colls["c"]
	if c == nil {
		t.Fatalf("collections %v: no c", colls)
	}
	got, ok := byDigestOK(t, ctx, c, "sha1:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB")
	if !ok || got.URL != "http://example.com/c" || got.Offset != 200 {
		t.Fatalf("ByDigest = %v %s %d, want the non-revisit http://example.com/c at 200", ok, got.URL, got.Offset)
	}
	if _, ok := byDigestOK(t, ctx, c, "sha1:CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC"); ok {
		t.Errorf("an unknown digest was found")
	}
}

// A line ByDigest cannot read is reported, naming the index file and the
// line's offset, and the scan goes on: a digest on a later line or in
// another file is still found. The scan that builds a file's digest
// filter reads every line, so it reports every unreadable one; later
// scans report those holding the digest asked for. Before, such errors
// were skipped without a word.
func TestByDigestReportsCorruptIndex(t *testing.T) {
	dir := t.TempDir()
	coll := filepath.Join(dir, "collections", "c")
	for _, sub := range []string{"archive", "indexes"} {
		if err := os.MkdirAll(filepath.Join(coll, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	line := func(path, digest string, off int) string {
		return fmt.Sprintf(`com,example)/%s 20200101000000 {"url":"http://example.com/%s","mime":"text/html","status":"200","digest":"%s","length":"100","offset":"%d","filename":"a.warc.gz"}`+"\n", path, path, digest, off)
	}
	const (
		b = "sha1:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
		c = "sha1:CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC"
		d = "sha1:DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD"
	)
	good := line("a", "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 0)
	badB := `com,example)/b 20200101000000 {"url":"http://example.com/b","digest":"` + b + `","offset":` + "\n"
	badD := `com,example)/d 20200101000000 {"url":"http://example.com/d","digest":"` + d + `","off` + "\n"
	a := good + badB + line("c", b, 300) + badD
	if err := os.WriteFile(filepath.Join(coll, "indexes", "a.cdxj"), []byte(a), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(coll, "indexes", "b.cdxj"), []byte(line("e", c, 500)), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	colls, err := OpenCollections(ctx, CollectionOptions{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	cl := colls["c"]
	offB, offD := len(good), len(good)+len(badB)+len(line("c", b, 300))
	names := func(err error, offs ...int) bool {
		for _, off := range offs {
			if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("a.cdxj: offset %d:", off)) {
				return false
			}
		}
		return true
	}

	// D is only on an unreadable line: not found, and the scan that
	// built a.cdxj's filter reported both unreadable lines.
	if _, ok, err := cl.ByDigest(ctx, d); ok || !names(err, offB, offD) {
		t.Errorf("ByDigest(D) = %v, %v; want not found, an error naming a.cdxj at offsets %d and %d", ok, err, offB, offD)
	}
	got, ok, err := cl.ByDigest(ctx, b)
	if !ok || got.Offset != 300 {
		t.Errorf("ByDigest(B) = %v at %d, want the readable line at 300", ok, got.Offset)
	}
	if !names(err, offB) {
		t.Errorf("ByDigest(B) error %v, want one naming a.cdxj at offset %d", err, offB)
	}
	if got, ok, err := cl.ByDigest(ctx, c); !ok || got.Offset != 500 || err != nil {
		t.Errorf("ByDigest(C), in the other file = %v at %d, %v; want found at 500, no error", ok, got.Offset, err)
	}
}

// byDigestOK is ByDigest on an index that holds no unreadable line: any
// error it reports is a regression, not something to pass over.
func byDigestOK(t testing.TB, ctx context.Context, c *Collection, d string) (Capture, bool) {
	t.Helper()
	got, ok, err := c.ByDigest(ctx, d)
	if err != nil {
		t.Errorf("ByDigest(%s): %v", d, err)
	}
	return got, ok
}
