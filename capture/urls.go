package capture

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"

	"github.com/warcbox/warcbox/cdxj"
)

// NormalizeURL returns the form of raw that is fetched and de-duplicated:
// scheme and host lower-cased, IDN host in punycode, default port and
// fragment dropped, empty path made "/", dot segments resolved and
// percent-encoding made canonical. The query is kept as is: its order can
// matter to the server.
func NormalizeURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("normalize url %q: %w", raw, err)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("normalize url %q: scheme %q is not http or https", raw, u.Scheme)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("normalize url %q: no host", raw)
	}
	u.User = nil
	host, port := u.Hostname(), u.Port()
	host = strings.TrimRight(strings.ToLower(host), ".")
	if host == "" {
		return nil, fmt.Errorf("normalize url %q: no host", raw)
	}
	if net.ParseIP(host) == nil {
		if a, err := idna.Lookup.ToASCII(host); err == nil {
			host = a
		}
		// Underscores are common in real host names though IDNA refuses
		// them; anything else outside letters, digits, dots and hyphens
		// cannot be fetched (or indexed).
		for _, r := range host {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
				return nil, fmt.Errorf("normalize url %q: invalid host %q", raw, host)
			}
		}
	}
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	u.Host = host
	u.Fragment, u.RawFragment = "", ""
	// As a browser sends it: tabs and newlines gone, spaces escaped (a
	// trailing space would otherwise be trimmed on the next pass, giving
	// one URL two forms).
	if strings.ContainsAny(u.RawQuery, " \t\r\n") {
		u.RawQuery = strings.NewReplacer("\t", "", "\r", "", "\n", "", " ", "%20").Replace(u.RawQuery)
	}
	if u.Path == "" {
		u.Path = "/"
	}
	// ResolveReference removes dot segments ("/a/../b" is "/b").
	if strings.Contains(u.EscapedPath(), "/.") {
		// A path-only reference: parsing "//x" would make it a host.
		r := u.ResolveReference(&url.URL{Path: u.Path, RawPath: u.RawPath})
		u.Path, u.RawPath = r.Path, r.RawPath
	}
	// Canonical escaping makes %7E and ~ one URL; an escaped slash or
	// question mark is data and must stay escaped.
	if ep := u.EscapedPath(); !strings.Contains(strings.ToLower(ep), "%2f") && !strings.Contains(strings.ToLower(ep), "%3f") {
		u.RawPath = ""
	}
	// What the index (a WHATWG URL parser, as warcio.js) cannot key, a
	// browser could not load either: refuse it here, before fetching.
	if _, err := cdxj.SURT(u.String()); err != nil {
		return nil, fmt.Errorf("normalize url %q: %w", raw, err)
	}
	return u, nil
}

// Scope decides which followed links (hop L) a crawl may fetch.
type Scope string

const (
	ScopePage   Scope = "page"   // the seeds only (with their requisites)
	ScopeHost   Scope = "host"   // same host as a seed
	ScopeDomain Scope = "domain" // same registrable domain as a seed
	ScopePrefix Scope = "prefix" // under a seed's directory
)

// ParseScope checks a --scope value.
func ParseScope(s string) (Scope, error) {
	switch Scope(s) {
	case ScopePage, ScopeHost, ScopeDomain, ScopePrefix:
		return Scope(s), nil
	}
	return "", fmt.Errorf("scope %q: want page, host, domain or prefix", s)
}

type scopeRule struct {
	scope    Scope
	hosts    map[string]bool
	domains  map[string]bool
	prefixes []string
	include  []*regexp.Regexp
	exclude  []*regexp.Regexp
}

func registrable(host string) string {
	if net.ParseIP(host) != nil {
		return host
	}
	if d, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
		return d
	}
	return host
}

func newScopeRule(s Scope, seeds []*url.URL, include, exclude []*regexp.Regexp) *scopeRule {
	r := &scopeRule{scope: s, hosts: map[string]bool{}, domains: map[string]bool{}, include: include, exclude: exclude}
	for _, u := range seeds {
		r.addSeed(u)
	}
	return r
}

func (r *scopeRule) addSeed(u *url.URL) {
	r.hosts[u.Host] = true
	r.domains[registrable(u.Hostname())] = true
	p := u.Scheme + "://" + u.Host + u.EscapedPath()
	if i := strings.LastIndexByte(p, '/'); i >= len(u.Scheme)+3 {
		p = p[:i+1]
	}
	r.prefixes = append(r.prefixes, p)
}

// filtered reports whether --include/--exclude reject u: an exclude match
// rejects; with includes, one must match.
func (r *scopeRule) filtered(u string) bool {
	for _, re := range r.exclude {
		if re.MatchString(u) {
			return true
		}
	}
	if len(r.include) == 0 {
		return false
	}
	for _, re := range r.include {
		if re.MatchString(u) {
			return false
		}
	}
	return true
}

// follows reports whether a link (hop L) to u is in scope.
func (r *scopeRule) follows(u *url.URL) bool {
	switch r.scope {
	case ScopePage:
		return false
	case ScopeHost:
		return r.hosts[u.Host]
	case ScopeDomain:
		return r.domains[registrable(u.Hostname())]
	case ScopePrefix:
		s := u.String()
		for _, p := range r.prefixes {
			if strings.HasPrefix(s, p) {
				return true
			}
		}
	}
	return false
}
