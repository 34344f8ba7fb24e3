package warc

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkReaderSkipBodies reads every record's header and skips its
// block, as indexing does.
func BenchmarkReaderSkipBodies(b *testing.B) {
	path := filepath.Join(corpusDir(b), "pywb/sample_archive/warcs/iana.warc.gz")
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(fi.Size())
	for b.Loop() {
		r, err := Open(path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		for _, err := range r.Records() {
			if err != nil {
				b.Fatal(err)
			}
		}
		r.Close()
	}
}

// BenchmarkVerify checks every digest of iana.warc.gz.
func BenchmarkVerify(b *testing.B) {
	path := filepath.Join(corpusDir(b), "pywb/sample_archive/warcs/iana.warc.gz")
	fi, _ := os.Stat(path)
	b.SetBytes(fi.Size())
	for b.Loop() {
		r, _ := Open(path, Options{})
		if _, err := VerifyReader(b.Context(), r); err != nil {
			b.Fatal(err)
		}
		r.Close()
	}
}

var _ = io.EOF

func BenchmarkWriteGroup(b *testing.B) {
	w, err := NewWriter(WriterOptions{Dir: b.TempDir(), Hostname: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	body := bytes.Repeat([]byte("<p>some html</p>\n"), 2000)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		_, err := w.WriteGroup([]*OutRecord{
			{Type: "response", ID: NewRecordID(), Fields: Header{{"WARC-Target-URI", "http://x/"}, {"WARC-Date", "2024-01-01T00:00:00.000000Z"}}, Body: bytes.NewReader(body), Length: int64(len(body))},
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
