package index_test

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/warcbox/warcbox/index"
	"github.com/warcbox/warcbox/internal/testcorpus"
	"github.com/warcbox/warcbox/wacz"
)

// sampleDir is pywb's sample archive in the shared corpus.
func sampleDir(t testing.TB) string {
	return filepath.Join(testcorpus.Dir(t), "pywb", "sample_archive", "warcs")
}

// reindexed indexes every WARC section of a WACZ itself, as replay did
// before it read packages' own indexes: the reference to compare with.
func reindexed(t *testing.T, secs map[string]index.Section) []string {
	t.Helper()
	var out []string
	for name, sec := range secs {
		path, off, size := sec.Range()
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		caps, err := index.ReadCapturesAt(context.Background(), io.NewSectionReader(f, off, size), size, index.Options{Filename: name})
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, captureKeys(caps)...)
	}
	slices.Sort(out)
	return out
}

func captureKeys(caps []index.Capture) []string {
	var out []string
	for _, c := range caps {
		out = append(out, fmt.Sprintf("%s %s %s %s %s %d %d %s", c.Key, c.Timestamp, c.URL, c.Status, c.Mime, c.Offset, c.Length, c.Filename))
	}
	slices.Sort(out)
	return out
}

// TestWACZOwnIndex replays a WACZ written by warcbox from pywb's sample
// WARC: the captures read from its indexes/index.cdxj must be those
// indexing its WARC gives, with titles from pages.jsonl; the same index as
// a ZipNum .cdx.gz too; and an index naming a WARC the package lacks must
// be set aside for indexing the WARCs.
func TestWACZOwnIndex(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "iana.wacz")
	if err := wacz.WriteFile(context.Background(), p, wacz.Options{WARCs: []string{filepath.Join(sampleDir(t), "iana.warc.gz")}, Software: "warcbox test"}); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	caps, secs, err := index.IndexWACZ(context.Background(), p, "iana.wacz", log)
	if err != nil {
		t.Fatal(err)
	}
	want := reindexed(t, secs)
	if got := captureKeys(caps); !slices.Equal(got, want) || len(want) < 10 {
		t.Fatalf("captures from the package's index differ from indexing its WARC:\n got %d %q\nwant %d %q", len(got), got, len(want), want)
	}
	titled := false
	for _, c := range caps {
		if c.URL == "http://www.iana.org/" && strings.Contains(c.Title, "Internet Assigned Numbers Authority") {
			titled = true
		}
	}
	if !titled {
		t.Errorf("no title from pages.jsonl for http://www.iana.org/")
	}
	if strings.Contains(logs.String(), "not usable") {
		t.Errorf("the package's own index was set aside: %s", logs.String())
	}
	// And the captures did come from that index, not from indexing.
	own := func(path string) ([]index.Capture, error) {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		st, _ := f.Stat()
		zr, err := zip.NewReader(f, st.Size())
		if err != nil {
			t.Fatal(err)
		}
		return index.EmbeddedIndex(context.Background(), f, zr, "iana.wacz", secs)
	}
	if got, err := own(p); err != nil || !slices.Equal(captureKeys(got), want) {
		t.Errorf("embeddedIndex: %d captures, err %v", len(got), err)
	}

	// The same package with its index rewritten as ZipNum (gzip members of
	// lines) or pointing at a WARC it does not hold.
	zr, err := zip.OpenReader(p)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var lines []byte
	for _, e := range zr.File {
		if e.Name == "indexes/index.cdxj" {
			rc, _ := e.Open()
			lines, _ = io.ReadAll(rc)
			rc.Close()
		}
	}
	if len(lines) == 0 {
		t.Fatal("warcbox's WACZ has no indexes/index.cdxj")
	}
	var zipnum bytes.Buffer
	for i, chunk := range bytes.SplitAfter(lines, []byte("\n")) {
		if i%3 == 0 || len(chunk) == 0 {
			continue
		}
		gw := gzip.NewWriter(&zipnum)
		gw.Write(chunk)
		gw.Close()
	}
	// Every third line went missing above; put them in one more member so
	// the index is whole but out of order, as nothing requires order here.
	gw := gzip.NewWriter(&zipnum)
	for i, chunk := range bytes.SplitAfter(lines, []byte("\n")) {
		if i%3 == 0 {
			gw.Write(chunk)
		}
	}
	gw.Close()
	foreign := bytes.Replace(lines, []byte(`"filename":"`), []byte(`"filename":"missing-`), 1)

	for _, tc := range []struct {
		name, entry string
		data        []byte
		fallback    bool
	}{
		{"zipnum", "indexes/index.cdx.gz", zipnum.Bytes(), false},
		{"names a missing WARC", "indexes/index.cdxj", foreign, true},
		{"malformed", "indexes/index.cdxj", append([]byte("not a line\n"), lines...), true},
	} {
		q := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".wacz")
		out, err := os.Create(q)
		if err != nil {
			t.Fatal(err)
		}
		zw := zip.NewWriter(out)
		for _, e := range zr.File {
			if strings.HasPrefix(e.Name, "indexes/") {
				continue
			}
			if err := zw.Copy(e); err != nil {
				t.Fatal(err)
			}
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: tc.entry, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(tc.data)
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		out.Close()
		logs.Reset()
		caps, secs, err := index.IndexWACZ(context.Background(), q, "iana.wacz", log)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got, want := captureKeys(caps), reindexed(t, secs); !slices.Equal(got, want) {
			t.Errorf("%s: %d captures, want the %d of the WARC", tc.name, len(got), len(want))
		}
		if set := strings.Contains(logs.String(), "not usable"); set != tc.fallback {
			t.Errorf("%s: own index set aside = %v, want %v (log: %s)", tc.name, set, tc.fallback, logs.String())
		}
		if got, err := own(q); (err != nil) != tc.fallback || (err == nil && !slices.Equal(captureKeys(got), want)) {
			t.Errorf("%s: embeddedIndex gave %d captures, err %v", tc.name, len(got), err)
		}
	}
}

// BenchmarkIndexWACZ opens a WACZ of pywb's sample WARC with its own index
// and with the index removed (so its WARC is indexed), as replay does at
// start-up.
func BenchmarkIndexWACZ(b *testing.B) {
	dir := b.TempDir()
	with := filepath.Join(dir, "with.wacz")
	if err := wacz.WriteFile(context.Background(), with, wacz.Options{WARCs: []string{filepath.Join(sampleDir(b), "iana.warc.gz")}, Software: "warcbox bench"}); err != nil {
		b.Fatal(err)
	}
	without := filepath.Join(dir, "without.wacz")
	zr, err := zip.OpenReader(with)
	if err != nil {
		b.Fatal(err)
	}
	out, _ := os.Create(without)
	zw := zip.NewWriter(out)
	for _, e := range zr.File {
		if !strings.HasPrefix(e.Name, "indexes/") {
			zw.Copy(e)
		}
	}
	zw.Close()
	out.Close()
	zr.Close()
	st, _ := os.Stat(with)
	for _, bc := range []struct{ name, path string }{{"own-index", with}, {"reindex", without}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(st.Size())
			for b.Loop() {
				if _, _, err := index.IndexWACZ(context.Background(), bc.path, "x.wacz", slog.New(slog.DiscardHandler)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestWACZPagesBounded: a WACZ whose pages.jsonl holds a title of 100 MiB
// (a few hundred KB compressed) opens with bounded reading: titles cut to
// 1 KiB, the overlong line skipped without being held.
func TestWACZPagesBounded(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "iana.wacz")
	if err := wacz.WriteFile(context.Background(), src, wacz.Options{WARCs: []string{filepath.Join(sampleDir(t), "iana.warc.gz")}, Software: "warcbox test"}); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	hostile := filepath.Join(dir, "hostile.wacz")
	f, err := os.Create(hostile)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, e := range zr.File {
		if strings.HasPrefix(e.Name, "pages/") {
			continue
		}
		if err := zw.Copy(e); err != nil {
			t.Fatal(err)
		}
	}
	pw, err := zw.CreateHeader(&zip.FileHeader{Name: "pages/pages.jsonl", Method: zip.Deflate})
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(pw, `{"format":"json-pages-1.0","id":"pages"}`+"\n")
	io.WriteString(pw, `{"url":"http://www.iana.org/_css/2013.1/screen.css","title":"small"}`+"\n")
	io.WriteString(pw, `{"url":"http://www.iana.org/","title":"`+strings.Repeat("T", 5000)+`"}`+"\n")
	io.WriteString(pw, `{"url":"http://www.iana.org/_js/2013.1/iana.js","title":"`)
	chunk := bytes.Repeat([]byte("a"), 1<<20)
	for i := 0; i < 100; i++ {
		pw.Write(chunk)
	}
	io.WriteString(pw, "\"}\n")
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if st, _ := os.Stat(hostile); st.Size() > 4<<20 {
		t.Fatalf("the hostile package is %d bytes: should be small", st.Size())
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	caps, _, err := index.IndexWACZ(context.Background(), hostile, "hostile.wacz", slog.New(slog.DiscardHandler))
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 32<<20 {
		t.Errorf("opening the package allocated %d MiB: the title was held", alloc>>20)
	}
	got := map[string]string{}
	for _, c := range caps {
		if c.Title != "" {
			got[c.URL] = c.Title
		}
	}
	if got["http://www.iana.org/_css/2013.1/screen.css"] != "small" {
		t.Errorf("a normal title was lost: %q", got)
	}
	if tt := got["http://www.iana.org/"]; len(tt) != index.MaxPageTitle || tt[:10] != "TTTTTTTTTT" {
		t.Errorf("5000-byte title kept as %d bytes", len(tt))
	}
	if tt := got["http://www.iana.org/_js/2013.1/iana.js"]; tt != "" {
		t.Errorf("the 100 MiB title was read: %d bytes", len(tt))
	}
}
