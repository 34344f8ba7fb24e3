package cdxj

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// zipnumOf cuts sorted CDXJ into a ZipNum index of blockLines-line blocks,
// in the WACZ form (wacz=true) or pywb's tab-separated one (part
// "zipnum", as pywb's sample_archive/zipcdx/zipnum-sample.idx).
func zipnumOf(t testing.TB, data []byte, blockLines int, wacz bool) (idx, part []byte) {
	t.Helper()
	var p, x bytes.Buffer
	if wacz {
		w := NewZipNumWriter(&p, &x, "index.cdx.gz")
		w.BlockLines = blockLines
		for _, l := range strings.SplitAfter(strings.TrimSuffix(string(data), "\n"), "\n") {
			if err := w.WriteLine([]byte(strings.TrimSuffix(l, "\n"))); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return x.Bytes(), p.Bytes()
	}
	lines := strings.SplitAfter(strings.TrimSuffix(string(data), "\n"), "\n")
	for i := 0; i < len(lines); i += blockLines {
		blk := lines[i:min(i+blockLines, len(lines))]
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		io.WriteString(zw, strings.Join(blk, ""))
		zw.Close()
		f := strings.SplitN(blk[0], " ", 3)
		fmt.Fprintf(&x, "%s %s\tzipnum\t%d\t%d\t%d\n", f[0], f[1], p.Len(), z.Len(), i/blockLines+1)
		p.Write(z.Bytes())
	}
	return x.Bytes(), p.Bytes()
}

func openZipNum(t testing.TB, idx, part []byte, wantPart string) *ZipNum {
	t.Helper()
	z, err := OpenZipNum(bytes.NewReader(idx), int64(len(idx)), "test.idx", func(_ context.Context, name string) (io.ReaderAt, error) {
		if name != wantPart {
			return nil, fmt.Errorf("no part %q", name)
		}
		return bytes.NewReader(part), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return z
}

func collectZ(t testing.TB, z *ZipNum, key string, match MatchType, from, to string) []string {
	var got []string
	for l, err := range z.LookupBetween(context.Background(), key, match, from, to) {
		if err != nil {
			t.Fatalf("Lookup(%q, %v): %v", key, match, err)
		}
		got = append(got, l.String())
	}
	return got
}

// Every lookup through a ZipNum index answers what the same lines as one
// sorted CDXJ answer, whatever the block size and form.
func TestZipNumAgreesWithFile(t *testing.T) {
	data := sortedGolden(t)
	f, err := OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	all := parseAll(data)
	for _, wacz := range []bool{true, false} {
		for _, bl := range []int{1, 7, 100000} {
			idx, part := zipnumOf(t, data, bl, wacz)
			want := "zipnum"
			if wacz {
				want = "index.cdx.gz"
			}
			z := openZipNum(t, idx, part, want)
			checked := 0
			for i, pl := range all {
				if i%23 != 0 && i != len(all)-1 {
					continue
				}
				k := pl.line.Key
				for _, m := range []MatchType{MatchExact, MatchPrefix, MatchHost, MatchDomain} {
					q := k
					if m == MatchDomain {
						q = k[:max(strings.IndexByte(k, ')'), 0)]
					}
					got := collectZ(t, z, q, m, "", "")
					if w := collect(t, f, q, m); !slices.Equal(got, w) {
						t.Fatalf("wacz=%v block %d: Lookup(%q, %v): %d lines, File %d", wacz, bl, q, m, len(got), len(w))
					}
					checked++
				}
				ts := pl.line.Timestamp
				var w []string
				for l, err := range f.LookupBetween(context.Background(), k, MatchExact, ts, ts) {
					if err == nil {
						w = append(w, l.String())
					}
				}
				if got := collectZ(t, z, k, MatchExact, ts, ts); len(w) == 0 || !slices.Equal(got, w) {
					t.Fatalf("wacz=%v block %d: LookupBetween(%q, %s): %v, File %v", wacz, bl, k, ts, got, w)
				}
			}
			if got := collectZ(t, z, "zzz,nothing)/", MatchExact, "", ""); len(got) != 0 {
				t.Errorf("a key past the end matched %v", got)
			}
			if got := collectZ(t, z, "!", MatchExact, "", ""); len(got) != 0 {
				t.Errorf("a key before the start matched %v", got)
			}
			if checked < 40 {
				t.Fatalf("only %d lookups", checked)
			}
		}
	}
	// The secondary index of a large set is bisected: opening reads nothing.
	if len(bruteForce(all, "com", MatchDomain)) == 0 {
		t.Fatal("golden lines have no com domain")
	}
}

// A broken block is reported by part and offset, and the blocks after it
// are still read.
func TestZipNumBadBlock(t *testing.T) {
	data := sortedGolden(t)
	idx, part := zipnumOf(t, data, 2, false)
	lines := strings.Split(strings.TrimSuffix(string(idx), "\n"), "\n")
	second := strings.Split(lines[1], "\t")
	var off, n int
	fmt.Sscan(second[2], &off)
	fmt.Sscan(second[3], &n)
	bad := bytes.Clone(part)
	copy(bad[off:off+n], bytes.Repeat([]byte{'x'}, n))
	z := openZipNum(t, idx, bad, "zipnum")
	var got []string
	var errs []error
	for l, err := range z.Lookup(context.Background(), "", MatchPrefix) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, l.String())
	}
	var le *LineError
	if len(errs) != 1 || !errors.As(errs[0], &le) || le.File != "zipnum" || le.Offset != int64(off) || !strings.Contains(errs[0].Error(), "gzip") {
		t.Errorf("errors = %v", errs)
	}
	if want := len(parseAll(data)) - 2; len(got) != want {
		t.Errorf("%d lines read past a bad block, want %d", len(got), want)
	}
	// A line of the secondary index that does not parse.
	idx2 := []byte(strings.Replace(string(idx), lines[2], strings.Split(lines[2], "\t")[0]+"\tzipnum\tx\t1\t3", 1))
	errs = nil
	for _, err := range openZipNum(t, idx2, part, "zipnum").Lookup(context.Background(), "", MatchPrefix) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "test.idx: offset ") || !errors.Is(errs[0], ErrSyntax) {
		t.Errorf("bad idx line: %v", errs)
	}
}

func FuzzZipNumIndex(f *testing.F) {
	f.Add([]byte("!meta 0 {\"format\": \"cdxj-gzip-1.0\", \"filename\": \"index.cdx.gz\"}\ncom,example)/ 2020 {\"offset\": 0, \"length\": 10}\n"))
	f.Add([]byte("com,example)/ 20140127171200\tzipnum\t0\t276\t1\norg,iana)/ 20140127171238\tzipnum\t276\t328\t2\n"))
	part := []byte("not gzip at all, but long enough to read from")
	f.Fuzz(func(t *testing.T, idx []byte) {
		z, err := OpenZipNum(bytes.NewReader(idx), int64(len(idx)), "f.idx", func(context.Context, string) (io.ReaderAt, error) {
			return bytes.NewReader(part), nil
		})
		if err != nil {
			return
		}
		for range z.Lookup(context.Background(), "com,example)/", MatchPrefix) {
		}
	})
}

// BenchmarkZipNumLookup looks keys up in a 200,000-line index as one
// sorted CDXJ and as a ZipNum index of 3,000-line blocks (pywb's default),
// both on disk.
func BenchmarkZipNumLookup(b *testing.B) {
	dir := b.TempDir()
	path, keys := synthIndex(b, dir, 200_000)
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	idx, part := zipnumOf(b, data, 3000, true)
	ip, pp := filepath.Join(dir, "z.idx"), filepath.Join(dir, "index.cdx.gz")
	os.WriteFile(ip, idx, 0o644)
	os.WriteFile(pp, part, 0o644)
	fi, _ := os.Open(ip)
	defer fi.Close()
	fp, _ := os.Open(pp)
	defer fp.Close()
	fc, _ := os.Open(path)
	defer fc.Close()
	z, err := OpenZipNum(fi, int64(len(idx)), "z.idx", func(context.Context, string) (io.ReaderAt, error) { return fp, nil })
	if err != nil {
		b.Fatal(err)
	}
	f, _ := OpenFile(fc, int64(len(data)))
	b.Logf("CDXJ %d bytes; ZipNum %d + %d bytes", len(data), len(idx), len(part))
	ctx := context.Background()
	for _, c := range []struct {
		name   string
		lookup func(string) iter.Seq2[Line, error]
	}{
		{"cdxj", func(k string) iter.Seq2[Line, error] { return f.Lookup(ctx, k, MatchExact) }},
		{"zipnum", func(k string) iter.Seq2[Line, error] { return z.Lookup(ctx, k, MatchExact) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				n := 0
				for _, err := range c.lookup(keys[i%len(keys)]) {
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
	}
}
