package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/warcbox/warcbox/internal/testcorpus"

	"github.com/warcbox/warcbox/wacz"
)

func corpus(t *testing.T, rel string) string { return testcorpus.File(t, rel) }

func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestVerifyExitStatus(t *testing.T) {
	good := corpus(t, "pywb/sample_archive/warcs/example.warc.gz")
	bad := corpus(t, "warcio/test/data/example-trunc.warc")
	if code, out, _ := runCmd(t, "verify", good); code != 0 || !strings.HasPrefix(out, "OK") {
		t.Errorf("verify good file: exit %d, output %q", code, out)
	}
	code, out, _ := runCmd(t, "verify", good, bad)
	if code != 1 {
		t.Errorf("verify with a broken file: exit %d, want 1", code)
	}
	if !strings.Contains(out, "FAIL\t"+bad) || !strings.Contains(out, "offset 2560") {
		t.Errorf("report does not name the broken file and offset:\n%s", out)
	}
	code, out, _ = runCmd(t, "verify", "--json", bad)
	var reps []struct {
		File     string
		Findings []struct {
			Offset   int64
			Severity string
		}
	}
	if err := json.Unmarshal([]byte(out), &reps); err != nil || code != 1 || len(reps) != 1 || len(reps[0].Findings) == 0 {
		t.Errorf("verify --json: exit %d, err %v, %s", code, err, out)
	}
}

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

func TestLsAndCat(t *testing.T) {
	f := corpus(t, "pywb/sample_archive/warcs/example.warc.gz")
	code, out, _ := runCmd(t, "ls", f)
	if code != 0 || !strings.Contains(out, "333     1043    response  2014-01-03T03:03:21Z  http://example.com?example=1") {
		t.Errorf("ls: exit %d\n%s", code, out)
	}
	code, out, _ = runCmd(t, "cat", f, "--offset", "333", "--payload")
	if code != 0 || !strings.HasPrefix(out, "<!doctype html>") {
		t.Errorf("cat --payload: exit %d, %.40q", code, out)
	}
	code, out, _ = runCmd(t, "cat", f, "--offset", "333")
	if code != 0 || !strings.HasPrefix(out, "WARC/1.0\r\nWARC-Type: response\r\n") || !strings.Contains(out, "HTTP/1.1 200 OK") {
		t.Errorf("cat: exit %d, %.80q", code, out)
	}
	if code, _, stderr := runCmd(t, "cat", f, "--offset", "10"); code != 1 || stderr == "" {
		t.Errorf("cat at a bad offset: exit %d, stderr %q", code, stderr)
	}
	if code, _, _ := runCmd(t, "ls"); code != 2 {
		t.Errorf("ls without a file: exit %d, want 2 (usage)", code)
	}
}

func TestKeygenAndVerifyWACZ(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "key.pem")
	code, pub, stderr := runCmd(t, "keygen", "-o", key)
	if code != 0 || len(strings.TrimSpace(pub)) < 80 {
		t.Fatalf("keygen: exit %d, %q %q", code, pub, stderr)
	}
	if code, _, _ := runCmd(t, "keygen", "-o", key); code != 1 {
		t.Errorf("keygen over an existing key: exit %d, want 1", code)
	}
	st, _ := os.Stat(key)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", st.Mode().Perm())
	}
	k, err := wacz.LoadKey(key)
	if err != nil {
		t.Fatal(err)
	}
	pkg := filepath.Join(dir, "p.wacz")
	err = wacz.WriteFile(context.Background(), pkg, wacz.Options{
		WARCs: []string{corpus(t, "pywb/sample_archive/warcs/example.warc.gz")}, Software: "test", Key: k})
	if err != nil {
		t.Fatal(err)
	}
	if code, out, _ := runCmd(t, "verify", "--trusted-key", strings.TrimSpace(pub), "--require-signature", pkg); code != 0 || !strings.HasPrefix(out, "OK\t"+pkg+"\tWACZ") {
		t.Errorf("verify signed package: exit %d\n%s", code, out)
	}
	other := filepath.Join(dir, "other.pem")
	_, otherPub, _ := runCmd(t, "keygen", "-o", other)
	if code, out, _ := runCmd(t, "verify", "--trusted-key", strings.TrimSpace(otherPub), pkg); code != 1 || !strings.Contains(out, "not the trusted key") {
		t.Errorf("verify with another trusted key: exit %d\n%s", code, out)
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
