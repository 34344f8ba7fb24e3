package capture

import (
	"bytes"
	"net/url"
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// Link is a URL found in a document.
type Link struct {
	URL string
	// Hop is how it was found, in Heritrix's letters: 'L' a navigation link
	// (followed within --depth and --scope), 'E' an embedded requisite
	// (fetched with its page whatever the depth), 'R' a meta refresh (treated
	// as a redirect: same depth).
	Hop byte
	// Context names the element and attribute, e.g. "img/@srcset".
	Context string
}

type attrRule struct {
	sel, attr string
	hop       byte
}

// htmlRules lists the attributes holding URLs, one row per source: the
// table is the whole policy, the code below only walks it.
var htmlRules = []attrRule{
	{"a[href]", "href", 'L'},
	{"area[href]", "href", 'L'},
	{"img[src]", "src", 'E'},
	{"img[srcset]", "srcset", 'E'},
	{"img[data-src]", "data-src", 'E'},
	{"picture source[srcset]", "srcset", 'E'},
	{"picture source[src]", "src", 'E'},
	{"video[src]", "src", 'E'},
	{"video[poster]", "poster", 'E'},
	{"audio[src]", "src", 'E'},
	{"video source[src]", "src", 'E'},
	{"audio source[src]", "src", 'E'},
	{"track[src]", "src", 'E'},
	{"script[src]", "src", 'E'},
	{"iframe[src]", "src", 'E'},
	{"frame[src]", "src", 'E'},
	{"embed[src]", "src", 'E'},
	{"object[data]", "data", 'E'},
	{"input[type=image][src]", "src", 'E'},
	{"body[background]", "background", 'E'},
	{"table[background],td[background]", "background", 'E'},
}

// requisiteRels are the link rel values whose href a page needs to render.
var requisiteRels = map[string]bool{
	"stylesheet": true, "icon": true, "shortcut": true, "apple-touch-icon": true,
	"preload": true, "modulepreload": true, "manifest": true, "mask-icon": true,
}

// ExtractHTML returns the links of an HTML document fetched from base.
// It never fails: unparsable markup yields what the parser recovered.
func ExtractHTML(body []byte, base *url.URL) []Link {
	if len(body) > streamThreshold {
		return extractHTMLStream(body, base)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return nil
	}
	if href, ok := doc.Find("base[href]").First().Attr("href"); ok {
		if b, err := base.Parse(strings.TrimSpace(href)); err == nil {
			base = b
		}
	}
	var out []Link
	seen := map[string]bool{}
	add := func(raw string, hop byte, ctx string) {
		raw = strings.TrimSpace(raw)
		if raw == "" || strings.HasPrefix(raw, "#") {
			return
		}
		u, err := base.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			return
		}
		u.Fragment, u.RawFragment = "", ""
		key := string(hop) + u.String()
		if seen[key] {
			return
		}
		seen[key] = true
		out = append(out, Link{URL: u.String(), Hop: hop, Context: ctx})
	}
	for _, r := range htmlRules {
		doc.Find(r.sel).Each(func(_ int, s *goquery.Selection) {
			v, _ := s.Attr(r.attr)
			ctx := goquery.NodeName(s) + "/@" + r.attr
			if r.attr == "srcset" {
				for _, c := range parseSrcset(v) {
					add(c, r.hop, ctx)
				}
				return
			}
			add(v, r.hop, ctx)
		})
	}
	doc.Find("link[href]").Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		rels := strings.Fields(strings.ToLower(s.AttrOr("rel", "")))
		hop := byte('L')
		for _, r := range rels {
			if requisiteRels[r] {
				hop = 'E'
			}
		}
		add(href, hop, "link/@href")
		if v, ok := s.Attr("imagesrcset"); ok {
			for _, c := range parseSrcset(v) {
				add(c, 'E', "link/@imagesrcset")
			}
		}
	})
	doc.Find("meta[http-equiv]").Each(func(_ int, s *goquery.Selection) {
		if !strings.EqualFold(strings.TrimSpace(s.AttrOr("http-equiv", "")), "refresh") {
			return
		}
		if u := refreshURL(s.AttrOr("content", "")); u != "" {
			add(u, 'R', "meta/@content")
		}
	})
	doc.Find("[style]").Each(func(_ int, s *goquery.Selection) {
		for _, l := range cssURLs(s.AttrOr("style", "")) {
			add(l, 'E', goquery.NodeName(s)+"/@style")
		}
	})
	doc.Find("style").Each(func(_ int, s *goquery.Selection) {
		for _, l := range cssURLs(s.Text()) {
			add(l, 'E', "style")
		}
	})
	return out
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

// ExtractCSS returns the links of a style sheet: all are requisites.
func ExtractCSS(body []byte, base *url.URL) []Link {
	var out []Link
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
		out = append(out, Link{URL: u.String(), Hop: 'E', Context: "css/url"})
	}
	return out
}
