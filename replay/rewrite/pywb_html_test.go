package rewrite

import (
	"bytes"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

// Conformance with pywb's pywb/rewrite/test/test_html_rewriter.py and
// wabac.js's test/rewriteHTML.ts (cited by the input they test). Both
// write their own URL forms (pywb and wabac.js keep relative references
// for wombat to resolve in the browser, use mp_ for backgrounds and esm_
// for modules); warcbox resolves every reference on the server, so each
// case states the replay URL warcbox writes, whose target URL is the one
// pywb or wabac.js resolve to. Documented in docs/replay.md.

const pwDoc = "http://example.com/some/path/index.html"

// attrsOf returns "tag attr=value" for every attribute in doc.
func attrsOf(doc string) []string {
	z := xhtml.NewTokenizer(strings.NewReader(doc))
	var out []string
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			return out
		}
		if tt == xhtml.StartTagToken || tt == xhtml.SelfClosingTagToken {
			tok := z.Token()
			for _, a := range tok.Attr {
				name := a.Key
				if a.Namespace != "" {
					name = a.Namespace + ":" + a.Key
				}
				out = append(out, tok.Data+" "+name+"="+a.Val)
			}
		}
	}
}

func rewriteHTMLString(t *testing.T, u *URLRewriter, in string) string {
	t.Helper()
	var b bytes.Buffer
	if err := u.HTML(&b, strings.NewReader(in), HTMLOptions{}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestPywbHTMLRewriter(t *testing.T) {
	const p = "/web/20131226101010"
	var scripts []jsSource
	defer func() {
		if len(scripts) < 2 {
			t.Errorf("only %d scripts to parse-check", len(scripts))
		}
		assertParse(t, scripts)
	}()
	for _, c := range []struct {
		suite, in string
		want      []string // "tag attr=value" that must be in the output
	}{
		{"pywb", `<HTML><A Href="page.html">Text</a></hTmL>`, []string{"a href=" + p + "/http://example.com/some/path/page.html"}},
		{"pywb", `<body x="y"><img src="../img.gif"/><br/></body>`, []string{"img src=" + p + "im_/http://example.com/some/img.gif"}},
		{"pywb", `<body x="y"><img src="/img.gif"/><br/></body>`, []string{"img src=" + p + "im_/http://example.com/img.gif"}},
		{"pywb", `<table background="/img.gif">`, []string{"table background=" + p + "im_/http://example.com/img.gif"}},
		{"wabac", `<table background="\path\img.gif">`, []string{"table background=" + p + "im_/http://example.com/path/img.gif"}},
		{"pywb", `<html><head><base href="http://example.com/diff/path/file.html"/>`, []string{"base href=" + p + "/http://example.com/diff/path/file.html"}},
		{"pywb", `<base href="//example.com"/><img src="/foo.gif"/>`, []string{"base href=" + p + "/http://example.com", "img src=" + p + "im_/http://example.com/foo.gif"}},
		{"pywb", `<html><head><base href="/other/file.html"/><a href="/path.html">`, []string{"base href=" + p + "/http://example.com/other/file.html", "a href=" + p + "/http://example.com/path.html"}},
		{"pywb", `<base href="./static/"/><img src="image.gif"/>`, []string{"img src=" + p + "im_/http://example.com/some/path/static/image.gif"}},
		{"pywb", `<base href="./static/"/><a href="/static/"/>`, []string{"a href=" + p + "/http://example.com/static/"}},
		{"pywb", `<base href="http://example.com"/>`, []string{"base href=" + p + "/http://example.com"}},
		{"wabac", `<base href="//example.com?foo"/>`, []string{"base href=" + p + "/http://example.com?foo"}},
		{"pywb", `<HTML><div Href="page.html">Text</div></hTmL>`, []string{"div href=page.html"}},
		{"pywb", `<HTML><A Href="#abc">Text</a></hTmL>`, []string{"a href=#abc"}},
		{"pywb", `<a href="http&#x3a;&#x2f;&#x2f;example.com&#x2f;path&#x2f;">`, []string{"a href=" + p + "/http://example.com/path/"}},
		{"wabac", `<a href="http://испытание.испытание/">испытание</a>`, []string{"a href=" + p + "/http://испытание.испытание/"}},
		{"pywb", `<a href="http&#x3a;&#x2f;&#x2f;www&#x2e;example&#x2e;com&#x2f;path&#x2f;file.html">`, []string{"a href=" + p + "/http://www.example.com/path/file.html"}},
		{"pywb", `<a href="&#x2f;&#x2f;www&#x2e;example&#x2e;com&#x2f;path&#x2f;file.html">`, []string{"a href=" + p + "/http://www.example.com/path/file.html"}},
		{"pywb", `<META http-equiv="refresh" content="10; URL=/abc/def.html">`, []string{"meta content=10; URL=" + p + "/http://example.com/abc/def.html"}},
		{"pywb", `<meta http-equiv="Content-type" content="text/html; charset=utf-8" />`, []string{"meta content=text/html; charset=utf-8"}},
		{"pywb", `<meta http-equiv="refresh" content="text/html; charset=utf-8" />`, []string{"meta content=text/html; charset=utf-8"}},
		{"pywb", `<param value="http://example.com/"/>`, []string{"param value=" + p + "oe_/http://example.com/"}},
		{"pywb", `<param value="foo bar"/>`, []string{"param value=foo bar"}},
		{"pywb", `<img srcset="http://example.com">`, []string{"img srcset=" + p + "im_/http://example.com"}},
		{"pywb", `<img srcset="http://example.com/123 2w,http://example.com/ 4w">`, []string{"img srcset=" + p + "im_/http://example.com/123 2w," + p + "im_/http://example.com/ 4w"}},
		{"pywb", `<img srcset="http://example.com/123 2x,http://example.com/">`, []string{"img srcset=" + p + "im_/http://example.com/123 2x," + p + "im_/http://example.com/"}},
		{"pywb", `<script src="js/fun.js"></script>`, []string{"script src=" + p + "js_/http://example.com/some/path/js/fun.js"}},
		{"pywb", `<script xlink:href="/js/scripts.js"/>`, []string{"script xlink:href=" + p + "js_/http://example.com/js/scripts.js"}},
		{"pywb", `<svg><defs><script xlink:href="/js/scripts.js"/><defs/><title>I'm a title tag in svg!</title></svg>`, []string{"script xlink:href=" + p + "js_/http://example.com/js/scripts.js"}},
		{"pywb", `<link rel="stylesheet" href="http://example.com/some/other/path">`, []string{"link href=" + p + "cs_/http://example.com/some/other/path"}},
		{"pywb", `<link rel="preload" as="script" href="http://example.com/some/other/path">`, []string{"link href=" + p + "js_/http://example.com/some/other/path"}},
		{"pywb", `<link rel="preload" as="image" href="http://example.com/some/other/path">`, []string{"link href=" + p + "im_/http://example.com/some/other/path"}},
		{"pywb", `<link rel="preload" as="document" href="http://example.com/some/other/path">`, []string{"link href=" + p + "if_/http://example.com/some/other/path"}},
		{"pywb", `<HTML><A Href="  page.html  ">Text</a></hTmL>`, []string{"a href=" + p + "/http://example.com/some/path/page.html"}},
		{"pywb", `<HTML><A Href="">Text</a></hTmL>`, []string{"a href="}},
		{"wabac", `<iframe src="https://example.com/iframe.html"></iframe>`, []string{"iframe src=" + p + "if_/https://example.com/iframe.html"}},
		{"wabac", `<td background="https://example.com/"></td>`, []string{"td background=" + p + "im_/https://example.com/"}},
		{"pywb", `<div style="background: url('abc.html')" onblah onclick="location = 'redirect.html'"></div>`, []string{"div style=background: url('" + p + "im_/http://example.com/some/path/abc.html')", "div onclick=WB_wombat_location = 'redirect.html'"}},
		{"pywb", `<div style="background: url('abc.html')" onblah on-click="location = 'redirect.html'"></div>`, []string{"div on-click=location = 'redirect.html'"}},
		{"pywb", `<i style="background-image: url(http://foo-.bar_.example.com/)"></i>`, []string{"i style=background-image: url(" + p + "im_/http://foo-.bar_.example.com/)"}},
		{"pywb", `<i style='background-image: url(&quot;http://foo.example.com/&quot;)'></i>`, []string{`i style=background-image: url("` + p + `im_/http://foo.example.com/")`}},
		{"pywb", `<html><a href="javascript:location='foo.html'"></a></html>`, []string{"a href=javascript:WB_wombat_location='foo.html'"}},
		{"pywb", `<html><a href="javascript:alert()"></a></html>`, []string{"a href=javascript:alert()"}},
		{"pywb", `<script src="/js/scripts.js" crossorigin="anonymous" integrity="ABC"></script>`, []string{"script src=" + p + "js_/http://example.com/js/scripts.js"}},
		{"pywb", `<link rel=canonical href="http://example.com/">`, []string{"link href=" + p + "/http://example.com/"}},
		{"pywb", `<img srcset="http://test.com/yaşar-kunduz.jpg 320w, http://test.com/yaşar-konçalves-273x300.jpg 273w">`, []string{"img srcset=" + p + "im_/http://test.com/yaşar-kunduz.jpg 320w, " + p + "im_/http://test.com/yaşar-konçalves-273x300.jpg 273w"}},
		{"issue 13", `<a href="http:\/\/other.com/x">`, []string{"a href=" + p + "/http://other.com/x"}},
		{"issue 13", `<a href="\/\/other.com/x">`, []string{"a href=" + p + "/http://other.com/x"}},
		{"issue 13", `<a href="/web/20131226101010/http://other.com/x">`, []string{"a href=/web/20131226101010/http://other.com/x"}},
	} {
		u := NewURLRewriter("/web/", "20131226101010", "", pwDoc)
		out := rewriteHTMLString(t, u, c.in)
		got := attrsOf(out)
		for _, a := range got {
			// rewritten event handlers and javascript: URLs must parse
			_, nv, _ := strings.Cut(a, " ")
			name, v, _ := strings.Cut(nv, "=")
			if strings.HasPrefix(name, "on") && len(name) > 2 && isLetters([]byte(name[2:])) {
				scripts = append(scripts, jsSource{Name: c.in, Src: "(function (event) {" + v + "\n})"})
			} else if strings.HasPrefix(v, "javascript:") {
				scripts = append(scripts, jsSource{Name: c.in, Src: strings.TrimPrefix(v, "javascript:")})
			}
		}
		for _, w := range c.want {
			found := false
			for _, g := range got {
				found = found || g == w
			}
			if !found {
				t.Errorf("%s %s\n got %s\nwant attribute %q", c.suite, c.in, out, w)
			}
		}
	}
}

// TestPywbURLRewriter ports pywb/rewrite/test/test_url_rewriter.py: its
// urljoin cases, and its do_rewrite cases with warcbox's absolute form
// (pywb keeps "other.html" relative and writes "//" references
// scheme-relative to the replay host; both name the same capture).
func TestPywbURLRewriter(t *testing.T) {
	for _, c := range []struct{ base, ref, want string }{
		{"http://example.com/test/", "../file.html", "http://example.com/file.html"},
		{"http://example.com/test/", "../path/../../../file.html", "http://example.com/file.html"},
		{"http://example.com/test/", "/../file.html", "http://example.com/file.html"},
		{"http://example.com/", "/abc/../../file.html", "http://example.com/file.html"},
		{"http://example.com/path/more/", "abc/../../file.html", "http://example.com/path/file.html"},
		{"http://example.com/test/", "file.html", "http://example.com/test/file.html"},
	} {
		if got, _ := NewURLRewriter("/", "", "", c.base).Resolve(c.ref); got != c.want {
			t.Errorf("urljoin(%q, %q) = %q, pywb %q", c.base, c.ref, got, c.want)
		}
	}
	full := NewURLRewriter("/web/", "2014", "", "http://example.com/index.html")
	full.Host = "localhost:8080"
	for _, ref := range []string{"http://localhost:8080/web/2014im_/http://some-other-site.com", "//localhost:8080/web/http://some-other-site.com"} {
		if got := full.Rewrite(ref, ""); got != ref {
			t.Errorf("full-prefix replay URL %q wrapped again: %q", ref, got)
		}
	}
	if got := full.Rewrite("http://localhost:8080/web/page.html", ""); got != "/web/2014/http://localhost:8080/web/page.html" {
		t.Errorf("a site path on the replay host's name is not a replay URL: %q", got)
	}
	for _, c := range []struct{ ref, ts, base, prefix, mod, want string }{
		{"other.html", "20131010", "http://example.com/path/page.html", "/web/", "", "/web/20131010/http://example.com/path/other.html"},
		{"/path/file.js", "20131010", "http://example.com/path/page.html", "/web/", "js_", "/web/20131010js_/http://example.com/path/file.js"},
		{"/file.js", "20131010", "http://example.com/", "/coll/", "", "/coll/20131010/http://example.com/file.js"},
		{"/file.js", "20131010", "http://example.com", "/coll/", "js_", "/coll/20131010js_/http://example.com/file.js"},
		{"../other.html", "20131112", "http://example.com/path/page.html", "/coll/", "im_", "/coll/20131112im_/http://example.com/other.html"},
		{"http://some-other-site.com", "20101226101112", "http://example.com/index.html", "/", "", "/20101226101112/http://some-other-site.com"},
		{"/web/http://some-other-site.com", "2014", "http://example.com/index.html", "/web/", "", "/web/http://some-other-site.com"},
		{"/web/2014im_/http://some-other-site.com", "2014", "http://example.com/index.html", "/web/", "", "/web/2014im_/http://some-other-site.com"},
		{`http:\/\/some-other-site.com`, "20101226101112", "http://example.com/index.html", "/", "", "/20101226101112/http://some-other-site.com/"},
		{`\/\/some-other-site.com`, "20101226101112", "http://example.com/index.html", "/", "", "/20101226101112/http://some-other-site.com/"},
		{"//some-other-site.com", "20101226101112", "http://example.com/index.html", "/", "", "/20101226101112/http://some-other-site.com"},
		{`\\/\\/some-other-site.com`, "20101226101112", "http://example.com/index.html", "/", "", "/20101226101112/http://some-other-site.com/"},
		{"../../other.html", "2020", "http://example.com/index.html", "/", "", "/2020/http://example.com/other.html"},
		{"", "20131010010203", "http://example.com/file.html", "/web/", "", ""},
		{"#anchor", "20131010", "http://example.com/path/page.html", "/web/", "", "#anchor"},
		{"mailto:example@example.com", "20131010", "http://example.com/path/page.html", "/web/", "", "mailto:example@example.com"},
		{"file:///some/path/", "20131010", "http://example.com/path/page.html", "/web/", "", "file:///some/path/"},
		{"js/bundle.php?v=1", "", "http://example.com/vucht.php", "/live/", "js_", "/live/js_/http://example.com/js/bundle.php?v=1"},
	} {
		if got := NewURLRewriter(c.prefix, c.ts, "", c.base).Rewrite(c.ref, c.mod); got != c.want {
			t.Errorf("rewrite(%q) on %s = %q, want %q", c.ref, c.base, got, c.want)
		}
	}
}

// TestWabacImportMap is wabac.js test/rewriteHTML.ts "test import map":
// URL-like specifiers (keys and values) point at the replay URLs modules
// are loaded from (js_ where wabac.js uses esm_); bare ones stay.
func TestWabacImportMap(t *testing.T) {
	u := NewURLRewriter("/prefix/", "20201226101010", "mp_", "https://example.com/some/path/index.html")
	in := `<script type="importmap">
    {
      "imports": {
        "resources": "./javascript/resources.js",
        "javascript/resources": "./javascript/resources.js",
        "../javascript/resources": "./javascript/resources.js",
        "resources/absolute": "https://example.com/javascript/resources.js",
        "https://example.com/resources": "./javascript/resources.js",
        "https://website.test.example.org/resources": "./javascript/resources.js",
        "https://xn--wbsite-bva.test.example.org/resources": "./javascript/resources.js",
        "https://wébsite.test.example.org/resources": "./javascript/resources.js"
      },
      "scopes": {"/scoped/": {"x": "/x.js"}}
    }
  </script>`
	out := rewriteHTMLString(t, u, in)
	const p = "/prefix/20201226101010js_/"
	for _, want := range []string{
		`"resources": "` + p + `https://example.com/some/path/javascript/resources.js"`,
		`"javascript/resources": "` + p + `https://example.com/some/path/javascript/resources.js"`,
		`"` + p + `https://example.com/some/javascript/resources": "` + p + `https://example.com/some/path/javascript/resources.js"`,
		`"resources/absolute": "` + p + `https://example.com/javascript/resources.js"`,
		`"` + p + `https://example.com/resources"`,
		`"` + p + `https://website.test.example.org/resources"`,
		`"` + p + `https://xn--wbsite-bva.test.example.org/resources"`,
		`"` + p + `https://wébsite.test.example.org/resources"`,
		`"` + p + `https://example.com/scoped/": {`,
		`"x": "` + p + `https://example.com/x.js"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("import map lacks %s:\n%s", want, out)
		}
	}
	// not JSON: left as recorded
	bad := `<script type="importmap">{nope</script>`
	if got := rewriteHTMLString(t, u, bad); got != bad {
		t.Errorf("invalid import map changed: %s", got)
	}
}

// TestFastResolveMatchesWHATWG checks the textual fast path against the
// WHATWG parser it stands in for.
func TestFastResolveMatchesWHATWG(t *testing.T) {
	bases := []string{"http://example.com/a/b/c.html", "https://example.com/", "http://example.com:8080/a/", "http://example.com/a/b/"}
	refs := []string{"x.png", "d/e.css", "./x", "./", "../x", "../../x", "../../../../x", "./../x", "../", "/root", "./d/e?q=1#f",
		".//x", "../?q", "./#f", "x/../y", "a./b", ".x", "..x", "../.x", "./x:y", "x?y=./z"}
	for _, b := range bases {
		u := NewURLRewriter("/c/", "", "", b)
		for _, r := range refs {
			fast, ok := u.fastResolve(r)
			if !ok {
				continue
			}
			slow, err := u.parse(r)
			if err != nil {
				t.Errorf("%s + %s: fast %q, WHATWG error %v", b, r, fast, err)
				continue
			}
			if fast != slow.Href(false) {
				t.Errorf("%s + %s: fast %q, WHATWG %q", b, r, fast, slow.Href(false))
			}
		}
	}
}
