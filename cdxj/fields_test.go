package cdxj

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFieldHelpers(t *testing.T) {
	for in, want := range map[string]string{
		"2024-01-02T03:04:05Z":     "20240102030405",
		"2024-01-02T03:04:05.123Z": "20240102030405",
		"2008-04-30t20:48:25Z":     "20080430t20482", // as warcio.js wrote for jwat's upper-lower-case test file
		"":                         "",
	} {
		if got := timestampFromWARCDate(in); got != want {
			t.Errorf("timestampFromWARCDate(%q) = %q, want %q", in, got, want)
		}
	}
	if got := mimeField(" text/html ; charset=utf-8"); got != "text/html" {
		t.Errorf("mimeField = %q", got)
	}
	if d, ok := digestField("sha1:B2LTWWPUOYAH7UIPQ7ZUPQ4VMBSVC36A"); !ok || d != "B2LTWWPUOYAH7UIPQ7ZUPQ4VMBSVC36A" {
		t.Errorf("digestField = %q, %v", d, ok)
	}
	if _, ok := digestField("B2LT"); ok {
		t.Error("digestField without a label should be absent")
	}
	if got := TrimAngleBrackets("<http://www.example.com/wget>"); got != "http://www.example.com/wget" {
		t.Errorf("TrimAngleBrackets = %q", got)
	}
}

// The raw WARC-Target-URIs of surt-urls.warc, passed through
// warcioHeaderString and TrimAngleBrackets, are the "url" fields warcio.js
// wrote, and their keys are its keys.
func TestWarcioHeaderStringMatchesGolden(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "surt-urls.warc"))
	if err != nil {
		t.Fatal(err)
	}
	var uris []string
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		if u, ok := strings.CutPrefix(sc.Text(), "WARC-Target-URI: "); ok {
			uris = append(uris, u)
		}
	}
	gold, err := os.ReadFile(filepath.Join("testdata", "warciojs", "surt-urls.cdxj"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(gold), "\n"), "\n")
	if len(lines) != len(uris) || len(uris) < 90 {
		t.Fatalf("%d golden lines for %d URIs", len(lines), len(uris))
	}
	for i, s := range lines {
		l, err := Parse([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		u := warcioHeaderString(TrimAngleBrackets(uris[i]))
		if u != l.URL {
			t.Errorf("record %d: url %q, warcio.js %q", i, u, l.URL)
		}
		if k := Key(u); k != l.Key {
			t.Errorf("record %d: key %q, warcio.js %q", i, k, l.Key)
		}
	}
}
