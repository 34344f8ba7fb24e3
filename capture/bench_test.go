package capture

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"testing"
)

func BenchmarkExtractHTML(b *testing.B) {
	body, err := os.ReadFile("testdata/functions.html")
	if err != nil {
		b.Skip(err)
	}
	base, _ := url.Parse("http://127.0.0.1/library/functions.html")
	for name, f := range map[string]func([]byte, *url.URL) []link{"dom": extractHTML, "stream": extractHTMLStream} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if len(f(body, base)) == 0 {
					b.Fatal("no links")
				}
			}
		})
	}
}

// BenchmarkCapture crawls a 100-page site with requisites end to end.
func BenchmarkCapture(b *testing.B) {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, `<link rel=stylesheet href="/s.css"><img src="/i%s.png">`, r.URL.Path[1:])
		for i := 0; i < 100; i++ {
			fmt.Fprintf(w, `<a href="/p%d">p</a>`, i)
		}
		io.WriteString(w, string(bytes.Repeat([]byte("<p>text</p>"), 500)))
	})
	s := httptest.NewServer(mux)
	defer s.Close()
	for b.Loop() {
		o := testOptions(b.TempDir())
		o.Depth, o.IgnoreRobots = 1, true
		sum, err := Run(context.Background(), []string{s.URL + "/"}, o)
		if err != nil || sum.Fetched < 200 {
			b.Fatalf("%v %+v", err, sum)
		}
	}
}
