package index

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/internal/testcorpus"
	"github.com/warcbox/warcbox/warc"
)

// FuzzBuild: any bytes index without a panic or a fatal error (bad
// records are counted and skipped), every line written parses back to
// itself, and its offset and length stay inside the input.
func FuzzBuild(f *testing.F) {
	dir := testcorpus.Dir(f)
	for _, rel := range []string{
		"pywb/sample_archive/warcs/example.warc.gz",
		"pywb/sample_archive/warcs/post-test.warc.gz",
		"pywb/sample_archive/warcs/example.arc",
		"pywb/sample_archive/warcs/example-url-agnostic-revisit.warc.gz",
	} {
		if b, err := os.ReadFile(filepath.Join(dir, rel)); err == nil {
			f.Add(b)
		}
	}
	rec := "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: http://example.com/\r\nWARC-Date: 2020-01-01T00:00:00Z\r\n" +
		"Content-Type: application/http; msgtype=response\r\nContent-Length: 19\r\n\r\nHTTP/1.1 200 OK\r\n\r\n\r\n\r\n"
	f.Add([]byte(rec + rec))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := warc.NewReader(bytes.NewReader(data), warc.Options{})
		defer r.Close()
		n := 0
		st, err := Build(context.Background(), r, Options{Filename: "fuzz.warc"}, func(l *cdxj.Line) error {
			n++
			if l.Offset < 0 || l.Length < 0 || l.Offset+l.Length > int64(len(data)) {
				t.Fatalf("line outside the input (%d bytes): offset %d length %d", len(data), l.Offset, l.Length)
			}
			s := l.String()
			back, err := cdxj.Parse([]byte(s))
			if err != nil {
				t.Fatalf("line %q does not parse: %v", s, err)
			}
			if got := back.String(); got != s {
				t.Fatalf("line %q parses back as %q", s, got)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("fatal error on in-memory input: %v", err)
		}
		if st.Lines != n || st.Lines > st.Records {
			t.Fatalf("stats %+v after %d lines", st, n)
		}
	})
}
