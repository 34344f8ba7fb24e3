package cdxj

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Every line warcio.js wrote parses and formats back byte for byte.
func TestLineRoundTripsWarcioJSGolden(t *testing.T) {
	n := 0
	for file, lines := range goldenLines(t) {
		for i, s := range lines {
			l, err := Parse([]byte(s + "\n"))
			if err != nil {
				t.Errorf("%s:%d: Parse: %v", filepath.Base(file), i+1, err)
				continue
			}
			if got := l.String(); got != s {
				t.Errorf("%s:%d: Format\n got %s\nwant %s", filepath.Base(file), i+1, got, s)
			}
			n++
		}
	}
	if n < 400 {
		t.Errorf("round-tripped only %d lines", n)
	}
}

func TestParseFields(t *testing.T) {
	// From pywb-post-test.cdxj (warcio.js) and pywb's own sample_archive
	// cdxj (Python json.dumps spacing, no mime).
	l, err := Parse([]byte(`org,httpbin)/post?__wb_method=post&foo=bar&test=abc 20140610000859 {"url":"http://httpbin.org/post","mime":"application/json","status":"200","digest":"M532K5WS4GY2H4OVZO6HRPOP47A7KDWU","length":"720","offset":"0","filename":"post-test.warc.gz","method":"POST","requestBody":"foo=bar&test=abc"}`))
	if err != nil {
		t.Fatal(err)
	}
	want := Line{Key: "org,httpbin)/post?__wb_method=post&foo=bar&test=abc", Timestamp: "20140610000859",
		URL: "http://httpbin.org/post", Mime: "application/json", Status: "200", Digest: "M532K5WS4GY2H4OVZO6HRPOP47A7KDWU",
		Length: 720, Offset: 0, Filename: "post-test.warc.gz", Method: "POST", RequestBody: "foo=bar&test=abc"}
	if l.Key != want.Key || l.Timestamp != want.Timestamp || l.URL != want.URL || l.Mime != want.Mime ||
		l.Status != want.Status || l.Digest != want.Digest || l.Length != want.Length || l.Offset != want.Offset ||
		l.Filename != want.Filename || l.Method != want.Method || l.RequestBody != want.RequestBody {
		t.Errorf("Parse = %+v\nwant %+v", l, want)
	}
	// A Line built by hand formats like warcio.js.
	if got, wantS := want.String(), `org,httpbin)/post?__wb_method=post&foo=bar&test=abc 20140610000859 {"url":"http://httpbin.org/post","mime":"application/json","status":"200","digest":"M532K5WS4GY2H4OVZO6HRPOP47A7KDWU","length":"720","offset":"0","filename":"post-test.warc.gz","method":"POST","requestBody":"foo=bar&test=abc"}`; got != wantS {
		t.Errorf("Format:\n got %s\nwant %s", got, wantS)
	}

	p, err := Parse([]byte(`com,example)/?example=1 20140103030341 {"url": "http://example.com?example=1", "mime": "warc/revisit", "digest": "B2LTWWPUOYAH7UIPQ7ZUPQ4VMBSVC36A", "length": "553", "offset": "1864", "filename": "example.warc.gz", "source": "x", "n": [1, 2]}`))
	if err != nil {
		t.Fatal(err)
	}
	if p.Mime != "warc/revisit" || p.Offset != 1864 || p.Length != 553 || p.Status != "" || len(p.Extra) != 2 {
		t.Errorf("pywb line parsed as %+v", p)
	}
	if got := p.String(); got != `com,example)/?example=1 20140103030341 {"url":"http://example.com?example=1","mime":"warc/revisit","digest":"B2LTWWPUOYAH7UIPQ7ZUPQ4VMBSVC36A","length":"553","offset":"1864","filename":"example.warc.gz","source":"x","n":[1,2]}` {
		t.Errorf("pywb line formatted as %s", got)
	}

	// Numbers instead of strings, as some indexers write them.
	q, err := Parse([]byte(`com,example)/ 20200101000000 {"url":"http://example.com/","status":200,"length":10,"offset":20}`))
	if err != nil || q.Status != "200" || q.Length != 10 || q.Offset != 20 {
		t.Errorf("numeric fields: %+v, %v", q, err)
	}
}

func TestParseClassicCDX(t *testing.T) {
	l, err := Parse([]byte("com,example)/ 20140127171200 http://example.com text/html 200 B2LTWWPUOYAH7UIPQ7ZUPQ4VMBSVC36A - - 1046 334 example.warc.gz\n"))
	if err != nil {
		t.Fatal(err)
	}
	if l.Key != "com,example)/" || l.URL != "http://example.com" || l.Status != "200" || l.Length != 1046 || l.Offset != 334 || l.Filename != "example.warc.gz" || len(l.Extra) != 0 {
		t.Errorf("CDX11 parsed as %+v", l)
	}
	l9, err := Parse([]byte("com,example)/ 20140127171200 http://example.com warc/revisit - B2LT http://x/ 334 example.warc.gz"))
	if err != nil {
		t.Fatal(err)
	}
	if l9.Status != "" || l9.Offset != 334 || !strings.Contains(l9.String(), `"redirect":"http://x/"`) || strings.Contains(l9.String(), `"length"`) {
		t.Errorf("CDX9 parsed as %+v → %s", l9, l9.String())
	}
	if _, err := Parse([]byte(" CDX N b a m s k r M S V g")); !errors.Is(err, ErrHeader) {
		t.Errorf("header: %v", err)
	}
	for _, bad := range []string{"", "\n", "a b c", `k 2020 {"url":`, `k 2020 {"length":"-5"}`, `k 2020 {"offset":"x"}`, `{}`, `k 2020 {} {}`} {
		if l, err := Parse([]byte(bad)); !errors.Is(err, ErrSyntax) {
			t.Errorf("Parse(%q) = %+v, %v; want ErrSyntax", bad, l, err)
		}
	}
}

func TestAppendJSStringLikeJSONStringify(t *testing.T) {
	l := Line{Key: "k", Timestamp: "1", URL: "a\"b\\c\n\x01<>&\u2028é\xff"}
	want := `k 1 {"url":"a\"b\\c\n\u0001<>&` + "\u2028é\uFFFD" + `","length":"0","offset":"0"}`
	if got := l.String(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestPadTimestamp(t *testing.T) {
	for _, c := range []struct {
		in     string
		latest bool
		want   string
	}{
		{"2030", true, "20301231235959"},
		{"2030", false, "20300101000000"},
		{"201002", true, "20100228235959"},
		{"20120231", false, "20120229000000"},
		{"2014012717120099", false, "20140127171200"},
		{"", true, "29991231235959"},
		{"20141399", false, "20141231000000"},
		{"20140127171200", true, "20140127171200"},
	} {
		got, err := PadTimestamp(c.in, c.latest)
		if err != nil || got != c.want {
			t.Errorf("PadTimestamp(%q, %v) = %q, %v; want %q", c.in, c.latest, got, err, c.want)
		}
	}
	if _, err := PadTimestamp("2014-01", false); !errors.Is(err, ErrTimestamp) {
		t.Errorf("non-digits: %v", err)
	}
	tm, err := parseTimestamp("201401")
	if err != nil || !tm.Equal(time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("parseTimestamp = %v, %v", tm, err)
	}
	if got := Timestamp(time.Date(2014, 1, 27, 18, 12, 0, 5, time.FixedZone("x", 3600))); got != "20140127171200" {
		t.Errorf("Timestamp = %q", got)
	}
}

func FuzzParse(f *testing.F) {
	for _, lines := range goldenLines(f) {
		for i, s := range lines {
			if i < 3 {
				f.Add([]byte(s))
			}
		}
	}
	f.Add([]byte("com,example)/ 20140127171200 http://example.com text/html 200 B2LT - - 1046 334 example.warc.gz"))
	f.Add([]byte(`a b {"url": "x", "n": {"y": [1, null]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := Parse(b)
		if err != nil {
			return
		}
		// What Parse accepts formats into a line that parses to the same
		// line again.
		s := l.String()
		if !json.Valid([]byte(l.jsonPart())) {
			t.Fatalf("formatted JSON block is not valid JSON: %q", s)
		}
		l2, err := Parse([]byte(s))
		if err != nil {
			t.Fatalf("reparse of %q (from %q): %v", s, b, err)
		}
		if s2 := l2.String(); s2 != s {
			t.Fatalf("not stable:\n%q\n%q", s, s2)
		}
	})
}

// jsonPart is the formatted JSON block of l.
func (l *Line) jsonPart() string {
	s := l.String()
	return s[len(l.Key)+1+len(l.Timestamp)+1:]
}
