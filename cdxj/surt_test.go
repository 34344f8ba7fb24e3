package cdxj

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// goldenLines yields every line of the warcio.js outputs in
// testdata/warciojs (see the README there for the commands).
func goldenLines(t testing.TB) map[string][]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "warciojs", "*.cdxj"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	out := map[string][]string{}
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			out[f] = append(out[f], sc.Text())
		}
		fh.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// goldenLineRE splits a line without the package's own parser, so the
// key test does not depend on Parse.
var goldenLineRE = regexp.MustCompile(`^(.*?) ([^ ]*) (\{.*\})$`)

func TestSURTMatchesWarcioJSGolden(t *testing.T) {
	n := 0
	for file, lines := range goldenLines(t) {
		for i, line := range lines {
			m := goldenLineRE.FindStringSubmatch(line)
			if m == nil {
				t.Fatalf("%s:%d: not a CDXJ line: %q", file, i+1, line)
			}
			key, js := m[1], m[3]
			var f struct {
				URL         *string `json:"url"`
				Method      string  `json:"method"`
				RequestBody *string `json:"requestBody"`
			}
			if err := json.Unmarshal([]byte(js), &f); err != nil {
				t.Fatalf("%s:%d: %v", file, i+1, err)
			}
			if f.URL == nil {
				continue // warcio.js wrote "undefined" for a record with no target
			}
			u := *f.URL
			if f.RequestBody != nil {
				u = AppendMethodQuery(u, f.Method, DecodeURIQuery(*f.RequestBody))
			}
			got, _ := SURT(u)
			if got != key {
				t.Errorf("%s:%d: SURT(%q) = %q, warcio.js wrote %q", filepath.Base(file), i+1, u, got, key)
			}
			n++
		}
	}
	if n < 400 {
		t.Errorf("compared only %d keys", n)
	}
}

func TestSURTErrors(t *testing.T) {
	for _, u := range []string{"http://[::1/", "http://1.2.3.256/", "http://exa mple.com/", "http://user@/x", "http://example.com:99999/", "http://foo.09/"} {
		k, err := SURT(u)
		if err == nil {
			t.Errorf("SURT(%q) = %q, want an error", u, k)
		}
		if k != u {
			t.Errorf("SURT(%q) fallback = %q, want the URL itself", u, k)
		}
	}
	for _, u := range []string{"dns:example.com", "urn:x", "filedesc://a.arc", "HTTP://EXAMPLE.COM/"} {
		if k, err := SURT(u); err != nil || k != u {
			t.Errorf("SURT(%q) = %q, %v; want it unchanged", u, k, err)
		}
	}
}

// TestDomainToASCII checks hosts through golang.org/x/net/idna against the
// punycode of RFC 3492's and the WHATWG URL test data's examples.
func TestDomainToASCII(t *testing.T) {
	for _, c := range []struct{ in, out string }{
		{"bücher", "xn--bcher-kva"}, {"☃", "xn--n3h"}, {"münchen-ost", "xn--mnchen-ost-9db"},
		{"日本語", "xn--wgv71a119e"}, {"ü", "xn--tda"}, {"EXAMPLE.com", "example.com"},
		{"xn--bcher-kva.ch", "xn--bcher-kva.ch"}, {"www.İstanbul.com", "www.xn--istanbul-o0e.com"},
		{"ＥＸＡＭＰＬＥ.com", "example.com"}, {"a\u00adb.com", "ab.com"}, {"ß.de", "xn--zca.de"},
	} {
		got, err := domainToASCII(c.in)
		if err != nil || got != c.out {
			t.Errorf("domainToASCII(%q) = %q, %v; want %q", c.in, got, err, c.out)
		}
	}
	for _, bad := range []string{"xn--a.com", "a\ufffdb.com"} {
		if got, err := domainToASCII(bad); err == nil {
			t.Errorf("domainToASCII(%q) = %q, want an error", bad, got)
		}
	}
	for _, c := range []struct{ in, out string }{
		{"WWW.IANA.ORG", "www.iana.org"}, {"www.iana.org.", "www.iana.org"}, {"Www.İstanbul.com", "www.xn--istanbul-o0e.com"},
		{"[::1]", "[::1]"}, {"b%C3%BCcher.de", "xn--bcher-kva.de"},
	} {
		if got := CanonicalHost(c.in); got != c.out {
			t.Errorf("CanonicalHost(%q) = %q, want %q", c.in, got, c.out)
		}
	}
}

func FuzzSURT(f *testing.F) {
	for _, s := range []string{"http://www.example.com/a?b=1&a=2", "https://bücher.ch:443/x/../y", "http://[::1]:80/", "http://0x7f.1/%2e%2E/", "dns:x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, err := SURT(s)
		if err == nil && (strings.HasPrefix(s, "http:") || strings.HasPrefix(s, "https:")) {
			if !strings.Contains(k, ")") {
				t.Fatalf("SURT(%q) = %q has no ')'", s, k)
			}
			// A parsed key is printable ASCII without spaces, so a CDXJ line
			// built on it splits cleanly into key, timestamp and JSON.
			for i := 0; i < len(k); i++ {
				if k[i] <= ' ' || k[i] >= 0x7f {
					t.Fatalf("SURT(%q) = %q holds byte %#x", s, k, k[i])
				}
			}
		}
	})
}

// Keys warcio.js 2.4.11 getSurt gave (node -e 'import("warcio").then(m =>
// console.log(m.getSurt(URL)))'), for JavaScript's special lower-casing
// and UTS #46 mappings.
func TestSURTUnicodeCasing(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"http://example.com/ΣΑΣ", "com,example)/%CF%83%CE%B1%CF%82"},
		{"http://example.com/ΑΣ.b", "com,example)/%CE%B1%CF%83.b"},
		{"http://example.com/Σ", "com,example)/%CF%83"},
		{"http://example.com/aΣ1", "com,example)/a%CF%821"},
		{"http://example.com/ΑΣ\u0301x", "com,example)/%CE%B1%CF%83%CC%81x"},
		{"http://example.com/İ", "com,example)/i%CC%87"},
		{"http://bücher.de/", "de,xn--bcher-kva)/"},
		{"http://ＥＸＡＭＰＬＥ.com/", "com,example)/"},
		{"http://ｅxample.com/", "com,example)/"},
		{"http://a\u00adb.com/", "com,ab)/"},
		{"http://ß.de/", "de,xn--zca)/"},
		{"http://ΣΑΣ.gr/", "gr,xn--mxa9ab)/"},
	} {
		if got := Key(c.in); got != c.want {
			t.Errorf("SURT(%q) = %q, warcio.js %q", c.in, got, c.want)
		}
	}
}
