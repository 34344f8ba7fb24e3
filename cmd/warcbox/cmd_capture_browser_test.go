package main

import (
	"archive/zip"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warcbox/warcbox/internal/testbrowser"
	"github.com/warcbox/warcbox/warc"
)

// TestCaptureBrowserSignedWACZ is the command line end to end:
// capture --browser --wacz --sign-key on a page that loads content by
// script gives a signed package that verify accepts, holding the script's
// fetch, the screenshot and the rendered DOM.
func TestCaptureBrowserSignedWACZ(t *testing.T) {
	testbrowser.Path(t)
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, `<!doctype html><title>Scripted</title><div id=out></div>
<script>fetch('/data.json').then(r => r.json()).then(d => { document.getElementById('out').textContent = d.msg; });</script>`)
		case "/data.json":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"msg":"inserted by script"}`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer site.Close()
	dir := t.TempDir()
	key := filepath.Join(dir, "key.pem")
	if code, _, _ := runCmd(t, "keygen", "-o", key); code != 0 {
		t.Fatal("keygen failed")
	}
	pkg := filepath.Join(dir, "page.wacz")
	code, out, stderr := runCmd(t, "capture", "--browser", "--wacz", pkg, "--sign-key", key, "--timeout", "60s",
		"-o", filepath.Join(dir, "web", "archive"), site.URL+"/")
	if code != 0 {
		t.Fatalf("capture --browser: exit %d\n%s\n%s", code, out, stderr)
	}
	if code, out, _ := runCmd(t, "verify", "--require-signature", pkg); code != 0 {
		t.Fatalf("verify: exit %d\n%s", code, out)
	}
	zr, err := zip.OpenReader(pkg)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var found = map[string]bool{}
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "archive/") {
			continue
		}
		rc, _ := zf.Open()
		r := warc.NewReader(rc, warc.Options{})
		for rec, err := range r.Records() {
			if err != nil {
				t.Fatal(err)
			}
			u := rec.TargetURI()
			switch {
			case rec.Type() == "response" && u == site.URL+"/data.json":
				found["fetch"] = true
			case rec.Type() == "resource" && strings.HasPrefix(u, "urn:screenshot:"):
				found["screenshot"] = true
			case rec.Type() == "resource" && strings.HasPrefix(u, "urn:dom:"):
				b, _ := io.ReadAll(rec.Body)
				found["dom"] = strings.Contains(string(b), "inserted by script")
			}
		}
		rc.Close()
	}
	for _, k := range []string{"fetch", "screenshot", "dom"} {
		if !found[k] {
			t.Errorf("package lacks the %s record (found %v)", k, found)
		}
	}
	rc, _ := zr.Open("pages/pages.jsonl")
	b, _ := io.ReadAll(rc)
	if !strings.Contains(string(b), `"title":"Scripted"`) || !strings.Contains(string(b), `"text":"inserted by script"`) {
		t.Errorf("pages.jsonl: %s", b)
	}
}
