package fdcount

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/warcbox/warcbox/internal/testneed"
)

// A descriptor is counted under its folder and on its path while open,
// as deleted once its file is replaced, and not at all once closed; a
// sibling folder sharing the name's prefix is not "under" dir.
func TestCounts(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "a")
	sibling := filepath.Join(root, "ab")
	for _, d := range []string{dir, sibling} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(dir, "x")
	if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	q := filepath.Join(sibling, "y")
	if err := os.WriteFile(q, []byte("y"), 0o644); err != nil {
		t.Fatal(err)
	}
	if n := Under(t, dir); n != 0 {
		t.Fatalf("before opening: %d descriptors under %s, want 0", n, dir)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g, err := os.Open(q)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if n := Under(t, dir); n != 1 {
		t.Errorf("Under(%s) = %d, want 1", dir, n)
	}
	if n := Under(t, dir+"/"); n != 1 {
		t.Errorf("Under(%s/) = %d, want 1", dir, n)
	}
	if cur, del := On(t, p); cur != 1 || del != 0 {
		t.Errorf("On(open file) = %d, %d; want 1, 0", cur, del)
	}
	if err := os.WriteFile(p+".tmp", []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(p+".tmp", p); err != nil {
		t.Fatal(err)
	}
	if cur, del := On(t, p); cur != 0 || del != 1 {
		t.Errorf("On(replaced file) = %d, %d; want 0, 1", cur, del)
	}
	f.Close()
	if cur, del := On(t, p); cur != 0 || del != 0 {
		t.Errorf("On(after close) = %d, %d; want 0, 0", cur, del)
	}
	if n := Under(t, dir); n != 0 {
		t.Errorf("after close: Under(%s) = %d, want 0", dir, n)
	}
}

// Without /proc a test skips, but under CI=true it fails.
func TestMissingProcFailsUnderCI(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-proc")
	for _, ci := range []string{"", "true"} {
		t.Setenv("CI", ci)
		r := &testneed.Recorder{TB: t}
		if got := targets(r, missing); got != nil {
			t.Errorf("CI=%q: targets = %v, want nil", ci, got)
		}
		if ci == "true" && (r.FatalMsg == "" || r.SkipMsg != "") {
			t.Errorf("CI=true: failed %q, skipped %q; want a failure", r.FatalMsg, r.SkipMsg)
		}
		if ci == "" && (r.SkipMsg == "" || r.FatalMsg != "") {
			t.Errorf("CI unset: failed %q, skipped %q; want a skip", r.FatalMsg, r.SkipMsg)
		}
	}
}
