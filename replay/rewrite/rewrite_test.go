package rewrite

import (
	"bytes"
	"github.com/dop251/goja/parser"
	"net/http"
	"strings"
	"testing"
)

func TestRewriteURL(t *testing.T) {
	u := NewURLRewriter("/c/", "20200101000000", "mp_", "https://example.com/a/b.html?q=1")
	tests := []struct{ in, mod, want string }{
		{"x.png", ModImage, "/c/20200101000000im_/https://example.com/a/x.png"},
		{"/root", "", "/c/20200101000000/https://example.com/root"},
		{"../../../../up", "", "/c/20200101000000/https://example.com/up"},
		{"//cdn.net/s.js", ModJS, "/c/20200101000000js_/https://cdn.net/s.js"},
		{"HTTP://Other.org/Caf\xe9", "", "/c/20200101000000/http://Other.org/Caf\xe9"},
		{"wss://ws.example.com/sock", "", "/c/20200101000000/https://ws.example.com/sock"},
		{"#frag", "", "#frag"},
		{"", "", ""},
		{"data:text/plain,hi", "", "data:text/plain,hi"},
		{"javascript:void(0)", "", "javascript:void(0)"},
		{"mailto:a@b", "", "mailto:a@b"},
		{"/c/20200101000000/http://already.example/", "", "/c/20200101000000/http://already.example/"},
		{"?q=2", "", "/c/20200101000000/https://example.com/a/b.html?q=2"},
		{"/c/own-folder/x.html", "", "/c/20200101000000/https://example.com/c/own-folder/x.html"},
	}
	for _, tt := range tests {
		if got := u.Rewrite(tt.in, tt.mod); got != tt.want {
			t.Errorf("Rewrite(%q, %q) = %q, want %q", tt.in, tt.mod, got, tt.want)
		}
	}
}

func TestHeaders(t *testing.T) {
	u := NewURLRewriter("/c/", "20200101000000", "", "http://example.com/")
	in := http.Header{
		"Content-Type":                {"text/html; charset=iso-8859-1"},
		"Location":                    {"/moved"},
		"Link":                        {`<https://example.com/style.css>; rel=preload, </a.js>; rel=preload`},
		"Set-Cookie":                  {"id=1; Domain=.example.com; Path=/app; Secure; HttpOnly"},
		"Content-Security-Policy":     {"default-src *"},
		"Strict-Transport-Security":   {"max-age=1"},
		"Server":                      {"Apache"},
		"Access-Control-Allow-Origin": {"*"},
		"Content-Length":              {"12"},
		"Content-Encoding":            {"gzip"},
		"X-Bad":                       {"a\r\nSet-Cookie: evil=1"},
		"Bad Name":                    {"v"},
	}
	got := u.Headers(in)
	want := http.Header{
		"Content-Type":          {"text/html; charset=iso-8859-1"},
		"Location":              {"/c/20200101000000/http://example.com/moved"},
		"Link":                  {`</c/20200101000000oe_/https://example.com/style.css>; rel=preload, </c/20200101000000oe_/http://example.com/a.js>; rel=preload`},
		"Set-Cookie":            {"id=1; Path=/c/; HttpOnly"},
		"X-Archive-Orig-Server": {"Apache"},
		"X-Archive-Orig-Access-Control-Allow-Origin": {"*"},
	}
	if len(got) != len(want) {
		t.Errorf("got %d headers %v, want %d", len(got), got, len(want))
	}
	for k, v := range want {
		if g := got[k]; len(g) != 1 || g[0] != v[0] {
			t.Errorf("%s = %q, want %q", k, g, v)
		}
	}
}

func TestHTMLStreamsLargeAndBroken(t *testing.T) {
	u := NewURLRewriter("/c/", "20200101000000", "", "http://example.com/")
	for _, in := range []string{
		"", "<", "<a href", "<a href='", "<a href=\"/x", "<script>location", "<style>url(", "<!--", "<a href=/x>",
		strings.Repeat("<p>text <a href=/l>l</a>\n", 20000),
	} {
		var b bytes.Buffer
		if err := u.HTML(&b, strings.NewReader(in), HTMLOptions{Head: "<!--H-->"}); err != nil {
			t.Fatalf("%.20q: %v", in, err)
		}
		if !strings.Contains(b.String(), "<!--H-->") {
			t.Errorf("%.20q: head not injected: %.60q", in, b.String())
		}
		if len(in) > 1000 && strings.Count(b.String(), "/c/20200101000000/http://example.com/l") != 20000 {
			t.Errorf("large page: not every link rewritten")
		}
	}
}

func FuzzHTML(f *testing.F) {
	seedFrom(f, "testdata/golden/page.html", "testdata/golden/latin1.html")
	f.Add([]byte("<a href=x integrity=y><script>location</script>"))
	u := NewURLRewriter("/c/", "20200101000000", "", "http://example.com/")
	f.Fuzz(func(t *testing.T, in []byte) {
		var b bytes.Buffer
		if err := u.HTML(&b, bytes.NewReader(in), HTMLOptions{}); err != nil {
			t.Fatal(err)
		}
		// Nothing rewritable: the page must come back byte for byte.
		if !bytes.ContainsAny(in, "<") && !bytes.Equal(b.Bytes(), in) {
			t.Fatalf("text-only input changed")
		}
	})
}

func FuzzCSS(f *testing.F) {
	seedFrom(f, "testdata/golden/style.css")
	f.Add([]byte(`a{background:url(`))
	u := NewURLRewriter("/c/", "20200101000000", "", "http://example.com/")
	f.Fuzz(func(t *testing.T, in []byte) {
		out := u.CSS(in)
		if !bytes.Contains(in, []byte("url(")) && !bytes.Contains(bytes.ToLower(in), []byte("url(")) &&
			!bytes.Contains(bytes.ToLower(in), []byte("@import")) && !bytes.Equal(in, out) {
			t.Fatalf("CSS without url()/@import changed")
		}
	})
}

func FuzzJS(f *testing.F) {
	seedFrom(f, "testdata/golden/app.js")
	f.Add([]byte("`${location`"))
	u := NewURLRewriter("/c/", "20200101000000", "", "http://example.com/")
	f.Fuzz(func(t *testing.T, in []byte) {
		out := u.JS(in)
		// only location references and module specifiers (after import,
		// import( or from, as in "export … from") are rewritten
		if !bytes.Contains(in, []byte("location")) && !bytes.Contains(in, []byte("import")) && !bytes.Contains(in, []byte("from")) && !bytes.Equal(in, out) {
			t.Fatalf("JS without location/import/from changed")
		}
		// a script that parsed must still parse (issue 13)
		if _, err := parser.ParseFile(nil, "in.js", string(in), 0); err == nil {
			if _, err := parser.ParseFile(nil, "out.js", string(out), 0); err != nil {
				t.Fatalf("rewriting broke the script: %v\n%s\n→\n%s", err, in, out)
			}
		}
	})
}

func seedFrom(f *testing.F, paths ...string) {
	for _, p := range paths {
		b, err := osReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}
