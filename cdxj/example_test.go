package cdxj_test

import (
	"bytes"
	"context"
	"fmt"
	"log"

	"github.com/warcbox/warcbox/cdxj"
)

func ExampleSURT() {
	for _, u := range []string{
		"http://www.Example.com:80/A%7e/../B?b=2&a=1#top",
		"https://bücher.ch/",
		"dns:www.example.com",
	} {
		k, err := cdxj.SURT(u)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(k)
	}
	// Output:
	// com,example)/b?a=1&b=2
	// ch,xn--bcher-kva)/
	// dns:www.example.com
}

func ExampleSURTIA() {
	k, _ := cdxj.SURTIA("http://www.example.com/Dir/?jsessionid=0123456789abcdefghijklemopqrstuv&x=%7E")
	fmt.Println(k)
	// Output: com,example)/dir?x=~
}

func ExampleRequestQuery() {
	body, query, _ := cdxj.RequestQuery("POST", "application/x-www-form-urlencoded", []byte("foo=bar&test=abc"), cdxj.MaxRequestQuery)
	u := cdxj.AppendMethodQuery("http://httpbin.org/post", "POST", query)
	fmt.Println(cdxj.Key(u))
	fmt.Println(body)
	// Output:
	// org,httpbin)/post?__wb_method=post&foo=bar&test=abc
	// foo=bar&test=abc
}

func ExampleParse() {
	l, err := cdxj.Parse([]byte(`com,example)/ 20140127171200 {"url":"http://example.com","mime":"text/html","status":"200","digest":"B2LTWWPUOYAH7UIPQ7ZUPQ4VMBSVC36A","length":"1046","offset":"334","filename":"example.warc.gz"}`))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(l.Key, l.Timestamp, l.Status, l.Offset, l.Length, l.Filename)
	// Output: com,example)/ 20140127171200 200 334 1046 example.warc.gz
}

// Index lines are added in any order, sorted on Close, then searched.
func ExampleFile_Lookup() {
	var index bytes.Buffer
	w := cdxj.NewSortedWriter(&index, cdxj.SortOptions{})
	for i, u := range []string{"http://example.com/b", "http://www.example.com/", "http://sub.example.com/", "http://example.com/"} {
		l := cdxj.Line{Key: cdxj.Key(u), Timestamp: fmt.Sprintf("2024010100000%d", i), URL: u,
			Mime: "text/html", Status: "200", Length: 100, Offset: int64(100 * i), Filename: "a.warc.gz"}
		if err := w.Add(&l); err != nil {
			log.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}

	f, err := cdxj.OpenFile(bytes.NewReader(index.Bytes()), int64(index.Len()))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	for _, q := range []struct {
		key   string
		match cdxj.MatchType
	}{{"com,example)/", cdxj.MatchExact}, {"com,example)/", cdxj.MatchHost}, {"com,example", cdxj.MatchDomain}} {
		fmt.Println(q.match, q.key)
		for l, err := range f.Lookup(ctx, q.key, q.match) {
			if err != nil {
				log.Fatal(err)
			}
			fmt.Println(" ", l.Key, l.Timestamp, l.URL)
		}
	}
	// Output:
	// exact com,example)/
	//   com,example)/ 20240101000001 http://www.example.com/
	//   com,example)/ 20240101000003 http://example.com/
	// host com,example)/
	//   com,example)/ 20240101000001 http://www.example.com/
	//   com,example)/ 20240101000003 http://example.com/
	//   com,example)/b 20240101000000 http://example.com/b
	// domain com,example
	//   com,example)/ 20240101000001 http://www.example.com/
	//   com,example)/ 20240101000003 http://example.com/
	//   com,example)/b 20240101000000 http://example.com/b
	//   com,example,sub)/ 20240101000002 http://sub.example.com/
}

func ExamplePadTimestamp() {
	from, _ := cdxj.PadTimestamp("2010", false)
	to, _ := cdxj.PadTimestamp("201002", true)
	fmt.Println(from, to)
	// Output: 20100101000000 20100228235959
}
