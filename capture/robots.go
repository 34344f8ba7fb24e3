package capture

import (
	"bufio"
	"bytes"
	"strings"
)

// robotsRules is a parsed robots.txt (RFC 9309): the groups that apply to one
// user agent, matched by longest path, Allow winning ties.
type robotsRules struct {
	rules []robotsRule
	// CrawlDelay is the Crawl-delay of the matched group in seconds (0: none).
	CrawlDelay float64
}

type robotsRule struct {
	allow   bool
	pattern string
}

// parseRobots parses body for the product token of userAgent (the part
// before the first "/" of its first word, case-insensitive). Unparsable
// lines are ignored, as the RFC asks; the result never fails.
func parseRobots(body []byte, userAgent string) *robotsRules {
	token := strings.ToLower(userAgent)
	if i := strings.IndexAny(token, " /"); i >= 0 {
		token = token[:i]
	}
	type group struct {
		agents []string
		rules  []robotsRule
		delay  float64
	}
	var groups []*group
	var cur *group
	lastWasAgent := false
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		v = strings.TrimSpace(v)
		switch k {
		case "user-agent":
			if !lastWasAgent || cur == nil {
				cur = &group{}
				groups = append(groups, cur)
			}
			cur.agents = append(cur.agents, strings.ToLower(v))
			lastWasAgent = true
			continue
		case "allow", "disallow":
			if cur != nil && v != "" {
				cur.rules = append(cur.rules, robotsRule{allow: k == "allow", pattern: v})
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
		lastWasAgent = false
	}
	r := &robotsRules{}
	matched := false
	for _, g := range groups {
		for _, a := range g.agents {
			if a != "*" && token != "" && strings.Contains(token, a) {
				r.rules = append(r.rules, g.rules...)
				r.CrawlDelay = max(r.CrawlDelay, g.delay)
				matched = true
			}
		}
	}
	if !matched {
		for _, g := range groups {
			for _, a := range g.agents {
				if a == "*" {
					r.rules = append(r.rules, g.rules...)
					r.CrawlDelay = max(r.CrawlDelay, g.delay)
				}
			}
		}
	}
	return r
}

// Allowed reports whether path (with its query) may be fetched.
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
