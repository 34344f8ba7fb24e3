package main

import (
	"bytes"
	"compress/gzip"
	"crypto/x509"
	"encoding/pem"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func captureSite(t *testing.T) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, `<title>Home</title><link rel=stylesheet href="/s.css"><img src="/a.png"><img src="/b.png"><a href="/next">n</a>`)
		case "/s.css":
			w.Header().Set("Content-Type", "text/css")
			io.WriteString(w, `body{background:url(/bg.png)}`)
		case "/next":
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, `next page`)
		case "/robots.txt":
			http.NotFound(w, r)
		default:
			w.Header().Set("Content-Type", "image/png")
			io.WriteString(w, "same image bytes")
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// TestCaptureCommand runs a capture the way a user would and checks that
// its files verify, its index is what `warcbox index` rebuilds, and the
// warcinfo names the options.
func TestCaptureCommand(t *testing.T) {
	s := captureSite(t)
	dir := t.TempDir()
	archive := filepath.Join(dir, "collections", "web", "archive")
	code, out, stderr := runCmd(t, "capture", "-o", archive, "--depth", "1", "--progress", "log", "--exclude", "nothing-matches", s.URL+"/")
	if code != 0 {
		t.Fatalf("capture: exit %d\n%s\n%s", code, out, stderr)
	}
	if !strings.Contains(out, "captured 7 URLs (2 revisits)") {
		t.Errorf("summary:\n%s", out)
	}
	warcs, _ := filepath.Glob(filepath.Join(archive, "*.warc.gz"))
	idx, _ := filepath.Glob(filepath.Join(dir, "collections", "web", "indexes", "*.cdxj"))
	logs, _ := filepath.Glob(filepath.Join(dir, "collections", "web", "logs", "*.jsonl"))
	if len(warcs) != 1 || len(idx) != 1 || len(logs) != 1 {
		t.Fatalf("files: warcs %v, index %v, logs %v", warcs, idx, logs)
	}
	if code, out, _ := runCmd(t, "verify", warcs[0]); code != 0 {
		t.Errorf("verify: exit %d\n%s", code, out)
	}
	rebuilt := filepath.Join(dir, "rebuilt.cdxj")
	if code, _, stderr := runCmd(t, "index", "-o", rebuilt, archive); code != 0 {
		t.Fatalf("index: exit %d %s", code, stderr)
	}
	ours, _ := os.ReadFile(idx[0])
	theirs, _ := os.ReadFile(rebuilt)
	if !bytes.Equal(ours, theirs) || len(ours) == 0 {
		t.Errorf("capture's index differs from `warcbox index`:\n%s\n---\n%s", ours, theirs)
	}
	raw := gunzip(t, warcs[0])
	if !bytes.Contains(raw, []byte("command-line: warcbox capture --depth=1 --exclude=nothing-matches")) {
		t.Errorf("warcinfo does not record the options:\n%s", raw[:600])
	}
}

func gunzip(t *testing.T, path string) []byte {
	t.Helper()
	var buf bytes.Buffer
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(&buf, zr)
	return buf.Bytes()
}

func TestCaptureUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"capture"},
		{"capture", "--scope", "galaxy", "http://127.0.0.1:1/"},
		{"capture", "--digest", "md5", "http://127.0.0.1:1/"},
		{"capture", "--mode", "ftp", "http://127.0.0.1:1/"},
		{"capture", "--include", "(", "http://127.0.0.1:1/"},
		{"capture", "ftp://example.com/"},
		{"capture", "--ca-file", "/nonexistent.pem", "http://127.0.0.1:1/"},
		{"repair"},
	} {
		if code, _, stderr := runCmd(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, stderr)
		}
	}
}

func TestRepairCommand(t *testing.T) {
	s := captureSite(t)
	dir := t.TempDir()
	if code, out, stderr := runCmd(t, "capture", "-q", "-o", filepath.Join(dir, "archive"), s.URL+"/"); code != 0 {
		t.Fatalf("capture: %d %s %s", code, out, stderr)
	}
	warcs, _ := filepath.Glob(filepath.Join(dir, "archive", "*.warc.gz"))
	st, _ := os.Stat(warcs[0])
	os.Truncate(warcs[0], st.Size()-30) // what kill -9 leaves
	if code, _, _ := runCmd(t, "verify", warcs[0]); code != 1 {
		t.Fatalf("verify of a cut file: exit %d, want 1", code)
	}
	code, out, _ := runCmd(t, "repair", warcs[0])
	if code != 0 || !strings.HasPrefix(out, "CUT\t"+warcs[0]) || !strings.Contains(out, "tail saved to") {
		t.Fatalf("repair: exit %d\n%s", code, out)
	}
	if code, out, _ := runCmd(t, "verify", warcs[0]); code != 0 {
		t.Errorf("verify after repair: exit %d\n%s", code, out)
	}
	if code, out, stderr := runCmd(t, "repair", warcs[0]); code != 0 || !strings.HasPrefix(out, "OK") {
		t.Errorf("second repair: exit %d\n%s%s", code, out, stderr)
	}
	// The spool folder a capture killed with -9 leaves beside its WARCs
	// (no process holds its lock) is removed and reported.
	stale := filepath.Join(dir, "archive", ".warcbox-spool-123")
	os.MkdirAll(stale, 0o755)
	os.WriteFile(filepath.Join(stale, "lock"), nil, 0o644)
	os.WriteFile(filepath.Join(stale, "warcbox-spool-9"), make([]byte, 5000), 0o644)
	if code, out, _ := runCmd(t, "repair", "-n", warcs[0]); code != 0 || !strings.Contains(out, "REMOVE\t"+stale+"\twould remove 1 spooled responses (5000 bytes)") {
		t.Errorf("dry run: exit %d\n%s", code, out)
	}
	code, out, _ = runCmd(t, "repair", warcs[0])
	if _, err := os.Stat(stale); code != 0 || !strings.Contains(out, "REMOVED\t"+stale+"\t1 spooled responses (5000 bytes)") || err == nil {
		t.Errorf("repair with a stale spool: exit %d\n%s", code, out)
	}
}

// TestCaptureNothingCaptured: a capture whose seeds all fail exits 1 and
// names only files it wrote.
func TestCaptureNothingCaptured(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := "http://" + ln.Addr().String() + "/"
	ln.Close()
	dir := t.TempDir()
	code, out, stderr := runCmd(t, "capture", "-q", "-o", filepath.Join(dir, "archive"), dead)
	if code != 1 || !strings.Contains(stderr, "no seed was captured") {
		t.Errorf("exit %d, want 1; stderr %s", code, stderr)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		name, path, ok := strings.Cut(line, ":")
		if !ok || name == "captured" {
			continue
		}
		if _, err := os.Stat(strings.TrimSpace(path)); err != nil {
			t.Errorf("summary names a file that does not exist: %q", line)
		}
	}
	if strings.Contains(out, "index:") {
		t.Errorf("summary names an index though nothing was indexed:\n%s", out)
	}
}

func TestCaptureCAFile(t *testing.T) {
	s := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "secure")
	}))
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.StartTLS()
	defer s.Close()
	dir := t.TempDir()
	ca := writeCA(t, dir, s.Certificate())

	code, out, _ := runCmd(t, "capture", "-q", "--json", "-o", filepath.Join(dir, "a", "archive"), s.URL+"/")
	if code != 1 || !strings.Contains(out, `"failed":1`) {
		t.Errorf("untrusted server: exit %d, want 1 (nothing captured) %s", code, out)
	}
	code, out, _ = runCmd(t, "capture", "-q", "--json", "--ca-file", ca, "-o", filepath.Join(dir, "b", "archive"), s.URL+"/")
	if code != 0 || !strings.Contains(out, `"failed":0`) || !strings.Contains(out, `"fetched":2`) {
		t.Errorf("--ca-file: exit %d %s", code, out)
	}
}

// TestProxyPasswordNotInCommandLine: the command line goes into warcinfo;
// a proxy's password must not.
func TestProxyPasswordNotInCommandLine(t *testing.T) {
	cmd := newCaptureCommand(&globalOptions{})
	if err := cmd.ParseFlags([]string{"--proxy=http://alice:s3cret@127.0.0.1:3128", "--depth=1"}); err != nil {
		t.Fatal(err)
	}
	opts := &captureOptions{}
	got := opts.withCommandLine(cmd, []string{"https://example.com/"}).commandLine
	if strings.Contains(got, "s3cret") || !strings.Contains(got, "--proxy=http://alice:xxxxx@127.0.0.1:3128") || !strings.Contains(got, "--depth=1") {
		t.Errorf("command line %q", got)
	}
}

// writeCA writes a test CA's certificate as PEM into dir, for --ca-file.
func writeCA(t *testing.T, dir string, cert *x509.Certificate) string {
	t.Helper()
	ca := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), 0o644); err != nil {
		t.Fatal(err)
	}
	return ca
}
