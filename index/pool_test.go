package index

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/internal/fdcount"
	"github.com/warcbox/warcbox/storage"
)

// A collection of many local WACZ packages searched in place keeps at
// most the Store's MaxOpenFiles descriptors open (one per package before),
// and every package's lookups still answer.
func TestPackagesSearchedInPlaceBoundedFDs(t *testing.T) {
	dir := t.TempDir()
	const pkgs, limit = 12, 4
	var want []Capture
	for i := 0; i < pkgs; i++ {
		caps := scattered(300)
		for k := range caps {
			caps[k].URL = fmt.Sprintf("http://p%d.example/%d", i, k)
			caps[k].Key = cdxj.Key(caps[k].URL)
		}
		sortCaps(caps)
		want = append(want, caps[7])
		replaceFile(t, filepath.Join(dir, fmt.Sprintf("p%02d.wacz", i)), zipnumPackage(t, caps, 50), time.Now().Add(-time.Hour))
	}
	ctx := context.Background()
	colls, err := OpenCollections(ctx, CollectionOptions{Paths: []string{dir}, Name: "c", Store: storage.New(storage.Options{MaxOpenFiles: limit})})
	if err != nil {
		t.Fatal(err)
	}
	c := colls["c"]
	if n := len(c.IndexFiles()); n != pkgs {
		t.Fatalf("%d packages searched in place, want %d", n, pkgs)
	}
	for round := 0; round < 3; round++ {
		for i, w := range want {
			got, err := Collect(ctx, c, Query{Key: w.Key})
			if err != nil || len(got) != 1 || got[0].Filename != fmt.Sprintf("p%02d.wacz#archive/f.warc.gz", i) || got[0].Offset != w.Offset {
				t.Fatalf("package %d: %+v %v", i, got, err)
			}
			if n := fdcount.Under(t, dir); n > limit {
				t.Fatalf("%d descriptors open on the packages, bound %d", n, limit)
			}
		}
	}
	t.Logf("%d packages, %d descriptors open", pkgs, fdcount.Under(t, dir))
}

func sortCaps(caps []Capture) {
	for i := 1; i < len(caps); i++ {
		for j := i; j > 0 && compareCaptures(caps[j], caps[j-1]) < 0; j-- {
			caps[j], caps[j-1] = caps[j-1], caps[j]
		}
	}
}

// A lookup in a remote package searched in place reads with the lookup's
// context: cancelled (a replay request that ended), it stops waiting on
// the server. Before, the package's reads were bound to a context that
// is never cancelled, and the lookup waited for the server.
func TestPackageLookupStopsWithItsContext(t *testing.T) {
	caps := scattered(20000)
	pkg := zipnumPackage(t, caps, 3000)
	var mu sync.Mutex
	hold := false
	arrived, release := make(chan struct{}, 10), make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		h := hold
		mu.Unlock()
		if h && r.Method == http.MethodGet {
			arrived <- struct{}{}
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		http.ServeContent(w, r, "x.wacz", time.Time{}, bytes.NewReader(pkg))
	}))
	defer srv.Close()
	defer close(release)
	ctx := context.Background()
	colls, err := OpenCollections(ctx, CollectionOptions{Paths: []string{srv.URL + "/x.wacz"}, Name: "c", Store: storage.New(storage.Options{Retries: 1})})
	if err != nil {
		t.Fatal(err)
	}
	c := colls["c"]
	if len(c.IndexFiles()) != 1 {
		t.Fatalf("not searched in place")
	}
	mu.Lock()
	hold = true
	mu.Unlock()
	lctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		_, err := Collect(lctx, c, Query{Key: caps[0].Key})
		done <- err
	}()
	<-arrived
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("lookup under a cancelled context: %v", err)
		}
	case <-time.After(30 * time.Second):
		buf := make([]byte, 1<<20)
		n := runtime.Stack(buf, true)
		t.Fatalf("the lookup did not stop when its context was cancelled\n%s", buf[:n])
	}
}
