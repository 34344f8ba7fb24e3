package extract

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/warcbox/warcbox/internal/testcorpus"
	"github.com/warcbox/warcbox/warc"

	"github.com/parquet-go/parquet-go"
)

// warcRecord builds one gzip member holding a WARC/1.1 record.
func warcRecord(t testing.TB, typ, uri, id string, extra map[string]string, block []byte) []byte {
	t.Helper()
	var h bytes.Buffer
	fmt.Fprintf(&h, "WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%s>\r\nWARC-Date: 2024-03-05T12:00:00Z\r\n", typ, id)
	if uri != "" {
		fmt.Fprintf(&h, "WARC-Target-URI: %s\r\n", uri)
	}
	for k, v := range extra {
		fmt.Fprintf(&h, "%s: %s\r\n", k, v)
	}
	fmt.Fprintf(&h, "Content-Length: %d\r\n\r\n", len(block))
	h.Write(block)
	h.WriteString("\r\n\r\n")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(h.Bytes())
	zw.Close()
	return gz.Bytes()
}

func httpResponse(status int, ctype string, headers string, body []byte) []byte {
	return append([]byte(fmt.Sprintf("HTTP/1.1 %d X\r\nContent-Type: %s\r\n%sContent-Length: %d\r\n\r\n", status, ctype, headers, len(body))), body...)
}

func articleHTML(title, author string) []byte {
	return []byte(`<!doctype html><html lang="en"><head><title>` + title + ` | Example Times</title>
<meta property="og:site_name" content="Example Times"><meta name="author" content="` + author + `">
<meta property="article:published_time" content="2024-03-04T08:00:00-05:00"></head><body>
<article><h1>` + title + `</h1><p>` + strings.Repeat("This is the body of the story, told at length so that it counts as text. ", 12) + `</p>
<p>` + strings.Repeat("A second paragraph adds detail about what happened and why it matters. ", 10) + `</p></article></body></html>`)
}

// testWARC writes a WARC.gz with every kind of record the loop must handle
// and returns its path and the offsets of its records by name.
func testWARC(t testing.TB, dir, name string) (string, map[string]int64) {
	t.Helper()
	var buf bytes.Buffer
	off := map[string]int64{}
	add := func(key string, rec []byte) {
		off[key] = int64(buf.Len())
		buf.Write(rec)
	}
	page := articleHTML("Rates rise again", "Jane Doe")
	var gzBody bytes.Buffer
	zw := gzip.NewWriter(&gzBody)
	zw.Write(articleHTML("Compressed story", "John Roe"))
	zw.Close()
	png := append([]byte{0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a}, bytes.Repeat([]byte{0, 1, 2}, 50)...)
	add("warcinfo", warcRecord(t, "warcinfo", "", "00000000-0000-0000-0000-000000000000", map[string]string{"Content-Type": "application/warc-fields"}, []byte("software: test\r\n")))
	add("page", warcRecord(t, "response", "https://ex.org/2024/03/04/rates", "00000000-0000-0000-0000-000000000001",
		map[string]string{"Content-Type": "application/http; msgtype=response", "WARC-Payload-Digest": "sha1:AAAA"}, httpResponse(200, "text/html; charset=utf-8", "", page)))
	add("request", warcRecord(t, "request", "https://ex.org/2024/03/04/rates", "00000000-0000-0000-0000-000000000002",
		map[string]string{"Content-Type": "application/http; msgtype=request"}, []byte("GET /2024/03/04/rates HTTP/1.1\r\nHost: ex.org\r\n\r\n")))
	add("image", warcRecord(t, "response", "https://ex.org/a.png", "00000000-0000-0000-0000-000000000003",
		map[string]string{"Content-Type": "application/http; msgtype=response"}, httpResponse(200, "image/png", "", png)))
	add("notfound", warcRecord(t, "response", "https://ex.org/missing", "00000000-0000-0000-0000-000000000004",
		map[string]string{"Content-Type": "application/http; msgtype=response"}, httpResponse(404, "text/html", "", articleHTML("Not found", "Nobody"))))
	add("binary", warcRecord(t, "response", "https://ex.org/fake.html", "00000000-0000-0000-0000-000000000005",
		map[string]string{"Content-Type": "application/http; msgtype=response"}, httpResponse(200, "text/html", "", png)))
	add("gzip", warcRecord(t, "response", "https://ex.org/compressed", "00000000-0000-0000-0000-000000000006",
		map[string]string{"Content-Type": "application/http; msgtype=response"}, httpResponse(200, "text/html", "Content-Encoding: gzip\r\n", gzBody.Bytes())))
	add("resource", warcRecord(t, "resource", "https://ex.org/resource", "00000000-0000-0000-0000-000000000007",
		map[string]string{"Content-Type": "text/html"}, articleHTML("A resource page", "Res Ource")))
	add("revisit", warcRecord(t, "revisit", "https://ex.org/2024/03/04/rates", "00000000-0000-0000-0000-000000000008",
		map[string]string{"Content-Type": "application/http; msgtype=response", "WARC-Payload-Digest": "sha1:AAAA",
			"WARC-Refers-To": "<urn:uuid:00000000-0000-0000-0000-000000000001>", "WARC-Profile": "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"},
		[]byte("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n")))
	add("undeclared", warcRecord(t, "response", "https://ex.org/undeclared", "00000000-0000-0000-0000-000000000009",
		map[string]string{"Content-Type": "application/http; msgtype=response"}, httpResponse(200, "application/octet-stream", "", articleHTML("Sniffed page", "Sniff Er"))))
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p, off
}

func runAll(t *testing.T, inputs []warc.Input, opts RunOptions) []Article {
	t.Helper()
	if opts.Extractor == nil {
		opts.Extractor = New(Options{Fallback: false})
	}
	var out []Article
	if err := Run(context.Background(), inputs, opts, func(a Article) error { out = append(out, a); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRunRecords(t *testing.T) {
	dir := t.TempDir()
	p, off := testWARC(t, dir, "test.warc.gz")
	inputs, err := warc.Expand([]string{p}, nil)
	if err != nil {
		t.Fatal(err)
	}
	arts := runAll(t, inputs, RunOptions{Workers: 3})
	byOffset := map[int64]Article{}
	var offsets []int64
	for _, a := range arts {
		byOffset[a.WARCOffset] = a
		offsets = append(offsets, a.WARCOffset)
	}
	// Pages, in file order: the page, the binary-as-HTML error, the gzip
	// page, the resource, the resolved revisit and the sniffed page.
	want := []int64{off["page"], off["binary"], off["gzip"], off["resource"], off["revisit"], off["undeclared"]}
	if fmt.Sprint(offsets) != fmt.Sprint(want) {
		t.Fatalf("offsets %v, want %v", offsets, want)
	}
	a := byOffset[off["page"]]
	if a.Title != "Rates rise again" || strings.Join(a.Authors, ";") != "Jane Doe" || a.Published != "2024-03-04T08:00:00-05:00" {
		t.Errorf("page: %q %q %q", a.Title, a.Authors, a.Published)
	}
	if a.WARCFile != p || a.WARCRecordID != "<urn:uuid:00000000-0000-0000-0000-000000000001>" || a.WARCDate != "2024-03-05T12:00:00Z" ||
		a.Status != 200 || a.PayloadDigest != "sha1:AAAA" || a.URL != "https://ex.org/2024/03/04/rates" || a.Error != "" {
		t.Errorf("provenance: %+v", a)
	}
	if a.WordCount < 100 || !strings.Contains(a.Body, "\n\n") {
		t.Errorf("body: %d words, %q", a.WordCount, a.Body)
	}
	if e := byOffset[off["binary"]].Error; !strings.Contains(e, "not HTML") {
		t.Errorf("binary served as HTML: error %q", e)
	}
	if g := byOffset[off["gzip"]]; g.Title != "Compressed story" {
		t.Errorf("gzip page title %q (error %q)", g.Title, g.Error)
	}
	if r := byOffset[off["resource"]]; r.Title != "A resource page" || r.Status != 0 {
		t.Errorf("resource: %q status %d", r.Title, r.Status)
	}
	rv := byOffset[off["revisit"]]
	if rv.Title != "Rates rise again" || rv.WARCRecordID != "<urn:uuid:00000000-0000-0000-0000-000000000008>" || rv.Status != 200 {
		t.Errorf("revisit: %q %q %d", rv.Title, rv.WARCRecordID, rv.Status)
	}
	if u := byOffset[off["undeclared"]]; u.Title != "Sniffed page" {
		t.Errorf("sniffed page title %q", u.Title)
	}

	// --all-statuses adds the 404; --dedup drops the revisit (same digest as the page).
	all := runAll(t, inputs, RunOptions{AllStatuses: true, Dedup: true})
	var got []int64
	for _, a := range all {
		got = append(got, a.WARCOffset)
	}
	want = []int64{off["page"], off["notfound"], off["binary"], off["gzip"], off["resource"], off["undeclared"]}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("all statuses + dedup: offsets %v, want %v", got, want)
	}

	// Keep runs before --dedup: the page it drops does not make the
	// revisit with the same payload a repeat (--dedup-index naming the
	// revisit as the one to output must not lose the payload).
	kept := runAll(t, inputs, RunOptions{Dedup: true, Keep: func(a *Article) bool { return a.WARCOffset != off["page"] }})
	if !slices.ContainsFunc(kept, func(a Article) bool { return a.WARCOffset == off["revisit"] }) ||
		slices.ContainsFunc(kept, func(a Article) bool { return a.WARCOffset == off["page"] }) {
		t.Errorf("keep + dedup: the revisit must be output in the page's place; got %d pages", len(kept))
	}
}

// TestRunDeterministic runs over two WARCs and a WACZ with one and with many
// workers: the output must be byte-identical and ordered by (file, offset).
func TestRunDeterministic(t *testing.T) {
	dir := t.TempDir()
	p1, _ := testWARC(t, dir, "a.warc.gz")
	p2, _ := testWARC(t, dir, "b.warc.gz")
	data, _ := os.ReadFile(p1)
	wacz := filepath.Join(dir, "c.wacz")
	f, err := os.Create(wacz)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "archive/data.warc.gz", Method: zip.Store})
	w.Write(data)
	w2, _ := zw.Create("datapackage.json")
	w2.Write([]byte("{}"))
	zw.Close()
	f.Close()

	// Paths from stdin, a glob and the WACZ.
	inputs, err := warc.Expand([]string{"-", filepath.Join(dir, "*.wacz")}, strings.NewReader(p2+"\n"+p1+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(inputs) != 3 || inputs[0].Name != p2 || inputs[2].Name != wacz+"#archive/data.warc.gz" {
		t.Fatalf("inputs %+v", inputs)
	}
	encode := func(arts []Article) string {
		var b bytes.Buffer
		w, _ := NewWriter(&b, "jsonl")
		for _, a := range arts {
			w.Write(a)
		}
		w.Close()
		return b.String()
	}
	one := encode(runAll(t, inputs, RunOptions{Workers: 1}))
	many := encode(runAll(t, inputs, RunOptions{Workers: 8}))
	if one != many {
		t.Fatal("output differs between 1 and 8 workers")
	}
	lines := strings.Split(strings.TrimSpace(one), "\n")
	if len(lines) != 18 {
		t.Fatalf("%d records, want 18", len(lines))
	}
	var last Article
	json.Unmarshal([]byte(lines[17]), &last)
	if last.WARCFile != wacz+"#archive/data.warc.gz" || last.Title != "Sniffed page" {
		t.Errorf("last record from %q: %q", last.WARCFile, last.Title)
	}
	// The revisit inside the stored WACZ member is resolved too.
	var rv Article
	json.Unmarshal([]byte(lines[16]), &rv)
	if rv.Title != "Rates rise again" {
		t.Errorf("revisit in WACZ: %q (%s)", rv.Title, rv.Error)
	}
	// A folder expands to its archives, sorted.
	inputs, err = warc.Expand([]string{dir}, nil)
	if err != nil || len(inputs) != 3 || inputs[0].Name != p1 {
		t.Errorf("folder: %+v %v", inputs, err)
	}
}

// TestRunCorpus reads the WARCs of other tools (pywb's sample archive):
// every HTML page comes out, malformed records are skipped, nothing panics.
func TestRunCorpus(t *testing.T) {
	d := testcorpus.File(t, "pywb/sample_archive/warcs")
	inputs, err := warc.Expand([]string{d}, nil)
	if err != nil {
		t.Fatal(err)
	}
	arts := runAll(t, inputs, RunOptions{Extractor: New(Options{SkipBody: true})})
	titles := map[string]int{}
	for _, a := range arts {
		titles[a.Title]++
		if a.WARCFile == "" || a.URL == "" {
			t.Errorf("record without provenance: %+v", a)
		}
	}
	if titles["Example Domain"] < 10 || titles["Internet Assigned Numbers Authority"] < 1 {
		t.Errorf("titles %v", titles)
	}
}

func TestWriters(t *testing.T) {
	tr := true
	arts := []Article{
		{WARCFile: "a.warc.gz", WARCOffset: 10, Title: "One, \"quoted\"", Authors: []string{"A", "B"}, IsAccessibleForFree: &tr,
			Images: []Image{{URL: "https://x/1.jpg", Width: 10}}, Sources: map[string]string{"title": "/html/head/title"}, Body: "p1\n\np2"},
		{WARCFile: "a.warc.gz", WARCOffset: 20, Error: "extract: not HTML"},
	}
	var jb, cb, pb bytes.Buffer
	for _, c := range []struct {
		format string
		buf    *bytes.Buffer
	}{{"jsonl", &jb}, {"csv", &cb}, {"parquet", &pb}} {
		w, err := NewWriter(c.buf, c.format)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range arts {
			if err := w.Write(a); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	// JSONL: every line has every key, lists are never null.
	for _, l := range strings.Split(strings.TrimSpace(jb.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatal(err)
		}
		if len(m) != 29 {
			t.Errorf("%d keys, want 29", len(m))
		}
		if m["authors"] == nil || m["images"] == nil || m["sources"] == nil {
			t.Errorf("null list in %s", l)
		}
	}
	if !strings.Contains(cb.String(), `"One, ""quoted"""`) || strings.Count(cb.String(), "a.warc.gz") != 2 || !strings.HasPrefix(cb.String(), strings.Join(CSVHeader, ",")) {
		t.Errorf("csv:\n%s", cb.String())
	}
	rows, err := readParquet(pb.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Title != arts[0].Title || rows[0].Authors[1] != "B" || rows[0].Sources["title"] != "/html/head/title" ||
		*rows[0].IsAccessibleForFree != true || rows[1].Error != arts[1].Error || rows[0].Images[0].Width != 10 {
		t.Errorf("parquet round trip: %+v", rows)
	}
	if _, err := NewWriter(&jb, "xml"); err == nil {
		t.Error("unknown format accepted")
	}
}

// readParquet reads back a Parquet file written by NewWriter.
func readParquet(b []byte) ([]Article, error) {
	return parquet.Read[Article](bytesReaderAt(b), int64(len(b)))
}

type bytesReaderAt []byte

func (b bytesReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off >= int64(len(b)) {
		return 0, io.EOF
	}
	n := copy(p, b[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// TestRunCrossFileRevisit resolves a revisit against an earlier input (as
// deduplicating crawls write them) and drops it, logged, when the original
// comes only later.
func TestRunCrossFileRevisit(t *testing.T) {
	dir := t.TempDir()
	orig, off := testWARC(t, dir, "a-orig.warc.gz")
	rv := warcRecord(t, "revisit", "https://ex.org/2024/03/04/rates", "10000000-0000-0000-0000-000000000001",
		map[string]string{"Content-Type": "application/http; msgtype=response", "WARC-Payload-Digest": "sha1:AAAA",
			"WARC-Refers-To": "<urn:uuid:00000000-0000-0000-0000-000000000001>"},
		[]byte("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"))
	later := filepath.Join(dir, "b-revisit.warc.gz")
	if err := os.WriteFile(later, rv, 0o644); err != nil {
		t.Fatal(err)
	}
	in, err := warc.Expand([]string{orig, later}, nil)
	if err != nil {
		t.Fatal(err)
	}
	arts := runAll(t, in, RunOptions{Workers: 2})
	last := arts[len(arts)-1]
	if last.WARCFile != later || last.WARCOffset != 0 || last.Title != "Rates rise again" || last.WARCRecordID != "<urn:uuid:10000000-0000-0000-0000-000000000001>" {
		t.Errorf("cross-file revisit: %s@%d %q %q", last.WARCFile, last.WARCOffset, last.Title, last.Error)
	}
	if len(arts) != 7 || arts[0].WARCOffset != off["page"] {
		t.Errorf("%d rows", len(arts))
	}
	// The other way round the original is not yet known: no row.
	rev := runAll(t, []warc.Input{in[1], in[0]}, RunOptions{Workers: 2})
	if len(rev) != 6 || rev[0].WARCFile != orig {
		t.Errorf("revisit before its original: %d rows, first from %s", len(rev), rev[0].WARCFile)
	}
}

// TestRunStaleContentEncoding: a record whose body was stored decoded while
// the server's Content-Encoding and Transfer-Encoding headers were kept (as
// tools that wrap fetched pages do) gives the page, whole: the failed
// decoder must not have eaten its start (the <head>, the title).
func TestRunStaleContentEncoding(t *testing.T) {
	dir := t.TempDir()
	var buf bytes.Buffer
	for i, enc := range []string{"gzip", "br", "gzip, br", "x-unknown"} {
		page := articleHTML(fmt.Sprintf("Stale header story %d", i), "Jane Doe")
		buf.Write(warcRecord(t, "response", fmt.Sprintf("https://ex.org/stale/%d", i), fmt.Sprintf("00000000-0000-0000-0000-00000000010%d", i),
			map[string]string{"Content-Type": "application/http; msgtype=response"},
			[]byte(fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Encoding: %s\r\nTransfer-Encoding: chunked\r\n\r\n%s", enc, page))))
	}
	p := filepath.Join(dir, "stale.warc.gz")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	inputs, err := warc.Expand([]string{p}, nil)
	if err != nil {
		t.Fatal(err)
	}
	arts := runAll(t, inputs, RunOptions{})
	if len(arts) != 4 {
		t.Fatalf("%d articles, want 4", len(arts))
	}
	for i, a := range arts {
		if want := fmt.Sprintf("Stale header story %d", i); a.Title != want || a.Error != "" || len(a.Authors) != 1 {
			t.Errorf("record %d: title %q authors %q error %q, want %q by Jane Doe", i, a.Title, a.Authors, a.Error, want)
		}
	}
}
