package cdxj

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// sortedGolden sorts every warcio.js golden line into one index.
func sortedGolden(t testing.TB) []byte {
	var out bytes.Buffer
	w := NewSortedWriter(&out, SortOptions{})
	for _, lines := range goldenLines(t) {
		for _, s := range lines {
			if err := w.AddBytes([]byte(s)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

type parsedLine struct {
	text string
	line Line
}

func parseAll(data []byte) []parsedLine {
	var out []parsedLine
	for _, s := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		if l, err := Parse([]byte(s)); err == nil {
			out = append(out, parsedLine{s, l})
		}
	}
	return out
}

// bruteForce is the meaning of each match type, spelled out over all lines.
func bruteForce(all []parsedLine, key string, match MatchType) []string {
	host := func(k string) string {
		if i := strings.IndexByte(k, ')'); i >= 0 {
			return k[:i]
		}
		return k
	}
	var out []string
	for _, pl := range all {
		s, l := pl.text, pl.line
		h, want := host(l.Key), host(key)
		ok := false
		switch match {
		case MatchExact:
			ok = l.Key == key
		case MatchPrefix:
			ok = strings.HasPrefix(l.Key, key)
		case MatchHost:
			ok = strings.Contains(l.Key, ")") && h == want
		case MatchDomain:
			ok = strings.Contains(l.Key, ")") && (strings.HasPrefix(h, want+",") || (h == want && strings.Contains(want, ",")))
		}
		if ok {
			out = append(out, s)
		}
	}
	return out
}

func collect(t testing.TB, f *File, key string, match MatchType) []string {
	var got []string
	for l, err := range f.Lookup(context.Background(), key, match) {
		if err != nil {
			t.Fatalf("Lookup(%q, %v): %v", key, match, err)
		}
		got = append(got, l.String())
	}
	return got
}

func TestLookupGolden(t *testing.T) {
	data := sortedGolden(t)
	f, err := OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	all := parseAll(data)
	keys := map[string]bool{}
	for _, s := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		l, _ := Parse([]byte(s))
		keys[l.Key] = true
	}
	keys["com,example"] = true
	keys["org"] = true
	keys["zzz"] = true
	keys[""] = true
	n := 0
	for k := range keys {
		for _, m := range []MatchType{MatchExact, MatchPrefix, MatchHost, MatchDomain} {
			want := bruteForce(all, k, m)
			got := collect(t, f, k, m)
			if !slices.Equal(got, want) {
				t.Errorf("Lookup(%q, %v): %d lines, brute force %d", k, m, len(got), len(want))
			}
			n += len(got)
		}
	}
	if n < 1000 {
		t.Errorf("lookups found only %d lines in total", n)
	}
	// pywb-example.cdxj and pywb-dupes.cdxj both hold this key (grep
	// counts 2 lines), with pywb-iana.cdxj's keys sorting around them.
	got := collect(t, f, "com,example)/?example=1", MatchExact)
	if len(got) != 2 || !strings.Contains(got[0], `"offset":"`) {
		t.Errorf("com,example)/?example=1: %q", got)
	}
}

// synthIndex writes n sorted synthetic lines over hosts and paths.
func synthIndex(t testing.TB, dir string, n int) (string, []string) {
	path := filepath.Join(dir, "synth.cdxj")
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := NewSortedWriter(fh, SortOptions{TempDir: dir})
	var keys []string
	for i := 0; i < n; i++ {
		host := fmt.Sprintf("com,site%04d", i%5000)
		if i%7 == 0 {
			host += ",www" + fmt.Sprint(i%3)
		}
		key := fmt.Sprintf("%s)/page/%d", host, i/5000)
		l := Line{Key: key, Timestamp: Timestamp(time.Unix(int64(1e9+i*37), 0)), URL: "https://x/", Mime: "text/html",
			Status: "200", Digest: "AAAA", Length: int64(i % 999), Offset: int64(i), Filename: "a.warc.gz"}
		if err := w.Add(&l); err != nil {
			t.Fatal(err)
		}
		if i%1000 == 0 {
			keys = append(keys, key)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := fh.Close(); err != nil {
		t.Fatal(err)
	}
	return path, keys
}

func TestLookupSynthetic(t *testing.T) {
	path, keys := synthIndex(t, t.TempDir(), 60000)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fh, _ := os.Open(path)
	defer fh.Close()
	f, err := OpenFile(fh, int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.memo) != 0 {
		t.Errorf("OpenFile probed %d lines; it should read nothing", len(f.memo))
	}
	all := parseAll(data)
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 40; i++ {
		k := keys[r.IntN(len(keys))]
		for _, m := range []MatchType{MatchExact, MatchPrefix, MatchHost, MatchDomain} {
			q := k
			if m == MatchPrefix {
				q = k[:len(k)-1]
			}
			if m == MatchDomain {
				q = k[:strings.IndexByte(k, ')')]
				if j := strings.Index(q, ",www"); j > 0 {
					q = q[:j]
				}
			}
			want := bruteForce(all, q, m)
			got := collect(t, f, q, m)
			if len(want) == 0 || !slices.Equal(got, want) {
				t.Errorf("Lookup(%q, %v): %d lines, brute force %d", q, m, len(got), len(want))
			}
		}
	}
}

func TestLookupBadLinesAndCancel(t *testing.T) {
	data := []byte(" CDX N b a m s k r M S V g\n" +
		"com,example)/ 20140127171200 {\"url\":\"http://example.com\",\"length\":\"1\",\"offset\":\"0\"}\n" +
		"com,example)/ 20150127171200 {\"url\":\n" +
		"com,example)/ 20160127171200 http://example.com text/html 200 X - - 5 6 a.warc\n" +
		"com,example)/a 20170127171200 {\"url\":\"http://example.com/a\"}")
	f, err := OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	f.Name = "bad.cdxj"
	var lines []Line
	var errs []error
	for l, err := range f.Lookup(context.Background(), "com,example)/", MatchExact) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		lines = append(lines, l)
	}
	if len(lines) != 2 || lines[1].Offset != 6 || lines[1].Timestamp != "20160127171200" {
		t.Errorf("lines = %+v", lines)
	}
	var le *LineError
	if len(errs) != 1 || !errors.As(errs[0], &le) || le.Offset != int64(bytes.Index(data, []byte("com,example)/ 2015"))) || !errors.Is(errs[0], ErrSyntax) || !strings.Contains(errs[0].Error(), "bad.cdxj: offset ") {
		t.Errorf("errors = %v", errs)
	}
	if got := collect(t, f, "com,example)/a", MatchExact); len(got) != 1 {
		t.Errorf("last line without newline: %v", got)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	path, _ := synthIndex(t, t.TempDir(), 3000)
	fh, _ := os.Open(path)
	defer fh.Close()
	st, _ := fh.Stat()
	big, err := OpenFile(fh, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	var last error
	for _, err := range big.Lookup(ctx, "com", MatchPrefix) {
		last = err
	}
	if !errors.Is(last, context.Canceled) {
		t.Errorf("cancelled lookup ended with %v", last)
	}
}

// BenchmarkLookup searches a synthetic one-million-line index
// (CDXJ_BENCH_LINES=10000000 for ten million).
func BenchmarkLookup(b *testing.B) {
	lines := 1_000_000
	if s := os.Getenv("CDXJ_BENCH_LINES"); s != "" {
		if _, err := fmt.Sscan(s, &lines); err != nil {
			b.Fatal(err)
		}
	}
	dir := b.TempDir()
	path, keys := synthIndex(b, dir, lines)
	fh, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer fh.Close()
	st, _ := fh.Stat()
	start := time.Now()
	f, err := OpenFile(fh, st.Size())
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%d-byte index, OpenFile took %v", st.Size(), time.Since(start))
	ctx := context.Background()
	b.Run("exact", func(b *testing.B) {
		i := 0
		for b.Loop() {
			n := 0
			for _, err := range f.Lookup(ctx, keys[i%len(keys)], MatchExact) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n == 0 {
				b.Fatal("no match")
			}
			i += 7
		}
	})
	b.Run("miss", func(b *testing.B) {
		for b.Loop() {
			for range f.Lookup(ctx, "com,site0042)/nothing", MatchExact) {
				b.Fatal("unexpected match")
			}
		}
	})
	b.Run("open", func(b *testing.B) {
		for b.Loop() {
			if _, err := OpenFile(fh, st.Size()); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func TestLookupBetween(t *testing.T) {
	data := sortedGolden(t)
	f, err := OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	all := parseAll(data)
	for _, c := range []struct {
		key      string
		match    MatchType
		from, to string
	}{
		{"com,example)/", MatchExact, "2014", "2015"},
		{"com,example)/", MatchExact, "20140127171251", "20140127171251"},
		{"com,example)/", MatchExact, "", "2016"},
		{"com,example)/", MatchExact, "2017", ""},
		{"org,iana)/", MatchHost, "20140126200", "20140126201"},
		{"com,example", MatchDomain, "2014", "2015"},
	} {
		var want []string
		for _, s := range bruteForce(all, c.key, c.match) {
			l, _ := Parse([]byte(s))
			if l.Timestamp >= c.from && (c.to == "" || l.Timestamp[:min(len(c.to), len(l.Timestamp))] <= c.to) {
				want = append(want, s)
			}
		}
		var got []string
		for l, err := range f.LookupBetween(context.Background(), c.key, c.match, c.from, c.to) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, l.String())
		}
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("LookupBetween(%q, %v, %q, %q): %d lines, want %d", c.key, c.match, c.from, c.to, len(got), len(want))
		}
	}
}
