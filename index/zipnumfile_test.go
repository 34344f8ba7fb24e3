package index

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/storage"
)

// writeZipNum writes caps as a ZipNum index in dir: name.idx and its part.
func writeZipNum(t testing.TB, dir, name string, caps []Capture) {
	t.Helper()
	var lines, idx, part bytes.Buffer
	for _, c := range caps {
		if err := WriteCDXJ(&lines, c); err != nil {
			t.Fatal(err)
		}
	}
	w := cdxj.NewZipNumWriter(&part, &idx, name+".cdx.gz")
	w.BlockLines = 64
	for _, l := range strings.Split(strings.TrimSuffix(lines.String(), "\n"), "\n") {
		if err := w.WriteLine([]byte(l)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, name+".idx"), idx.Bytes(), 0o644)
	os.WriteFile(filepath.Join(dir, name+".cdx.gz"), part.Bytes(), 0o644)
}

func TestZipNumFileAgreesWithMemory(t *testing.T) {
	caps := synthetic(3000)
	mem := NewMemory(caps)
	dir := t.TempDir()
	writeZipNum(t, dir, "index", caps)
	z, err := OpenZipNum(context.Background(), storage.New(storage.Options{}), filepath.Join(dir, "index.idx"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	ctx := context.Background()
	for _, q := range []Query{
		{Key: cdxj.Key("http://h3.example.com/p/5?q=2")},
		{Key: cdxj.Key("http://h3.example.com/p/5?q=2"), From: "202003", To: "202006"},
		{Key: cdxj.Key("http://h0.example.com/p/1"), MatchType: cdxj.MatchPrefix},
		{Key: cdxj.Key("http://h6.example.com/"), MatchType: cdxj.MatchHost, Limit: 17},
		{Key: cdxj.Key("http://example.com/"), MatchType: cdxj.MatchDomain},
		{Key: "a"}, {Key: "zzz"},
	} {
		want, _ := Collect(ctx, mem, q)
		got, err := Collect(ctx, z, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Errorf("%+v: ZipNum gave %d, memory %d", q, len(got), len(want))
			continue
		}
		for i := range got {
			if got[i].Key != want[i].Key || got[i].Timestamp != want[i].Timestamp || got[i].Offset != want[i].Offset {
				t.Errorf("%+v: #%d differs", q, i)
				break
			}
		}
	}
}

// A .loc cannot send a lookup outside the index's folder.
func TestZipNumFileConfined(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "indexes")
	os.MkdirAll(sub, 0o755)
	writeZipNum(t, dir, "outside", synthetic(10)) // a real part, one level up
	idx, _ := os.ReadFile(filepath.Join(dir, "outside.idx"))
	os.WriteFile(filepath.Join(sub, "z.idx"), idx, 0o644)
	os.WriteFile(filepath.Join(sub, "z.loc"), []byte("outside.cdx.gz\t../outside.cdx.gz\n"), 0o644)
	z, err := OpenZipNum(context.Background(), storage.New(storage.Options{}), filepath.Join(sub, "z.idx"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	var errs []string
	for _, err := range z.Lookup(context.Background(), Query{Key: cdxj.Key("http://h1.example.com/"), MatchType: cdxj.MatchDomain}) {
		if err != nil {
			errs = append(errs, err.Error())
		}
	}
	if len(errs) == 0 || !strings.Contains(errs[0], "not a name inside the index's folder") || !strings.Contains(errs[0], "offset") {
		t.Errorf("a part outside the folder: %v", errs)
	}
}

// A local pywb collection with only a ZipNum index answers from it.
func TestCollectionLocalZipNum(t *testing.T) {
	root := t.TempDir()
	coll := filepath.Join(root, "collections", "zn")
	os.MkdirAll(filepath.Join(coll, "archive"), 0o755)
	os.MkdirAll(filepath.Join(coll, "indexes"), 0o755)
	caps := synthetic(500)
	writeZipNum(t, filepath.Join(coll, "indexes"), "index", caps)
	colls, err := OpenCollections(context.Background(), CollectionOptions{Paths: []string{root}})
	if err != nil {
		t.Fatal(err)
	}
	c := colls["zn"]
	if c == nil {
		t.Fatalf("collections: %v", colls)
	}
	got, err := Collect(context.Background(), c, Query{Key: cdxj.Key("http://example.com/"), MatchType: cdxj.MatchDomain})
	if err != nil || len(got) != 500 {
		t.Errorf("%d captures from the ZipNum index, want 500 (err %v)", len(got), err)
	}
}

// A remote part opened by one lookup serves the next ones after that
// lookup's context is cancelled (a replay request's, once served).
func TestZipNumFilePartOutlivesLookup(t *testing.T) {
	dir := t.TempDir()
	caps := synthetic(3000)
	writeZipNum(t, dir, "index", caps)
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	z, err := OpenZipNum(context.Background(), storage.New(storage.Options{BlockSize: 4 << 10, ReadAhead: 4 << 10}), srv.URL+"/index.idx", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	req, cancel := context.WithCancel(context.Background())
	if got, err := Collect(req, z, Query{Key: caps[10].Key}); err != nil || len(got) == 0 {
		t.Fatalf("first lookup: %d, %v", len(got), err)
	}
	cancel()
	for _, c := range []Capture{caps[1500], caps[2900]} {
		if got, err := Collect(context.Background(), z, Query{Key: c.Key}); err != nil || len(got) == 0 {
			t.Errorf("lookup after the first one's context was cancelled: %d, %v", len(got), err)
		}
	}
}
