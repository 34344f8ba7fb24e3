package replay

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
)

func benchServer(b *testing.B) *Server {
	d := sampleDir(b)
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)
	s, err := New(ctx, Config{Paths: []string{filepath.Join(d, "iana.warc.gz")}, PollInterval: -1})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() }) // stops the search build and removes its temporary folder
	return s
}

func benchServe(b *testing.B, path string) {
	s := benchServer(b)
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for b.Loop() {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("%s: %d", path, w.Code)
		}
		io.Copy(io.Discard, w.Body)
	}
}

// BenchmarkServeHTML is one rewritten page (the IANA home page, 28 KB).
func BenchmarkServeHTML(b *testing.B) { benchServe(b, "/web/20140126200624/http://www.iana.org/") }

// BenchmarkServeIdent is one unrewritten payload (a 47 KB style sheet).
func BenchmarkServeIdent(b *testing.B) {
	benchServe(b, "/web/20140126200625id_/http://www.iana.org/_css/2013.1/screen.css")
}

// BenchmarkServeRevisit resolves a revisit to its original in another file.
func BenchmarkServeRevisit(b *testing.B) {
	benchServe(b, "/web/20140126200653id_/http://www.iana.org/_css/2013.1/screen.css")
}
