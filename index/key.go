package index

import (
	"net/url"
	"sort"
	"strings"
)

// Key returns the canonical SURT key of a URL, the sort key of every
// index: scheme and "www." dropped (so http/https and www variants are one
// key), host reversed, query parameters sorted, lower case.
//
// TODO(cdxj): delegate to cdxj's SURT once it lands, so indexes written by
// `warcbox index` and looked up here agree by construction.
func Key(raw string) string {
	s := strings.TrimSpace(raw)
	if i := strings.IndexByte(s, '#'); i >= 0 {
		s = s[:i]
	}
	rest := s
	if i := strings.Index(s, "://"); i > 0 && isSchemeText(s[:i]) {
		rest = s[i+3:]
	} else if strings.HasPrefix(s, "//") {
		rest = s[2:]
	}
	host, path := rest, "/"
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		host, path = rest[:i], rest[i:]
		if path[0] == '?' {
			path = "/" + path
		}
	}
	if at := strings.LastIndexByte(host, '@'); at >= 0 {
		host = host[at+1:]
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if h, port, ok := strings.Cut(host, ":"); ok && (port == "80" || port == "443" || port == "") {
		host = h
	}
	for {
		t := strings.TrimPrefix(host, "www")
		if t == host {
			break
		}
		j := 0
		for j < len(t) && t[j] >= '0' && t[j] <= '9' {
			j++
		}
		if j < len(t) && t[j] == '.' && strings.Contains(t[j+1:], ".") {
			host = t[j+1:]
			continue
		}
		break
	}
	parts := strings.Split(host, ".")
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	p, q, hasQ := strings.Cut(path, "?")
	if un, err := url.PathUnescape(p); err == nil && !strings.ContainsAny(un, "?#") {
		p = (&url.URL{Path: un}).EscapedPath()
	}
	key := strings.Join(parts, ",") + ")" + p
	if hasQ && q != "" {
		params := strings.Split(q, "&")
		sort.Strings(params)
		key += "?" + strings.Join(params, "&")
	}
	return strings.ToLower(key)
}

func isSchemeText(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return s != ""
}
