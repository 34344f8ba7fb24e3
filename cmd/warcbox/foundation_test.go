package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
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
