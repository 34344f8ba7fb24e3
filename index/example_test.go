package index_test

import (
	"context"
	"fmt"
	"iter"
	"strings"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/index"
)

// lines is a Source over CDXJ lines held in a string, sorted: a new kind
// of index is one type with a Lookup method.
type lines string

func (s lines) Lookup(ctx context.Context, q index.Query) iter.Seq2[index.Capture, error] {
	return func(yield func(index.Capture, error) bool) {
		for _, text := range strings.Split(strings.TrimSpace(string(s)), "\n") {
			l, err := cdxj.Parse([]byte(text))
			if err != nil {
				if !yield(index.Capture{}, err) {
					return
				}
				continue
			}
			if l.Key != q.Key && (q.MatchType != cdxj.MatchPrefix || !strings.HasPrefix(l.Key, q.Key)) {
				continue
			}
			if !yield(index.FromLine(l), nil) {
				return
			}
		}
	}
}

var _ index.Source = lines("")

// A Source answers lookups by SURT key; NewMulti merges several in key
// and timestamp order, as replay does with a collection's indexes.
func ExampleSource() {
	disk := lines(`com,example)/ 20200101000000 {"url":"http://example.com/","mime":"text/html","status":"200","offset":"0","filename":"a.warc.gz"}
com,example)/about 20200101000010 {"url":"http://example.com/about","mime":"text/html","status":"200","offset":"900","filename":"a.warc.gz"}`)
	mem := index.NewMemory([]index.Capture{{Line: cdxj.Line{
		Key: cdxj.Key("https://www.example.com/"), Timestamp: "20210101000000",
		URL: "https://www.example.com/", Mime: "text/html", Status: "200", Filename: "b.warc.gz"},
		Title: "Example Domain"}})
	src := index.NewMulti(disk, mem)

	ctx := context.Background()
	for c, err := range src.Lookup(ctx, index.Query{Key: cdxj.Key("http://example.com/")}) {
		if err != nil {
			fmt.Println("error:", err)
			continue
		}
		fmt.Printf("%s %s %s %q\n", c.Timestamp, c.URL, c.Filename, c.Title)
	}
	all, _ := index.Collect(ctx, src, index.Query{Key: "com,example)/", MatchType: cdxj.MatchPrefix})
	fmt.Println(len(all), "captures under com,example)/")
	// Output:
	// 20200101000000 http://example.com/ a.warc.gz ""
	// 20210101000000 https://www.example.com/ b.warc.gz "Example Domain"
	// 3 captures under com,example)/
}
