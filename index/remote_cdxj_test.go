package index

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/storage"
)

// Opening a remote CDXJ costs no request, and a lookup a handful: the
// index is bisected by Range on demand. Before, opening sampled the whole
// file, about one request per 64 KiB (202 for this 12.6 MiB index, see
// BENCHMARKS.md).
func TestRemoteCDXJRequests(t *testing.T) {
	caps := synthetic(80000)
	var data bytes.Buffer
	for _, c := range caps {
		WriteCDXJ(&data, c)
	}
	var gets, sent atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			gets.Add(1)
		}
		http.ServeContent(countingResponse{w, &sent}, r, "i.cdxj", time.Time{}, bytes.NewReader(data.Bytes()))
	}))
	defer srv.Close()
	ctx := context.Background()
	mem := NewMemory(caps)
	// The default Store, and one without read-ahead (each miss one block),
	// as a store tuned for random access would be.
	for _, opt := range []storage.Options{{}, {BlockSize: 16 << 10, ReadAhead: 16 << 10}} {
		gets.Store(0)
		sent.Store(0)
		st := storage.New(opt)
		obj, err := st.Open(ctx, srv.URL+"/i.cdxj")
		if err != nil {
			t.Fatal(err)
		}
		f, err := NewCDXJFile(obj, obj.Size(), "i.cdxj")
		if err != nil {
			t.Fatal(err)
		}
		open, openBytes := gets.Load(), sent.Load()
		q := Query{Key: cdxj.Key("http://h3.example.com/p/5?q=2"), From: "202003", To: "202003"}
		got, err := Collect(ctx, f, q)
		if err != nil || len(got) == 0 {
			t.Fatalf("lookup: %d captures, %v", len(got), err)
		}
		first, firstBytes := gets.Load()-open, sent.Load()-openBytes
		for i := 0; i < 100; i++ {
			u := caps[(i*7919)%len(caps)].URL
			q := Query{Key: cdxj.Key(u), Limit: 3}
			want, _ := Collect(ctx, mem, q)
			got, err := Collect(ctx, f, q)
			if err != nil || len(got) != len(want) {
				t.Fatalf("lookup %s: %d captures, want %d (%v)", u, len(got), len(want), err)
			}
		}
		hundred := gets.Load() - open - first
		t.Logf("%d-byte remote CDXJ, block %d, read-ahead %d: open %d requests (%d bytes), first lookup %d (%d bytes), 100 more lookups %d requests",
			data.Len(), opt.BlockSize, opt.ReadAhead, open, openBytes, first, firstBytes, hundred)
		if open != 0 || openBytes != 0 {
			t.Errorf("opening a remote CDXJ cost %d requests, %d bytes; want none", open, openBytes)
		}
		// log2(12.6 MiB / 16 KiB) ≈ 10 probes on the way down (some
		// in blocks already read), then the block scanned.
		if first > 12 || firstBytes > 1<<20 {
			t.Errorf("the first lookup cost %d requests, %d bytes; want at most 12 and 1 MiB", first, firstBytes)
		}
		if hundred > 400 {
			t.Errorf("100 lookups cost %d requests", hundred)
		}
	}
}

type countingResponse struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (w countingResponse) Write(p []byte) (int, error) {
	w.n.Add(int64(len(p)))
	return w.ResponseWriter.Write(p)
}
