package rewrite

import (
	"bytes"
	"io"
	"os"
	"testing"
)

var osReadFile = os.ReadFile

func BenchmarkHTML(b *testing.B) {
	src, err := os.ReadFile("testdata/golden/page.html")
	if err != nil {
		b.Fatal(err)
	}
	page := bytes.Repeat(src, 20) // ~40 KB, a typical article page
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		u := NewURLRewriter("/c/", "20200101000000", "", "http://example.com/dir/page.html")
		if err := u.HTML(io.Discard, bytes.NewReader(page), HTMLOptions{Head: "<script></script>"}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkJS(b *testing.B) {
	src, err := os.ReadFile("testdata/golden/app.js")
	if err != nil {
		b.Fatal(err)
	}
	js := bytes.Repeat(src, 100)
	u := NewURLRewriter("/c/", "20200101000000", "", "http://example.com/dir/page.html")
	b.SetBytes(int64(len(js)))
	for b.Loop() {
		u.JS(js)
	}
}
