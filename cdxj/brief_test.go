package cdxj

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"
	"testing"
)

// sameAsParse checks that ParseBrief accepts what Parse accepts, with the
// same field values, and refuses what it refuses.
func sameAsParse(t *testing.T, line []byte, b *Brief) {
	t.Helper()
	l, err := Parse(line)
	berr := ParseBrief(line, b)
	if (err == nil) != (berr == nil) || errors.Is(err, ErrHeader) != errors.Is(berr, ErrHeader) {
		t.Fatalf("%q: Parse: %v, ParseBrief: %v", line, err, berr)
	}
	if err != nil {
		return
	}
	for _, f := range []struct {
		name      string
		got, want string
	}{{"key", string(b.Key), l.Key}, {"timestamp", string(b.Timestamp), l.Timestamp}, {"url", string(b.URL), l.URL},
		{"mime", string(b.Mime), l.Mime}, {"status", string(b.Status), l.Status}, {"digest", string(b.Digest), l.Digest},
		{"filename", string(b.Filename), l.Filename}} {
		if f.got != f.want {
			t.Fatalf("%q: %s %q, Parse gives %q", line, f.name, f.got, f.want)
		}
	}
	wantOff, wantLen := int64(-1), int64(-1)
	if l.absent&fOffset == 0 {
		wantOff = l.Offset
	}
	if l.absent&fLength == 0 {
		wantLen = l.Length
	}
	if b.Offset != wantOff || b.Length != wantLen {
		t.Fatalf("%q: offset %d length %d, Parse gives %d %d", line, b.Offset, b.Length, wantOff, wantLen)
	}
}

var briefCases = []string{
	`com,example)/ 20140127171200 {"url": "http://example.com", "mime": "text/html", "status": "200", "digest": "B2LT", "length": "1046", "offset": "334", "filename": "example.warc.gz"}`,
	`com,example)/ 20140127171200 {"url":"http://example.com","mime":"warc/revisit","status":200,"digest":"sha1:B2LT","length":1046,"offset":0,"filename":"a b.warc.gz","title":"x"}`,
	`com,example)/ 20140127171200 {"fil\u0065name":"\u00e9t\u00e9.warc.gz","offset":"-","length":"","extra":{"a":[1,"}"]},"status":null,"digest":true}`,
	`com,example)/ 20140127171200 {"filename":"a","filename":"b","offset":"5","offset":null}`,
	`com,example)/ 20140127171200 {"offset":"-1"}`,
	`com,example)/ 20140127171200 {"length":"1e3"}`,
	`com,example)/ 20140127171200 {"url":"\x01"}`,
	`com,example)/ 20140127171200 {"url":"a\q"}`,
	`com,example)/ 20140127171200 {"url":"a"} x`,
	`com,example)/ 20140127171200 {"url":"a",}`,
	`com,example)/ 20140127171200 {}`,
	"com,example)/ 20140127171200 http://example.com text/html 200 B2LT - - 1046 334 example.warc.gz",
	"com,example)/ 20140127171200 http://example.com text/html 200 B2LT - 334 example.warc.gz",
	" CDX N b a m s k r M S V g",
	"file:///a b.png 20200101000000 {\"url\":\"file:///a b.png\"}\r\n",
	"a {\"x\":1}",
	"",
}

func TestParseBriefSameAsParse(t *testing.T) {
	var b Brief
	for _, c := range briefCases {
		sameAsParse(t, []byte(c), &b)
	}
	for _, lines := range goldenLines(t) {
		for _, s := range lines {
			sameAsParse(t, []byte(s), &b)
		}
	}
}

// FuzzParseBrief: ParseBrief and Parse agree on every input.
func FuzzParseBrief(f *testing.F) {
	for _, c := range briefCases {
		f.Add([]byte(c))
	}
	for _, lines := range goldenLines(f) {
		for i, s := range lines {
			if i < 3 {
				f.Add([]byte(s))
			}
		}
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		var b Brief
		sameAsParse(t, line, &b)
	})
}

// Briefs yields what Lines yields, line for line, errors at the same
// offsets.
func TestBriefsSameAsLines(t *testing.T) {
	in := strings.Join(briefCases, "\n") + "\n\n" + briefCases[0]
	ctx := context.Background()
	var want []string
	for l, err := range Lines(ctx, strings.NewReader(in), "x.cdxj") {
		if err != nil {
			want = append(want, err.Error())
			continue
		}
		want = append(want, fmt.Sprintf("%s %s %s %d", l.Key, l.Filename, l.Digest, l.Offset))
	}
	var got []string
	for b, err := range Briefs(ctx, strings.NewReader(in), "x.cdxj") {
		if err != nil {
			got = append(got, err.Error())
			continue
		}
		off := b.Offset
		if off < 0 {
			off = 0
		}
		got = append(got, fmt.Sprintf("%s %s %s %d", b.Key, b.Filename, b.Digest, off))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Briefs:\n%s\nLines:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// BenchmarkParseBrief against Parse on a pywb-style line.
func BenchmarkParseBrief(b *testing.B) {
	line := []byte(`com,example,h3)/p/1234 20240101000000 {"url":"http://h3.example.com/p/1234","mime":"text/html","status":"200","digest":"sha1:B2LTWWPUOYAH7UIPQ7ZUPQ4VMBSVC36A","length":"1234","offset":"1851000","filename":"CC-00007.warc.gz","title":"A page"}`)
	b.Run("brief", func(b *testing.B) {
		var br Brief
		b.ReportAllocs()
		for b.Loop() {
			if err := ParseBrief(line, &br); err != nil || !bytes.Equal(br.Filename, []byte("CC-00007.warc.gz")) {
				b.Fatal(err)
			}
		}
	})
	b.Run("parse", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if l, err := Parse(line); err != nil || l.Filename != "CC-00007.warc.gz" {
				b.Fatal(err)
			}
		}
	})
}

// Scan (File and ZipNum) yields exactly the lines whose bytes the filter
// accepts, in order, as a full lookup would give them.
func TestScanRawFilter(t *testing.T) {
	var all bytes.Buffer
	var idx, part bytes.Buffer
	zw := NewZipNumWriter(&part, &idx, "p.cdx.gz")
	zw.BlockLines = 7
	for i := 0; i < 100; i++ {
		l := fmt.Sprintf(`com,example)/p%03d 20200101000000 {"url":"http://example.com/p%03d","digest":"D%d","offset":"%d","filename":"f.warc.gz"}`, i, i, i%9, i)
		all.WriteString(l + "\n")
		zw.WriteLine([]byte(l))
	}
	zw.Close()
	f, _ := OpenFile(bytes.NewReader(all.Bytes()), int64(all.Len()))
	z, err := OpenZipNum(bytes.NewReader(idx.Bytes()), int64(idx.Len()), "i.idx", func(context.Context, string) (io.ReaderAt, error) {
		return bytes.NewReader(part.Bytes()), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	keep := func(line []byte) bool { return bytes.Contains(line, []byte(`"D4"`)) }
	for name, src := range map[string]interface {
		Scan(context.Context, func([]byte) bool) iter.Seq2[Line, error]
		Lookup(context.Context, string, MatchType) iter.Seq2[Line, error]
	}{"file": f, "zipnum": z} {
		var want, got []int64
		for l, err := range src.Lookup(ctx, "", MatchPrefix) {
			if err != nil {
				t.Fatal(err)
			}
			if l.Digest == "D4" {
				want = append(want, l.Offset)
			}
		}
		for l, err := range src.Scan(ctx, keep) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, l.Offset)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) || len(want) != 11 {
			t.Errorf("%s: Scan gave %v, the lookup %v", name, got, want)
		}
	}
}
