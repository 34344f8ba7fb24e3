package capture

import (
	"bytes"
	"net/url"
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// link is a URL found in a document.
type link struct {
	URL string
	// Hop is how it was found, in Heritrix's letters: 'L' a navigation link
	// (followed within --depth and --scope), 'E' an embedded requisite
	// (fetched with its page whatever the depth), 'R' a meta refresh (treated
	// as a redirect: same depth).
	Hop byte
	// Context names the element and attribute, e.g. "img/@srcset".
	Context string
}

// requisiteRels are the link rel values whose href a page needs to render.
var requisiteRels = map[string]bool{
	"stylesheet": true, "icon": true, "shortcut": true, "apple-touch-icon": true,
	"preload": true, "modulepreload": true, "manifest": true, "mask-icon": true,
}

// connectionHints are link rel values whose href names an origin to warm
// up (a DNS lookup, a connection), not a resource: following one fetched
// the site's root page as if the page had linked to it.
var connectionHints = map[string]bool{"dns-prefetch": true, "preconnect": true}

// urlAttr is one attribute holding a URL.
type urlAttr struct {
	attr string
	hop  byte
	ctx  string // for <source>: only inside "picture" or "media" (video/audio)
}

// urlAttrs lists, per element, the attributes holding URLs: the table is
// the whole policy, the walks (DOM and token stream) only apply it. <link>,
// <meta http-equiv=refresh>, style attributes and <style> are handled in
// linkCollector.element.
var urlAttrs = map[string][]urlAttr{
	"a":      {{"href", 'L', ""}},
	"area":   {{"href", 'L', ""}},
	"img":    {{"src", 'E', ""}, {"srcset", 'E', ""}, {"data-src", 'E', ""}},
	"source": {{"srcset", 'E', "picture"}, {"src", 'E', "picture"}, {"src", 'E', "media"}},
	"video":  {{"src", 'E', ""}, {"poster", 'E', ""}},
	"audio":  {{"src", 'E', ""}},
	"track":  {{"src", 'E', ""}},
	"script": {{"src", 'E', ""}},
	"iframe": {{"src", 'E', ""}},
	"frame":  {{"src", 'E', ""}},
	"embed":  {{"src", 'E', ""}},
	"object": {{"data", 'E', ""}},
	"input":  {{"src", 'E', ""}}, // type=image only
	"body":   {{"background", 'E', ""}},
	"table":  {{"background", 'E', ""}},
	"td":     {{"background", 'E', ""}},
}

// linkCollector resolves, filters and de-duplicates the links a walk finds.
type linkCollector struct {
	base *url.URL
	out  []link
	seen map[string]bool
}

func newLinkCollector(base *url.URL) *linkCollector {
	return &linkCollector{base: base, seen: map[string]bool{}}
}

func (lc *linkCollector) add(raw string, hop byte, ctx string) {
	raw = strings.TrimSpace(raw)
	if raw == "" || strings.HasPrefix(raw, "#") {
		return
	}
	u, err := lc.base.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return
	}
	u.Fragment, u.RawFragment = "", ""
	key := string(hop) + u.String()
	if lc.seen[key] {
		return
	}
	lc.seen[key] = true
	lc.out = append(lc.out, link{URL: u.String(), Hop: hop, Context: ctx})
}

// setBase applies a <base href>.
func (lc *linkCollector) setBase(href string) {
	if b, err := lc.base.Parse(strings.TrimSpace(href)); err == nil {
		lc.base = b
	}
}

// element applies the table to one start tag. attrs holds its attributes
// (the first of duplicates, as browsers keep); inPicture and inMedia say
// whether a <picture> or <video>/<audio> encloses it.
func (lc *linkCollector) element(name string, attrs []html.Attribute, inPicture, inMedia bool) {
	get := func(k string) (string, bool) {
		for _, a := range attrs {
			if a.Namespace == "" && a.Key == k {
				return a.Val, true
			}
		}
		return "", false
	}
	if s, ok := get("style"); ok {
		for _, l := range cssURLs(s) {
			lc.add(l, 'E', name+"/@style")
		}
	}
	for _, r := range urlAttrs[name] {
		v, ok := get(r.attr)
		if !ok {
			continue
		}
		if (r.ctx == "picture" && !inPicture) || (r.ctx == "media" && !inMedia) {
			continue
		}
		if name == "input" {
			if t, _ := get("type"); !strings.EqualFold(t, "image") {
				continue
			}
		}
		ctx := name + "/@" + r.attr
		if r.attr == "srcset" {
			for _, c := range parseSrcset(v) {
				lc.add(c, r.hop, ctx)
			}
			continue
		}
		lc.add(v, r.hop, ctx)
	}
	switch name {
	case "link":
		href, ok := get("href")
		if !ok {
			return
		}
		hop := byte('L')
		hint := false
		rel, _ := get("rel")
		for _, r := range strings.Fields(strings.ToLower(rel)) {
			if requisiteRels[r] {
				hop = 'E'
			}
			hint = hint || connectionHints[r]
		}
		if !hint || hop == 'E' {
			lc.add(href, hop, "link/@href")
		}
		if v, ok := get("imagesrcset"); ok {
			for _, c := range parseSrcset(v) {
				lc.add(c, 'E', "link/@imagesrcset")
			}
		}
	case "meta":
		if he, ok := get("http-equiv"); ok && strings.EqualFold(strings.TrimSpace(he), "refresh") {
			c, _ := get("content")
			if u := refreshURL(c); u != "" {
				lc.add(u, 'R', "meta/@content")
			}
		}
	}
}

// styleText takes the text of a <style> block.
func (lc *linkCollector) styleText(css string) {
	for _, l := range cssURLs(css) {
		lc.add(l, 'E', "style")
	}
}

// extractHTML returns the links of an HTML document fetched from base.
// It never fails: unparsable markup yields what the parser recovered.
// Pages up to 1 MiB are parsed into a goquery document and walked once;
// bigger ones are read as a token stream (see extractHTMLStream), which
// finds the same links without a DOM's memory.
func extractHTML(body []byte, base *url.URL) []link {
	if len(body) > streamThreshold {
		return extractHTMLStream(body, base)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return nil
	}
	lc := newLinkCollector(base)
	if href, ok := doc.Find("base[href]").First().Attr("href"); ok {
		lc.setBase(href)
	}
	// One walk over the tree applying the whole table to each element is
	// several times faster than a selector query per table row.
	var walk func(n *html.Node, inPicture, inMedia bool)
	walk = func(n *html.Node, inPicture, inMedia bool) {
		if n.Type == html.ElementNode && n.Namespace == "" {
			lc.element(n.Data, n.Attr, inPicture, inMedia)
			switch n.Data {
			case "picture":
				inPicture = true
			case "video", "audio":
				inMedia = true
			case "style":
				var b strings.Builder
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					if c.Type == html.TextNode {
						b.WriteString(c.Data)
					}
				}
				lc.styleText(b.String())
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inPicture, inMedia)
		}
	}
	for _, n := range doc.Nodes {
		walk(n, false, false)
	}
	return lc.out
}

// parseSrcset returns the URLs of a srcset attribute ("a.png 1x, b.png 2x").
func parseSrcset(v string) []string {
	var out []string
	for len(v) > 0 {
		v = strings.TrimLeft(v, " \t\n\r\f,")
		if v == "" {
			break
		}
		end := strings.IndexAny(v, " \t\n\r\f")
		var u string
		if end < 0 {
			u, v = v, ""
		} else {
			u, v = v[:end], v[end:]
		}
		// A URL ends at whitespace; trailing commas end the candidate.
		ended := strings.HasSuffix(u, ",")
		u = strings.TrimRight(u, ",")
		if u != "" {
			out = append(out, u)
		}
		if ended {
			continue
		}
		// Skip the descriptor up to the next comma.
		if i := strings.IndexByte(v, ','); i >= 0 {
			v = v[i+1:]
		} else {
			v = ""
		}
	}
	return out
}

// refreshURL returns the URL of a meta refresh content ("5; url=/next").
func refreshURL(content string) string {
	i := strings.IndexAny(content, ";,")
	if i < 0 {
		return ""
	}
	rest := strings.TrimSpace(content[i+1:])
	if len(rest) >= 3 && strings.EqualFold(rest[:3], "url") {
		rest = strings.TrimSpace(rest[3:])
		if !strings.HasPrefix(rest, "=") {
			return ""
		}
		rest = strings.TrimSpace(rest[1:])
	}
	return strings.Trim(rest, `'"`)
}

var (
	cssURLRe    = regexp.MustCompile(`(?i)url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)`)
	cssImportRe = regexp.MustCompile(`(?i)@import\s+(?:"([^"]*)"|'([^']*)')`)
	cssComment  = regexp.MustCompile(`(?s)/\*.*?\*/`)
)

// cssURLs returns the url() and @import "…" references of a style sheet.
func cssURLs(css string) []string {
	css = cssComment.ReplaceAllString(css, "")
	var out []string
	for _, m := range cssURLRe.FindAllStringSubmatch(css, -1) {
		u := m[1] + m[2] + m[3]
		if u != "" && !strings.HasPrefix(strings.ToLower(u), "data:") {
			out = append(out, cssUnescape(u))
		}
	}
	for _, m := range cssImportRe.FindAllStringSubmatch(css, -1) {
		if u := m[1] + m[2]; u != "" {
			out = append(out, cssUnescape(u))
		}
	}
	return out
}

// cssUnescape drops the backslash of simple escapes ("\(" → "(").
func cssUnescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// extractCSS returns the links of a style sheet: all are requisites.
func extractCSS(body []byte, base *url.URL) []link {
	var out []link
	seen := map[string]bool{}
	for _, raw := range cssURLs(string(body)) {
		u, err := base.Parse(strings.TrimSpace(raw))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			continue
		}
		u.Fragment, u.RawFragment = "", ""
		if seen[u.String()] {
			continue
		}
		seen[u.String()] = true
		out = append(out, link{URL: u.String(), Hop: 'E', Context: "css/url"})
	}
	return out
}
