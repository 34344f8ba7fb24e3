package replay

import (
	"context"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warcbox/warcbox/internal/testcorpus"
	"github.com/warcbox/warcbox/warc"
)

// TestCorpusReplay serves every WARC/ARC file of the shared corpus (files
// from warcio, jwarc, JWAT, webarchive-commons, gowarc, warcat, pywb,
// whirlwind…, well-formed and malformed) and asks for each capture in the
// rewritten and id_ modes: nothing may answer 5xx or panic, and most
// captures must replay.
func TestCorpusReplay(t *testing.T) {
	root := testcorpus.Dir(t)
	var files []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		n := strings.ToLower(d.Name())
		if strings.Contains(n, ".wat") || strings.Contains(n, ".wet") {
			return nil
		}
		if fi, err := d.Info(); err == nil && fi.Size() < 30<<20 && (warc.IsArchiveFile(n) || strings.HasSuffix(n, ".warc.gz.bad")) {
			files = append(files, p)
		}
		return nil
	})
	if len(files) < 50 {
		t.Fatalf("only %d corpus files found", len(files))
	}
	total, ok := 0, 0
	for _, f := range files {
		ctx, cancel := context.WithCancel(context.Background())
		s, err := New(ctx, Config{Paths: []string{f}, PollInterval: -1})
		if err != nil {
			cancel()
			t.Errorf("%s: %v", f, err)
			continue
		}
		n := 0
		for cp := range s.collection("web").Indexed() {
			if n >= 40 {
				break
			}
			n++
			for _, mod := range []string{"", "id_"} {
				if cp.Method != "" {
					continue // POSTs are covered by TestPostMatchedByBody
				}
				path := "/web/" + cp.Timestamp + mod + "/" + cp.URL
				if !strings.HasPrefix(cp.URL, "http://") && !strings.HasPrefix(cp.URL, "https://") {
					continue // dns:, urn:, filedesc: records are not web pages
				}
				req, err := http.NewRequest(http.MethodGet, "http://replay.test/", nil)
				if err != nil {
					t.Fatal(err)
				}
				// the target exactly as a browser sends it (not re-encoded)
				req.RequestURI = path
				if u, err := req.URL.Parse(path); err == nil {
					req.URL = u
				}
				w := httptest.NewRecorder()
				s.ServeHTTP(w, req)
				total++
				if w.Code >= 500 {
					t.Errorf("%s: %s: %d %s", filepath.Base(f), path, w.Code, w.Body.String())
				}
				if w.Code < 400 {
					ok++
				} else if testing.Verbose() {
					t.Logf("%s: %s: %d", filepath.Base(f), path, w.Code)
				}
			}
		}
		s.Close()
		cancel()
	}
	t.Logf("%d files, %d requests, %d answered below 400", len(files), total, ok)
	if total == 0 || ok*10 < total*8 {
		t.Errorf("only %d of %d corpus captures replayed", ok, total)
	}
}
