package index

import (
	"context"
	"github.com/warcbox/warcbox/cdxj"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/warcbox/warcbox/internal/testcorpus"
)

// sampleDir is pywb's sample archive in the shared corpus.
func sampleDir(t testing.TB) string {
	return filepath.Join(testcorpus.Dir(t), "pywb", "sample_archive", "warcs")
}

func TestReadCapturesSample(t *testing.T) {
	d := sampleDir(t)
	caps, err := ReadCaptures(context.Background(), filepath.Join(d, "iana.warc.gz"), Options{Filename: "iana.warc.gz"})
	if err != nil {
		t.Fatal(err)
	}
	if len(caps) < 10 {
		t.Fatalf("iana.warc.gz: %d captures", len(caps))
	}
	var page *Capture
	for i := range caps {
		if caps[i].URL == "http://www.iana.org/" && caps[i].Status == "200" {
			page = &caps[i]
		}
		if caps[i].Length <= 0 || caps[i].Filename != "iana.warc.gz" {
			t.Errorf("capture %+v: bad length/filename", caps[i])
		}
	}
	if page == nil {
		t.Fatal("no 200 capture of http://www.iana.org/")
	}
	if page.Key != "org,iana)/" || page.Timestamp != "20140126200624" || page.Mime != "text/html" {
		t.Errorf("page capture = %+v", page)
	}
	if !strings.Contains(page.Title, "Internet Assigned Numbers Authority") {
		t.Errorf("title = %q", page.Title)
	}

	posts, err := ReadCaptures(context.Background(), filepath.Join(d, "post-test.warc.gz"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range posts {
		if c.Method == "POST" && c.Key == cdxj.Key("http://httpbin.org/post?__wb_method=post&foo=bar&test=abc") {
			found = true
		}
	}
	if !found {
		t.Errorf("POST capture with foo=bar&test=abc not keyed by body: %+v", posts)
	}
}

func TestMemoryLookup(t *testing.T) {
	m := NewMemory([]Capture{
		{Line: cdxj.Line{Key: "com,example)/", Timestamp: "20200101000000"}},
		{Line: cdxj.Line{Key: "com,example)/a", Timestamp: "20200101000000"}},
		{Line: cdxj.Line{Key: "com,example)/a", Timestamp: "20210101000000"}},
		{Line: cdxj.Line{Key: "com,example,sub)/", Timestamp: "20200101000000"}},
		{Line: cdxj.Line{Key: "com,examples)/", Timestamp: "20200101000000"}},
	})
	ctx := context.Background()
	count := func(q Query) int {
		c, err := Collect(ctx, m, q)
		if err != nil {
			t.Fatal(err)
		}
		return len(c)
	}
	if n := count(Query{Key: "com,example)/a"}); n != 2 {
		t.Errorf("exact: %d", n)
	}
	if n := count(Query{Key: "com,example)/a", From: "2021"}); n != 1 {
		t.Errorf("from: %d", n)
	}
	if n := count(Query{Key: "com,example)/", MatchType: cdxj.MatchPrefix}); n != 3 {
		t.Errorf("prefix: %d", n)
	}
	if n := count(Query{Key: "com,example)/", MatchType: cdxj.MatchHost}); n != 3 {
		t.Errorf("host: %d", n)
	}
	if n := count(Query{Key: "com,example)/", MatchType: cdxj.MatchDomain}); n != 4 {
		t.Errorf("domain: %d", n)
	}
	if n := count(Query{Key: "com,example)/", MatchType: cdxj.MatchDomain, Limit: 2}); n != 2 {
		t.Errorf("limit: %d", n)
	}
}

// TestTitleCharset checks that page titles are read in the page's own
// character set (here Latin-1, declared only in the HTTP header), not as
// UTF-8 mojibake.
func TestTitleCharset(t *testing.T) {
	http := "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n<html><head><title>Caf\xe9 cr\xe8me</title></head><body>x</body></html>"
	rec := "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: http://example.org/\r\nWARC-Date: 2024-01-02T03:04:05Z\r\n" +
		"WARC-Record-ID: <urn:uuid:7c1e3c4e-52a6-4c55-a6d1-9f0f6a1e0a01>\r\nContent-Type: application/http; msgtype=response\r\n" +
		"Content-Length: " + strconv.Itoa(len(http)) + "\r\n\r\n" + http + "\r\n\r\n"
	caps, err := readCapturesAt(context.Background(), strings.NewReader(rec), int64(len(rec)), Options{Filename: "latin1.warc"})
	if err != nil {
		t.Fatal(err)
	}
	if len(caps) != 1 || caps[0].Title != "Café crème" {
		t.Fatalf("captures %+v, want one titled %q", caps, "Café crème")
	}
}
