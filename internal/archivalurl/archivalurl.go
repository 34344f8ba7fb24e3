// Package archivalurl parses archival URLs, the paths under which pywb and
// the Wayback Machine replay a capture: "/<coll>/<timestamp><modifier>/<url>"
// and the capture queries beside them. Replay serves them; extract reads
// them to see which page a replayed copy shows. One grammar, pywb's WbUrl
// (pywb/rewrite/wburl.py), serves both.
package archivalurl

import (
	"errors"
	"net/url"
	"strings"

	"github.com/warcbox/warcbox/cdxj"
)

// Kind is what an archival URL asks for, as pywb's WbUrl types.
type Kind int

const (
	// KindLatest is "<url>" or "<mod>/<url>": the latest capture.
	KindLatest Kind = iota
	// KindReplay is "<timestamp><mod>/<url>".
	KindReplay
	// KindQuery is "[<from>]*[<to>]/<url>" (or "-"): the captures of a URL.
	KindQuery
	// KindURLQuery is a query whose URL ends in "*": URLs with that prefix.
	KindURLQuery
)

// URL is the part of a replay path after "/<coll>/", parsed.
type URL struct {
	Kind Kind
	// Timestamp is the (partial) capture time of a replay, or the start
	// of a query's range; End is the end of a query's range.
	Timestamp, End string
	// Mod is the modifier ("id_", "mp_", "$cbr:x" …; for queries a
	// prefix such as "json" or "timemap-link").
	Mod string
	// URL is the archived URL as a lookup uses it: the scheme added
	// ("http://" when there is none, "https:/x" mended), a %-encoded
	// scheme and host decoded, the host in punycode, non-ASCII bytes of
	// the rest %-encoded. Not checked for being fetchable.
	URL string
}

// ErrEmpty is returned for an archival path without a URL.
var ErrEmpty = errors.New("archivalurl: archival URL without a URL")

// Parse parses the part of a replay path after the collection
// as pywb's WbUrl does (pywb/rewrite/wburl.py): its query form
// ^(?:([\w\-:]+)/)?(\d*)[*-](\d*)/?(.+)$ is tried first, then its replay
// form ^(\d*)([a-z]+_|[$][a-z0-9:.-]+)?/{1,3}(.+)$, else the whole path is
// the URL of the latest capture.
func Parse(p string) (URL, error) {
	var a URL
	if p == "" {
		return a, ErrEmpty
	}
	if q, ok := parseQueryForm(p); ok {
		a = q
	} else if ts, mod, rest, ok := parseReplayForm(p); ok {
		a = URL{Kind: KindLatest, Timestamp: ts, Mod: mod, URL: rest}
		if ts != "" {
			a.Kind = KindReplay
		}
	} else {
		a = URL{Kind: KindLatest, URL: p}
	}
	a.URL = Target(a.URL)
	if !strings.HasPrefix(a.URL, "urn:") && strings.TrimLeft(a.URL[strings.Index(a.URL, ":")+1:], "/") == "" {
		return a, ErrEmpty // "http://", "https:/", "https:///"
	}
	return a, nil
}

// Target is the URL part of an archival path as a lookup uses it
// (see URL.URL): leading slashes dropped ("///example.com"),
// %-encoded scheme and host decoded, host in punycode, "http://" added
// when no scheme starts it, "https:/x" mended. A "urn:" is kept as is.
func Target(raw string) string {
	u := toURI(strings.TrimLeft(raw, "/"))
	if strings.HasPrefix(u, "urn:") {
		return u
	}
	if i := SchemeSlash(u); i < 0 {
		u = "http://" + u
	} else if j := i + 2; j < len(u) && u[j] != '/' {
		u = u[:j] + "/" + u[j:] // "https:/x" (slashes merged on the way)
	}
	return u
}

// parseQueryForm matches ^(?:([\w\-:]+)/)?(\d*)[*-](\d*)/?(.+)$.
func parseQueryForm(p string) (URL, bool) {
	try := func(mod, s string) (URL, bool) {
		i := digits(s)
		if i >= len(s) || (s[i] != '*' && s[i] != '-') {
			return URL{}, false
		}
		from := s[:i]
		s = s[i+1:]
		j := digits(s)
		to := s[:j]
		s = strings.TrimPrefix(s[j:], "/")
		if s == "" {
			return URL{}, false
		}
		a := URL{Kind: KindQuery, Mod: mod, Timestamp: from, End: to, URL: s}
		if strings.HasSuffix(s, "*") {
			a.Kind, a.URL = KindURLQuery, strings.TrimSuffix(s, "*")
		}
		return a, true
	}
	if i := strings.IndexByte(p, '/'); i > 0 && isWordDashColon(p[:i]) {
		if a, ok := try(p[:i], p[i+1:]); ok {
			return a, true
		}
	}
	return try("", p)
}

// parseReplayForm matches ^(\d*)([a-z]+_|[$][a-z0-9:.-]+)?/{1,3}(.+)$.
func parseReplayForm(p string) (ts, mod, rest string, ok bool) {
	i := digits(p)
	ts = p[:i]
	j := i
	switch {
	case j < len(p) && p[j] == '$':
		j++
		for j < len(p) && (isLowerAlnum(p[j]) || p[j] == ':' || p[j] == '.' || p[j] == '-') {
			j++
		}
		if j == i+1 {
			j = i // "$" alone is no modifier
		}
	case j < len(p) && 'a' <= p[j] && p[j] <= 'z':
		k := j
		for k < len(p) && 'a' <= p[k] && p[k] <= 'z' {
			k++
		}
		if k < len(p) && p[k] == '_' {
			j = k + 1
		}
	}
	mod = p[i:j]
	n := 0
	for j+n < len(p) && p[j+n] == '/' && n < 3 {
		n++
	}
	if n == 0 || j+n == len(p) {
		return "", "", p, false
	}
	return ts, mod, p[j+n:], true
}

func digits(s string) int {
	i := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return i
}

func isWordDashColon(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isLowerAlnum(c) || 'A' <= c && c <= 'Z' || c == '_' || c == '-' || c == ':') {
			return false
		}
	}
	return true
}

func isLowerAlnum(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }

// SchemeSlash returns the index of ":/" when u starts with a scheme
// followed by it ([a-zA-Z0-9+-.]+:/, pywb's SCHEME_RX), else -1. So
// "iana.org/?redirect=https://x.y/" has none: a "://" later in the URL
// does not make it absolute.
func SchemeSlash(u string) int {
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '+', c == '-', c == '.':
		case c == ':' && i > 0:
			if i+1 < len(u) && u[i+1] == '/' {
				return i
			}
			return -1
		default:
			return -1
		}
	}
	return -1
}

// firstPath is the index of pywb's FIRST_PATH, (?<![:/])[/?](?![/]): the
// first "/" or "?" that is neither after ":" or "/" nor before "/", where
// the scheme and host end; -1 if there is none.
func firstPath(u string) int {
	for i := 0; i < len(u); i++ {
		if u[i] != '/' && u[i] != '?' {
			continue
		}
		if i > 0 && (u[i-1] == ':' || u[i-1] == '/') {
			continue
		}
		if i+1 < len(u) && u[i+1] == '/' {
			continue
		}
		return i
	}
	return -1
}

// toURI is pywb's WbUrl.to_uri: the scheme and host part is %-decoded
// (so "https%3A//x" and "http%3A%2F%2Fx" work) and the host put in
// punycode; non-ASCII bytes of the rest are %-encoded.
func toURI(u string) string {
	i := firstPath(u)
	head, rest := u, ""
	if i >= 0 {
		head, rest = u[:i], u[i:]
	}
	if dec, err := url.QueryUnescape(head); err == nil {
		head = dec
	}
	if k := strings.LastIndexByte(head, '/'); k >= 0 || !strings.Contains(head, ":") {
		dom := head[k+1:]
		if a, err := cdxj.HostToASCII(dom); err == nil && a != "" {
			head = head[:k+1] + a
		}
	}
	return head + EncodeNonASCII(rest)
}

// EncodeNonASCII %-encodes bytes ≥ 0x80 (a browser's address bar does).
func EncodeNonASCII(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			n++
		}
	}
	if n == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 2*n)
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 {
			b.WriteByte('%')
			b.WriteByte(upperHex[c>>4])
			b.WriteByte(upperHex[c&15])
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

const upperHex = "0123456789ABCDEF"

// Split splits "<timestamp><modifier>/<url>" (the part after the
// collection) the way pywb does. ok is false when there is no timestamp or
// modifier prefix (nor leading slashes); then the whole string is a URL.
// A timestamp longer than 14 digits is not one.
func Split(p string) (timestamp, mod, rest string, ok bool) {
	ts, mod, rest, ok := parseReplayForm(p)
	if !ok || len(ts) > 14 {
		return "", "", p, false
	}
	return ts, mod, rest, true
}

// Unwrap returns the page a replay URL shows when u is one (the Wayback
// Machine's "/web/20160526181643/http://site/page", pywb's
// "/coll/2016id_/https://site/page"), else u itself. Nothing says where a
// page's URL puts its collection, so each path segment is tried as the
// start of Split's "<timestamp><modifier>/<url>". A URL merely shaped
// like one must not be taken for it: the timestamp needs four digits at
// least (a year), the archived URL an http(s) scheme or, without one, a
// full fourteen-digit timestamp before it (so a dated path such as
// "/2020/site.com-review" stays as it is), and its host a dot. Unlike
// Target, the archived URL is kept as written (no punycode), as the
// address of a page that was not replayed would be.
func Unwrap(u *url.URL) *url.URL {
	if u == nil {
		return nil
	}
	for p := u.Path; ; {
		p = strings.TrimPrefix(p, "/")
		if ts, _, rest, ok := Split(p); ok && len(ts) >= 4 {
			if a := unwrapped(rest, len(ts) == 14, u.RawQuery); a != nil {
				return a
			}
		}
		var more bool
		if _, p, more = strings.Cut(p, "/"); !more {
			return u
		}
	}
}

// unwrapped parses the archived URL of a replay path, or returns nil
// when rest is not one (see Unwrap).
func unwrapped(rest string, fullTimestamp bool, rawQuery string) *url.URL {
	orig := ""
	if i := SchemeSlash(rest); i > 0 && (strings.EqualFold(rest[:i], "http") || strings.EqualFold(rest[:i], "https")) {
		// Some archives collapse "http://" to "http:/".
		orig = rest[:i] + "://" + strings.TrimPrefix(rest[i+2:], "/")
	} else if fullTimestamp {
		orig = "http://" + rest
	} else {
		return nil
	}
	if rawQuery != "" {
		orig += "?" + rawQuery
	}
	a, err := url.Parse(orig)
	if err != nil || !strings.Contains(a.Hostname(), ".") {
		return nil
	}
	return a
}
