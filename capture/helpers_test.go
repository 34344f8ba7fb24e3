package capture

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nlnwa/gowarc/v3"

	"github.com/warcbox/warcbox/warc"
)

// testRec is a record as read back by gowarc (a reader independent of ours).
type testRec struct {
	Type   string
	URI    string
	Fields map[string][]string // lower-case names
	Names  []string            // field names as spelled in the file
	Block  []byte
	File   string
	Offset int64
}

func (r testRec) get(name string) string {
	v := r.Fields[strings.ToLower(name)]
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

type captureResult struct {
	dir  string
	sum  *Summary
	err  error
	recs []testRec
	log  []logEntry
	cdxj []string
}

func (c *captureResult) byType(typ string) []testRec {
	var out []testRec
	for _, r := range c.recs {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

// find returns the response or revisit record for uri.
func (c *captureResult) find(t *testing.T, uri string) testRec {
	t.Helper()
	for _, r := range c.recs {
		if (r.Type == "response" || r.Type == "revisit") && r.URI == uri {
			return r
		}
	}
	t.Fatalf("no response record for %s; have %v", uri, c.uris())
	return testRec{}
}

func (c *captureResult) has(uri string) bool {
	for _, r := range c.recs {
		if (r.Type == "response" || r.Type == "revisit") && r.URI == uri {
			return true
		}
	}
	return false
}

func (c *captureResult) uris() []string {
	var out []string
	for _, r := range c.recs {
		if r.Type == "response" || r.Type == "revisit" {
			out = append(out, r.URI)
		}
	}
	sort.Strings(out)
	return out
}

func (c *captureResult) logFor(uri string) []logEntry {
	var out []logEntry
	for _, e := range c.log {
		if e.URL == uri {
			out = append(out, e)
		}
	}
	return out
}

func testOptions(dir string) Options {
	o := DefaultOptions()
	o.Dir = filepath.Join(dir, "archive")
	o.Hostname = "testhost"
	o.Timeout = 5 * time.Second
	o.Retries = 0
	o.RetryBackoff = 10 * time.Millisecond
	o.Concurrency = 4
	return o
}

// capture runs a capture into a temp dir and reads back everything it wrote,
// checking every file with both gowarc and warc.Verify.
func runTest(t *testing.T, ctx context.Context, seeds []string, mod func(*Options)) *captureResult {
	t.Helper()
	dir := t.TempDir()
	o := testOptions(dir)
	if mod != nil {
		mod(&o)
	}
	sum, err := Run(ctx, seeds, o)
	res := &captureResult{dir: dir, sum: sum, err: err}
	files, _ := filepath.Glob(filepath.Join(o.Dir, "*"))
	sort.Strings(files)
	for _, f := range files {
		if strings.HasSuffix(f, ".open") {
			t.Errorf("file left open: %s", f)
			continue
		}
		res.recs = append(res.recs, readBack(t, f)...)
	}
	if sum != nil {
		if b, err := os.ReadFile(sum.LogPath); err == nil {
			for _, line := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
				if len(line) == 0 {
					continue
				}
				var e logEntry
				if err := json.Unmarshal(line, &e); err != nil {
					t.Errorf("crawl log line %q: %v", line, err)
				}
				res.log = append(res.log, e)
			}
		}
		if b, err := os.ReadFile(sum.IndexPath); err == nil {
			res.cdxj = strings.Split(strings.TrimSpace(string(b)), "\n")
		}
		checkWithWarcioJS(t, sum.Files, res.cdxj)
	}
	return res
}

// checkWithWarcioJS indexes the files with warcio.js (the independent
// reader CI installs in .ci/node) and compares its index with the one the
// capture wrote: same records, same offsets and lengths, same fields.
func checkWithWarcioJS(t *testing.T, files, ours []string) {
	t.Helper()
	if len(files) == 0 {
		return
	}
	bin := filepath.Join("..", ".ci", "node", "node_modules", ".bin", "warcio")
	if _, err := os.Stat(bin); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("warcio.js not installed at %s (.ci/run installs it)", bin)
		}
		return
	}
	out, err := exec.Command(bin, append([]string{"cdx-index"}, files...)...).Output()
	if err != nil {
		t.Fatalf("warcio.js cdx-index: %v", err)
	}
	theirs := strings.Split(strings.TrimSpace(string(out)), "\n")
	sort.Strings(theirs)
	mine := append([]string(nil), ours...)
	sort.Strings(mine)
	if strings.Join(theirs, "\n") != strings.Join(mine, "\n") {
		t.Errorf("index differs from warcio.js's:\n ours:   %q\n theirs: %q", firstDifferent(mine, theirs), firstDifferent(theirs, mine))
	}
}

func firstDifferent(a, b []string) string {
	for i := range a {
		if i >= len(b) || a[i] != b[i] {
			return a[i]
		}
	}
	return fmt.Sprintf("(%d lines, a prefix of the other's %d)", len(a), len(b))
}

// readBack parses f with gowarc, recomputes every digest independently of
// the capture code, and runs warc.Verify on it.
func readBack(t *testing.T, f string) []testRec {
	t.Helper()
	rep, err := warc.Verify(context.Background(), f, warc.Options{})
	if err != nil {
		t.Fatalf("warc.Verify %s: %v", f, err)
	}
	if !rep.OK() {
		for _, fd := range rep.Findings {
			t.Errorf("verify %s: %+v", filepath.Base(f), fd)
		}
	}
	r, err := gowarc.NewWarcFileReader(f, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []testRec
	for rec, err := range r.Records() {
		if err != nil {
			t.Fatalf("gowarc read %s: %v", f, err)
		}
		wr := rec.WarcRecord
		for _, v := range rec.Validation {
			// gowarc digests the payload with its chunk framing; our
			// records digest the de-chunked entity (checked below).
			if strings.Contains(v.Error(), "payload") && strings.Contains(wr.WarcHeader().Get("WARC-Type"), "response") {
				continue
			}
			t.Errorf("gowarc finding in %s at %d: %v", filepath.Base(f), rec.Offset, v)
		}
		tr := testRec{Type: wr.Type().String(), Fields: map[string][]string{}, File: filepath.Base(f), Offset: rec.Offset}
		for _, nv := range *wr.WarcHeader() {
			tr.Fields[strings.ToLower(nv.Name)] = append(tr.Fields[strings.ToLower(nv.Name)], nv.Value)
			tr.Names = append(tr.Names, nv.Name)
		}
		tr.URI = tr.get("WARC-Target-URI")
		rb, err := wr.Block().RawBytes()
		if err != nil {
			t.Fatal(err)
		}
		tr.Block, _ = io.ReadAll(rb)
		rec.Close()
		if wr.Version().String() != "WARC/1.1" {
			t.Errorf("%s: version %s", tr.URI, wr.Version())
		}
		if cl := tr.get("Content-Length"); cl != strconv.Itoa(len(tr.Block)) {
			t.Errorf("%s %s: Content-Length %s, block %d", tr.Type, tr.URI, cl, len(tr.Block))
		}
		if d := tr.get("WARC-Block-Digest"); d == "" {
			t.Errorf("%s %s: no block digest", tr.Type, tr.URI)
		} else if got := independentDigest(t, d, tr.Block); got != d {
			t.Errorf("%s %s: block digest %s, recomputed %s", tr.Type, tr.URI, d, got)
		}
		if tr.Type == "response" && tr.get("WARC-Truncated") == "" {
			resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(tr.Block)), nil)
			if err != nil {
				t.Errorf("%s: parse http: %v", tr.URI, err)
			} else {
				body, err := io.ReadAll(resp.Body)
				if err != nil {
					t.Errorf("%s: read http body: %v", tr.URI, err)
				}
				if d := tr.get("WARC-Payload-Digest"); independentDigest(t, d, body) != d {
					t.Errorf("%s: payload digest %s does not match the de-chunked body", tr.URI, d)
				}
			}
		}
		out = append(out, tr)
	}
	return out
}

// independentDigest recomputes a digest in the algorithm and encoding of d.
func independentDigest(t *testing.T, d string, b []byte) string {
	alg, _, _ := strings.Cut(d, ":")
	switch alg {
	case "sha1":
		s := sha1.Sum(b)
		return "sha1:" + base32.StdEncoding.EncodeToString(s[:])
	case "sha256":
		s := sha256.Sum256(b)
		return "sha256:" + hex.EncodeToString(s[:])
	}
	t.Errorf("unknown digest %q", d)
	return ""
}

// rawServer answers each connection by calling h with the request line's
// path; h writes raw bytes. It lets tests send exact (and broken) bytes.
func rawServer(t *testing.T, h func(c net.Conn, path string)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { close(done); ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				br := bufio.NewReader(c)
				for {
					req, err := http.ReadRequest(br)
					if err != nil {
						return
					}
					select {
					case <-done:
						return
					default:
					}
					h(c, req.URL.Path)
					if req.URL.Path != "/robots.txt" && !strings.HasPrefix(req.URL.Path, "/keep") {
						return
					}
				}
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}
