package cdxj

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func goldenURLs(b *testing.B) []string {
	var urls []string
	for _, lines := range goldenLines(b) {
		for _, s := range lines {
			l, err := Parse([]byte(s))
			if err == nil && l.URL != "" {
				urls = append(urls, l.URL)
			}
		}
	}
	raw, err := os.ReadFile(filepath.Join("testdata", "warciojs", "surt-random.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		var c struct{ URL string }
		if json.Unmarshal([]byte(s), &c) == nil {
			urls = append(urls, c.URL)
		}
	}
	return urls
}

func BenchmarkSURT(b *testing.B) {
	urls := goldenURLs(b)
	b.ResetTimer()
	i := 0
	for b.Loop() {
		SURT(urls[i%len(urls)])
		i++
	}
}

func BenchmarkSURTIA(b *testing.B) {
	urls := goldenURLs(b)
	b.ResetTimer()
	i := 0
	for b.Loop() {
		SURTIA(urls[i%len(urls)])
		i++
	}
}

func BenchmarkParse(b *testing.B) {
	var lines [][]byte
	for _, ls := range goldenLines(b) {
		for _, s := range ls {
			lines = append(lines, []byte(s))
		}
	}
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if _, err := Parse(lines[i%len(lines)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkAppendTo(b *testing.B) {
	l, err := Parse([]byte(`org,httpbin)/post?__wb_method=post&foo=bar&test=abc 20140610000859 {"url":"http://httpbin.org/post","mime":"application/json","status":"200","digest":"M532K5WS4GY2H4OVZO6HRPOP47A7KDWU","length":"720","offset":"0","filename":"post-test.warc.gz","method":"POST","requestBody":"foo=bar&test=abc"}`))
	if err != nil {
		b.Fatal(err)
	}
	var buf []byte
	for b.Loop() {
		buf = l.AppendTo(buf[:0])
	}
}
