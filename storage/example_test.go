package storage_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/warcbox/warcbox/storage"
)

// A remote object read two ways: a stream from an offset, and random
// access with a record's range prefetched in one request.
func Example() {
	data := []byte("WARC/1.1 … the bytes of some archive …")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/x.warc" {
			http.NotFound(w, r)
			return
		}
		http.ServeContent(w, r, "x.warc", time.Time{}, bytes.NewReader(data))
	}))
	defer srv.Close()
	ctx := context.Background()
	st := storage.New(storage.Options{})
	defer st.Close()

	rd, err := st.NewReader(ctx, srv.URL+"/x.warc", 9)
	if err != nil {
		fmt.Println(err)
		return
	}
	rest, _ := io.ReadAll(rd)
	rd.Close()
	fmt.Printf("%q\n", rest[:8])

	obj, err := st.Open(ctx, srv.URL+"/x.warc")
	if err != nil {
		fmt.Println(err)
		return
	}
	obj.Prefetch(ctx, 0, 8)
	head := make([]byte, 8)
	obj.ReadAt(head, 0)
	fmt.Printf("%q, %d bytes\n", head, obj.Size())

	_, err = st.Stat(ctx, srv.URL+"/missing.warc")
	fmt.Println(err != nil, storage.KindOf("s3://bucket/key") == storage.S3)
	// Output:
	// "… the "
	// "WARC/1.1", 42 bytes
	// true true
}
