package index

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/internal/tests3"
	"github.com/warcbox/warcbox/storage"
)

// scattered is n captures of URLs with random paths (so that the index
// compresses as a real one does, not to nothing), sorted, all in
// f.warc.gz.
func scattered(n int) []Capture {
	r := rand.New(rand.NewPCG(1, 2))
	caps := make([]Capture, 0, n)
	for i := 0; i < n; i++ {
		u := fmt.Sprintf("http://h%d.example.com/%x/%x", i%40, r.Uint64(), r.Uint32())
		caps = append(caps, Capture{Line: cdxj.Line{Key: cdxj.Key(u), Timestamp: fmt.Sprintf("2020%02d%02d000000", i%12+1, i%28+1), URL: u,
			Mime: "text/html", Status: "200", Digest: fmt.Sprintf("sha1:%032X", r.Uint64()), Length: 1000 + int64(i%500),
			Offset: int64(i) * 2000, Filename: "f.warc.gz"}})
	}
	slices.SortStableFunc(caps, compareCaptures)
	return caps
}

// packageWith writes a WACZ holding archive/f.warc.gz (whose bytes do not
// matter to lookups) and the members given, in order.
func packageWith(t testing.TB, members ...packageMember) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	all := append([]packageMember{{name: "archive/f.warc.gz", data: bytes.Repeat([]byte("w"), 300<<10)}}, members...)
	for _, m := range all {
		method := zip.Store
		if m.deflate {
			method = zip.Deflate
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: m.name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(m.data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

type packageMember struct {
	name    string
	data    []byte
	deflate bool
}

// TestWACZIndexInPlace: a WACZ's own ZipNum index (indexes/index.idx and
// index.cdx.gz, the !meta form py-wacz writes) and a large CDXJ stored
// uncompressed are searched by Range on the package: opening it and 20
// lookups fetch a small part of the index member, where reading it whole
// (before) fetched all of it; the captures agree with the same index read
// into memory. A part compressed in the zip cannot be read by Range and
// is read whole, a compressed secondary index is inflated (bounded).
func TestWACZIndexInPlace(t *testing.T) {
	caps := scattered(60000)
	var lines, idx, part bytes.Buffer
	zw := cdxj.NewZipNumWriter(&part, &idx, "index.cdx.gz")
	for _, c := range caps {
		lines.Reset()
		WriteCDXJ(&lines, c)
		if err := zw.WriteLine(bytes.TrimSuffix(lines.Bytes(), []byte("\n"))); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	lines.Reset()
	for _, c := range caps {
		WriteCDXJ(&lines, c)
	}
	want := make([]Capture, len(caps))
	for i, c := range caps {
		c.Filename = "x.wacz#archive/f.warc.gz"
		want[i] = c
	}
	mem := NewMemory(want)

	for _, tc := range []struct {
		name     string
		members  []packageMember
		inPlace  bool
		fetchMax int64 // bytes an open and the first 3 lookups may fetch
	}{
		{"zipnum", []packageMember{{name: "indexes/index.cdx.gz", data: part.Bytes()}, {name: "indexes/index.idx", data: idx.Bytes()}}, true, int64(part.Len()) / 2},
		{"zipnum, compressed .idx", []packageMember{{name: "indexes/index.cdx.gz", data: part.Bytes()}, {name: "indexes/index.idx", data: idx.Bytes(), deflate: true}}, true, int64(part.Len()) / 2},
		{"cdxj", []packageMember{{name: "indexes/index.cdxj", data: lines.Bytes()}}, true, int64(lines.Len()) / 5},
		{"zipnum, compressed part", []packageMember{{name: "indexes/index.cdx.gz", data: part.Bytes(), deflate: true}, {name: "indexes/index.idx", data: idx.Bytes()}}, false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pkg := packageWith(t, tc.members...)
			var gets, sent atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodGet {
					gets.Add(1)
				}
				http.ServeContent(countingResponse{w, &sent}, r, "x.wacz", time.Time{}, bytes.NewReader(pkg))
			}))
			defer srv.Close()
			ctx := context.Background()
			var logs bytes.Buffer
			got, srcs, err := IndexWACZIn(ctx, storage.New(storage.Options{}), srv.URL+"/x.wacz", "x.wacz", slog.New(slog.NewTextHandler(&logs, nil)))
			if err != nil {
				t.Fatal(err)
			}
			if tc.inPlace != (len(srcs) == 1 && len(got) == 0) {
				t.Fatalf("searched in place: %d sources, %d captures in memory; want in place %v (log: %s)", len(srcs), len(got), tc.inPlace, logs.String())
			}
			var src Source = NewMemory(got)
			if tc.inPlace {
				src = srcs[0]
				defer srcs[0].Close()
			}
			openGets, openSent := gets.Load(), sent.Load()
			var firstGets, firstSent int64
			for i := 0; i < 20; i++ {
				if i == 3 {
					firstGets, firstSent = gets.Load(), sent.Load()
				}
				u := caps[(i*7919)%len(caps)].URL
				for _, q := range []Query{{Key: cdxj.Key(u)}, {Key: cdxj.Key(u), MatchType: cdxj.MatchHost, Limit: 5}} {
					w, _ := Collect(ctx, mem, q)
					g, err := Collect(ctx, src, q)
					if err != nil {
						t.Fatalf("%+v: %v", q, err)
					}
					if len(g) != len(w) || len(g) == 0 {
						t.Fatalf("%+v: %d captures, whole index %d", q, len(g), len(w))
					}
					for k := range g {
						if g[k].URL != w[k].URL || g[k].Timestamp != w[k].Timestamp || g[k].Filename != w[k].Filename || g[k].Offset != w[k].Offset {
							t.Fatalf("%+v: #%d is %s %s %s, whole index %s %s %s", q, k, g[k].URL, g[k].Timestamp, g[k].Filename, w[k].URL, w[k].Timestamp, w[k].Filename)
						}
					}
				}
			}
			t.Logf("%s: package %d bytes, index member %d; open: %d requests, %d bytes; + 3 URLs: %d, %d; + 20 URLs: %d, %d",
				tc.name, len(pkg), len(tc.members[0].data), openGets, openSent, firstGets, firstSent, gets.Load(), sent.Load())
			if tc.inPlace && firstSent > tc.fetchMax {
				t.Errorf("%d bytes fetched to open and look 3 URLs up, want at most %d (the whole index member is %d)", firstSent, tc.fetchMax, len(tc.members[0].data))
			}
		})
	}
}

// A line of the package's index naming a WARC the package does not hold
// is an error naming the index and the URL; the lookup goes on. Titles
// come from pages.jsonl.
func TestWACZIndexInPlaceForeignLine(t *testing.T) {
	caps := scattered(30000)
	foreign := caps[100]
	caps[100].Filename = "missing.warc.gz"
	var lines bytes.Buffer
	for _, c := range caps {
		WriteCDXJ(&lines, c)
	}
	titled := caps[101]
	pages := fmt.Sprintf("{\"format\": \"json-pages-1.0\"}\n{\"url\": %q, \"title\": \"A page\"}\n", titled.URL)
	pkg := packageWith(t, packageMember{name: "indexes/index.cdxj", data: lines.Bytes()}, packageMember{name: "pages/pages.jsonl", data: []byte(pages)})
	p := t.TempDir() + "/x.wacz"
	if err := writeFile(p, pkg); err != nil {
		t.Fatal(err)
	}
	_, srcs, err := IndexWACZIn(context.Background(), storage.New(storage.Options{}), p, "x.wacz", slog.New(slog.DiscardHandler))
	if err != nil || len(srcs) != 1 {
		t.Fatalf("%d sources, %v", len(srcs), err)
	}
	defer srcs[0].Close()
	var errs []string
	n := 0
	sawTitle := false
	for c, err := range srcs[0].Lookup(context.Background(), Query{Key: foreign.Key, MatchType: cdxj.MatchDomain}) {
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		n++
		if c.Filename != "x.wacz#archive/f.warc.gz" {
			t.Errorf("capture named %s", c.Filename)
		}
		sawTitle = sawTitle || c.Title == "A page"
		if (c.Title == "A page") != (c.URL == titled.URL) {
			t.Errorf("%s: title %q (from pages.jsonl: only %s has one)", c.URL, c.Title, titled.URL)
		}
	}
	if len(errs) != 1 || !strings.Contains(errs[0], foreign.URL) || !strings.Contains(errs[0], "missing.warc.gz") || !strings.Contains(errs[0], "x.wacz#indexes/index.cdxj") {
		t.Errorf("errors %q", errs)
	}
	if n == 0 {
		t.Errorf("the lookup stopped at the foreign line")
	}
	if !sawTitle {
		t.Errorf("no capture got its title from pages.jsonl")
	}
}

func writeFile(p string, b []byte) error { return os.WriteFile(p, b, 0o644) }

// BenchmarkPackageIndexLookup looks URLs up in a local WACZ's own ZipNum
// index (60,000 captures, 3,000-line blocks) searched in place, against
// the same captures in memory (what opening the package read before).
func BenchmarkPackageIndexLookup(b *testing.B) {
	caps := scattered(60000)
	p := b.TempDir() + "/x.wacz"
	if err := writeFile(p, zipnumPackage(b, caps, 0)); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	_, srcs, err := IndexWACZIn(ctx, storage.New(storage.Options{}), p, "x.wacz", slog.New(slog.DiscardHandler))
	if err != nil || len(srcs) != 1 {
		b.Fatalf("%d sources, %v", len(srcs), err)
	}
	defer srcs[0].Close()
	for _, bc := range []struct {
		name string
		src  Source
	}{{"zipnum-in-place", srcs[0]}, {"memory", NewMemory(caps)}} {
		b.Run(bc.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				u := caps[(i*7919)%len(caps)].URL
				i++
				n := 0
				for _, err := range bc.src.Lookup(ctx, Query{Key: cdxj.Key(u)}) {
					if err != nil {
						b.Fatal(err)
					}
					n++
				}
				if n == 0 {
					b.Fatal("not found")
				}
			}
		})
	}
}

// A corrupt block of a package's ZipNum index is an error naming the
// package, the index member and the block's offset; the other blocks are
// still read.
func TestWACZIndexInPlaceBadBlock(t *testing.T) {
	caps := scattered(1000)
	var line, idx, part bytes.Buffer
	zw := cdxj.NewZipNumWriter(&part, &idx, "index.cdx.gz")
	zw.BlockLines = 100
	var blockAt []int
	for i, c := range caps {
		if i%100 == 0 {
			blockAt = append(blockAt, part.Len())
		}
		line.Reset()
		WriteCDXJ(&line, c)
		zw.WriteLine(bytes.TrimSuffix(line.Bytes(), []byte("\n")))
	}
	zw.Close()
	blocks := part.Bytes()
	for i := blockAt[3] + 20; i < blockAt[3]+60; i++ {
		blocks[i] ^= 0x5a
	}
	var gets atomic.Int64
	pkg := packageWith(t, packageMember{name: "indexes/index.cdx.gz", data: blocks}, packageMember{name: "indexes/index.idx", data: idx.Bytes()})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gets.Add(1)
		http.ServeContent(w, r, "x.wacz", time.Time{}, bytes.NewReader(pkg))
	}))
	defer srv.Close()
	_, srcs, err := IndexWACZIn(context.Background(), storage.New(storage.Options{}), srv.URL+"/x.wacz", "x.wacz", slog.New(slog.DiscardHandler))
	if err != nil || len(srcs) != 1 {
		t.Fatalf("%d sources, %v", len(srcs), err)
	}
	defer srcs[0].Close()
	var errs []string
	n := 0
	for _, err := range srcs[0].Lookup(context.Background(), Query{MatchType: cdxj.MatchPrefix}) {
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		n++
	}
	if n < len(caps)-100 || n == len(caps) {
		t.Errorf("%d captures of %d read past a bad block of 100", n, len(caps))
	}
	want := fmt.Sprintf("offset %d", blockAt[3])
	if len(errs) == 0 || !strings.Contains(errs[0], srv.URL+"/x.wacz#indexes/index.idx") || !strings.Contains(errs[0], want) {
		t.Errorf("errors %q; want one naming the package's index and %s", errs, want)
	}
}

// A remote WACZ rewritten in place is read anew on the next poll: its
// in-place index is replaced, and no block cached from the old version is
// read as the new one.
func TestRemoteWACZRewritten(t *testing.T) {
	v1 := scattered(20000)
	v2 := make([]Capture, len(v1))
	for i, c := range v1 {
		c.URL = strings.Replace(c.URL, "example.com", "example.org", 1)
		c.Key = cdxj.Key(c.URL)
		v2[i] = c
	}
	slices.SortStableFunc(v2, compareCaptures)
	idx1, part1 := zipnumOf(t, v1, 500)
	idx2, part2 := zipnumOf(t, v2, 500)
	pkg1 := packageWith(t, packageMember{name: "indexes/index.cdx.gz", data: part1}, packageMember{name: "indexes/index.idx", data: idx1})
	// The second version is longer before its index: every offset moves.
	pkg2 := packageWith(t, packageMember{name: "archive/g.warc.gz", data: bytes.Repeat([]byte("g"), 100000)},
		packageMember{name: "indexes/index.cdx.gz", data: part2}, packageMember{name: "indexes/index.idx", data: idx2})

	srv := tests3.Start(t)
	srv.Bucket(t, "bkt")
	srv.Put(t, "bkt", "w/x.wacz", pkg1)
	ctx := context.Background()
	colls, err := OpenCollections(ctx, CollectionOptions{Paths: []string{"s3://bkt/w/"}, Name: "w", Store: storage.New(storage.Options{})})
	if err != nil {
		t.Fatal(err)
	}
	c := colls["w"]
	got, err := Collect(ctx, c, Query{Key: v1[7].Key})
	if err != nil || len(got) == 0 {
		t.Fatalf("first version: %d captures, %v", len(got), err)
	}
	// Every block of the old version in the cache.
	if all, err := Collect(ctx, c, Query{MatchType: cdxj.MatchPrefix}); err != nil || len(all) != len(v1) {
		t.Fatalf("first version: %d captures in all, %v", len(all), err)
	}
	time.Sleep(1100 * time.Millisecond) // listings tell times to the second
	srv.Put(t, "bkt", "w/x.wacz", pkg2)
	if err := c.RescanRemote(ctx); err != nil {
		t.Fatal(err)
	}
	got, err = Collect(ctx, c, Query{Key: v2[7].Key})
	if err != nil || len(got) == 0 {
		t.Fatalf("second version: %d captures, %v", len(got), err)
	}
	if old, _ := Collect(ctx, c, Query{Key: v1[7].Key}); len(old) != 0 {
		t.Errorf("a capture of the first version is still found")
	}
	loc, err := c.Locate(got[0].Filename)
	if err != nil {
		t.Fatal(err)
	}
	zr, _ := zip.NewReader(bytes.NewReader(pkg2), int64(len(pkg2)))
	for _, e := range zr.File {
		if e.Name == "archive/f.warc.gz" {
			if off, _ := e.DataOffset(); off != loc.Offset {
				t.Errorf("%s located at %d, in the new package at %d", got[0].Filename, loc.Offset, off)
			}
		}
	}
}

// A CDXJ member of 1 MiB is read whole from a local package (its
// captures then serve search and revisits by digest) but searched in
// place in a remote one, where reading it whole would cost requests at
// open beyond the zip directory's.
func TestWACZMidSizeCDXJ(t *testing.T) {
	caps := scattered(5000)
	var lines bytes.Buffer
	for _, c := range caps {
		WriteCDXJ(&lines, c)
	}
	if lines.Len() < maxWholeIndexRemote || lines.Len() > maxWholeIndex {
		t.Fatalf("a %d-byte index is not between the bounds", lines.Len())
	}
	pkg := packageWith(t, packageMember{name: "indexes/index.cdxj", data: lines.Bytes()})
	p := t.TempDir() + "/x.wacz"
	if err := writeFile(p, pkg); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeContent(w, r, "x.wacz", time.Time{}, bytes.NewReader(pkg))
	}))
	defer srv.Close()
	ctx := context.Background()
	for _, tc := range []struct {
		path    string
		inPlace bool
	}{{p, false}, {srv.URL + "/x.wacz", true}} {
		got, srcs, err := IndexWACZIn(ctx, storage.New(storage.Options{}), tc.path, "x.wacz", slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		if tc.inPlace != (len(srcs) == 1) || (!tc.inPlace && len(got) != len(caps)) {
			t.Errorf("%s: %d sources, %d captures in memory; want in place %v", tc.path, len(srcs), len(got), tc.inPlace)
		}
		closeAll(srcs)
	}
}
