package evalset

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadPage(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "tests", "cache"), 0o755); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte("<html>page</html>"))
	zw.Close()
	if err := os.WriteFile(filepath.Join(dir, "tests", "cache", "a.html.gz"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tests", "cache", "bad.html.gz"), []byte("not gzip"), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := ReadPage(dir, "a.html")
	if err != nil || string(b) != "<html>page</html>" {
		t.Fatalf("ReadPage = %q, %v", b, err)
	}
	if _, err := ReadPage(dir, "missing.html"); err == nil || !strings.Contains(err.Error(), "missing.html") {
		t.Errorf("missing page: err %v, want one naming the file", err)
	}
	if _, err := ReadPage(dir, "bad.html"); err == nil || !strings.Contains(err.Error(), "bad.html.gz") {
		t.Errorf("broken page: err %v, want one naming the file", err)
	}
}

func TestDefaultDirOnlyBesideTheCheckout(t *testing.T) {
	root := t.TempDir()
	repo := filepath.Join(root, "repo")
	pkg := filepath.Join(repo, "bench", "evalset")
	elsewhere := filepath.Join(root, "x", "y", "z", "elsewhere")
	for _, d := range []string{filepath.Join(root, "shared", "extract-eval"), pkg, elsewhere} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct{ cwd, want string }{
		{repo, "../shared/extract-eval"},
		{filepath.Join(repo, "bench"), "../../shared/extract-eval"},
		{pkg, "../../../shared/extract-eval"},
		// No set beside this folder: the relative default, which a run then
		// reports as missing, not some other clone's or machine's copy.
		{elsewhere, "../shared/extract-eval"},
	} {
		t.Chdir(c.cwd)
		if got := DefaultDir(); got != c.want {
			t.Errorf("DefaultDir() from %s = %q, want %q", c.cwd, got, c.want)
		}
	}
}
