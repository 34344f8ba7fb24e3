package archivalurl

import (
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
		kind      Kind
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
		a, err := Parse(c.in)
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

func FuzzParse(f *testing.F) {
	for _, s := range []string{"20130102im_/https:/example.com", "2009-2015/http://example.com/abc?def=a", "///example.com",
		"2014/http%3A%2F%2Fexample.com/", "$cbr:x/https://a", "*/http://a/*", "//пример.испытание/abc/", "urn:x:y", "%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s)
		if err != nil {
			return
		}
		if a.URL == "" || (a.Kind == KindReplay && a.Timestamp == "") {
			t.Fatalf("%q → %+v", s, a)
		}
		if !strings.HasPrefix(a.URL, "urn:") && SchemeSlash(a.URL) < 0 {
			t.Fatalf("%q → URL %q without a scheme", s, a.URL)
		}
	})
}

func TestSplit(t *testing.T) {
	tests := []struct {
		in, ts, mod, rest string
		ok                bool
	}{
		{"20200101000000/http://a/", "20200101000000", "", "http://a/", true},
		{"2020id_/http://a/", "2020", "id_", "http://a/", true},
		{"mp_/http://a/", "", "mp_", "http://a/", true},
		{"2020wkr_/http://a/w.js", "2020", "wkr_", "http://a/w.js", true},
		{"http://a/", "", "", "http://a/", false},
		{"example.com/x", "", "", "example.com/x", false},
		{"2020xx_/http://a/", "2020", "xx_", "http://a/", true}, // any [a-z]+_, as pywb
		{"123456789012345/http://a/", "", "", "123456789012345/http://a/", false},
		// test_wburl.py: "20130102$cbr:test-foo.123/https:/example.com"
		{"20130102$cbr:test-foo.123/https:/example.com", "20130102", "$cbr:test-foo.123", "https:/example.com", true},
		{"20130102im_///example.com", "20130102", "im_", "example.com", true},
	}
	for _, tt := range tests {
		ts, mod, rest, ok := Split(tt.in)
		if ts != tt.ts || mod != tt.mod || rest != tt.rest || ok != tt.ok {
			t.Errorf("Split(%q) = %q %q %q %v, want %q %q %q %v", tt.in, ts, mod, rest, ok, tt.ts, tt.mod, tt.rest, tt.ok)
		}
	}
}

// TestUnwrap: a page's URL is unwrapped only when it is a replay URL, with
// or without a collection before the timestamp; dated paths stay.
func TestUnwrap(t *testing.T) {
	for in, want := range map[string]string{
		"https://web.archive.org/web/20160526181643/http://ordnung.example/orga-life/": "http://ordnung.example/orga-life/",
		"https://web.archive.org/web/20130307194448/the-pain.net/2008/05/silk.html":    "http://the-pain.net/2008/05/silk.html",
		"https://web.archive.org/web/20130307194448id_/https://site.example/a?b=1":     "https://site.example/a?b=1",
		"http://localhost:8080/my-coll/2016/http:/site.example/":                       "http://site.example/",
		// pywb's modifiers (test_wburl.py) and its "///" before a scheme-less URL
		"http://localhost:8080/c/20130102$cbr:test-foo.123/https:/site.example/": "https://site.example/",
		"http://localhost:8080/c/20130102000000im_///site.example/x":             "http://site.example/x",
		"http://localhost:8080/a/b/2016mp_/HTTPS://site.example/x":               "https://site.example/x",
		// not replay URLs
		"https://news.example/2020/05/site.com-review":          "https://news.example/2020/05/site.com-review",
		"https://news.example/12345/http-errors-explained":      "https://news.example/12345/http-errors-explained",
		"https://news.example/web/2016/site.example/":           "https://news.example/web/2016/site.example/",
		"https://news.example/web/201/http://site.example/":     "https://news.example/web/201/http://site.example/",
		"https://news.example/web/20160526181643/http://local/": "https://news.example/web/20160526181643/http://local/",
		"https://news.example/web/2016id_/ftp://site.example/":  "https://news.example/web/2016id_/ftp://site.example/",
		"https://news.example/":                                 "https://news.example/",
	} {
		u, err := url.Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := Unwrap(u).String(); got != want {
			t.Errorf("Unwrap(%s) = %s, want %s", in, got, want)
		}
	}
	if Unwrap(nil) != nil {
		t.Error("Unwrap(nil) != nil")
	}
}

func FuzzArchivedURL(f *testing.F) {
	for _, s := range []string{
		"https://web.archive.org/web/20160526181643/http://ordnung.example/orga-life/",
		"https://web.archive.org/web/20130307194448id_/the-pain.net/x",
		"/a/1234/https:/", "/20130307194448/./", "http://h/0000/http:/[::1]/",
		"/c/2013$cbr:x///a.b/",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := url.Parse(s)
		if err != nil {
			return
		}
		got := Unwrap(u)
		if got == nil {
			t.Fatalf("Unwrap(%q) = nil", s)
		}
		if got != u && !strings.Contains(got.Hostname(), ".") {
			t.Fatalf("Unwrap(%q) = %q: an archived URL without a host", s, got)
		}
	})
}
