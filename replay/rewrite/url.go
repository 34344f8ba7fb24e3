// Package rewrite turns archived responses into pages that load only from the
// replay server: it rewrites URLs in HTML, CSS, JavaScript and HTTP headers
// into the pywb scheme /<coll>/<timestamp><modifier>/<url>. Every rewriter
// streams; lookup tables live one per file (modifiers.go, headers_table.go).
package rewrite

import (
	"strings"
	"unicode/utf8"

	whatwg "github.com/nlnwa/whatwg-url/url"

	"github.com/warcbox/warcbox/internal/archivalurl"
)

// Modifiers understood by the replay server, as pywb names them.
const (
	ModPage    = ""     // top-level page: rewritten, with the banner
	ModFrame   = "mp_"  // page without the top frame banner
	ModIdent   = "id_"  // original bytes, no rewriting
	ModJS      = "js_"  // rewrite as JavaScript whatever the MIME type says
	ModCSS     = "cs_"  // rewrite as CSS whatever the MIME type says
	ModImage   = "im_"  // image: served as recorded
	ModIframe  = "if_"  // iframe content: rewritten, no banner
	ModObjEmbd = "oe_"  // object/embed/media: served as recorded
	ModFrameFr = "fr_"  // frame content (older pywb name): as if_
	ModWorker  = "wkr_" // web worker script: as js_
	ModSW      = "sw_"  // service worker script: as js_
)

// KnownModifier reports whether m is a modifier the replay server serves.
func KnownModifier(m string) bool {
	switch m {
	case ModPage, ModFrame, ModIdent, ModJS, ModCSS, ModImage, ModIframe, ModObjEmbd, ModFrameFr, ModWorker, ModSW:
		return true
	}
	return false
}

// URLRewriter maps URLs found in one archived document to replay URLs.
// The zero value is not usable; build it with NewURLRewriter.
type URLRewriter struct {
	// Prefix is the collection's path prefix, "/<coll>/".
	Prefix string
	// Timestamp is the 14-digit capture time the document was served at;
	// links keep it so navigation stays near the same moment.
	Timestamp string
	// PageMod is the modifier of the document itself ("" or mp_); links
	// to other pages keep it so framed replay stays framed.
	PageMod string
	// Host, if set, is the replay server's host[:port]: absolute URLs to it
	// under Prefix are replay URLs already and are not wrapped again.
	Host string
	// base is parsed by the WHATWG URL rules, as the browser the page was
	// made for resolves references ("\\path", "http:\\/\\/host"); nil
	// when the document URL does not parse.
	base *whatwg.Url
	// baseOrigin ("http://host") and baseDir ("http://host/dir/") let the
	// common relative references be resolved by concatenation, without
	// parsing: rewriting a page resolves hundreds of them.
	baseOrigin, baseDir string
}

// NewURLRewriter returns a rewriter for a document archived at docURL.
func NewURLRewriter(prefix, timestamp, pageMod, docURL string) *URLRewriter {
	b, err := urlParser.Parse(docURL)
	if err != nil {
		b = nil
	}
	u := &URLRewriter{Prefix: prefix, Timestamp: timestamp, PageMod: pageMod, base: b}
	u.setFastBase()
	return u
}

func (u *URLRewriter) setFastBase() {
	u.baseOrigin, u.baseDir = "", ""
	b := u.base
	if b == nil || (b.Scheme() != "http" && b.Scheme() != "https") || b.Host() == "" || b.OpaquePath() || b.Username() != "" || b.Password() != "" {
		return
	}
	u.baseOrigin = b.Scheme() + "://" + b.Host()
	p := b.Pathname()
	if p == "" {
		p = "/"
	}
	u.baseDir = u.baseOrigin + p[:strings.LastIndexByte(p, '/')+1]
}

// fastResolve resolves root-relative ("/a/b") and plain relative ("b.png",
// "d/c.css") references textually; ok is false for anything needing the
// full RFC 3986 algorithm (dot segments, queries only, odd bytes).
func (u *URLRewriter) fastResolve(ref string) (string, bool) {
	if u.baseOrigin == "" || ref == "" {
		return "", false
	}
	for i := 0; i < len(ref); i++ {
		c := ref[i]
		if c <= ' ' || c >= 0x7f || c == '\\' || c == '%' {
			return "", false
		}
	}
	dir := u.baseDir
	stripped := false
	for {
		if strings.HasPrefix(ref, "./") {
			ref, stripped = ref[2:], true
		} else if strings.HasPrefix(ref, "../") {
			ref, stripped = ref[3:], true
			// one directory up, never above the origin's root
			d := dir[:len(dir)-1]
			if j := strings.LastIndexByte(d, '/'); j >= len(u.baseOrigin) {
				dir = d[:j+1]
			}
		} else {
			break
		}
	}
	if stripped && ref != "" && (ref[0] == '/' || ref[0] == '?' || ref[0] == '#') {
		return "", false
	}
	if strings.Contains(ref, "./") || strings.HasSuffix(ref, "/.") || strings.HasSuffix(ref, "/..") || ref == "." || ref == ".." {
		return "", false
	}
	if ref == "" {
		return dir, stripped
	}
	switch {
	case ref[0] == '/':
		if len(ref) > 1 && ref[1] == '/' {
			return "", false
		}
		return u.baseOrigin + ref, true
	case ref[0] == '?' || ref[0] == '#':
		return "", false
	}
	if i := strings.IndexAny(ref, ":/?#"); i >= 0 && ref[i] == ':' {
		return "", false // a scheme, or a colon that needs care
	}
	return dir + ref, true
}

// SetBase changes the URL relative references resolve against, as <base
// href> does in HTML. A bad base is ignored, as browsers do.
func (u *URLRewriter) SetBase(ref string) {
	if r, err := u.parse(strings.TrimSpace(ref)); err == nil && (r.Scheme() == "http" || r.Scheme() == "https") {
		u.base = r
		u.setFastBase()
	}
}

// urlParser parses as browsers do; it holds only options (safe to share).
var urlParser = whatwg.NewParser()

// parse resolves ref against the base (or alone when there is none).
func (u *URLRewriter) parse(ref string) (*whatwg.Url, error) {
	if u.base == nil {
		return urlParser.Parse(ref)
	}
	return u.base.Parse(ref)
}

// Base is the URL relative references currently resolve against.
func (u *URLRewriter) Base() string {
	if u.base == nil {
		return ""
	}
	return u.base.Href(false)
}

func (u *URLRewriter) baseScheme() string {
	if u.base == nil {
		return ""
	}
	return u.base.Scheme()
}

// Resolve makes ref absolute against the current base; ok is false for
// references that are not fetched from the web (fragments, data:, javascript:…).
func (u *URLRewriter) Resolve(ref string) (abs string, ok bool) {
	ref = strings.TrimSpace(ref)
	if ref == "" || ref[0] == '#' {
		return "", false
	}
	if i := strings.IndexByte(ref, ':'); i > 0 {
		switch strings.ToLower(ref[:i]) {
		case "http", "https", "ws", "wss":
		default:
			if isScheme(ref[:i]) {
				return "", false // data:, blob:, javascript:, mailto:, about:, tel: …
			}
		}
	}
	if u.isReplayURL(ref) {
		return "", false // already a replay URL (rewritten twice, or by the page)
	}
	if abs, ok := absoluteAsIs(ref, u.baseScheme()); ok {
		return abs, true
	}
	if abs, ok := u.fastResolve(ref); ok {
		return abs, true
	}
	if !utf8.ValidString(ref) {
		// bytes of a page in a legacy charset: keep them, %-escaped, as
		// they were requested, not as U+FFFD
		ref = archivalurl.EncodeNonASCII(ref)
	}
	r, err := u.parse(ref)
	if err != nil || r.Host() == "" {
		return "", false
	}
	switch r.Scheme() {
	case "http", "https":
	case "ws":
		r.SetProtocol("http")
	case "wss":
		r.SetProtocol("https")
	default:
		return "", false
	}
	return r.Href(false), true
}

// Rewrite returns the replay URL for ref under modifier mod, or ref
// unchanged when it is not a web URL. The fragment stays at the end so
// in-page anchors keep working.
func (u *URLRewriter) Rewrite(ref, mod string) string {
	abs, ok := u.Resolve(ref)
	if !ok {
		return ref
	}
	return u.Prefix + u.Timestamp + mod + "/" + abs
}

// isReplayURL reports whether ref already is /<coll>/<ts><mod>/http(s)://…;
// a site's own /<coll>/… paths (a site with a /web/ folder) are not.
func (u *URLRewriter) isReplayURL(ref string) bool {
	if u.Host != "" {
		// the replay server's own absolute URL: http(s)://host/coll/…
		for _, p := range []string{"http://", "https://", "//"} {
			if len(ref) > len(p)+len(u.Host) && strings.EqualFold(ref[:len(p)], p) && strings.EqualFold(ref[len(p):len(p)+len(u.Host)], u.Host) {
				ref = ref[len(p)+len(u.Host):]
				break
			}
		}
	}
	if !strings.HasPrefix(ref, u.Prefix) {
		return false
	}
	_, _, rest, ok := archivalurl.Split(ref[len(u.Prefix):])
	if !ok {
		rest = ref[len(u.Prefix):]
	}
	l := strings.ToLower(rest)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http:/") || strings.HasPrefix(l, "https:/")
}

// absoluteAsIs returns an absolute http(s) reference textually, so its bytes
// (non-ASCII, odd escapes) reach the index exactly as the page wrote them;
// only the scheme is normalised and scheme-relative //host gets one.
func absoluteAsIs(ref, baseScheme string) (string, bool) {
	if strings.ContainsAny(ref, "\\\t\n\r") {
		return "", false
	}
	if strings.HasPrefix(ref, "//") {
		if baseScheme != "https" {
			baseScheme = "http"
		}
		return baseScheme + ":" + ref, len(ref) > 2
	}
	i := strings.Index(ref, "://")
	if i <= 0 {
		return "", false
	}
	switch sch := strings.ToLower(ref[:i]); sch {
	case "http", "https":
		return sch + ref[i:], len(ref) > i+3
	case "ws":
		return "http" + ref[i:], len(ref) > i+3
	case "wss":
		return "https" + ref[i:], len(ref) > i+3
	}
	return "", false
}

// isScheme reports whether s is a URL scheme per RFC 3986 (ALPHA *( ALPHA /
// DIGIT / "+" / "-" / "." )), so "c:" or "a b:" are not taken as schemes.
func isScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return s != ""
}
