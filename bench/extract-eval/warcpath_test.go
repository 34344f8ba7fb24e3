package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/warcbox/warcbox/bench/evalset"
	"github.com/warcbox/warcbox/extract"
	"github.com/warcbox/warcbox/internal/testneed"
	"github.com/warcbox/warcbox/warc"
)

// TestWARCPathSameAsExtract holds the user's path (pages as WARC response
// records, `warcbox extract --format jsonl`) to Extract on the page's bytes,
// on which the eval figures are measured: for every 90th page of the
// trafilatura set and 8 whose bytes are not UTF-8, served every -warc way
// (the header's charset the page's own, none, UTF-8 or ISO-8859-1, with gzip
// and chunked framing, or with those headers kept over the plain body),
// title, authors, published, description and body must be identical.
func TestWARCPathSameAsExtract(t *testing.T) {
	dir := filepath.Join(evalset.DefaultDir(), "trafilatura")
	raw, err := os.ReadFile(filepath.Join(dir, "tests", "evaldata.json"))
	if err != nil {
		testneed.Missing(t, "trafilatura eval set: %v", err)
		return
	}
	var m map[string]trafDoc
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	var urls []string
	var pages [][]byte
	notUTF8 := 0
	for i, u := range slices.Sorted(maps.Keys(m)) {
		b, err := evalset.ReadPage(dir, m[u].File)
		if err != nil {
			t.Fatal(err)
		}
		other := !utf8.Valid(b)
		if i%90 != 0 && !(other && notUTF8 < 8) {
			continue
		}
		if other {
			notUTF8++
		}
		urls, pages = append(urls, u), append(pages, b)
	}
	if notUTF8 < 6 {
		t.Fatalf("the sample holds %d pages that are not UTF-8, want at least 6", notUTF8)
	}
	diffs, err := diffPaths(context.Background(), extract.New(extract.DefaultOptions()), urls, pages, servings, 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffs {
		t.Errorf("%s served %s: %s differs\n  Extract %q\n  jsonl   %q", d.URL, d.Serving, d.Field,
			truncate(d.Direct, 200), truncate(d.Wrapped, 200))
	}
	t.Logf("%d pages (%d not UTF-8) × %d servings compared", len(urls), notUTF8, len(servings))
}

// TestServingRecordsReadBack checks the records -warc writes: the reader
// gives back the page's bytes, its URL and the header's charset, whatever
// the framing.
func TestServingRecordsReadBack(t *testing.T) {
	page := []byte("<html><head><meta charset=\"windows-1250\"><title>\xa3\xf3d\xbc</title></head><body>" +
		strings.Repeat("<p>\xb9\xe6\xea</p>", 3000) + "</body></html>") // several chunks
	set, err := newWARCSet()
	if err != nil {
		t.Fatal(err)
	}
	defer set.remove()
	for _, s := range servings {
		if err := set.add(warcPage{URL: "https://example.com/a?b=1#c", HTML: page, Serve: s}); err != nil {
			t.Fatal(err)
		}
	}
	if err := set.close(); err != nil {
		t.Fatal(err)
	}
	rd, err := warc.Open(set.files[0], warc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	wantCT := []string{"text/html; charset=windows-1250", "text/html", "text/html; charset=UTF-8", "text/html; charset=ISO-8859-1", "text/html; charset=windows-1250"}
	n := 0
	for {
		rec, err := rd.Next()
		if err != nil {
			break
		}
		if rec.Type() != "response" {
			continue
		}
		if rec.TargetURI() != "https://example.com/a?b=1#c" {
			t.Errorf("record %d: URL %q", n, rec.TargetURI())
		}
		msg, err := rec.HTTP()
		if err != nil {
			t.Fatal(err)
		}
		if got := msg.Header.Get("Content-Type"); got != wantCT[n] {
			t.Errorf("record %d (%s): Content-Type %q, want %q", n, servings[n].name, got, wantCT[n])
		}
		var r io.Reader
		if servings[n].stale {
			// The headers say gzip and chunked; the body is the page as it is.
			if msg.Header.Get("Content-Encoding") != "gzip" || msg.Header.Get("Transfer-Encoding") != "chunked" {
				t.Errorf("record %d (%s): stale headers not kept: %v", n, servings[n].name, msg.Header)
			}
			r = msg.Payload()
		} else if r, err = msg.Decoded(); err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if _, err := b.ReadFrom(r); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.Bytes(), page) {
			t.Errorf("record %d (%s): payload of %d bytes, want the page's %d", n, servings[n].name, b.Len(), len(page))
		}
		n++
	}
	if n != len(servings) {
		t.Fatalf("%d response records, want %d", n, len(servings))
	}
}
