package rewrite

import (
	"net/http"
	"testing"
)

func TestHeadersDropScriptURLs(t *testing.T) {
	u := NewURLRewriter("/c/", "20240101000000", "", "http://site.test/a")
	for _, tc := range []struct {
		name, value string
		kept        bool
	}{
		{"Location", "javascript:alert(1)", false},
		{"Location", " \tJaVa\nScRiPt:alert(1)", false},
		{"Location", "data:text/html,<script>x</script>", false},
		{"Location", "blob:http://site.test/x", false},
		{"Content-Location", "vbscript:x", false},
		{"Location", "https://site.test/b", true},
		{"Location", "/b:c", true},
		{"Location", "b", true},
		{"Refresh", "0; url=javascript:alert(1)", false},
		{"Refresh", "0;URL='data:text/html,x'", false},
		{"Refresh", "5, javascript:alert(1)", false},
		{"Refresh", "0; url=http://site.test/next", true},
		{"Refresh", "10", true},
	} {
		out := u.Headers(http.Header{tc.name: {tc.value}})
		if got := out.Get(tc.name) != ""; got != tc.kept {
			t.Errorf("%s: %q kept=%v, want %v (%v)", tc.name, tc.value, got, tc.kept, out)
		}
	}
}
