package capture

import (
	"bytes"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// streamThreshold is the body size above which links are found with the
// tokenizer instead of a goquery DOM: a DOM costs ten to twenty times the
// page (a 2.5 MB table of contents took 50 MB), a token stream nothing.
const streamThreshold = 1 << 20

// extractHTMLStream finds the same links as the goquery walk in ExtractHTML
// (htmlRules, link rels, meta refresh, style attributes and blocks, base
// href), reading one token at a time. TestStreamMatchesDOM keeps the two
// in step.
func extractHTMLStream(body []byte, base *url.URL) []Link {
	z := html.NewTokenizer(bytes.NewReader(body))
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
	// The DOM walk resolves against <base href> wherever it appears, so the
	// stream must know it before the first link: find it first.
	if i := bytes.Index(bytes.ToLower(body), []byte("<base")); i >= 0 {
		bz := html.NewTokenizer(bytes.NewReader(body[i:]))
		if tt := bz.Next(); tt == html.StartTagToken || tt == html.SelfClosingTagToken {
			if t := bz.Token(); t.DataAtom == atom.Base {
				for _, a := range t.Attr {
					if a.Key == "href" {
						if b, err := base.Parse(strings.TrimSpace(a.Val)); err == nil {
							base = b
						}
					}
				}
			}
		}
	}
	inStyle := false
	var pictureDepth, mediaDepth int
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return out
		case html.TextToken:
			if inStyle {
				for _, l := range cssURLs(string(z.Text())) {
					add(l, 'E', "style")
				}
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "style":
				inStyle = false
			case "picture":
				pictureDepth = max(0, pictureDepth-1)
			case "video", "audio":
				mediaDepth = max(0, mediaDepth-1)
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			t := z.Token()
			attr := map[string]string{}
			for _, a := range t.Attr {
				if _, dup := attr[a.Key]; !dup {
					attr[a.Key] = a.Val
				}
			}
			name := t.Data
			if s, ok := attr["style"]; ok {
				for _, l := range cssURLs(s) {
					add(l, 'E', name+"/@style")
				}
			}
			if tt == html.StartTagToken {
				switch name {
				case "style":
					inStyle = true
				case "picture":
					pictureDepth++
				case "video", "audio":
					mediaDepth++
				}
			}
			for _, r := range streamRules[name] {
				v, ok := attr[r.attr]
				if !ok {
					continue
				}
				if name == "source" && ((r.ctx == "picture" && pictureDepth == 0) || (r.ctx == "media" && mediaDepth == 0)) {
					continue
				}
				if name == "input" && !strings.EqualFold(attr["type"], "image") {
					continue
				}
				ctx := name + "/@" + r.attr
				if r.attr == "srcset" {
					for _, c := range parseSrcset(v) {
						add(c, r.hop, ctx)
					}
					continue
				}
				add(v, r.hop, ctx)
			}
			switch name {
			case "link":
				href, ok := attr["href"]
				if !ok {
					break
				}
				hop := byte('L')
				for _, r := range strings.Fields(strings.ToLower(attr["rel"])) {
					if requisiteRels[r] {
						hop = 'E'
					}
				}
				add(href, hop, "link/@href")
				if v, ok := attr["imagesrcset"]; ok {
					for _, c := range parseSrcset(v) {
						add(c, 'E', "link/@imagesrcset")
					}
				}
			case "meta":
				if he, ok := attr["http-equiv"]; ok && strings.EqualFold(strings.TrimSpace(he), "refresh") {
					if u := refreshURL(attr["content"]); u != "" {
						add(u, 'R', "meta/@content")
					}
				}
			}
		}
	}
}

type streamRule struct {
	attr string
	hop  byte
	ctx  string // for <source>: "picture" or "media" (video/audio)
}

// streamRules is htmlRules keyed by tag name.
var streamRules = map[string][]streamRule{
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
	"input":  {{"src", 'E', ""}},
	"body":   {{"background", 'E', ""}},
	"table":  {{"background", 'E', ""}},
	"td":     {{"background", 'E', ""}},
}
