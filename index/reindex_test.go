package index

import (
	"bytes"
	"context"
	"errors"
	"iter"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/internal/fdcount"
)

// zipnumPackage is a WACZ whose own index is a ZipNum of caps in blocks
// of blockLines lines, searched in place when opened.
func zipnumPackage(t testing.TB, caps []Capture, blockLines int) []byte {
	t.Helper()
	idx, part := zipnumOf(t, caps, blockLines)
	return packageWith(t, packageMember{name: "indexes/index.cdx.gz", data: part}, packageMember{name: "indexes/index.idx", data: idx})
}

// zipnumOf writes caps as a ZipNum index named index.cdx.gz in blocks of
// blockLines lines (if zero, the writer's default): its secondary index
// and its part.
func zipnumOf(t testing.TB, caps []Capture, blockLines int) (idx, part []byte) {
	t.Helper()
	var line, x, p bytes.Buffer
	zw := cdxj.NewZipNumWriter(&p, &x, "index.cdx.gz")
	zw.BlockLines = blockLines
	for _, c := range caps {
		line.Reset()
		WriteCDXJ(&line, c)
		if err := zw.WriteLine(bytes.TrimSuffix(line.Bytes(), []byte("\n"))); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return x.Bytes(), p.Bytes()
}

// replaceFile writes b to p through a rename, as a tool rewriting a
// package does, with a later modification time.
func replaceFile(t *testing.T, p string, b []byte, mtime time.Time) {
	t.Helper()
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(tmp, mtime, mtime); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, p); err != nil {
		t.Fatal(err)
	}
}

// A WACZ re-indexed while a lookup reads its index in place: the lookup
// goes on to its end over the old package (which stays open until then),
// and the old package's file is closed afterwards: no descriptor is left
// on the replaced file. Before the re-index closed the index under the
// lookup, whose next block read failed with "file already closed".
func TestReindexDuringLookup(t *testing.T) {
	caps := scattered(2000)
	dir := t.TempDir()
	p := filepath.Join(dir, "x.wacz")
	replaceFile(t, p, zipnumPackage(t, caps, 100), time.Now().Add(-time.Hour))
	ctx := context.Background()
	colls, err := OpenCollections(ctx, CollectionOptions{Paths: []string{dir}, Name: "c"})
	if err != nil {
		t.Fatal(err)
	}
	c := colls["c"]
	srcs := c.IndexFiles()
	if len(srcs) != 1 {
		t.Fatalf("%d index files searched in place, want 1 (the package's ZipNum)", len(srcs))
	}
	if cur, _ := fdcount.On(t, p); cur != 1 {
		t.Fatalf("%d descriptors open on %s, want 1", cur, p)
	}

	// Both ways lookups reach the package: through the collection (replay)
	// and through IndexFiles (the pages list).
	for i, lookup := range []func() iter.Seq2[Capture, error]{
		func() iter.Seq2[Capture, error] { return c.Lookup(ctx, Query{MatchType: cdxj.MatchPrefix}) },
		func() iter.Seq2[Capture, error] {
			return c.IndexFiles()[0].Lookup(ctx, Query{MatchType: cdxj.MatchPrefix})
		},
	} {
		next, stop := iter.Pull2(lookup())
		if _, err := pullOne(next); err != nil {
			t.Fatalf("lookup %d: first capture: %v", i, err)
		}
		// The package is rewritten (a new crawl's captures) and re-indexed.
		newCaps := scattered(2000 + 10*(i+1))
		replaceFile(t, p, zipnumPackage(t, newCaps, 100), time.Now().Add(time.Duration(i)*time.Minute))
		if err := c.Rescan(ctx); err != nil {
			t.Fatal(err)
		}
		if got := c.IndexFiles(); len(got) != 1 || got[0] == srcs[0] {
			t.Fatalf("lookup %d: the package was not re-indexed (%d index files)", i, len(got))
		}
		_, deleted := fdcount.On(t, p)
		n := 1
		for {
			_, err, ok := next()
			if !ok {
				break
			}
			if err != nil {
				t.Fatalf("lookup %d: capture %d, after the package was re-indexed: %v", i, n, err)
			}
			n++
		}
		stop()
		if n != len(caps) && i == 0 || i == 1 && n != len(caps)+10 {
			t.Errorf("lookup %d: %d captures, want those of the package when it began", i, n)
		}
		if deleted != 1 {
			t.Errorf("lookup %d: %d descriptors on the replaced package while the lookup ran, want 1", i, deleted)
		}
		if cur, deleted := fdcount.On(t, p); cur != 1 || deleted != 0 {
			t.Errorf("lookup %d: after it: %d descriptors on the package, %d on the replaced one; want 1 and 0", i, cur, deleted)
		}
		got, err := Collect(ctx, c, Query{MatchType: cdxj.MatchPrefix})
		if err != nil || len(got) != len(newCaps) {
			t.Fatalf("lookup %d: the new package: %d captures, %v; want %d", i, len(got), err, len(newCaps))
		}
		srcs = c.IndexFiles()
	}

	// A lookup begun on an index listed before a re-index, after it was
	// closed: an error saying so, never a read of a closed file.
	old := c.IndexFiles()[0]
	replaceFile(t, p, zipnumPackage(t, caps, 100), time.Now().Add(time.Hour))
	if err := c.Rescan(ctx); err != nil {
		t.Fatal(err)
	}
	_, err = Collect(ctx, old, Query{MatchType: cdxj.MatchPrefix})
	if !errors.Is(err, ErrIndexClosed) || !strings.Contains(err.Error(), "x.wacz#indexes/index.idx") {
		t.Errorf("lookup in a closed index: %v, want ErrIndexClosed naming the index", err)
	}
}

func pullOne(next func() (Capture, error, bool)) (Capture, error) {
	cp, err, ok := next()
	if !ok {
		return cp, errors.New("no capture")
	}
	return cp, err
}

// Lookups running while the package is re-indexed again and again never
// fail, and no descriptor is left behind.
func TestReindexConcurrentLookups(t *testing.T) {
	caps := scattered(600)
	dir := t.TempDir()
	p := filepath.Join(dir, "x.wacz")
	pkg := zipnumPackage(t, caps, 50)
	replaceFile(t, p, pkg, time.Now().Add(-time.Hour))
	ctx := context.Background()
	colls, err := OpenCollections(ctx, CollectionOptions{Paths: []string{dir}, Name: "c"})
	if err != nil {
		t.Fatal(err)
	}
	c := colls["c"]
	stop := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				q := Query{MatchType: cdxj.MatchPrefix}
				if i%2 == 1 {
					q = Query{Key: caps[(i*31)%len(caps)].Key}
				}
				got, err := Collect(ctx, c, q)
				if err == nil && len(got) == 0 {
					err = errors.New("no captures")
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for i := 0; i < 20; i++ {
		replaceFile(t, p, pkg, time.Now().Add(time.Duration(i)*time.Second))
		if err := c.Rescan(ctx); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("lookup during re-indexing: %v", err)
	}
	if cur, deleted := fdcount.On(t, p); cur != 1 || deleted != 0 {
		t.Errorf("%d descriptors on the package, %d on replaced ones; want 1 and 0", cur, deleted)
	}
}
