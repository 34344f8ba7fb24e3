package replay

import (
	"strings"
	"testing"
)

// TestArchivalURLForms serves the archival URL forms of pywb's
// test_wburl.py that issue 13 found rejected: each must reach the capture
// (or the list of captures) pywb would serve.
func TestArchivalURLForms(t *testing.T) {
	srv := newPywbServer(t)
	for _, c := range []struct {
		path string
		code int
		want string // Location suffix for 302s, a body fragment for 200s
	}{
		{"/pywb/20140127171238/iana.org/?redirect=https://x.y/", 404, ""}, // parsed (not a 400); not archived
		{"/pywb/20140126200624/https%3A//www.iana.org/", 200, ""},
		{"/pywb/2014/http%3A%2F%2Fwww.iana.org/", 302, "/20140127171238/http://www.iana.org/"},
		{"/pywb/2014///www.iana.org/", 302, "/20140127171238/http://www.iana.org/"},
		{"/pywb///www.iana.org/", 302, "/20140127171238/http://www.iana.org/"},
		{"/pywb/20140126200624im_///www.iana.org/", 200, ""},
		{"/pywb/2010-/http://www.iana.org/", 200, "20140126200624"},
		{"/pywb/2009-2015/http://www.iana.org/", 200, "20140126200624"},
		{"/pywb/2009*2015/http://www.iana.org/", 200, "20140126200624"},
		{"/pywb/-2015/http://www.iana.org/", 200, "20140126200624"},
		{"/pywb/*2015/http://www.iana.org/", 200, "20140126200624"},
		{"/pywb/2015-/http://www.iana.org/", 404, ""},
		{"/pywb/*/http://www.iana.org/domains/root/db", 200, "20140126200927"},  // the capture of …/db/
		{"/pywb/*/http://www.iana.org/domains/root/db/", 200, "20140126200928"}, // and of …/db
		{"/pywb/-2013/http://www.iana.org/", 404, ""},
		{"/pywb/2014/javascript:alert(1)", 400, ""},
	} {
		resp, body := get(t, srv.URL+c.path)
		if resp.StatusCode != c.code {
			t.Errorf("%s: %d, want %d (%.200s)", c.path, resp.StatusCode, c.code, body)
			continue
		}
		switch {
		case c.code == 302 && !strings.HasSuffix(resp.Header.Get("Location"), c.want):
			t.Errorf("%s: Location %q, want …%s", c.path, resp.Header.Get("Location"), c.want)
		case c.code == 200 && !strings.Contains(body, c.want):
			t.Errorf("%s: body lacks %q", c.path, c.want)
		}
	}
}
