package replay

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// TestURNResourcesReplay: a browser capture's screenshot and rendered DOM
// (resource records named urn:screenshot:<url> and urn:dom:<url>) are
// served by their URN.
func TestURNResourcesReplay(t *testing.T) {
	dir := t.TempDir()
	png := "\x89PNG\r\n\x1a\nnot really a png"
	rec := func(uri, ct, body string) string {
		return fmt.Sprintf("WARC/1.1\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:uuid:%x>\r\nWARC-Date: 2026-11-24T10:00:00Z\r\nWARC-Target-URI: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n",
			len(uri)+len(body), uri, ct, len(body), body)
	}
	data := rec("urn:screenshot:https://site.test/", "image/png", png) + rec("urn:dom:https://site.test/", "text/html", "<html><body>rendered text</body></html>")
	if err := os.WriteFile(filepath.Join(dir, "b.warc"), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := New(ctx, Config{Paths: []string{dir}, Name: "c", PollInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv := httptest.NewServer(s)
	defer srv.Close()
	resp, body := get(t, srv.URL+"/c/20261124100000id_/urn:screenshot:https://site.test/")
	if resp.StatusCode != 200 || body != png || resp.Header.Get("Content-Type") != "image/png" {
		t.Errorf("screenshot: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	resp, body = get(t, srv.URL+"/c/20261124100000id_/urn:dom:https://site.test/")
	if resp.StatusCode != 200 || body != "<html><body>rendered text</body></html>" {
		t.Errorf("dom: %d %q", resp.StatusCode, body)
	}
	if resp.Header.Get("Content-Security-Policy") != pageCSP {
		t.Errorf("URN resource served without the replay pageCSP")
	}
}
