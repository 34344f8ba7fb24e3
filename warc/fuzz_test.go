package warc

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/warcbox/warcbox/internal/testcorpus"
)

// seedCorpus adds the small files of the shared corpus as fuzz seeds.
func seedCorpus(f *testing.F) {
	dir := testcorpus.Dir(f)
	_ = filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() || fi.Size() > 64<<10 || filepath.Ext(p) == ".md" || filepath.Ext(p) == ".tsv" || filepath.Ext(p) == ".py" {
			return nil
		}
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
		return nil
	})
	f.Add([]byte("WARC/1.1\r\nContent-Length: 5\r\n\r\nhello\r\n\r\n"))
}

// FuzzReader: any bytes give records and *RecordErrors, never a panic, a
// fatal error or a loop.
func FuzzReader(f *testing.F) {
	seedCorpus(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewReader(bytes.NewReader(data), Options{})
		n := 0
		for rec, err := range r.Records() {
			n++
			if n > len(data)+10 {
				t.Fatalf("more results (%d) than input bytes", n)
			}
			if err != nil {
				var re *RecordError
				if !errors.As(err, &re) {
					t.Fatalf("fatal error on in-memory input: %v", err)
				}
				continue
			}
			if rec.IsHTTP() {
				if m, err := rec.HTTP(); err == nil {
					if d, err := m.Decoded(); err == nil {
						_, _ = io.Copy(io.Discard, io.LimitReader(d, 1<<20))
					}
				}
			}
			_, _ = io.Copy(io.Discard, rec.Body)
		}
	})
}

// FuzzParseHTTP: the HTTP view never panics and keeps every entity byte.
func FuzzParseHTTP(f *testing.F) {
	f.Add([]byte("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"))
	f.Add([]byte("HTTP/1.0 302 \r\r\nLocation: x\r\r\n"))
	f.Add([]byte("POST /x HTTP/1.1\r\nContent-Length: -1\r\n\r\nbody"))
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Encoding: gzip, br\r\n\r\n\x1f\x8b"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseHTTP(bytes.NewReader(data))
		if err != nil {
			return
		}
		rest, _ := io.ReadAll(m.Body)
		if !isChunked(m.Header) && len(m.RawHeader)+len(rest) != len(data) {
			// Blank lines skipped before the status line are the only loss.
			if !bytes.HasSuffix(data, append(append([]byte{}, m.RawHeader...), rest...)) {
				t.Fatalf("head %d + body %d bytes do not end the %d input bytes", len(m.RawHeader), len(rest), len(data))
			}
		}
		m2, _ := ParseHTTP(bytes.NewReader(data))
		if d, err := m2.Decoded(); err == nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(d, 1<<20))
		}
	})
}

func FuzzParseDigest(f *testing.F) {
	f.Add("sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ")
	f.Add("sha256:abc")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDigest(s)
		if err == nil && len(d.Sum) != d.Hash().Size() {
			t.Fatalf("%q: sum of %d bytes for %s", s, len(d.Sum), d.Algorithm)
		}
	})
}

// FuzzRepairScan: repair's scan never fails on bytes in memory, cuts
// inside the input, and what it keeps scans whole again.
func FuzzRepairScan(f *testing.F) {
	rec := "WARC/1.1\r\nWARC-Type: resource\r\nContent-Length: 5\r\n\r\nhello\r\n\r\n"
	f.Add([]byte(rec + rec))
	f.Add([]byte(rec[:40]))
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff})
	f.Add([]byte("WARC/1.1\r\nContent-Length: -1\r\n\r\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		n, cut, _, _, err := scanGroups(bytes.NewReader(in), 0)
		if err != nil {
			t.Fatal(err) // only I/O errors, which a bytes.Reader never has
		}
		if cut < 0 || cut > int64(len(in)) || n < 0 {
			t.Fatalf("cut %d of %d", cut, len(in))
		}
		// The part kept must scan whole.
		n2, cut2, why, _, _ := scanGroups(bytes.NewReader(in[:cut]), 0)
		if n2 != n || cut2 != cut {
			t.Fatalf("kept part rescans to %d records cut at %d (%s), want %d whole", n2, cut2, why, n)
		}
	})
}
