package main

import (
	"archive/zip"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warcbox/warcbox/wacz"
)

// TestCaptureSignedWACZ: capture --wacz --sign-key gives a package that
// verify accepts with the signer's key and that holds the capture's pages.
func TestCaptureSignedWACZ(t *testing.T) {
	s := captureSite(t)
	dir := t.TempDir()
	key := filepath.Join(dir, "key.pem")
	code, pub, _ := runCmd(t, "keygen", "-o", key)
	if code != 0 {
		t.Fatal("keygen failed")
	}
	// P-384 by default: the curve ReplayWeb.page verifies.
	if k, err := wacz.LoadKey(key); err != nil || k.Curve.Params().Name != "P-384" {
		t.Fatalf("keygen's default key: %v %v", k.Curve.Params().Name, err)
	}
	pkg := filepath.Join(dir, "page.wacz")
	code, out, stderr := runCmd(t, "capture", "-o", filepath.Join(dir, "c", "web", "archive"), "--progress", "log",
		"--wacz", pkg, "--sign-key", key, "--title", "evidence", s.URL+"/")
	if code != 0 || !strings.Contains(out, "wacz:  "+pkg) {
		t.Fatalf("capture: exit %d\n%s\n%s", code, out, stderr)
	}
	code, out, _ = runCmd(t, "verify", "--require-signature", "--trusted-key", strings.TrimSpace(pub), pkg)
	if code != 0 || !strings.HasPrefix(out, "OK\t"+pkg+"\tWACZ") || !strings.Contains(out, "signed") {
		t.Fatalf("verify: exit %d\n%s", code, out)
	}
	zr, err := zip.OpenReader(pkg)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	rc, err := zr.Open("pages/pages.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	if !strings.Contains(string(b), `"url":"`+s.URL+`/"`) || !strings.Contains(string(b), `"title":"Home"`) {
		t.Errorf("pages.jsonl lacks the seed page and its title:\n%s", b)
	}
	if code, _, _ := runCmd(t, "capture", "--sign-key", key, s.URL+"/"); code != 2 {
		t.Errorf("--sign-key without --wacz: exit %d, want 2", code)
	}
}
