package storage

import (
	"bytes"
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
	"testing"
	"time"

	"github.com/warcbox/warcbox/internal/ctxio"
	"github.com/warcbox/warcbox/internal/fdcount"
)

// Pooled objects keep at most MaxOpenFiles descriptors open however many
// there are, read right after their file was closed and reopened, and a
// file replaced meanwhile is an error, never another file's bytes.
func TestOpenPooledBounded(t *testing.T) {
	dir := t.TempDir()
	st := New(Options{MaxOpenFiles: 3})
	var objs []*Object
	for i := 0; i < 12; i++ {
		p := filepath.Join(dir, fmt.Sprintf("f%02d", i))
		if err := os.WriteFile(p, bytes.Repeat([]byte{byte('a' + i)}, 1000), 0o644); err != nil {
			t.Fatal(err)
		}
		o, err := st.OpenPooled(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		if o.File() != nil || o.Remote() || o.Size() != 1000 {
			t.Fatalf("pooled object: file %v remote %v size %d", o.File(), o.Remote(), o.Size())
		}
		objs = append(objs, o)
	}
	if n := fdcount.Under(t, dir); n > 3 {
		t.Fatalf("%d descriptors open after opening 12 pooled files, bound 3", n)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 10)
			for r := 0; r < 200; r++ {
				i := (r*7 + w) % len(objs)
				if _, err := objs[i].ReadAt(buf, int64(r%990)); err != nil || buf[0] != byte('a'+i) || buf[9] != byte('a'+i) {
					errs <- fmt.Errorf("file %d: %q %v", i, buf, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n, open := fdcount.Under(t, dir), st.files.openFiles(); n > 3 || open > 3 {
		t.Errorf("%d descriptors (%d in the pool) after reading, bound 3", n, open)
	}
	// f00 was not read last: closed. Replaced, it is not read again.
	if err := os.WriteFile(filepath.Join(dir, "new"), bytes.Repeat([]byte("z"), 1000), 0o644); err != nil {
		t.Fatal(err)
	}
	for i := 1; i < 6; i++ {
		objs[i].ReadAt(make([]byte, 1), 0) // push f00 out
	}
	if err := os.Rename(filepath.Join(dir, "new"), filepath.Join(dir, "f00")); err != nil {
		t.Fatal(err)
	}
	if _, err := objs[0].ReadAt(make([]byte, 1), 0); !errors.Is(err, ErrChanged) || !strings.Contains(err.Error(), "f00") {
		t.Errorf("read of a replaced file: %v, want ErrChanged naming it", err)
	}
	for _, o := range objs {
		o.Close()
	}
	if n := fdcount.Under(t, dir); n != 0 {
		t.Errorf("%d descriptors open after closing every object", n)
	}
	// A read after Close is refused and opens nothing: a descriptor
	// opened for it would be outside the bound (whoever shares an object
	// closes it after its last reader).
	buf := make([]byte, 1)
	if _, err := objs[1].ReadAt(buf, 0); !errors.Is(err, fs.ErrClosed) || !strings.Contains(err.Error(), "f01") {
		t.Errorf("read of a closed pooled object: %v, want fs.ErrClosed naming it", err)
	}
	if n := fdcount.Under(t, dir); n != 0 {
		t.Errorf("%d descriptors open after reading a closed object", n)
	}
}

// Under reads, opens and closes at the same moment, with no more readers
// than the bound, the descriptors open on pooled files never exceed it:
// a file is opened (OpenPooled, or reopened for a read) only once an idle
// one was closed to make room, and reads of one closed file wait for one
// reopen. Before, the new descriptor came first and the eviction after,
// and each read of a closed file opened its own (6 to 8 descriptors with
// a bound of 4).
func TestOpenPooledBoundHoldsUnderConcurrency(t *testing.T) {
	dir := t.TempDir()
	const bound, readers, files = 4, 4, 24
	var paths []string
	for i := 0; i < files; i++ {
		p := filepath.Join(dir, fmt.Sprintf("f%02d", i))
		if err := os.WriteFile(p, bytes.Repeat([]byte{byte('a' + i)}, 4096), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	st := New(Options{MaxOpenFiles: bound})
	// Long-lived objects, read by everyone and never closed here.
	shared := make([]*Object, 8)
	for i := range shared {
		o, err := st.OpenPooled(context.Background(), paths[i])
		if err != nil {
			t.Fatal(err)
		}
		defer o.Close()
		shared[i] = o
	}
	stop := fdcount.Peak(t, dir)
	var wg sync.WaitGroup
	errs := make(chan error, readers)
	for w := 0; w < readers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 64)
			for r := 0; r < 300; r++ {
				// Each reader opens its own object, reads it and a
				// shared one, and closes its own.
				i := 8 + (r*readers+w)%(files-8)
				o, err := st.OpenPooled(context.Background(), paths[i])
				if err != nil {
					errs <- err
					return
				}
				for _, x := range []struct {
					o *Object
					i int
				}{{o, i}, {shared[(r+w)%len(shared)], (r + w) % len(shared)}} {
					if _, err := x.o.ReadAt(buf, int64(r%4000)); err != nil || buf[0] != byte('a'+x.i) {
						errs <- fmt.Errorf("f%02d: %q %v", x.i, buf[:1], err)
						o.Close()
						return
					}
				}
				o.Close()
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
		t.Errorf("%d descriptors open at once on pooled files, bound %d", m, bound)
	}
	if n, open := fdcount.Under(t, dir), st.files.openFiles(); n > bound || open > bound {
		t.Errorf("%d descriptors (%d in the pool) at the end, bound %d", n, open, bound)
	}
}

// Check says whether a pooled file is still the one opened: replaced,
// grown, touched and removed files are told apart from an unchanged one.
func TestObjectCheck(t *testing.T) {
	dir := t.TempDir()
	st := New(Options{})
	p := filepath.Join(dir, "f")
	write := func(b string) {
		t.Helper()
		if err := os.WriteFile(p+".tmp", []byte(b), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(p+".tmp", p); err != nil {
			t.Fatal(err)
		}
	}
	open := func() *Object {
		t.Helper()
		o, err := st.OpenPooled(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { o.Close() })
		return o
	}
	write("abc")
	o := open()
	if err := o.Check(); err != nil {
		t.Fatalf("unchanged file: %v", err)
	}
	write("xyz") // same size, another file
	if err := o.Check(); !errors.Is(err, ErrChanged) || !strings.Contains(err.Error(), p) {
		t.Errorf("replaced file: %v, want ErrChanged naming it", err)
	}
	o = open()
	f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("more")
	f.Close()
	if err := o.Check(); !errors.Is(err, ErrChanged) {
		t.Errorf("grown file: %v, want ErrChanged", err)
	}
	o = open()
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(p, later, later); err != nil {
		t.Fatal(err)
	}
	if err := o.Check(); !errors.Is(err, ErrChanged) {
		t.Errorf("modified file: %v, want ErrChanged", err)
	}
	o = open()
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	if err := o.Check(); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("removed file: %v, want fs.ErrNotExist", err)
	}
}

// A remote object kept open with a context of its own is read for one
// request with that request's context: cancelling it stops the read
// waiting on the server (the object's own context would have waited), and
// the object is read again afterwards. A Section passes the context on.
func TestReadAtContextCancelled(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789"), 100000)
	arrived, release := make(chan struct{}, 10), make(chan struct{})
	var block sync.Once
	hold := true
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		h := hold
		mu.Unlock()
		if r.Method == http.MethodGet && h {
			arrived <- struct{}{}
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		http.ServeContent(w, r, "x", time.Time{}, bytes.NewReader(data))
	}))
	defer srv.Close()
	defer block.Do(func() { close(release) })
	st := New(Options{Retries: 1})
	o, err := st.Open(context.Background(), srv.URL+"/x")
	if err != nil {
		t.Fatal(err)
	}
	for _, ra := range []io.ReaderAt{o, NewSection(o, 1000, 500000)} {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			_, err := ctxio.Bind(ctx, ra).ReadAt(make([]byte, 100), 200000)
			done <- err
		}()
		<-arrived
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("%T: read under a cancelled context: %v", ra, err)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("%T: the read did not stop when its context was cancelled", ra)
		}
	}
	mu.Lock()
	hold = false
	mu.Unlock()
	// Bound and sectioned readers still prefetch a record in one request,
	// and say when the object is shorter than the range.
	for _, ra := range []io.ReaderAt{ctxio.Bind(context.Background(), o), ctxio.Bind(context.Background(), NewSection(o, 1000, 500000))} {
		p, ok := ra.(interface {
			Prefetch(ctx context.Context, off, n int64) error
		})
		if !ok {
			t.Fatalf("%T does not prefetch", ra)
		}
		if err := p.Prefetch(context.Background(), 10, 100); err != nil {
			t.Errorf("%T: prefetch: %v", ra, err)
		}
		if err := p.Prefetch(context.Background(), 999000, 5000); !errors.Is(err, ErrShort) {
			t.Errorf("%T: prefetch past the end: %v, want ErrShort", ra, err)
		}
	}
	buf := make([]byte, 10)
	if _, err := o.ReadAt(buf, 200000); err != nil || string(buf) != "0123456789" {
		t.Errorf("read after: %q %v", buf, err)
	}
}

// BenchmarkPooledReadAt: a 4 KiB read of a pooled local object against
// the same read of its *os.File (the pool's lock and map per read), and
// of a pooled object whose file must be reopened every time (2 objects,
// a pool of 1).
func BenchmarkPooledReadAt(b *testing.B) {
	dir := b.TempDir()
	var paths []string
	for i := 0; i < 2; i++ {
		p := filepath.Join(dir, fmt.Sprintf("f%d", i))
		if err := os.WriteFile(p, bytes.Repeat([]byte("x"), 1<<20), 0o644); err != nil {
			b.Fatal(err)
		}
		paths = append(paths, p)
	}
	buf := make([]byte, 4096)
	f, err := os.Open(paths[0])
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	b.Run("file", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			if _, err := f.ReadAt(buf, int64(i%200)*4096); err != nil {
				b.Fatal(err)
			}
		}
	})
	st := New(Options{})
	o, _ := st.OpenPooled(context.Background(), paths[0])
	defer o.Close()
	b.Run("pooled", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			if _, err := o.ReadAt(buf, int64(i%200)*4096); err != nil {
				b.Fatal(err)
			}
		}
	})
	small := New(Options{MaxOpenFiles: 1})
	o1, _ := small.OpenPooled(context.Background(), paths[0])
	o2, _ := small.OpenPooled(context.Background(), paths[1])
	defer o1.Close()
	defer o2.Close()
	b.Run("pooled-reopened", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			o := o1
			if i%2 == 1 {
				o = o2
			}
			if _, err := o.ReadAt(buf, int64(i%200)*4096); err != nil {
				b.Fatal(err)
			}
		}
	})
}
