package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// capture writes sha256 digests by default; replay compared a revisit's
// "sha256:…" with the index's unlabelled digest and never found the
// original ("Original missing"). Here the page repeats robots.txt's bytes,
// so it is a revisit of another URL; the same held for any revisit.
func TestReplaySHA256RevisitOfAnotherURL(t *testing.T) {
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<!doctype html><title>same</title><p>the same bytes at every path</p>`)
	}))
	defer site.Close()
	archive := filepath.Join(t.TempDir(), "web", "archive")
	if code, out, stderr := runCmd(t, "capture", "--depth", "0", "-o", archive, site.URL+"/"); code != 0 {
		t.Fatalf("capture: exit %d\n%s\n%s", code, out, stderr)
	}
	_, idx, _ := runCmd(t, "index", archive)
	if !strings.Contains(idx, `"mime":"warc/revisit"`) {
		t.Fatalf("the page was not written as a revisit; the test proves nothing:\n%s", idx)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- runReplay(ctx, &replayOptions{Addr: addr, Name: "web", Poll: 0}, &globalOptions{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}, []string{archive})
	}()
	defer func() { cancel(); <-done }()
	var body []byte
	for i := 0; i < 100; i++ {
		resp, err := http.Get("http://" + addr + "/web/2id_/" + site.URL + "/")
		if err != nil {
			time.Sleep(100 * time.Millisecond)
			continue
		}
		body, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("status %d: %s", resp.StatusCode, body)
		}
		break
	}
	if !strings.Contains(string(body), "the same bytes at every path") {
		t.Errorf("replayed page: %q", body)
	}
}
