package ui

import (
	"bytes"
	"testing"
	"time"

	"github.com/warcbox/warcbox/capture"
	"github.com/warcbox/warcbox/wacz"
	"github.com/warcbox/warcbox/warc"
)

func TestBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 1536: "1.5 KiB", 5 << 30: "5.0 GiB"} {
		if got := Bytes(n); got != want {
			t.Errorf("Bytes(%d) = %q, want %q", n, got, want)
		}
	}
}

// print runs one printer over results and returns what it wrote.
func print[T any](t *testing.T, newPrinter func(Term) Printer[T], json bool, results ...T) string {
	t.Helper()
	var out bytes.Buffer
	p := newPrinter(Term{Out: &out, Err: &out, JSON: json})
	for _, r := range results {
		if err := p.Print(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// The texts below are the commands' output before internal/ui existed.
func TestCapturePrinters(t *testing.T) {
	sum := &capture.Summary{Elapsed: 1500 * time.Millisecond, Files: []string{"a.warc.gz"}, IndexPath: "i.cdxj", LogPath: "l.jsonl"}
	sum.Fetched, sum.Revisits, sum.Failed, sum.Blocked, sum.Bytes = 3, 1, 2, 1, 3<<20
	got := print(t, NewCapturePrinter, false, CaptureResult{Summary: sum, Browser: &BrowserResult{Name: "HeadlessChrome/1", Pages: 2}, WACZ: "p.wacz"})
	want := "captured 3 URLs (1 revisits), 2 failed, 1 blocked, 3.0 MiB in 1.5s (2.0 MiB/s)\nwarc:  a.warc.gz\nindex: i.cdxj\nlog:   l.jsonl\n" +
		"browser: HeadlessChrome/1, 2 pages\nwacz:  p.wacz\n"
	if got != want {
		t.Errorf("text:\n%s\nwant:\n%s", got, want)
	}
	got = print(t, NewCapturePrinter, true, CaptureResult{Summary: sum, WACZ: "p.wacz"})
	want = `{"blocked":1,"bytes":3145728,"canceled":false,"failed":2,"fetched":3,"index":"i.cdxj","log":"l.jsonl","revisits":1,"seconds":1.5,"warcs":["a.warc.gz"]}` + "\n"
	if got != want {
		t.Errorf("json:\n%s\nwant:\n%s", got, want)
	}
}

func TestLsPrinters(t *testing.T) {
	rows := []LsRow{{File: "f", Offset: 0, Length: 10, Type: "warcinfo", Date: "2020-01-01T00:00:00Z", RecordID: "<urn:x>"},
		{File: "f", Offset: 10, Length: 200, Type: "response", TargetURI: "http://example.com/", ContentType: "text/html", Status: 200}}
	got := print(t, NewLsPrinter, false, rows...)
	want := "OFFSET  LENGTH  TYPE      DATE                  TARGET-URI           CONTENT-TYPE  STATUS\n" +
		"0       10      warcinfo  2020-01-01T00:00:00Z                       -             -\n" +
		"10      200     response                        http://example.com/  text/html     200\n"
	if got != want {
		t.Errorf("text:\n%q\nwant:\n%q", got, want)
	}
	got = print(t, NewLsPrinter, true, rows[1])
	want = `{"file":"f","offset":10,"length":200,"type":"response","date":"","target_uri":"http://example.com/","content_type":"text/html","status":200,"record_id":""}` + "\n"
	if got != want {
		t.Errorf("json:\n%s\nwant:\n%s", got, want)
	}
}

func TestVerifyPrinters(t *testing.T) {
	w := &warc.Report{File: "a.warc", Records: 2, Findings: []warc.Finding{
		{Severity: warc.SeverityWarning, Offset: 5, Check: "http", Message: "odd"},
		{Severity: warc.SeverityError, Offset: 9, RecordID: "<urn:r>", Type: "response", Check: "digest", Message: "bad"}}}
	z := &wacz.Report{File: "p.wacz", Files: 4, Signed: true}
	got := print(t, func(t Term) Printer[VerifyResult] { return NewVerifyPrinter(t, false) }, false, VerifyResult{WARC: w}, VerifyResult{WACZ: z})
	want := "FAIL\ta.warc\t2 records, 1 errors, 1 warnings\n  error\toffset 9\t<urn:r>\tresponse\tdigest: bad\n" +
		"OK\tp.wacz\tWACZ, 4 files, signed, 0 WARCs\n"
	if got != want {
		t.Errorf("text:\n%q\nwant:\n%q", got, want)
	}
	// JSON: a package's report at once, the WARCs' as one array at the end.
	got = print(t, func(t Term) Printer[VerifyResult] { return NewVerifyPrinter(t, false) }, true, VerifyResult{WARC: w}, VerifyResult{WACZ: z})
	if !bytes.HasPrefix([]byte(got), []byte("{\n  \"file\": \"p.wacz\"")) || !bytes.Contains([]byte(got), []byte("}\n[\n  {\n    \"file\": \"a.warc\"")) {
		t.Errorf("json order or form:\n%s", got)
	}
}

func TestRepairPrinters(t *testing.T) {
	r := RepairResult{Path: "x.warc", Result: &warc.RepairResult{Records: 3, Size: 100, Cut: 60, Reason: "truncated"}, DryRun: true}
	if got, want := print(t, NewRepairPrinter, false, r), "CUT\tx.warc\twould cut 40 bytes at offset 60 after 3 whole records: truncated\n"; got != want {
		t.Errorf("text: %q, want %q", got, want)
	}
	if got := print(t, NewRepairPrinter, true, r); !bytes.Contains([]byte(got), []byte(`"Records":3,"Size":100,"Cut":60,"Reason":"truncated"`)) {
		t.Errorf("json: %s", got)
	}
}

func TestNilProgressIsSilent(t *testing.T) {
	var p *Progress
	p.Add(1)
	p.Set(1, 2)
	p.Describe("x")
	p.Finish()
}
