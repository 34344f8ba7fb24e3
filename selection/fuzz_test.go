package selection

import (
	"bytes"
	"strings"
	"testing"
)

// checkRefs asserts what every parser promises: refs it gives without an
// error name a file and a valid range, rows only go forward.
func checkRefs(t *testing.T, seq func(func(Ref, error) bool)) {
	var last int64
	n := 0
	for r, err := range seq {
		if n++; n > 1<<16 {
			t.Fatal("more refs than the input could hold")
		}
		if err != nil {
			continue
		}
		if r.File == "" || r.Offset < 0 || r.Length <= 0 {
			t.Fatalf("invalid ref without an error: %+v", r)
		}
		if r.Row <= last {
			t.Fatalf("row %d after row %d", r.Row, last)
		}
		last = r.Row
	}
}

func FuzzLines(f *testing.F) {
	f.Add([]byte(`org,iana)/ 20140126200624 {"url":"http://www.iana.org/","length":"2258","offset":"334","filename":"iana.warc.gz"}` + "\n"))
	f.Add([]byte(`{"urlkey": "org,commoncrawl)/", "length": "5910", "offset": "371386929", "filename": "crawl-data/x.warc.gz"}` + "\n\n{\"offset\":1}"))
	f.Add([]byte(" CDX N b a m s k r M S V g\ncom,example)/ 20140127171251 http://example.com text/html 200 B2LT - - 1151 1043 example.warc.gz\n"))
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		checkRefs(t, Lines(bytes.NewReader(b), "fuzz", "base/"))
	})
}

func FuzzCSV(f *testing.F) {
	f.Add([]byte("url,warc_filename,warc_record_offset,warc_record_length\nhttps://a/,x.warc.gz,100,50\n"))
	f.Add([]byte("filename,offset,length\n\"a\nb\",1,2\n,,\n"))
	f.Add([]byte("\ufeffwarc_filename;warc_record_offset\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		checkRefs(t, CSV(bytes.NewReader(b), "fuzz.csv", ""))
	})
}

func FuzzParquet(f *testing.F) {
	f.Add(writeParquet(f, []ccRow{{"https://a/", "x.warc.gz", 100, 50, 200, "AAAA"}, {"https://b/", "", 1, 0, 404, ""}}))
	s, o := "y.warc.gz", int64(5)
	f.Add(writeParquet(f, []duckRow{{&s, &o, &o}, {nil, nil, nil}}))
	f.Add([]byte("PAR1" + strings.Repeat("\x00", 20) + "PAR1"))
	f.Fuzz(func(t *testing.T, b []byte) {
		checkRefs(t, Read(bytes.NewReader(b), int64(len(b)), "fuzz.parquet", ""))
	})
}
