package warc

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/warcbox/warcbox/internal/testcorpus"
)

func corpusDir(t testing.TB) string { return testcorpus.Dir(t) }

// corpusCase is what the producing project's tests (or PROVENANCE.md) say
// about a file: its records by type, and whether it is broken.
type corpusCase struct {
	file   string
	types  string // sorted "type:count" list
	broken bool   // verify must fail it
}

var corpusCases = []corpusCase{
	{"pywb/sample_archive/warcs/iana.warc.gz", "request:171 response:48 revisit:123 warcinfo:1", false},
	{"pywb/sample_archive/warcs/dupes.warc.gz", "request:12 response:3 revisit:9 warcinfo:1", false},
	{"pywb/sample_archive/warcs/example.warc.gz", "request:2 response:2 revisit:1 warcinfo:1", false},
	{"pywb/sample_archive/warcs/example-wget-1-14.warc.gz", "request:1 resource:3 response:1 warcinfo:1", false},
	{"pywb/sample_archive/warcs/example-wpull.warc.gz", "request:1 resource:1 response:1 warcinfo:1", false},
	{"pywb/sample_archive/warcs/example-url-agnostic-revisit.warc.gz", "revisit:1 warcinfo:1", false},
	{"pywb/sample_archive/warcs/missing-status-text.warc", "response:1", false},
	{"pywb/sample_archive/warcs/post-test.warc.gz", "request:3 response:3", false},
	{"pywb/sample_archive/warcs/example-extra.warc", "request:2 response:2 revisit:2", true},
	{"warcio/test/data/example.warc", "request:2 response:1 revisit:1 warcinfo:2", false},
	{"warcio/test/data/example.arc", "response:1 warcinfo:1", false},
	{"warcio/test/data/example.arc.gz", "response:1 warcinfo:1", false},
	{"warcio/test/data/example-space-in-target-uri.warc.gz", "resource:1 warcinfo:1", false},
	{"warcio/test/data/example-wget-bad-target-uri.warc.gz", "metadata:1 request:1 resource:2 response:1 warcinfo:1", false},
	{"warcio/test/data/example-iana.org-chunked.warc", "request:1 response:1 warcinfo:1", false},
	{"warcio/test/data/bad.arc", "response:3 warcinfo:1", true},
	{"warcio/test/data/example-bad-non-chunked.warc.gz", "request:2 response:1 revisit:1 warcinfo:2", true},
	{"warcio/test/data/example-bad.warc.gz.bad", "request:2 response:2 revisit:1 warcinfo:1", true},
	{"warcio/test/data/example-digest.warc", "request:4", true},
	{"warcio/test/data/example-trunc.warc", "request:1 response:1 warcinfo:2", true},
	{"warcio/test/data/example-wrong-chunks.warc.gz", "request:1 response:1", true},
	{"warcio.js/test/data/post-test-more.warc", "request:3 response:3", false},
	{"warcio.js/test/data/redirect.warc", "request:1 response:1", false},
	{"warcio.js/test/data/example-bad-length.warc", "request:2 response:1 revisit:1 warcinfo:2", true},
	{"jwarc/test-resources/org/netpreserve/jwarc/cc.warc.gz", "response:1", false},
	{"jwarc/test-resources/org/netpreserve/jwarc/gzip_extra_sl.warc.gz", "warcinfo:1", false},
	{"jwat/jwat-warc/src/test/resources/IAH-20080430204825-00000-blackbook.warc.gz", "metadata:261 request:261 response:299 warcinfo:1", false},
	{"jwat/jwat-warc/src/test/resources/valid-warcfile-upper-lower-case.warc", "response:4 warcinfo:1", false},
	{"jwat/jwat-warc/src/test/resources/valid-warcfile-fields-warcinfo.warc", "warcinfo:1", false},
	{"jwat/jwat-warc/src/test/resources/valid-warcfile-utf8.warc", "warcinfo:1", false},
	{"jwat/jwat-warc/src/test/resources/valid-warcfile-non-warc-headers.warc", "warcinfo:1", false},
	{"jwat/jwat-warc/src/test/resources/invalid-warcfile-lonely-request-response-resource-conversion.warc", "conversion:1 request:1 resource:1 response:1", true},
	{"jwat/jwat-warc/src/test/resources/invalid-warcfile-lonely-monkeys.warc", "monkeys:1", true},
	{"jwat/jwat-warc/src/test/resources/invalid-warcfile-duplicate-fields.warc", "warcinfo:1", true},
	{"jwat/jwat-warc/src/test/resources/invalid-warcfile-fields-invalidformat.warc", "request:1", true},
	{"jwat/jwat-warc/src/test/resources/invalid-warcfile-record-then-garbage.warc", "response:1", true},
	{"jwat/jwat-warc/src/test/resources/invalid-warcfile-segment-number-response.warc", "response:2", true},
	{"internetarchive-gowarc/testdata/warcs/test.warc.gz", "request:1 response:1 warcinfo:1", false},
	{"internetarchive-gowarc/testdata/warcs/good.warc.gz.open", "response:50", true}, // whole-file gzip
	{"internetarchive-gowarc/testdata/warcs/corrupted-mid-record.warc.gz.open", "response:12", true},
	{"internetarchive-gowarc/testdata/warcs/corrupted-trailing-bytes.warc.gz.open", "response:30", true},
	{"internetarchive-gowarc/testdata/warcs/empty.warc.gz.open", "", false},
	{"warcat/example/at.warc.gz", "request:2 resource:3 response:2 warcinfo:1", false},
	{"warcat/example/c1_warcinfo.warc", "warcinfo:1", false},
	{"warcat/example/not_utf8_http_header.warc", "response:1", false},
	{"warcat/example/bad_http_chunked_content.warc", "response:1", true},
	{"whirlwind-python/whirlwind.warc.gz", "metadata:1 request:1 response:1 warcinfo:1", false},
	{"whirlwind-python/whirlwind.warc.wat.gz", "metadata:1 warcinfo:1", false},
	{"whirlwind-python/whirlwind.warc.wet", "conversion:1 warcinfo:1", false},
	{"webarchive-discovery/warc-indexer/src/test/resources/compression/transfer_compression_brotli.warc.gz", "metadata:1 request:1 resource:1 response:1 warcinfo:1", false},
	{"webarchive-discovery/warc-indexer/src/test/resources/gov.uk-revisit-warcs/BL-20140325122341434-00000-32090~opera~8443.warc.gz", "metadata:62 request:62 response:10 revisit:55 warcinfo:1", false},
	{"warchaeology/testdata/warc/empty.warc", "", false},
	{"warcio/test/data/example-space-in-url.arc", "response:1 warcinfo:1", false},
	{"webarchive-discovery/warc-indexer/src/test/resources/truncated_datetime.warc", "metadata:1 request:1 resource:1 response:1 warcinfo:1", true},
	{"Web2Warc/crawls/out/Example-20160128144235/Example-20160128144235.warc.gz", "response:1 warcinfo:1", true},
}

func typeCounts(t *testing.T, path string) (string, []error) {
	t.Helper()
	r, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	counts := map[string]int{}
	var errs []error
	for rec, err := range r.Records() {
		if err != nil {
			var re *RecordError
			if !errors.As(err, &re) {
				t.Fatalf("%s: fatal error %v", path, err)
			}
			errs = append(errs, err)
			continue
		}
		if _, err := io.Copy(io.Discard, rec.Body); err != nil && !errors.Is(err, ErrTruncated) {
			t.Fatalf("%s: read body at %d: %v", path, rec.Offset, err)
		}
		counts[rec.Type()]++
	}
	var parts []string
	for k, v := range counts {
		parts = append(parts, fmt.Sprintf("%s:%d", k, v))
	}
	sort.Strings(parts)
	return strings.Join(parts, " "), errs
}

func TestReaderCorpusRecordCounts(t *testing.T) {
	dir := corpusDir(t)
	for _, c := range corpusCases {
		t.Run(c.file, func(t *testing.T) {
			got, _ := typeCounts(t, filepath.Join(dir, c.file))
			if got != c.types {
				t.Errorf("records = %q, want %q", got, c.types)
			}
		})
	}
}

func TestVerifyCorpusMatchesProvenance(t *testing.T) {
	dir := corpusDir(t)
	for _, c := range corpusCases {
		t.Run(c.file, func(t *testing.T) {
			rep, err := Verify(context.Background(), filepath.Join(dir, c.file), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK() == c.broken {
				t.Errorf("verify OK = %v, want %v; findings: %+v", rep.OK(), !c.broken, rep.Findings)
			}
		})
	}
}

// TestOffsetsRoundTrip reads every addressable record again at its offset
// and checks it is the same record, and that on-disk sizes tile the file.
func TestOffsetsRoundTrip(t *testing.T) {
	dir := corpusDir(t)
	for _, name := range []string{
		"pywb/sample_archive/warcs/iana.warc.gz",
		"warcio/test/data/example.warc",
		"warcio/test/data/example.arc.gz",
		"warcio/test/data/example.arc",
		"jwat/jwat-warc/src/test/resources/IAH-20080430204825-00000-blackbook.warc.gz",
		"whirlwind-python/whirlwind.warc",
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			fi, _ := f.Stat()
			r, _ := Open(path, Options{})
			defer r.Close()
			var recs []*Record
			var ids []string
			var bodies []int64
			for rec, err := range r.Records() {
				if err != nil {
					t.Fatalf("unexpected problem: %v", err)
				}
				n, _ := io.Copy(io.Discard, rec.Body)
				recs = append(recs, rec)
				ids = append(ids, rec.ID()+rec.TargetURI())
				bodies = append(bodies, n)
			}
			var next int64
			for i, rec := range recs {
				// Uncompressed sizes leave out the blank lines after a block.
				if gap := rec.Offset - next; gap < 0 || gap > 4 || (gap > 0 && strings.HasSuffix(name, ".gz")) {
					t.Errorf("record %d at %d, previous ended at %d", i, rec.Offset, next)
				}
				next = rec.Offset + rec.Size
				again, err := ReadAt(f, rec.Offset)
				if err != nil {
					t.Fatalf("ReadAt(%d): %v", rec.Offset, err)
				}
				if got := again.ID() + again.TargetURI(); got != ids[i] {
					t.Errorf("ReadAt(%d) = %q, want %q", rec.Offset, got, ids[i])
				}
				if n, _ := io.Copy(io.Discard, again.Body); n != bodies[i] {
					t.Errorf("ReadAt(%d) block = %d bytes, want %d", rec.Offset, n, bodies[i])
				}
			}
			if slack := fi.Size() - next; slack < 0 || slack > 4 {
				t.Errorf("records end at %d, file is %d bytes", next, fi.Size())
			}
		})
	}
}

func TestWholeFileGzipReadsEveryRecordButFlagsOffsets(t *testing.T) {
	var plain bytes.Buffer
	for i := 0; i < 3; i++ {
		body := fmt.Sprintf("hello %d", i)
		fmt.Fprintf(&plain, "WARC/1.1\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:uuid:%d>\r\nWARC-Date: 2024-01-01T00:00:00Z\r\nWARC-Target-URI: http://x/%d\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n", i, i, len(body), body)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(plain.Bytes())
	zw.Close()
	r := NewReader(&gz, Options{})
	n := 0
	for rec, err := range r.Records() {
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 && rec.Addressable {
			t.Errorf("record %d inside a shared member marked addressable", n)
		}
		b, _ := io.ReadAll(rec.Body)
		if want := fmt.Sprintf("hello %d", n); string(b) != want {
			t.Errorf("block %q, want %q", b, want)
		}
		n++
	}
	if n != 3 {
		t.Fatalf("read %d records, want 3", n)
	}
}

func TestTruncatedGzipMemberIsReportedAndReadingGoesOn(t *testing.T) {
	rec := func(i int, body string) []byte {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		fmt.Fprintf(zw, "WARC/1.1\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:uuid:%d>\r\nWARC-Date: 2024-01-01T00:00:00Z\r\nWARC-Target-URI: http://x/%d\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n", i, i, len(body), body)
		zw.Close()
		return b.Bytes()
	}
	first := rec(1, strings.Repeat("a", 5000))
	second := rec(2, "second")
	cut := first[:len(first)/2]
	file := append(append([]byte{}, cut...), second...)
	r := NewReader(bytes.NewReader(file), Options{})
	var got []string
	var problems []*RecordError
	for rec, err := range r.Records() {
		if err != nil {
			var re *RecordError
			if !errors.As(err, &re) {
				t.Fatalf("fatal: %v", err)
			}
			problems = append(problems, re)
			continue
		}
		io.Copy(io.Discard, rec.Body)
		got = append(got, rec.ID())
	}
	if len(problems) == 0 {
		t.Fatal("the cut member was not reported")
	}
	if problems[0].Offset != 0 {
		t.Errorf("problem at offset %d, want 0", problems[0].Offset)
	}
	if len(got) == 0 || got[len(got)-1] != "<urn:uuid:2>" {
		t.Errorf("records %v: the record after the cut member was lost", got)
	}
}

func TestStrictStopsAtFirstProblem(t *testing.T) {
	path := filepath.Join(corpusDir(t), "warcio/test/data/example-trunc.warc")
	r, _ := Open(path, Options{Strict: true})
	defer r.Close()
	var errs int
	for _, err := range r.Records() {
		if err != nil {
			errs++
		}
	}
	if errs != 1 {
		t.Errorf("strict reader returned %d errors, want exactly 1 then stop", errs)
	}
}

func TestHTTPViewLenientCases(t *testing.T) {
	dir := corpusDir(t)
	cases := []struct {
		file   string
		status int
		body   string // prefix of the decoded payload
	}{
		{"pywb/sample_archive/warcs/missing-status-text.warc", 302, ""},
		{"warcio/test/data/example-iana.org-chunked.warc", 200, "<!doctype html>"},
		{"webarchive-discovery/warc-indexer/src/test/resources/compression/transfer_compression_brotli.warc.gz", 200, "<"},
		{"webarchive-discovery/warc-indexer/src/test/resources/compression/transfer_compression_gzip.warc.gz", 200, "<"},
		{"warcio/test/data/example.arc", 200, "<!doctype html>"},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			r, _ := Open(filepath.Join(dir, c.file), Options{})
			defer r.Close()
			for rec, err := range r.Records() {
				if err != nil || rec.Type() != "response" {
					continue
				}
				m, err := rec.HTTP()
				if err != nil {
					t.Fatal(err)
				}
				if m.StatusCode != c.status {
					t.Errorf("status %d, want %d", m.StatusCode, c.status)
				}
				d, err := m.Decoded()
				if err != nil {
					t.Fatal(err)
				}
				b, err := io.ReadAll(d)
				if err != nil {
					t.Fatalf("decode: %v", err)
				}
				if !strings.HasPrefix(strings.TrimSpace(strings.ToLower(string(b))), strings.ToLower(c.body)) {
					t.Errorf("payload starts %q, want %q", truncate(string(b), 40), c.body)
				}
				return
			}
			t.Fatal("no response record")
		})
	}
}

func TestDechunkerFallsBackToRawBytes(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", "hello world"},
		{"5;ext=1\nhello\n0\n\n", "hello"},
		{"not chunked at all", "not chunked at all"},
		{"5\r\nhello\r\nzz\r\nrest", "hellozz\r\nrest"},
	} {
		b, err := io.ReadAll(newDechunker(strings.NewReader(c.in)))
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != c.want {
			t.Errorf("dechunk(%q) = %q, want %q", c.in, b, c.want)
		}
	}
}

func TestParseDigestEncodings(t *testing.T) {
	// sha1 of "" in the encodings real files use.
	for _, s := range []string{
		"sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ",
		"sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709",
		"sha1:2jmj7l5rSw0yVb/vlWAYkK/YBwk=",
		"sha1:2jmj7l5rSw0yVb_vlWAYkK_YBwk=",
		"SHA-1:3i42h3s6nnfq2msvx7xzkyaysc x5qbyj",
	} {
		d, err := ParseDigest(strings.ReplaceAll(s, " ", ""))
		if err != nil {
			t.Errorf("%s: %v", s, err)
			continue
		}
		if d.String() != "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ" {
			t.Errorf("%s parsed to %s", s, d)
		}
	}
	if _, err := ParseDigest("sha1:1112H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ"); err == nil {
		t.Error("bad base32 digest accepted")
	}
}

// A file that ends inside the header of a gzip member (a writer killed
// just after starting a record) must be reported, not read as clean.
func TestCutGzipHeaderAtEndIsReported(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(corpusDir(t), "pywb/sample_archive/warcs/example.warc.gz"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tail := range [][]byte{{0x1f, 0x8b, 0x08, 0x00, 0x00}, {0x1f, 0x8b}, []byte("junk")} {
		data := append(append([]byte{}, src...), tail...)
		r := NewReader(bytes.NewReader(data), Options{})
		var recs int
		var problems []*RecordError
		for _, err := range r.Records() {
			var re *RecordError
			switch {
			case errors.As(err, &re):
				problems = append(problems, re)
			case err != nil:
				t.Fatal(err)
			default:
				recs++
			}
		}
		if recs != 6 || len(problems) != 1 || problems[0].Offset != int64(len(src)) {
			t.Errorf("tail %q: %d records, problems %v; want 6 records and one problem at %d", tail, recs, problems, len(src))
		}
	}
}

func TestReadAtBadOffsetNamesFileOffset(t *testing.T) {
	path := filepath.Join(corpusDir(t), "pywb/sample_archive/warcs/example.warc")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = ReadAtFile(f, 100, path)
	var re *RecordError
	if !errors.As(err, &re) || re.Offset < 100 || re.File != path {
		t.Fatalf("ReadAt at a non-record offset: %v", err)
	}
}

// A small file is read with buffers its own size, not half a megabyte:
// indexing 5,000 one-page WARCs spent most of its time clearing them.
func TestStreamBufferFitsSmallFiles(t *testing.T) {
	p := filepath.Join(t.TempDir(), "small.warc")
	if err := os.WriteFile(p, []byte("WARC/1.0\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if n := streamBufferFor(f); n != recordBuffer {
		t.Errorf("small file: %d-byte buffer, want %d", n, recordBuffer)
	}
	if n := streamBufferFor(io.NewSectionReader(f, 0, 100<<20)); n != streamBuffer {
		t.Errorf("large section: %d-byte buffer, want %d", n, streamBuffer)
	}
	if n := streamBufferFor(bytes.NewBufferString("x")); n != streamBuffer {
		t.Errorf("a stream of unknown size: %d-byte buffer, want %d", n, streamBuffer)
	}
}
