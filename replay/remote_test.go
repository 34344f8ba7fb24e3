package replay

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/index"
	"github.com/warcbox/warcbox/internal/tests3"
	"github.com/warcbox/warcbox/storage"
	"github.com/warcbox/warcbox/wacz"
)

// remotePages are captures of iana.warc.gz replayed in every remote test:
// a rewritten page and an unrewritten style sheet.
var remotePages = []string{
	"/web/20140126200624/http://www.iana.org/",
	"/web/20140126200625id_/http://www.iana.org/_css/2013.1/screen.css",
}

func serveLocal(t *testing.T, cfg Config) map[string]string {
	t.Helper()
	s, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	out := map[string]string{}
	coll := cfg.Name
	if coll == "" {
		coll = "web"
	}
	for _, p := range remotePages {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, strings.Replace(p, "/web/", "/"+coll+"/", 1), nil))
		if w.Code != 200 {
			t.Fatalf("%s: %d %s", p, w.Code, w.Body.String())
		}
		out[p] = w.Body.String()
	}
	return out
}

func TestReplayWACZOverHTTP(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "iana.wacz")
	if err := wacz.WriteFile(context.Background(), p, wacz.Options{WARCs: []string{filepath.Join(sampleDir(t), "iana.warc.gz")}, Software: "warcbox test"}); err != nil {
		t.Fatal(err)
	}
	var gets, bytesOut atomic.Int64
	fs := http.FileServer(http.Dir(dir))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			gets.Add(1)
		}
		fs.ServeHTTP(&countingWriter{w, &bytesOut}, r)
	}))
	defer srv.Close()
	local := serveLocal(t, Config{Paths: []string{p}, PollInterval: -1})
	st := storage.New(storage.Options{})
	remote := serveLocal(t, Config{Paths: []string{srv.URL + "/iana.wacz"}, PollInterval: -1, Store: st})
	for _, pg := range remotePages {
		if remote[pg] != local[pg] {
			t.Errorf("%s over HTTP differs from the local WACZ (%d vs %d bytes)", pg, len(remote[pg]), len(local[pg]))
		}
	}
	// The package was read by Range, not fetched whole.
	size, _ := os.Stat(p)
	if n := bytesOut.Load(); n >= size.Size() {
		t.Errorf("%d bytes fetched for a %d-byte package: not read by Range", n, size.Size())
	}
}

type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n.Add(int64(len(p)))
	return w.ResponseWriter.Write(p)
}

// A pywb collection layout in a bucket: archive/ and indexes/.
func TestReplayS3Collection(t *testing.T) {
	src := filepath.Join(sampleDir(t), "iana.warc.gz")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	var cdx bytes.Buffer
	sw := cdxj.NewSortedWriter(&cdx, cdxj.SortOptions{})
	if _, err := index.BuildFile(context.Background(), src, index.Options{Filename: "iana.warc.gz"}, func(l *cdxj.Line) error {
		return sw.AddBytes(l.AppendTo(nil))
	}); err != nil {
		t.Fatal(err)
	}
	if err := sw.Close(); err != nil {
		t.Fatal(err)
	}
	srv := tests3.Start(t)
	srv.Bucket(t, "bkt")
	srv.Put(t, "bkt", "coll/archive/iana.warc.gz", data)
	srv.Put(t, "bkt", "coll/indexes/index.cdxj", cdx.Bytes())
	srv.Put(t, "bkt", "bare/archive/iana.warc.gz", data) // no index: indexed by streaming
	// An object shorter than its index says.
	cut := len(data) / 2
	srv.Put(t, "bkt", "cut/archive/iana.warc.gz", data[:cut])
	srv.Put(t, "bkt", "cut/indexes/index.cdxj", cdx.Bytes())

	for _, coll := range []string{"coll", "bare"} {
		local := serveLocal(t, Config{Paths: []string{src}, PollInterval: -1, Name: coll})
		remote := serveLocal(t, Config{Paths: []string{"s3://bkt/" + coll + "/"}, PollInterval: -1, Name: coll})
		for _, pg := range remotePages {
			if remote[pg] != local[pg] {
				t.Errorf("s3://bkt/%s/ %s: %d bytes, local %d", coll, pg, len(remote[pg]), len(local[pg]))
			}
		}
	}

	var logs bytes.Buffer
	s, err := New(context.Background(), Config{Paths: []string{"s3://bkt/cut/"}, PollInterval: -1, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// A capture that lies past the cut.
	var past cdxj.Line
	for l, err := range cdxj.Lines(context.Background(), bytes.NewReader(cdx.Bytes()), "index.cdxj") {
		if err == nil && l.Offset > int64(cut) && l.Status == "200" {
			past = l
			break
		}
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/cut/"+past.Timestamp+"id_/"+past.URL, nil))
	if w.Code == 200 {
		t.Errorf("a record past the end of a cut object was served")
	}
	msg := logs.String() + w.Body.String()
	for _, want := range []string{"s3://bkt/cut/archive/iana.warc.gz", "offset", "object ends before"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the error does not say %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, srv.Secret) {
		t.Errorf("the secret key is in the log")
	}
}
