package capture

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

func TestNormalizeURL(t *testing.T) {
	for in, want := range map[string]string{
		"HTTP://Example.COM:80":                "http://example.com/",
		"https://example.com:443/a/./b/../c":   "https://example.com/a/c",
		"http://example.com/%7Euser?b=2&a=1#x": "http://example.com/~user?b=2&a=1",
		"http://user:pw@example.com./":         "http://example.com/",
		"http://bücher.example/":               "http://xn--bcher-kva.example/",
		"http://example.com/a%2Fb":             "http://example.com/a%2Fb",
		"http://[::1]:8080/":                   "http://[::1]:8080/",
	} {
		u, err := NormalizeURL(in)
		if err != nil || u.String() != want {
			t.Errorf("NormalizeURL(%q) = %v, %v; want %s", in, u, err, want)
		}
	}
	for _, bad := range []string{"ftp://x/", "mailto:a@b", "http:///nohost", "::"} {
		if _, err := NormalizeURL(bad); err == nil {
			t.Errorf("NormalizeURL(%q) accepted", bad)
		}
	}
}

func TestRobots(t *testing.T) {
	body := []byte(`# test
User-agent: otherbot
Disallow: /

User-agent: warcbox
Disallow: /private
Allow: /private/public
Disallow: /*.pdf$
Crawl-delay: 3

User-agent: *
Disallow: /everything-else
`)
	r := parseRobots(body, "warcbox/1.0 (+https://x)")
	for path, want := range map[string]bool{
		"/": true, "/private": false, "/private/x": false, "/private/public/y": true,
		"/doc.pdf": false, "/doc.pdf?x": true, "/everything-else": true,
	} {
		if got := r.Allowed(path); got != want {
			t.Errorf("Allowed(%q) = %v, want %v", path, got, want)
		}
	}
	if r.CrawlDelay != 3 {
		t.Errorf("crawl delay %v", r.CrawlDelay)
	}
	star := parseRobots(body, "someone")
	if star.Allowed("/everything-else") || !star.Allowed("/private") {
		t.Error("the * group was not used for an unnamed agent")
	}
}

func TestSrcsetAndRefresh(t *testing.T) {
	if got := parseSrcset(" a.png 1x, b.png 2x,c.png,  d.png 100w "); !reflect.DeepEqual(got, []string{"a.png", "b.png", "c.png", "d.png"}) {
		t.Errorf("srcset %q", got)
	}
	for in, want := range map[string]string{"5; url=/next": "/next", "0;URL='x.html'": "x.html", "3": "", "1; /bare": "/bare"} {
		if got := refreshURL(in); got != want {
			t.Errorf("refreshURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestExtractBaseAndHops(t *testing.T) {
	base, _ := url.Parse("http://example.com/dir/page.html")
	links := extractHTML([]byte(`<base href="http://cdn.example.com/s/"><a href="p">p</a><img src="i.png"><a href="#top">t</a><a href="javascript:void(0)">j</a><meta http-equiv="Refresh" content="0; url=/moved">`), base)
	got := map[string]byte{}
	for _, l := range links {
		got[l.URL] = l.Hop
	}
	want := map[string]byte{"http://cdn.example.com/s/p": 'L', "http://cdn.example.com/s/i.png": 'E', "http://cdn.example.com/moved": 'R'}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("links %v, want %v", got, want)
	}
}

// <link rel=dns-prefetch|preconnect> names an origin to warm up, not a
// resource: HTTP mode used to follow it and fetch the site's root page.
func TestConnectionHintsAreNotLinks(t *testing.T) {
	base, _ := url.Parse("https://example.com/a/page.html")
	page := `<link rel="dns-prefetch" href="//cdn.example.net"><link rel="preconnect" href="https://fonts.example.org" crossorigin>` +
		`<link rel="Preconnect Stylesheet" href="/both.css"><link rel="prefetch" href="/next.html"><link rel="stylesheet" href="/s.css">`
	for name, links := range map[string][]link{
		"dom":    extractHTML([]byte(page), base),
		"stream": extractHTMLStream([]byte(page), base),
	} {
		got := map[string]byte{}
		for _, l := range links {
			got[l.URL] = l.Hop
		}
		want := map[string]byte{"https://example.com/both.css": 'E', "https://example.com/next.html": 'L', "https://example.com/s.css": 'E'}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: links %v, want %v", name, got, want)
		}
	}
}

func TestScope(t *testing.T) {
	seed, _ := NormalizeURL("https://docs.example.co.uk/guide/intro.html")
	cases := []struct {
		scope Scope
		in    map[string]bool
	}{
		{ScopePage, map[string]bool{"https://docs.example.co.uk/guide/next.html": false}},
		{ScopeHost, map[string]bool{"https://docs.example.co.uk/other": true, "https://www.example.co.uk/": false}},
		{ScopeDomain, map[string]bool{"https://www.example.co.uk/": true, "http://cdn.example.co.uk/x": true, "https://other.co.uk/": false}},
		{ScopePrefix, map[string]bool{"https://docs.example.co.uk/guide/deeper/x": true, "https://docs.example.co.uk/other": false}},
	}
	for _, c := range cases {
		r := newScopeRule(c.scope, []*url.URL{seed}, nil, nil)
		for raw, want := range c.in {
			u, _ := NormalizeURL(raw)
			if got := r.follows(u); got != want {
				t.Errorf("scope %s: follows(%s) = %v, want %v", c.scope, raw, got, want)
			}
		}
	}
	if _, err := ParseScope("galaxy"); err == nil {
		t.Error("ParseScope accepted a bad value")
	}
}

// TestStreamMatchesDOM keeps the tokenizer used for big pages in step with
// the goquery walk used for the rest.
func TestStreamMatchesDOM(t *testing.T) {
	pages := map[string][]byte{"site": []byte(sitePage)}
	if b, err := os.ReadFile("testdata/functions.html"); err == nil {
		pages["functions.html"] = b
	} else {
		t.Fatal(err)
	}
	pages["tricky"] = []byte(`<p style="background:url(a.png)"><picture><source srcset="p.webp"></picture><source src="orphan.mp4">
<video><source src="v.mp4"></video><input type=image src="btn.png"><input src="not-image.png"><link rel="preload icon" href="ic.png" imagesrcset="x1.png 1x, x2.png 2x">
<meta http-equiv=" Refresh " content="0;url=/r"><base href="/b/"><style>@import "s.css";</style><a href="x">`)
	base, _ := url.Parse("http://example.com/dir/page.html")
	set := func(ls []link) []string {
		var out []string
		for _, l := range ls {
			out = append(out, string(l.Hop)+" "+l.URL) // the context is that of the first occurrence, which differs by walk order
		}
		sort.Strings(out)
		return out
	}
	for name, body := range pages {
		dom := set(extractHTML(body, base))
		stream := set(extractHTMLStream(body, base))
		if !reflect.DeepEqual(dom, stream) {
			t.Errorf("%s: goquery and tokenizer disagree:\n dom:    %v\n stream: %v", name, dom, stream)
		}
		if len(dom) == 0 {
			t.Errorf("%s: no links", name)
		}
	}
}

// TestOptionsValidated: a value the library does not know is an error, not
// a default (a digest of "md5" used to mean sha256).
func TestOptionsValidated(t *testing.T) {
	for _, tc := range []struct {
		set  func(*Options)
		want string
	}{
		{func(o *Options) { o.Digest = "md5" }, `digest algorithm "md5"`},
		{func(o *Options) { o.Mode = "ftp" }, `mode "ftp"`},
		{func(o *Options) { o.Mode = ModeBrowser }, "browser mode is run by capture/browser"},
		{func(o *Options) { o.Scope = "galaxy" }, `scope "galaxy"`},
	} {
		o := DefaultOptions()
		o.Dir = filepath.Join(t.TempDir(), "archive")
		tc.set(&o)
		if _, err := Run(context.Background(), []string{"http://127.0.0.1:1/"}, o); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Run: %v, want an error saying %s", err, tc.want)
		}
		if _, err := os.Stat(o.Dir); err == nil {
			t.Errorf("%s: files written before the options were checked", tc.want)
		}
	}
	o := DefaultOptions()
	o.Digest = "sha-1"
	if _, err := NewRecorder(o); err == nil {
		t.Error("NewRecorder accepted digest sha-1")
	}
}
