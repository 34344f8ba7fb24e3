package selection

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/warc"
)

// Lines of dupes.warc.gz and iana.warc.gz as `warcbox index` writes them,
// plus a later capture with another payload.
const originalsIndex = `org,iana)/ 20140126200624 {"url":"http://www.iana.org/","mime":"text/html","status":"200","digest":"OSSAPWJ23L56IYVRW3GFEAR4MCJMGPTB","length":"2258","offset":"334","filename":"iana.warc.gz"}
org,iana)/ 20140127171238 {"url":"http://www.iana.org/","mime":"warc/revisit","status":"200","digest":"OSSAPWJ23L56IYVRW3GFEAR4MCJMGPTB","length":"536","offset":"2678","filename":"dupes.warc.gz"}
org,iana)/ 20140129000000 {"url":"http://www.iana.org/","mime":"text/html","status":"200","digest":"ZZZZ","length":"100","offset":"9000","filename":"later.warc.gz"}
`

func revisit(fields ...string) *warc.Record {
	h := warc.Header{{Name: "WARC-Type", Value: "revisit"}, {Name: "WARC-Target-URI", Value: "http://www.iana.org/"},
		{Name: "WARC-Date", Value: "2014-01-27T17:12:38Z"}, {Name: "WARC-Payload-Digest", Value: "sha1:OSSAPWJ23L56IYVRW3GFEAR4MCJMGPTB"}}
	for i := 0; i+1 < len(fields); i += 2 {
		h = append(h, warc.Field{Name: fields[i], Value: fields[i+1]})
	}
	return &warc.Record{File: "dupes.warc.gz", Offset: 2678, Header: h}
}

// A revisit's original is found by its WARC-Refers-To-Date, or without
// one by the latest earlier capture with its payload digest; never a
// revisit line, never a capture with another payload or a later one.
func TestOriginalsFind(t *testing.T) {
	idx, err := cdxj.OpenFile(strings.NewReader(originalsIndex), int64(len(originalsIndex)))
	if err != nil {
		t.Fatal(err)
	}
	o := &Originals{Index: idx, Name: "all.cdxj", Base: "s3://b/coll/"}
	ctx := context.Background()
	want := Ref{File: "s3://b/coll/iana.warc.gz", Offset: 334, Length: 2258}
	for _, rec := range []*warc.Record{
		revisit("WARC-Refers-To-Target-URI", "http://www.iana.org/", "WARC-Refers-To-Date", "2014-01-26T20:06:24Z"),
		revisit(), // digest only
	} {
		if got, err := o.Find(ctx, rec); err != nil || got != want {
			t.Errorf("Find = %+v, %v; want %+v", got, err, want)
		}
	}
	for _, rec := range []*warc.Record{
		revisit("WARC-Refers-To-Date", "2013-01-01T00:00:00Z"),
		{Header: warc.Header{{Name: "WARC-Target-URI", Value: "http://www.iana.org/"}, {Name: "WARC-Date", Value: "2014-01-20T00:00:00Z"},
			{Name: "WARC-Payload-Digest", Value: "sha1:OSSAPWJ23L56IYVRW3GFEAR4MCJMGPTB"}}}, // before the original
	} {
		if _, err := o.Find(ctx, rec); !errors.Is(err, ErrNoOriginal) || !strings.Contains(err.Error(), "http://www.iana.org/") || !strings.Contains(err.Error(), "all.cdxj") {
			t.Errorf("no original: %v", err)
		}
	}
	var none *Originals
	if _, err := none.Find(ctx, revisit()); !errors.Is(err, ErrNoOriginal) || !strings.Contains(err.Error(), "--originals") {
		t.Errorf("no index: %v", err)
	}
}
