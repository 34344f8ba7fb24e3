package capture

import (
	"bytes"
	"net/url"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// streamThreshold is the body size above which links are found with the
// tokenizer instead of a goquery DOM: a DOM costs ten to twenty times the
// page (a 2.5 MB table of contents took 50 MB), a token stream nothing.
const streamThreshold = 1 << 20

// extractHTMLStream finds the same links as extractHTML's tree walk,
// reading one token at a time. TestStreamMatchesDOM keeps the two in step.
func extractHTMLStream(body []byte, base *url.URL) []link {
	lc := newLinkCollector(base)
	// The tree walk resolves against <base href> wherever it appears, so the
	// stream must know it before the first link: find it first.
	if i := bytes.Index(bytes.ToLower(body), []byte("<base")); i >= 0 {
		bz := html.NewTokenizer(bytes.NewReader(body[i:]))
		if tt := bz.Next(); tt == html.StartTagToken || tt == html.SelfClosingTagToken {
			if t := bz.Token(); t.DataAtom == atom.Base {
				for _, a := range t.Attr {
					if a.Key == "href" {
						lc.setBase(a.Val)
						break
					}
				}
			}
		}
	}
	z := html.NewTokenizer(bytes.NewReader(body))
	inStyle := false
	var pictureDepth, mediaDepth int
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return lc.out
		case html.TextToken:
			if inStyle {
				lc.styleText(string(z.Text()))
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
			lc.element(t.Data, t.Attr, pictureDepth > 0, mediaDepth > 0)
			if tt == html.StartTagToken {
				switch t.Data {
				case "style":
					inStyle = true
				case "picture":
					pictureDepth++
				case "video", "audio":
					mediaDepth++
				}
			}
		}
	}
}
