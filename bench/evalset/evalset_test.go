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
