package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/warcbox/warcbox/internal/tests3"
	"github.com/warcbox/warcbox/wacz"
)

// remoteCollection lays out a small collection on disk and in versitygw
// under s3://coll/crawl/.
func remoteCollection(t *testing.T) (dir string, srv *tests3.Server) {
	t.Helper()
	dir = t.TempDir()
	for _, f := range []string{"pywb/sample_archive/warcs/iana.warc.gz", "pywb/sample_archive/warcs/example.warc.gz",
		"pywb/sample_archive/warcs/example-url-agnostic-orig.warc.gz", "pywb/sample_archive/warcs/example-url-agnostic-revisit.warc.gz"} {
		data, err := os.ReadFile(corpus(t, f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, filepath.Base(f)), data, 0o644)
	}
	srv = tests3.Start(t)
	srv.Bucket(t, "coll")
	srv.PutDir(t, "coll", "crawl", dir)
	return dir, srv
}

// sameBut compares two outputs after replacing the local folder and the
// remote prefix by one token.
func sameBut(t *testing.T, what, local, remote, dir, prefix string) {
	t.Helper()
	l := strings.ReplaceAll(local, dir+"/", "@/")
	r := strings.ReplaceAll(remote, prefix, "@/")
	if l != r {
		t.Errorf("%s: remote output differs from local\nlocal:  %.600s\nremote: %.600s", what, l, r)
	}
	if len(strings.TrimSpace(l)) == 0 {
		t.Errorf("%s: no output", what)
	}
}

func TestCommandsReadS3(t *testing.T) {
	dir, srv := remoteCollection(t)
	const prefix = "s3://coll/crawl/"
	for _, args := range [][]string{
		{"ls"},
		{"index"},
		{"extract", "--no-body", "--workers", "2"},
	} {
		code, local, stderr := runCmd(t, append(args, dir)...)
		if code != 0 {
			t.Fatalf("%s local: exit %d: %s", args[0], code, stderr)
		}
		code, remote, stderr := runCmd(t, append(args, prefix)...)
		if code != 0 {
			t.Fatalf("%s %s: exit %d: %s", args[0], prefix, code, stderr)
		}
		sameBut(t, args[0], local, remote, dir, prefix)
	}
	// One record by offset, and a file verified, from S3.
	code, out, _ := runCmd(t, "ls", filepath.Join(dir, "iana.warc.gz"))
	if code != 0 {
		t.Fatal(out)
	}
	off := regexp.MustCompile(`(?m)^(\d+)\s+\d+\s+response`).FindStringSubmatch(out)[1]
	_, local, _ := runCmd(t, "cat", "--offset", off, "--payload", filepath.Join(dir, "iana.warc.gz"))
	code, remote, stderr := runCmd(t, "cat", "--offset", off, "--payload", prefix+"iana.warc.gz")
	if code != 0 || remote != local || len(local) == 0 {
		t.Errorf("cat --offset %s from S3: exit %d, %d bytes (local %d): %s", off, code, len(remote), len(local), stderr)
	}
	code, out, stderr = runCmd(t, "verify", prefix+"example.warc.gz")
	if code != 0 || !strings.Contains(out, "OK") {
		t.Errorf("verify from S3: exit %d: %s %s", code, out, stderr)
	}
	// --s3-endpoint in place of AWS_ENDPOINT_URL.
	t.Setenv("AWS_ENDPOINT_URL", "")
	code, out, stderr = runCmd(t, "--s3-endpoint", srv.Endpoint, "ls", prefix+"example.warc.gz")
	if code != 0 || !strings.Contains(out, "http://example.com?example=1") {
		t.Errorf("ls with --s3-endpoint: exit %d: %s %s", code, out, stderr)
	}
}

func TestCommandsReportBadRemoteInputs(t *testing.T) {
	dir, srv := remoteCollection(t)
	_ = dir
	good := "s3://coll/crawl/example.warc.gz"
	for _, args := range [][]string{{"ls"}, {"index"}, {"extract", "--no-body"}} {
		code, out, stderr := runCmd(t, append(args, "s3://coll/crawl/missing.warc.gz", "s3://no-such-bucket/x/", good)...)
		if code != 1 {
			t.Errorf("%s: exit %d, want 1", args[0], code)
		}
		if !strings.Contains(out, "example.com") {
			t.Errorf("%s: the good input was not read: %q", args[0], out)
		}
		for _, want := range []string{"s3://coll/crawl/missing.warc.gz", "not found", "s3://no-such-bucket/x/", "no such bucket"} {
			if !strings.Contains(stderr, want) {
				t.Errorf("%s: stderr does not say %q: %s", args[0], want, stderr)
			}
		}
	}
	// Wrong credentials: refused, named, and the secret shows nowhere.
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wrong-secret-d0-not-show")
	code, out, stderr := runCmd(t, "-v", "extract", "--no-body", good)
	if code != 1 || !strings.Contains(stderr, good) || !strings.Contains(stderr, "credentials") {
		t.Errorf("wrong secret: exit %d: %s", code, stderr)
	}
	for _, s := range []string{"wrong-secret", srv.Secret} {
		if strings.Contains(out+stderr, s) {
			t.Errorf("a secret appears in the output: %s", s)
		}
	}
	// cat past the end of the object.
	t.Setenv("AWS_SECRET_ACCESS_KEY", srv.Secret)
	code, _, stderr = runCmd(t, "cat", "--offset", "99999999", good)
	if code != 1 || !strings.Contains(stderr, good) || !strings.Contains(stderr, "99999999") {
		t.Errorf("cat past the end: exit %d: %s", code, stderr)
	}
}

// verify reads a WACZ from S3 (signature, hashes and WARCs, by Range), and
// a password in an https URL shows nowhere when the URL fails.
func TestVerifyRemoteWACZAndHiddenPasswords(t *testing.T) {
	dir, srv := remoteCollection(t)
	p := filepath.Join(t.TempDir(), "x.wacz")
	if err := wacz.WriteFile(context.Background(), p, wacz.Options{WARCs: []string{filepath.Join(dir, "example.warc.gz")}, Software: "warcbox test"}); err != nil {
		t.Fatal(err)
	}
	srv.PutFile(t, "coll", "pkg/x.wacz", p)
	code, out, stderr := runCmd(t, "verify", "s3://coll/pkg/x.wacz")
	if code != 0 || !strings.Contains(out, "OK") {
		t.Errorf("verify s3 WACZ: exit %d: %s %s", code, out, stderr)
	}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }))
	defer hs.Close()
	url := strings.Replace(hs.URL, "http://", "http://reader:pa55w0rd-hidden@", 1) + "/gone.warc.gz"
	for _, args := range [][]string{{"ls", url}, {"extract", url}, {"cat", "--offset", "0", url}, {"verify", url}} {
		code, out, stderr := runCmd(t, append([]string{"-v"}, args...)...)
		if code != 1 || !strings.Contains(out+stderr, "gone.warc.gz") || strings.Contains(out+stderr, "pa55w0rd") {
			t.Errorf("%s of a 404 with a password in the URL: exit %d, stderr %q", args[0], code, stderr)
		}
	}
}

// A server that resets every connection after 1 MB: streams resume by
// Range and the output is the same as from disk.
func TestCommandsResumeBrokenHTTPStreams(t *testing.T) {
	src := corpus(t, "jwat/jwat-warc/src/test/resources/IAH-20080430204825-00000-blackbook.warc.gz")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	var gets int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			gets++
			w = &resetAfter{ResponseWriter: w, left: 1 << 20}
		}
		http.ServeContent(w, r, "x.warc.gz", time.Unix(0, 0), bytes.NewReader(data))
	}))
	defer srv.Close()
	url := srv.URL + "/IAH.warc.gz"
	// ls reads through warc.OpenContext as index and extract do.
	for _, args := range [][]string{{"ls"}} {
		_, local, _ := runCmd(t, append(args, src)...)
		gets = 0
		code, remote, stderr := runCmd(t, append(args, url)...)
		if code != 0 {
			t.Fatalf("%s over resets: exit %d: %s", args[0], code, stderr)
		}
		sameBut(t, args[0], strings.ReplaceAll(local, src, "@/IAH.warc.gz"), remote, "@", srv.URL+"/")
		if gets < 3 {
			t.Errorf("%s: %d GETs for a 2.4 MB file cut every 1 MB: the resets did not happen", args[0], gets)
		}
	}
}

type resetAfter struct {
	http.ResponseWriter
	left int
}

func (w *resetAfter) Write(p []byte) (int, error) {
	if len(p) > w.left {
		w.ResponseWriter.Write(p[:w.left])
		w.ResponseWriter.(http.Flusher).Flush()
		panic(http.ErrAbortHandler)
	}
	w.left -= len(p)
	return w.ResponseWriter.Write(p)
}
