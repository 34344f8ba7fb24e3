package warc

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/warcbox/warcbox/internal/testcorpus"
	"github.com/warcbox/warcbox/internal/tests3"
	"github.com/warcbox/warcbox/storage"
)

// remoteFixture lays out a folder with a WARC, a WACZ holding the same
// WARC (stored, as the spec asks) and a file that is not an archive.
func remoteFixture(t *testing.T) (dir string, warcBytes []byte) {
	t.Helper()
	src := testcorpus.File(t, "pywb/sample_archive/warcs/iana.warc.gz")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
	os.WriteFile(filepath.Join(dir, "sub", "iana.warc.gz"), data, 0o644)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not an archive"), 0o644)
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "archive/iana.warc.gz", Method: zip.Store})
	w.Write(data)
	w, _ = zw.Create("datapackage.json")
	w.Write([]byte(`{"resources":[]}`))
	zw.Close()
	os.WriteFile(filepath.Join(dir, "a.wacz"), zb.Bytes(), 0o644)
	return dir, data
}

type recSummary struct {
	off  int64
	size int64
	typ  string
	uri  string
}

func readAll(t *testing.T, r *Reader) []recSummary {
	t.Helper()
	defer r.Close()
	var out []recSummary
	for rec, err := range r.Records() {
		if err != nil {
			t.Fatalf("%s: %v", r.File(), err)
		}
		body, _ := io.ReadAll(rec.Body)
		out = append(out, recSummary{rec.Offset, int64(len(body)), rec.Type(), rec.TargetURI()})
	}
	// Size is set after moving past a record: compare offsets, types,
	// URIs and block lengths.
	return out
}

func checkRemote(t *testing.T, base string, opt Options, local []recSummary) {
	ctx := context.Background()
	inputs, err := ExpandContext(ctx, []string{base}, nil, opt)
	if err != nil {
		t.Fatalf("expand %s: %v", base, err)
	}
	var names []string
	for _, in := range inputs {
		names = append(names, strings.TrimPrefix(in.Name, base))
	}
	if want := "a.wacz#archive/iana.warc.gz sub/iana.warc.gz"; strings.Join(names, " ") != want {
		t.Fatalf("expand %s = %v, want %s", base, names, want)
	}
	for _, in := range inputs {
		r, err := OpenContext(ctx, in.Path+map[bool]string{true: MemberSep + in.Member}[in.Member != ""], opt)
		if err != nil {
			t.Fatal(err)
		}
		if r.File() != in.Name {
			t.Errorf("reader names %q, want %q", r.File(), in.Name)
		}
		got := readAll(t, r)
		if fmt.Sprint(got) != fmt.Sprint(local) {
			t.Errorf("%s: records differ from the local file:\n%v\n%v", in.Name, got, local)
		}
		// Random access to the last record, as replay reads it.
		last := local[len(local)-1]
		ra, c, err := OpenFileContext(ctx, in.Name, opt)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := ReadAtFile(ra, last.off, in.Name)
		if err != nil || rec.TargetURI() != last.uri {
			t.Errorf("%s: ReadAt %d: %v", in.Name, last.off, err)
		}
		c.Close()
	}
}

func TestRemoteHTTP(t *testing.T) {
	dir, _ := remoteFixture(t)
	local := readAll(t, mustOpen(t, filepath.Join(dir, "sub", "iana.warc.gz")))
	var gets atomic.Int64
	fs := http.FileServer(http.Dir(dir))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			gets.Add(1)
		}
		fs.ServeHTTP(w, r)
	}))
	defer srv.Close()
	opt := Options{Store: storage.New(storage.Options{})}
	checkRemote(t, srv.URL+"/", opt, local)

	// cat --offset: one request for one record.
	last := local[len(local)-1]
	before := gets.Load()
	rec, c, err := ReadRecordAt(context.Background(), srv.URL+"/sub/iana.warc.gz", last.off, opt)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(rec.Body)
	c.Close()
	if rec.TargetURI() != last.uri || int64(len(body)) != last.size {
		t.Errorf("ReadRecordAt: %s, %d bytes", rec.TargetURI(), len(body))
	}
	if n := gets.Load() - before; n != 1 {
		t.Errorf("ReadRecordAt made %d requests, want 1", n)
	}

	// A missing URL is reported by name; the other inputs still come.
	inputs, err := ExpandContext(context.Background(), []string{srv.URL + "/gone.warc.gz", srv.URL + "/sub/iana.warc.gz"}, nil, opt)
	var ie *InputError
	if len(inputs) != 1 || !errors.As(err, &ie) || ie.Path != srv.URL+"/gone.warc.gz" || !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("expand with a 404: %v, %v", inputs, err)
	}
}

func TestRemoteS3(t *testing.T) {
	dir, _ := remoteFixture(t)
	local := readAll(t, mustOpen(t, filepath.Join(dir, "sub", "iana.warc.gz")))
	srv := tests3.Start(t)
	srv.Bucket(t, "coll")
	srv.PutDir(t, "coll", "crawl", dir)
	opt := Options{Store: storage.New(storage.Options{})}
	checkRemote(t, "s3://coll/crawl/", opt, local)

	inputs, err := ExpandContext(context.Background(), []string{"s3://coll/nothing-here/", "s3://missing-bucket/x/"}, nil, opt)
	if len(inputs) != 0 || !errors.Is(err, ErrNoInputs) || !errors.Is(err, storage.ErrNoBucket) || !strings.Contains(err.Error(), "s3://coll/nothing-here/: no WARC") {
		t.Errorf("expand of empty prefix and missing bucket: %v, %v", inputs, err)
	}
}

func mustOpen(t *testing.T, p string) *Reader {
	r, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}
