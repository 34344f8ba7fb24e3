package capture

import (
	"strings"
)

// robotsRules is a parsed robots.txt (RFC 9309, read as Google's reference
// parser reads it): the rules of the groups that apply to one user agent,
// matched by longest pattern, Allow winning ties. TestRobotsGoogleCases
// holds it to the cases of Google's own robots.txt tests.
type robotsRules struct {
	rules []robotsRule
	// CrawlDelay is the Crawl-delay of the matched groups in seconds (0: none).
	CrawlDelay float64
}

type robotsRule struct {
	allow   bool
	pattern string
}

// maxRobotsLine is the longest line read (the rest of a longer line is
// dropped, as Google's parser does: 8 × the longest URL browsers took).
const maxRobotsLine = 2083*8 - 1

// robotsToken is the product token robots.txt groups are matched against:
// the leading run of [a-zA-Z_-] of a User-Agent ("warcbox/0.1 (+…)" →
// "warcbox"), lower-cased.
func robotsToken(ua string) string {
	ua = strings.TrimSpace(ua)
	i := 0
	for i < len(ua) && isTokenChar(ua[i]) {
		i++
	}
	return strings.ToLower(ua[:i])
}

func isTokenChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '_'
}

// robotsKeys maps the directive names read (with the misspellings
// Google's parser accepts) to the directive.
var robotsKeys = map[string]string{
	"user-agent": "user-agent", "useragent": "user-agent", "user agent": "user-agent",
	"allow":    "allow",
	"disallow": "disallow", "dissallow": "disallow", "dissalow": "disallow", "disalow": "disallow",
	"diasllow": "disallow", "disallaw": "disallow",
	"crawl-delay": "crawl-delay",
}

// robotsLines splits body into lines on LF, CR LF or a lone CR, each cut
// at maxRobotsLine bytes, with a leading UTF-8 byte order mark (or the
// start of one) removed.
func robotsLines(body []byte, each func(line string)) {
	bom := []byte{0xEF, 0xBB, 0xBF}
	for i := 0; i < len(bom) && len(body) > 0 && body[0] == bom[i]; i++ {
		body = body[1:]
	}
	for len(body) > 0 {
		end := len(body)
		for i, c := range body {
			if c == '\n' || c == '\r' {
				end = i
				break
			}
		}
		each(string(body[:min(end, maxRobotsLine)]))
		if end == len(body) {
			return
		}
		next := end + 1
		if body[end] == '\r' && next < len(body) && body[next] == '\n' {
			next++
		}
		body = body[next:]
	}
}

// robotsKeyValue splits a line into a known directive and its value. A
// missing colon is taken as written ("disallow /") when the line is
// exactly two words, as Google's parser does.
func robotsKeyValue(line string) (key, value string, ok bool) {
	if i := strings.IndexByte(line, '#'); i >= 0 {
		line = line[:i]
	}
	line = strings.TrimSpace(line)
	k, v, found := strings.Cut(line, ":")
	if !found {
		i := strings.IndexAny(line, " \t")
		if i < 0 {
			return "", "", false
		}
		k, v = line[:i], strings.TrimSpace(line[i:])
		if v == "" || strings.ContainsAny(v, " \t") {
			return "", "", false
		}
	}
	key, ok = robotsKeys[strings.ToLower(strings.TrimSpace(k))]
	return key, strings.TrimSpace(v), ok
}

// escapePattern percent-encodes the octets of a pattern outside US-ASCII
// and upper-cases existing escapes, so patterns compare with the escaped
// paths of URLs (RFC 9309 §2.2.2).
func escapePattern(p string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c >= 0x80:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xf])
		case c == '%' && i+2 < len(p) && isHex(p[i+1]) && isHex(p[i+2]):
			b.WriteByte('%')
			b.WriteString(strings.ToUpper(p[i+1 : i+3]))
			i += 2
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// parseRobots parses body for the product token of userAgent (see
// robotsToken). A group is a run of user-agent lines and the rules after
// it; lines that are not rules (sitemap, unknown ones) do not end a run,
// rules before any user-agent line are ignored. The groups naming the
// token apply, merged; if none does, the "*" groups. Unparsable lines are
// ignored, as the RFC asks; the result never fails.
func parseRobots(body []byte, userAgent string) *robotsRules {
	token := robotsToken(userAgent)
	type group struct {
		specific, global bool
		rules            []robotsRule
		delay            float64
	}
	var groups []*group
	var cur *group
	inAgents := false
	robotsLines(body, func(line string) {
		key, v, ok := robotsKeyValue(line)
		if !ok {
			return
		}
		switch key {
		case "user-agent":
			if !inAgents || cur == nil {
				cur = &group{}
				groups = append(groups, cur)
			}
			inAgents = true
			if v == "*" || strings.HasPrefix(v, "*") && len(v) > 1 && (v[1] == ' ' || v[1] == '\t') {
				cur.global = true
			} else if a := robotsToken(v); a != "" && a == token {
				cur.specific = true
			}
			return
		case "allow", "disallow":
			if cur != nil && v != "" {
				p := escapePattern(v)
				cur.rules = append(cur.rules, robotsRule{allow: key == "allow", pattern: p})
				// Google's reading: allowing a folder's index.html allows
				// the folder's URL itself.
				if key == "allow" && strings.HasSuffix(p, "/index.html") {
					cur.rules = append(cur.rules, robotsRule{allow: true, pattern: strings.TrimSuffix(p, "index.html") + "$"})
				}
			}
		case "crawl-delay":
			if cur != nil {
				var d float64
				for _, c := range v {
					if c < '0' || c > '9' {
						d = -1
						break
					}
					d = d*10 + float64(c-'0')
				}
				if d > 0 {
					cur.delay = d
				}
			}
		}
		inAgents = false
	})
	r := &robotsRules{}
	use := func(pick func(*group) bool) bool {
		found := false
		for _, g := range groups {
			if pick(g) {
				r.rules = append(r.rules, g.rules...)
				r.CrawlDelay = max(r.CrawlDelay, g.delay)
				found = true
			}
		}
		return found
	}
	if token == "" || !use(func(g *group) bool { return g.specific }) {
		use(func(g *group) bool { return g.global })
	}
	return r
}

// Allowed reports whether path (with its query, escaped as in a request
// line) may be fetched.
func (r *robotsRules) Allowed(path string) bool {
	if r == nil {
		return true
	}
	if path == "" {
		path = "/"
	}
	best, allow := -1, true
	for _, rule := range r.rules {
		if n := robotsMatch(rule.pattern, path); n > best || (n == best && n >= 0 && rule.allow) {
			if n >= 0 {
				best, allow = n, rule.allow
			}
		}
	}
	return allow
}

// robotsMatch returns the pattern length if pattern matches a prefix of path
// ('*' any run, '$' end), or -1.
func robotsMatch(pattern, path string) int {
	p := pattern
	if strings.HasSuffix(p, "$") {
		p = p[:len(p)-1]
	} else {
		p += "*"
	}
	if wildMatch(p, path) {
		return len(pattern)
	}
	return -1
}

// wildMatch matches s against p where '*' is any run, in O(len(p)·len(s))
// at worst (greedy with one backtrack point), so a hostile robots.txt cannot
// make matching exponential.
func wildMatch(p, s string) bool {
	pi, si, star, mark := 0, 0, -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case pi < len(p) && p[pi] == s[si]:
			pi++
			si++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}
