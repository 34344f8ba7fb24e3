package storage

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkStreamHTTP is NewReader's sequential read (read-ahead, chunk
// pool) of a 32 MiB object over loopback HTTP.
func BenchmarkStreamHTTP(b *testing.B) {
	data := testData(32 << 20)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeContent(w, r, "x", time.Time{}, bytes.NewReader(data))
	}))
	defer srv.Close()
	s := New(Options{})
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		rd, err := s.NewReader(context.Background(), srv.URL+"/x", 0)
		if err != nil {
			b.Fatal(err)
		}
		if n, err := io.Copy(io.Discard, rd); err != nil || n != int64(len(data)) {
			b.Fatalf("%d, %v", n, err)
		}
		rd.Close()
	}
}

// BenchmarkReadAtCached is a 16 KiB ReadAt served from the block cache,
// as replay's record reader issues them once a record is prefetched.
func BenchmarkReadAtCached(b *testing.B) {
	data := testData(1 << 20)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeContent(w, r, "x", time.Time{}, bytes.NewReader(data))
	}))
	defer srv.Close()
	s := New(Options{})
	o, err := s.Open(context.Background(), srv.URL+"/x")
	if err != nil {
		b.Fatal(err)
	}
	if err := o.Prefetch(context.Background(), 0, 1<<20); err != nil {
		b.Fatal(err)
	}
	p := make([]byte, 16<<10)
	b.SetBytes(int64(len(p)))
	i := int64(0)
	for b.Loop() {
		if _, err := o.ReadAt(p, (i*7919)%(1<<20-int64(len(p)))); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
