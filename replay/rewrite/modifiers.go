package rewrite

import "strings"

// attrKind says how an attribute's value is rewritten.
type attrKind int

const (
	attrURL     attrKind = iota + 1 // one URL
	attrSrcset                      // srcset / imagesrcset: URL + descriptor, comma separated
	attrStyle                       // inline CSS
	attrJS                          // event handler: JavaScript
	attrRefresh                     // meta http-equiv=refresh content: "5; url=…"
	attrHTML                        // iframe srcdoc: a whole document
)

// attrRule is one row of the tag/attribute table: which attributes carry
// URLs and which modifier the fetched resource gets.
type attrRule struct {
	kind attrKind
	mod  string // modifier; modPageSentinel means the page's own modifier
}

// modPageSentinel marks links to other pages: they keep the modifier of the
// page they appear in ("" or mp_).
const modPageSentinel = "\x00page"

// tagAttrs maps tag name → attribute → rule. "*" holds attributes any tag
// may carry. Read with attrRuleFor.
var tagAttrs = map[string]map[string]attrRule{
	"*": {
		"style":      {attrStyle, ""},
		"background": {attrURL, ModImage},
	},
	"a":          {"href": {attrURL, modPageSentinel}},
	"area":       {"href": {attrURL, modPageSentinel}},
	"base":       {"href": {attrURL, modPageSentinel}},
	"form":       {"action": {attrURL, modPageSentinel}},
	"button":     {"formaction": {attrURL, modPageSentinel}},
	"input":      {"formaction": {attrURL, modPageSentinel}, "src": {attrURL, ModImage}},
	"img":        {"src": {attrURL, ModImage}, "srcset": {attrSrcset, ModImage}, "longdesc": {attrURL, modPageSentinel}},
	"source":     {"src": {attrURL, ModObjEmbd}, "srcset": {attrSrcset, ModImage}},
	"video":      {"src": {attrURL, ModObjEmbd}, "poster": {attrURL, ModImage}},
	"audio":      {"src": {attrURL, ModObjEmbd}},
	"track":      {"src": {attrURL, ModObjEmbd}},
	"embed":      {"src": {attrURL, ModObjEmbd}},
	"object":     {"data": {attrURL, ModObjEmbd}, "codebase": {attrURL, ModObjEmbd}},
	"applet":     {"codebase": {attrURL, ModObjEmbd}, "archive": {attrURL, ModObjEmbd}},
	"param":      {"value": {attrURL, ModObjEmbd}},
	"script":     {"src": {attrURL, ModJS}, "xlink:href": {attrURL, ModJS}, "href": {attrURL, ModJS}}, // href, xlink:href: SVG
	"iframe":     {"src": {attrURL, ModIframe}, "srcdoc": {attrHTML, ModIframe}},
	"frame":      {"src": {attrURL, ModIframe}},
	"image":      {"href": {attrURL, ModImage}, "xlink:href": {attrURL, ModImage}},
	"use":        {"href": {attrURL, ModImage}, "xlink:href": {attrURL, ModImage}},
	"blockquote": {"cite": {attrURL, modPageSentinel}},
	"q":          {"cite": {attrURL, modPageSentinel}},
	"del":        {"cite": {attrURL, modPageSentinel}},
	"ins":        {"cite": {attrURL, modPageSentinel}},
	"html":       {"manifest": {attrURL, ModIdent}},
	"meta":       {"content": {attrRefresh, modPageSentinel}},
	"link": {
		"href":        {attrURL, ModObjEmbd}, // refined by rel/as in linkMod
		"imagesrcset": {attrSrcset, ModImage},
	},
}

// linkMod picks the modifier of <link href> from rel and as, as a browser
// would fetch it.
func linkMod(rel, as string) string {
	for _, r := range splitFields(rel) {
		switch r {
		case "stylesheet":
			return ModCSS
		case "icon", "apple-touch-icon", "apple-touch-icon-precomposed", "mask-icon":
			return ModImage
		case "modulepreload":
			return ModJS
		case "alternate", "canonical", "next", "prev", "prerender", "author", "index", "search", "copyright",
			"help", "license", "first", "last", "up", "contents", "glossary", "chapter", "section",
			"subsection", "appendix", "bookmark", "start", "home":
			return modPageSentinel
		}
	}
	switch as {
	case "script", "worker":
		return ModJS
	case "style":
		return ModCSS
	case "image", "font":
		// a font is fetched with im_ from style sheets: the same URL, so
		// the preloaded copy is the one used, not a second download
		return ModImage
	case "document":
		return ModIframe
	}
	return ModObjEmbd
}

// attrRuleFor returns the rule for tag's attribute, if it has one.
// attr is lower case; map lookups with string(attr) do not allocate.
func attrRuleFor(tag string, attr []byte) (attrRule, bool) {
	if r, ok := tagAttrs[tag][string(attr)]; ok {
		return r, true
	}
	if len(attr) > 2 && attr[0] == 'o' && attr[1] == 'n' && isLetters(attr[2:]) {
		// an event handler (onclick); "on-click" is a plain attribute
		return attrRule{attrJS, ""}, true
	}
	r, ok := tagAttrs["*"][string(attr)]
	return r, ok
}

// scriptTypeIsJS reports whether a <script type=…> holds JavaScript (the
// rest — JSON, templates — is left as recorded).
func scriptTypeIsJS(t string) bool {
	switch t {
	case "", "text/javascript", "application/javascript", "module", "text/ecmascript",
		"application/ecmascript", "application/x-javascript", "text/x-javascript", "text/jscript":
		return true
	}
	return false
}

// splitFields splits a space-separated token list (rel="…") in lower case.
func splitFields(s string) []string { return strings.Fields(strings.ToLower(s)) }

func isLetters(b []byte) bool {
	for _, c := range b {
		if !('a' <= c && c <= 'z') {
			return false
		}
	}
	return true
}
