package storage

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// A range is read with one request, exactly; a server that cuts every
// response after a few bytes is resumed from where it cut, never short;
// a range past the end is ErrShort.
func TestNewRangeReader(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789abcdef"), 4096)
	var requests atomic.Int64
	var cutAfter atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		spec := strings.TrimPrefix(r.Header.Get("Range"), "bytes=")
		a, b, _ := strings.Cut(spec, "-")
		start, _ := strconv.ParseInt(a, 10, 64)
		end := int64(len(data)) - 1
		if b != "" {
			end, _ = strconv.ParseInt(b, 10, 64)
		}
		if start >= int64(len(data)) || end >= int64(len(data)) {
			w.Header().Set("Content-Range", "bytes */"+strconv.Itoa(len(data)))
			w.WriteHeader(http.StatusRequestedRangeNotSatisfiable)
			return
		}
		body := data[start : end+1]
		w.Header().Set("Content-Range", "bytes "+a+"-"+strconv.FormatInt(end, 10)+"/"+strconv.Itoa(len(data)))
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusPartialContent)
		if c := cutAfter.Load(); c > 0 && int64(len(body)) > c {
			w.Write(body[:c])
			w.(http.Flusher).Flush()
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.(*net.TCPConn).SetLinger(0)
			conn.Close()
			return
		}
		w.Write(body)
	}))
	defer srv.Close()
	s := New(Options{Backoff: time.Millisecond})
	ctx := context.Background()
	read := func(off, n int64) ([]byte, error) {
		rc, err := s.NewRangeReader(ctx, srv.URL+"/x.warc.gz", off, n)
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		return io.ReadAll(rc)
	}
	got, err := read(1000, 5000)
	if err != nil || !bytes.Equal(got, data[1000:6000]) || requests.Load() != 1 {
		t.Fatalf("range: %d bytes, err %v, %d requests", len(got), err, requests.Load())
	}
	requests.Store(0)
	cutAfter.Store(1500)
	got, err = read(100, 20000)
	if err != nil || !bytes.Equal(got, data[100:20100]) {
		t.Fatalf("resumed range: %d bytes, err %v", len(got), err)
	}
	if n := requests.Load(); n != 14 {
		t.Errorf("%d requests for 20000 bytes cut every 1500, want 14", n)
	}
	cutAfter.Store(0)
	_, err = read(int64(len(data))-10, 100)
	var e *Error
	if !errors.Is(err, ErrShort) || !errors.As(err, &e) || e.Offset != int64(len(data))-10 || !strings.Contains(e.URL, "x.warc.gz") {
		t.Errorf("past the end: %v", err)
	}
}
