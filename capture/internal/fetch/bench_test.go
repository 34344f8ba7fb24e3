package fetch

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

func BenchmarkClientDo(b *testing.B) {
	body := bytes.Repeat([]byte("x"), 64<<10)
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(body) }))
	defer s.Close()
	c := NewClient(ClientOptions{})
	defer c.CloseIdle()
	u, _ := url.Parse(s.URL + "/x")
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		ex, err := c.Do(context.Background(), u, "", nil)
		if err != nil || ex.PayloadLen != int64(len(body)) {
			b.Fatal(err)
		}
		ex.Close()
	}
}
