package index

import (
	"bytes"
	"context"
	"fmt"
	"github.com/warcbox/warcbox/cdxj"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/warcbox/warcbox/rules"
)

// synthetic returns n captures over a few hosts, sorted.
func synthetic(n int) []Capture {
	var caps []Capture
	for i := 0; i < n; i++ {
		u := fmt.Sprintf("http://h%d.example.com/p/%d?q=%d", i%7, i%13, i%3)
		caps = append(caps, Capture{Line: cdxj.Line{Key: cdxj.Key(u), Timestamp: fmt.Sprintf("2020%02d01000000", i%12+1), URL: u,
			Mime: "text/html", Status: "200", Offset: int64(i), Filename: "f.warc.gz"}})
	}
	slices.SortStableFunc(caps, compareCaptures)
	return caps
}

func writeCDXJFile(t testing.TB, caps []Capture) string {
	var b bytes.Buffer
	for _, c := range caps {
		if err := WriteCDXJ(&b, c); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(t.TempDir(), "i.cdxj")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCDXJFileAgreesWithMemory checks the file bisect against the
// in-memory binary search on every kind of query.
func TestCDXJFileAgreesWithMemory(t *testing.T) {
	caps := synthetic(3000)
	mem := NewMemory(caps)
	f, err := OpenCDXJ(writeCDXJFile(t, caps))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ctx := context.Background()
	queries := []Query{
		{Key: cdxj.Key("http://h3.example.com/p/5?q=2")},
		{Key: cdxj.Key("http://h3.example.com/p/5?q=2"), From: "202003", To: "202006"},
		{Key: cdxj.Key("http://h0.example.com/p/1"), MatchType: cdxj.MatchPrefix},
		{Key: cdxj.Key("http://h6.example.com/"), MatchType: cdxj.MatchHost, Limit: 17},
		{Key: cdxj.Key("http://example.com/"), MatchType: cdxj.MatchDomain},
		{Key: "a"}, {Key: "zzz"}, {Key: cdxj.Key("http://nothere.example.org/")},
	}
	for _, q := range queries {
		want, err := Collect(ctx, mem, q)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Collect(ctx, f, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Errorf("%+v: file gave %d, memory %d", q, len(got), len(want))
			continue
		}
		for i := range got {
			if got[i].Key != want[i].Key || got[i].Timestamp != want[i].Timestamp || got[i].Offset != want[i].Offset {
				t.Errorf("%+v: #%d differs: %+v vs %+v", q, i, got[i], want[i])
				break
			}
		}
	}
	if n, _ := Collect(ctx, mem, Query{Key: cdxj.Key("http://example.com/"), MatchType: cdxj.MatchDomain}); len(n) != 3000 {
		t.Errorf("domain query found %d of 3000", len(n))
	}
	// merged: the same captures twice, in order
	m := NewMulti(mem, f)
	got, err := Collect(ctx, m, Query{Key: cdxj.Key("http://h3.example.com/p/5?q=2")})
	if err != nil || len(got) == 0 || !slices.IsSortedFunc(got, compareCaptures) {
		t.Errorf("multi: %d captures, err %v", len(got), err)
	}
}

func TestCDXJFileMalformedLine(t *testing.T) {
	p := filepath.Join(t.TempDir(), "bad.cdxj")
	body := "com,example)/ 20200101000000 {\"url\":\"http://example.com/\",\"offset\":\"1\",\"filename\":\"a\"}\n" +
		"com,example)/ 20200102000000 {not json\n" +
		"com,example)/ 20200103000000 {\"url\":\"http://example.com/\",\"offset\":\"2\",\"filename\":\"a\"}\n"
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := OpenCDXJ(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var good, bad int
	for _, err := range f.Lookup(context.Background(), Query{Key: "com,example)/"}) {
		if err != nil {
			bad++
			if !bytes.Contains([]byte(err.Error()), []byte("bad.cdxj")) {
				t.Errorf("error does not name the file: %v", err)
			}
			continue
		}
		good++
	}
	if good != 2 || bad != 1 {
		t.Errorf("good=%d bad=%d, want 2 and 1", good, bad)
	}
}

func TestRemote(t *testing.T) {
	caps := synthetic(200)
	mem := NewMemory(caps)
	var gotQuery string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotQuery = r.URL.RawQuery
		q := Query{Key: cdxj.Key(r.URL.Query().Get("url"))}
		if mt := r.URL.Query().Get("matchType"); mt != "" {
			var err error
			if q.MatchType, err = cdxj.ParseMatchType(mt); err != nil {
				t.Error(err)
			}
		}
		n := 0
		for c, err := range mem.Lookup(r.Context(), q) {
			if err != nil {
				t.Error(err)
				return
			}
			if n%2 == 0 { // alternate the formats a CDX server may answer in
				fmt.Fprintf(w, `{"urlkey":%q,"timestamp":%q,"url":%q,"offset":"%d","filename":%q,"status":"200"}`+"\n", c.Key, c.Timestamp, c.URL, c.Offset, c.Filename)
			} else {
				fmt.Fprintf(w, "%s %s %s text/html 200 - - - 100 %d %s\n", c.Key, c.Timestamp, c.URL, c.Offset, c.Filename)
			}
			n++
		}
	}))
	defer srv.Close()
	r, err := NewRemote(srv.URL+"/coll/cdx", nil)
	if err != nil {
		t.Fatal(err)
	}
	q := Query{Key: cdxj.Key("http://h1.example.com/"), URL: "http://h1.example.com/", MatchType: cdxj.MatchHost}
	got, err := Collect(context.Background(), r, q)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := Collect(context.Background(), mem, q)
	if len(got) != len(want) || len(got) == 0 {
		t.Fatalf("remote: %d captures, want %d (query %s)", len(got), len(want), gotQuery)
	}
	for i := range got {
		if got[i].Offset != want[i].Offset || got[i].URL != want[i].URL {
			t.Errorf("#%d: %+v vs %+v", i, got[i], want[i])
		}
	}
	if _, err := NewRemote("ftp://x", nil); err == nil {
		t.Error("ftp CDX server accepted")
	}
}

// parseCapture reads one index line as CDXJ files and remote servers do.
func parseCapture(b []byte) (Capture, error) {
	l, err := cdxj.Parse(b)
	if err != nil {
		return Capture{}, err
	}
	return FromLine(l), nil
}

func FuzzParseCDXJ(f *testing.F) {
	f.Add([]byte(`com,example)/ 20200101000000 {"url":"http://example.com/","offset":"1","filename":"a"}`))
	f.Add([]byte(`com,example)/ 20200101000000 http://example.com/ text/html 200 X - - 100 1 a.warc.gz`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := parseCapture(b)
		if err != nil {
			return
		}
		// what parses must survive a write/parse round trip
		var w bytes.Buffer
		if err := WriteCDXJ(&w, c); err != nil {
			t.Fatal(err)
		}
		c2, err := parseCapture(w.Bytes())
		if err != nil {
			t.Fatalf("re-parse of %q: %v", w.String(), err)
		}
		// JSON cannot carry invalid UTF-8: such URLs come back with U+FFFD.
		if utf8.ValidString(c.URL) && (c2.Key != c.Key || c2.Offset != c.Offset || c2.URL != c.URL) {
			t.Fatalf("round trip changed %+v into %+v", c, c2)
		}
	})
}

func BenchmarkCDXJFileLookup(b *testing.B) {
	var caps []Capture
	for i := 0; i < 200000; i++ {
		u := fmt.Sprintf("http://site%d.example.com/page/%d.html", i%5000, i)
		caps = append(caps, Capture{Line: cdxj.Line{Key: cdxj.Key(u), Timestamp: "20200101000000", URL: u, Offset: int64(i), Filename: "f.warc.gz"}})
	}
	slices.SortStableFunc(caps, compareCaptures)
	f, err := OpenCDXJ(writeCDXJFile(b, caps))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	ctx := context.Background()
	i := 0
	for b.Loop() {
		c := caps[(i*7919)%len(caps)]
		i++
		n := 0
		for _, err := range f.Lookup(ctx, Query{Key: c.Key}) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n == 0 {
			b.Fatal("not found")
		}
	}
}

func TestMultiDropsDuplicates(t *testing.T) {
	caps := synthetic(50)
	m := NewMulti(NewMemory(caps), NewMemory(caps))
	got, err := Collect(context.Background(), m, Query{Key: "com,example", MatchType: cdxj.MatchDomain})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 50 {
		t.Errorf("merged %d captures, want the 50 distinct ones", len(got))
	}
}

func TestFuzzy(t *testing.T) {
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	u := "http://example.com/api/data.json?id=7&_=1577836800000"
	other := "http://example.com/api/data.json?id=8&_=1577836800000"
	longer := "http://example.com/api/data.json.bak?id=7"
	m := NewMemory([]Capture{
		{Line: cdxj.Line{Key: cdxj.Key(u), Timestamp: "20200101000000", URL: u}},
		{Line: cdxj.Line{Key: cdxj.Key(other), Timestamp: "20200101000000", URL: other}},
		{Line: cdxj.Line{Key: cdxj.Key(longer), Timestamp: "20200101000000", URL: longer}},
	})
	got, err := Fuzzy(context.Background(), m, rs, "http://example.com/api/data.json?_=99&id=7")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].URL != u {
		t.Errorf("fuzzy found %+v, want only %s", got, u)
	}
}

func TestMemoryAddAndReplace(t *testing.T) {
	all := synthetic(600)
	m := NewMemory(nil)
	// added file by file, in an order unrelated to the keys
	for f := 0; f < 6; f++ {
		var part []Capture
		for i, c := range all {
			if i%6 == f {
				c.Filename = fmt.Sprintf("f%d", f)
				c.Digest = fmt.Sprintf("D%d", i)
				part = append(part, c)
			}
		}
		m.Add(part)
	}
	var got []Capture
	for c := range m.All() {
		got = append(got, c)
	}
	if len(got) != 600 || !slices.IsSortedFunc(got, compareCaptures) {
		t.Fatalf("%d captures, sorted %v", len(got), slices.IsSortedFunc(got, compareCaptures))
	}
	if _, ok := m.ByDigest("D6"); !ok {
		t.Error("digest D6 not found")
	}
	m.ReplaceFile("f0", nil)
	if m.Len() != 500 {
		t.Errorf("after dropping f0: %d captures", m.Len())
	}
	if _, ok := m.ByDigest("D6"); ok {
		t.Error("digest of a dropped file still found")
	}
}
