package rewrite

import (
	"bytes"
	"net/url"
	"strings"
	"testing"
)

// TestPywbWbUrl ports pywb/rewrite/test/test_wburl.py (pywb 2c706d1e):
// repr(WbUrl(x)) is (type, timestamp, mod, url, str). warcbox's URL is
// pywb's url field (the punycode form used for lookups); str, the
// re-serialised form, has no counterpart. A query's end timestamp comes
// from str.
func TestPywbWbUrl(t *testing.T) {
	ru := func(s string) string { return url.QueryEscape(s) } // quote_plus
	for _, c := range []struct {
		in        string
		kind      ArchivalKind
		ts, mod   string
		url       string
		end       string
		wantError bool
	}{
		// Replay Urls
		{in: "20131010000506/example.com", kind: KindReplay, ts: "20131010000506", url: "http://example.com"},
		{in: "20130102im_/https://example.com", kind: KindReplay, ts: "20130102", mod: "im_", url: "https://example.com"},
		{in: "20130102im_/https:/example.com", kind: KindReplay, ts: "20130102", mod: "im_", url: "https://example.com"},
		{in: "20130102$cbr:test-foo.123/https:/example.com", kind: KindReplay, ts: "20130102", mod: "$cbr:test-foo.123", url: "https://example.com"},
		// Protocol agnostic convert to http
		{in: "20130102im_///example.com", kind: KindReplay, ts: "20130102", mod: "im_", url: "http://example.com"},
		{in: "cs_/example.com", kind: KindLatest, mod: "cs_", url: "http://example.com"},
		{in: "cs_/example.com/?foo=http://example.com/", kind: KindLatest, mod: "cs_", url: "http://example.com/?foo=http://example.com/"},
		{in: "im_/20130102.org", kind: KindLatest, mod: "im_", url: "http://20130102.org"},
		{in: "$cbr:test-foo.123/https:/example.com", kind: KindLatest, mod: "$cbr:test-foo.123", url: "https://example.com"},
		{in: "20130102.example.com", kind: KindLatest, url: "http://20130102.example.com"},
		{in: "20130102.org/1", kind: KindLatest, url: "http://20130102.org/1"},
		{in: "20130102/1.com", kind: KindReplay, ts: "20130102", url: "http://1.com"},
		{in: "https://example.com/xyz", kind: KindLatest, url: "https://example.com/xyz"},
		{in: "https:/example.com/xyz", kind: KindLatest, url: "https://example.com/xyz"},
		{in: "https://example.com/xyz?a=%2f&b=%2E", kind: KindLatest, url: "https://example.com/xyz?a=%2f&b=%2E"},
		{in: "http://example.com?example=2", kind: KindLatest, url: "http://example.com?example=2"},
		{in: "http://example.com/xyz##abc", kind: KindLatest, url: "http://example.com/xyz##abc"},
		// support urn: prefix
		{in: "urn:X-wpull:log", kind: KindLatest, url: "urn:X-wpull:log"},
		// Test scheme partially encoded urls
		{in: "https%3A//example.com/", kind: KindLatest, url: "https://example.com/"},
		{in: "2014/http%3A%2F%2Fexample.com/", kind: KindReplay, ts: "2014", url: "http://example.com/"},
		// IRI representation
		{in: "http://пример.испытание", kind: KindLatest, url: "http://xn--e1afmkfd.xn--80akhbyknj4f"},
		{in: "https://пример.испытание/abc/def_ghi/", kind: KindLatest, url: "https://xn--e1afmkfd.xn--80akhbyknj4f/abc/def_ghi/"},
		{in: "//пример.испытание/abc/", kind: KindLatest, url: "http://xn--e1afmkfd.xn--80akhbyknj4f/abc/"},
		{in: "2014id_/https://пример.испытание/abc", kind: KindReplay, ts: "2014", mod: "id_", url: "https://xn--e1afmkfd.xn--80akhbyknj4f/abc"},
		// percent-encoded form (as sent by browser usually)
		{in: "2014id_/http://" + ru("пример.испытание") + "/abc", kind: KindReplay, ts: "2014", mod: "id_", url: "http://xn--e1afmkfd.xn--80akhbyknj4f/abc"},
		// percent-encoded form -- scheme relative
		{in: "2014id_///" + ru("пример.испытание") + "/abc", kind: KindReplay, ts: "2014", mod: "id_", url: "http://xn--e1afmkfd.xn--80akhbyknj4f/abc"},
		// Query Urls
		{in: "*/http://example.com/abc?def=a", kind: KindQuery, url: "http://example.com/abc?def=a"},
		{in: "*/http://example.com/abc?def=a*", kind: KindURLQuery, url: "http://example.com/abc?def=a"},
		{in: "2010*/http://example.com/abc?def=a", kind: KindQuery, ts: "2010", url: "http://example.com/abc?def=a"},
		// timestamp range query
		{in: "2010-/http://example.com/abc?def=a", kind: KindQuery, ts: "2010", url: "http://example.com/abc?def=a"},
		{in: "2009-2015/http://example.com/abc?def=a", kind: KindQuery, ts: "2009", end: "2015", url: "http://example.com/abc?def=a"},
		{in: "2009*2015/http://example.com/abc?def=a", kind: KindQuery, ts: "2009", end: "2015", url: "http://example.com/abc?def=a"},
		{in: "2009*/http://example.com/abc?def=a", kind: KindQuery, ts: "2009", url: "http://example.com/abc?def=a"},
		{in: "-2015/http://example.com/abc?def=a", kind: KindQuery, end: "2015", url: "http://example.com/abc?def=a"},
		{in: "*2015/http://example.com/abc?def=a", kind: KindQuery, end: "2015", url: "http://example.com/abc?def=a"},
		{in: "json/*/http://example.com/abc?def=a", kind: KindQuery, mod: "json", url: "http://example.com/abc?def=a"},
		{in: "timemap-link/2011*/http://example.com/abc?def=a", kind: KindQuery, ts: "2011", mod: "timemap-link", url: "http://example.com/abc?def=a"},
		// strip off repeated, likely scheme-agnostic, slashes altogether
		{in: "///example.com", kind: KindLatest, url: "http://example.com"},
		{in: "//example.com/", kind: KindLatest, url: "http://example.com/"},
		{in: "/example.com/", kind: KindLatest, url: "http://example.com/"},
		// Is_ Tests
		{in: "20130102im_/https:/example.com", kind: KindReplay, ts: "20130102", mod: "im_", url: "https://example.com"},
		// Error Urls; "considered blank"
		{in: "", wantError: true},
		{in: "https:/", wantError: true},
		{in: "https:///", wantError: true},
		{in: "http://", wantError: true},
		// issue 13: a scheme-less URL with "://" inside it
		{in: "20140127171238/iana.org/?redirect=https://x.y/", kind: KindReplay, ts: "20140127171238", url: "http://iana.org/?redirect=https://x.y/"},
	} {
		a, err := ParseArchivalURL(c.in)
		if c.wantError {
			if err == nil {
				t.Errorf("WbUrl(%q) = %+v, want an error", c.in, a)
			}
			continue
		}
		if err != nil || a.Kind != c.kind || a.Timestamp != c.ts || a.Mod != c.mod || a.URL != c.url || a.End != c.end {
			t.Errorf("WbUrl(%q) = %+v, %v\nwant kind %d ts %q end %q mod %q url %q", c.in, a, err, c.kind, c.ts, c.end, c.mod, c.url)
		}
	}
}

// TestPywbToURI ports test_wburl.py's WbUrl.to_uri cases.
func TestPywbToURI(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"https://пример.испытание", "https://xn--e1afmkfd.xn--80akhbyknj4f"},
		{"пример.испытание", "xn--e1afmkfd.xn--80akhbyknj4f"},
		{"http://" + url.QueryEscape("пример.испытание"), "http://xn--e1afmkfd.xn--80akhbyknj4f"},
		{"//пример.испытание/abc/испытание", "//xn--e1afmkfd.xn--80akhbyknj4f/abc/%D0%B8%D1%81%D0%BF%D1%8B%D1%82%D0%B0%D0%BD%D0%B8%D0%B5"},
		{"//" + url.QueryEscape("пример.испытание") + "/abc/" + url.QueryEscape("пример"), "//xn--e1afmkfd.xn--80akhbyknj4f/abc/%D0%BF%D1%80%D0%B8%D0%BC%D0%B5%D1%80"},
		{"https://xn--e1afmkfd.xn--80akhbyknj4f/foo/bar?abc=def", "https://xn--e1afmkfd.xn--80akhbyknj4f/foo/bar?abc=def"},
		{"somescheme://test?foo=bar%9F", "somescheme://test?foo=bar%9F"},
		{"/test/foo=bar%9F", "/test/foo=bar%9F"},
	} {
		if got := toURI(c.in); got != c.want {
			t.Errorf("to_uri(%q) = %q, pywb %q", c.in, got, c.want)
		}
	}
	// "some bizzare input, ensure exception is caught"
	if got := toURI(strings.Repeat("%20", 100)); strings.TrimSpace(got) != "" {
		t.Errorf("to_uri(%%20×100) = %q", got)
	}
}

func FuzzParseArchivalURL(f *testing.F) {
	for _, s := range []string{"20130102im_/https:/example.com", "2009-2015/http://example.com/abc?def=a", "///example.com",
		"2014/http%3A%2F%2Fexample.com/", "$cbr:x/https://a", "*/http://a/*", "//пример.испытание/abc/", "urn:x:y", "%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseArchivalURL(s)
		if err != nil {
			return
		}
		if a.URL == "" || (a.Kind == KindReplay && a.Timestamp == "") {
			t.Fatalf("%q → %+v", s, a)
		}
		if !strings.HasPrefix(a.URL, "urn:") && schemeSlash(a.URL) < 0 {
			t.Fatalf("%q → URL %q without a scheme", s, a.URL)
		}
	})
}

func FuzzImportMap(f *testing.F) {
	f.Add([]byte(`{"imports": {"a": "./a.js", "/b/": "https://x/b/"}, "scopes": {"/s/": {"c": "../c.js"}}}`))
	f.Add([]byte(`{"imports": []}`))
	u := NewURLRewriter("/c/", "20200101000000", "", "http://example.com/dir/")
	f.Fuzz(func(t *testing.T, in []byte) {
		out := u.ImportMap(in)
		if bytes.Contains(bytes.ToLower(out), []byte("</script")) {
			t.Fatalf("import map output can end its element: %s", out)
		}
	})
}
