package index

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warcbox/warcbox/internal/testcorpus"
)

// sampleDir is pywb's sample archive in the shared corpus.
func sampleDir(t testing.TB) string {
	return filepath.Join(testcorpus.Dir(t), "pywb", "sample_archive", "warcs")
}

func TestIndexWARCSample(t *testing.T) {
	d := sampleDir(t)
	caps, err := IndexWARC(context.Background(), filepath.Join(d, "iana.warc.gz"), IndexOptions{Name: "iana.warc.gz"})
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
	if page.URLKey != "org,iana)/" || page.Timestamp != "20140126200624" || page.Mime != "text/html" {
		t.Errorf("page capture = %+v", page)
	}
	if !strings.Contains(page.Title, "Internet Assigned Numbers Authority") {
		t.Errorf("title = %q", page.Title)
	}

	posts, err := IndexWARC(context.Background(), filepath.Join(d, "post-test.warc.gz"), IndexOptions{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range posts {
		if c.Method == "POST" && c.URLKey == Key("http://httpbin.org/post?__wb_method=post&foo=bar&test=abc") {
			found = true
		}
	}
	if !found {
		t.Errorf("POST capture with foo=bar&test=abc not keyed by body: %+v", posts)
	}
}

func TestMemoryLookup(t *testing.T) {
	m := NewMemory([]Capture{
		{URLKey: "com,example)/", Timestamp: "20200101000000"},
		{URLKey: "com,example)/a", Timestamp: "20200101000000"},
		{URLKey: "com,example)/a", Timestamp: "20210101000000"},
		{URLKey: "com,example,sub)/", Timestamp: "20200101000000"},
		{URLKey: "com,examples)/", Timestamp: "20200101000000"},
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
	if n := count(Query{Key: "com,example)/", MatchType: MatchPrefix}); n != 3 {
		t.Errorf("prefix: %d", n)
	}
	if n := count(Query{Key: "com,example)/", MatchType: MatchHost}); n != 3 {
		t.Errorf("host: %d", n)
	}
	if n := count(Query{Key: "com,example)/", MatchType: MatchDomain}); n != 4 {
		t.Errorf("domain: %d", n)
	}
	if n := count(Query{Key: "com,example)/", MatchType: MatchDomain, Limit: 2}); n != 2 {
		t.Errorf("limit: %d", n)
	}
}
