package main

import (
	"archive/zip"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/warcbox/warcbox/wacz"
)

func TestIndexWritesSortedCDXJ(t *testing.T) {
	dir := filepath.Dir(corpus(t, "pywb/sample_archive/warcs/example.warc.gz"))
	outFile := filepath.Join(t.TempDir(), "all.cdxj")
	code, _, stderr := runCmd(t, "index", "-o", outFile, dir)
	if code != 0 {
		t.Fatalf("index exit %d: %s", code, stderr)
	}
	b, _ := os.ReadFile(outFile)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) < 200 {
		t.Fatalf("only %d lines for pywb's sample archive", len(lines))
	}
	for i := 1; i < len(lines); i++ {
		if lines[i-1] > lines[i] {
			t.Fatalf("not sorted at line %d", i)
		}
	}
	// Broken files in the folder are reported, not fatal.
	if !strings.Contains(stderr, "example-extra.warc") && !strings.Contains(stderr, "example.warc") {
		t.Errorf("no report of the folder's malformed records on stderr: %q", stderr)
	}
	if code, _, _ := runCmd(t, "index", "--strict", filepath.Join(dir, "example.warc")); code != 1 {
		t.Errorf("index --strict on a malformed file: exit %d, want 1", code)
	}
}

// TestCommandsReadWACZ: index, ls and cat take a WACZ package as the WARC
// files in it. The index must equal the package's own, ls must show the
// records with offsets cat can use, and a deflated member is read in
// sequence by index and ls but refused by cat (no offset reaches it).
func TestCommandsReadWACZ(t *testing.T) {
	dir := t.TempDir()
	pkg := filepath.Join(dir, "iana.wacz")
	if err := wacz.WriteFile(context.Background(), pkg, wacz.Options{WARCs: []string{corpus(t, "pywb/sample_archive/warcs/iana.warc.gz")}, Software: "test"}); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(pkg)
	if err != nil {
		t.Fatal(err)
	}
	var own []byte
	for _, f := range zr.File {
		if f.Name == "indexes/index.cdxj" {
			rc, _ := f.Open()
			own, _ = io.ReadAll(rc)
			rc.Close()
		}
	}
	zr.Close()
	code, out, stderr := runCmd(t, "index", pkg)
	if code != 0 || out != string(own) || len(own) == 0 {
		t.Fatalf("index of the package: exit %d (%s), %d bytes, want its own index of %d bytes", code, stderr, len(out), len(own))
	}

	code, out, stderr = runCmd(t, "ls", "--json", pkg)
	if code != 0 {
		t.Fatalf("ls: exit %d: %s", code, stderr)
	}
	member := pkg + "#archive/iana.warc.gz"
	var offset int64 = -1
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var row struct {
			File      string
			Offset    int64
			Type      string
			TargetURI string `json:"target_uri"`
		}
		if err := json.Unmarshal([]byte(line), &row); err != nil {
			t.Fatalf("ls --json line %q: %v", line, err)
		}
		if row.File != member {
			t.Errorf("ls row names %q, want %q", row.File, member)
		}
		if row.Type == "response" && offset < 0 {
			offset = row.Offset
		}
	}
	if offset < 0 {
		t.Fatalf("ls found no response in the package:\n%s", out)
	}
	code, out, stderr = runCmd(t, "cat", member, "--offset", strconv.FormatInt(offset, 10))
	if code != 0 || !strings.HasPrefix(out, "WARC/1.0\r\nWARC-Type: response\r\n") {
		t.Errorf("cat the member at %d: exit %d (%s), %.80q", offset, code, stderr, out)
	}

	// The same WARC deflated in a zip, which the spec does not allow but
	// other writers produce.
	deflated := filepath.Join(dir, "deflated.wacz")
	df, _ := os.Create(deflated)
	zw := zip.NewWriter(df)
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "archive/iana.warc.gz", Method: zip.Deflate})
	b, _ := os.ReadFile(corpus(t, "pywb/sample_archive/warcs/iana.warc.gz"))
	w.Write(b)
	zw.Close()
	df.Close()
	if code, out, stderr := runCmd(t, "index", deflated); code != 0 || out != string(own) {
		t.Errorf("index of a deflated member: exit %d (%s), differs from the stored one", code, stderr)
	}
	if code, _, stderr := runCmd(t, "cat", deflated+"#archive/iana.warc.gz", "--offset", strconv.FormatInt(offset, 10)); code == 0 || !strings.Contains(stderr, "cannot be reached by offset") {
		t.Errorf("cat of a deflated member: exit %d, %q", code, stderr)
	}
}
