package capture

import (
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/warcbox/warcbox/cdxj"
)

func FuzzParseRobots(f *testing.F) {
	f.Add([]byte("User-agent: *\nDisallow: /private\nAllow: /private/ok$\nCrawl-delay: 2\n"), "/private/x")
	f.Add([]byte("User-agent: warcbox\nUser-agent: other\nDisallow: /*.pdf$\n\nUser-agent: *\nDisallow: /\n"), "/a.pdf")
	f.Add([]byte("Disallow: /orphan\n# comment only\nUser-agent:*\nDisallow:\n"), "/")
	f.Add([]byte("User-agent: *\nDisallow: /a*b*c*d*e*f*g\n"), strings.Repeat("a", 200))
	f.Fuzz(func(t *testing.T, body []byte, path string) {
		r := parseRobots(body, "warcbox/1.0")
		r.Allowed(path) // must not panic or hang
		if !parseRobots(nil, "x").Allowed(path) {
			t.Fatal("an empty robots.txt disallows")
		}
	})
}

func FuzzExtractHTML(f *testing.F) {
	f.Add([]byte(sitePage))
	f.Add([]byte(`<base href="//x/"><img srcset=" a.png 1x,b.png 2x , c.png"><meta http-equiv=refresh content="0;URL='/n'">`))
	f.Add([]byte(`<style>@import "a.css"; x{background:url( 'b.png' )}</style><div style="background:url(c\(1\).png)">`))
	if b, err := os.ReadFile("testdata/functions.html"); err == nil {
		f.Add(b)
	}
	base, _ := url.Parse("http://example.com/dir/page.html")
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, l := range extractHTML(body, base) {
			u, err := url.Parse(l.URL)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Fragment != "" {
				t.Fatalf("bad link %q", l.URL)
			}
			if l.Hop != 'L' && l.Hop != 'E' && l.Hop != 'R' {
				t.Fatalf("hop %q", l.Hop)
			}
		}
		for _, l := range extractHTMLStream(body, base) {
			if u, err := url.Parse(l.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
				t.Fatalf("stream: bad link %q", l.URL)
			}
		}
		extractCSS(body, base)
	})
}

func FuzzNormalizeURL(f *testing.F) {
	for _, s := range []string{"HTTP://Example.COM:80/a/../b/./c?q=1#frag", "https://例え.jp/~x/%7Ey", "http://[::1]:8080", "http://x/a%2Fb", "ftp://x/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := NormalizeURL(s)
		if err != nil {
			return
		}
		// Normalising is idempotent: the frontier relies on it for dedup.
		again, err := NormalizeURL(u.String())
		if err != nil || again.String() != u.String() {
			t.Fatalf("not idempotent: %q -> %q -> %q (%v)", s, u, again, err)
		}
		if _, err := cdxj.SURT(u.String()); err != nil {
			t.Fatalf("surt of normalised %q: %v", u, err)
		}
	})
}
