package cdxj

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// SURTIA returns the key the Python surt library (surt.surt with its
// default canonicalizer) builds, which is what pywb's own indexer,
// OpenWayback and OutbackCDX use. Use it to look up indexes those tools
// wrote; warcbox writes [SURT] keys.
//
// Beyond [SURT] it decodes %-escapes repeatedly and re-encodes only what
// must be (so "%7E" and "~" agree), lower-cases the path and query, strips
// session ids (jsessionid, phpsessid, sid, ASPSESSIONID, cfid/cftoken and
// ASP.NET "(S(…))" path segments), drops a trailing slash, drops an empty
// query, resolves numeric hosts ("3279880203", "017.0.0.1") and keeps
// other schemes' host reversed too ("ftp://www.example.com/" →
// "com,example)/"); "dns:…", "mailto:…" and other host-less URIs keep their
// scheme and are only lower-cased, "filedesc…" is returned as is, and a
// URL without a scheme is taken as http.
//
// Differences from the library: IDN hosts are encoded by UTS #46 rules
// rather than IDNA 2003 (the two agree on lower-case letters), and
// numeric hosts are resolved without asking the system resolver.
func SURTIA(rawURL string) (string, error) {
	if rawURL == "" {
		return "-", nil
	}
	if strings.HasPrefix(rawURL, "filedesc") {
		return rawURL, nil
	}
	h, err := parseHandyURL(rawURL)
	if err != nil {
		return "", fmt.Errorf("surt %q: %w", rawURL, err)
	}
	canonicalizeGoogle(h)
	canonicalizeIA(h)
	return h.surt(), nil
}

// handyURL mirrors the surt library's handyurl: a loosely parsed URL whose
// parts may be absent (hasX false) or empty.
type handyURL struct {
	scheme, host, path, query string
	port                      int // 0: none
	hasQuery                  bool
	lastDelimiter             bool // the URL ended in a bare '?'
}

// hasScheme reports whether u starts like "scheme:", as the library's
// ^[a-zA-Z][a-zA-Z0-9+\-.]*: does.
func hasScheme(u string) bool {
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return true
		default:
			return false
		}
	}
	return false
}

func parseHandyURL(u string) (*handyURL, error) {
	u = strings.Trim(u, " \t\n\r\v\f")
	if strings.ContainsAny(u, "\t\n\r") {
		u = strings.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || r == '\r' {
				return -1
			}
			return r
		}, u)
	}
	if !hasScheme(u) {
		u = "http://" + u
	}
	// "http://https://host" (a crawler bug) is the last scheme's URL.
	for {
		rest, ok := strings.CutPrefix(u, "http://")
		if !ok {
			rest, ok = strings.CutPrefix(u, "https://")
		}
		if !ok || !(strings.HasPrefix(rest, "http://") || strings.HasPrefix(rest, "https://")) {
			break
		}
		u = rest
	}
	h := &handyURL{}
	colon := strings.IndexByte(u, ':')
	// The scheme keeps its case, as the library's own splitter does
	// ("DNS:WWW.ARCHIVE.ORG" → "DNS:www.archive.org").
	h.scheme = u[:colon]
	rest := u[colon+1:]
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		rest = rest[:i]
	}
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		if q := rest[i+1:]; q != "" {
			h.query, h.hasQuery = q, true
		}
		rest = rest[:i]
	}
	var netloc string
	if strings.HasPrefix(rest, "//") {
		rest = rest[2:]
		end := strings.IndexByte(rest, '/')
		if end < 0 {
			end = len(rest)
		}
		netloc, rest = rest[:end], rest[end:]
	}
	h.path = rest
	netloc = strings.TrimRight(netloc, ":")
	if at := strings.LastIndexByte(netloc, '@'); at >= 0 {
		netloc = netloc[at+1:]
	}
	hostPart, portPart := netloc, ""
	if strings.HasPrefix(netloc, "[") {
		if j := strings.IndexByte(netloc, ']'); j >= 0 {
			hostPart = netloc[1:j]
			portPart = strings.TrimPrefix(netloc[j+1:], ":")
		} else {
			hostPart = netloc[1:] // "[::1" unclosed: Python's hostname is "::1"
		}
	} else if j := strings.LastIndexByte(netloc, ':'); j >= 0 {
		hostPart, portPart = netloc[:j], netloc[j+1:]
	}
	if portPart != "" {
		n, err := strconv.Atoi(portPart)
		if err != nil || n < 0 || n > 65535 {
			return nil, fmt.Errorf("%w: bad port %q", ErrInvalidURL, portPart)
		}
		h.port = n
	}
	// ASCII only, as Python lower-cases bytes: "İ" must reach IDNA intact
	// (UTS #46 maps it to "i̇"; unicode lower-casing would drop the dot).
	h.host = asciiLower(hostPart)
	if strings.HasPrefix(h.scheme, "http") && h.host == "" && h.path != "" {
		p := strings.TrimLeft(h.path, "/")
		host, path, _ := strings.Cut(p, "/")
		h.host, h.path = host, "/"+path
	}
	if strings.HasSuffix(u, "?") && !h.hasQuery {
		h.lastDelimiter = true
	}
	return h, nil
}

// unescapeRepeatedly decodes %XX until nothing changes.
func unescapeRepeatedly(s string) string {
	for {
		d := percentDecode(s)
		if d == s {
			return s
		}
		s = d
	}
}

// escapeOnce escapes what Python's quote() does with the surt library's
// safe set: controls, space, '#', '%' and bytes above 0x7e.
func escapeOnce(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= 0x20 || c >= 0x7f || c == '#' || c == '%' {
			b.WriteByte('%')
			b.WriteByte(upperHex[c>>4])
			b.WriteByte(upperHex[c&15])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func canonicalizeGoogle(h *handyURL) {
	if h.hasQuery {
		h.query = escapeOnce(unescapeRepeatedly(h.query))
	}
	if h.host != "" {
		host := unescapeRepeatedly(h.host)
		if !isASCII(host) {
			if a, err := domainToASCII(host); err == nil {
				host = a
			}
		}
		for strings.Contains(host, "..") {
			host = strings.ReplaceAll(host, "..", ".")
		}
		host = strings.Trim(host, ".")
		if ip, ok := attemptIPFormats(host); ok {
			host = ip
		} else {
			host = escapeOnce(asciiLower(host))
		}
		h.host = host
	}
	path := unescapeRepeatedly(h.path)
	if h.host != "" {
		path = normalizePathIA(path)
	}
	h.path = escapeOnce(path)
}

var (
	reDecimalIP = regexp.MustCompile(`^[1-9][0-9]*(\.[0-9]+)?(\.[0-9]+)?(\.[0-9]+)?$`)
	reOctalIP   = regexp.MustCompile(`^0[0-7]*(\.[0-7]+)?(\.[0-7]+)?(\.[0-7]+)?$`)
)

// attemptIPFormats turns numeric hosts into dotted quads as inet_aton
// reads them; an all-digit host is masked to 32 bits as the library does.
func attemptIPFormats(host string) (string, bool) {
	if host != "" && strings.Trim(host, "0123456789") == "" {
		n, err := strconv.ParseUint(host, 10, 64)
		if err != nil {
			return "", false
		}
		n &= 0xffffffff
		return fmt.Sprintf("%d.%d.%d.%d", n>>24, n>>16&255, n>>8&255, n&255), true
	}
	if !reDecimalIP.MatchString(host) && !reOctalIP.MatchString(host) {
		return "", false
	}
	ip, err := parseIPv4(host)
	if err != nil {
		return "", false
	}
	return ip, true
}

// normalizePathIA resolves "." and ".." and collapses repeated slashes as
// the surt library's normalizePath does (a leading ".." is kept).
func normalizePathIA(path string) string {
	if path == "" {
		return "/"
	}
	parts := strings.Split(path, "/")[1:]
	var kept []string
	for _, p := range parts {
		switch p {
		case ".":
		case "..":
			if len(kept) > 0 {
				kept = kept[:len(kept)-1]
			} else {
				kept = append(kept, p)
			}
		default:
			kept = append(kept, p)
		}
	}
	var b strings.Builder
	b.WriteByte('/')
	for i, p := range kept {
		if i == len(kept)-1 {
			b.WriteString(p)
		} else if p != "" {
			b.WriteString(p)
			b.WriteByte('/')
		}
	}
	return b.String()
}

var (
	rePathSessionIDs = []*regexp.Regexp{
		regexp.MustCompile(`(?i)^(.*/)(\((?:[a-z]\([0-9a-z]{24}\))+\)/)([^?]+\.aspx.*)$`),
		regexp.MustCompile(`(?i)^(.*/)(\([0-9a-z]{24}\)/)([^?]+\.aspx.*)$`),
	}
	reQuerySessionIDs = []*regexp.Regexp{
		regexp.MustCompile(`(?i)^(.*)(?:jsessionid=[0-9a-z]{32})(?:&(.*))?$`),
		regexp.MustCompile(`(?i)^(.*)(?:phpsessid=[0-9a-z]{32})(?:&(.*))?$`),
		regexp.MustCompile(`(?i)^(.*)(?:sid=[0-9a-z]{32})(?:&(.*))?$`),
		regexp.MustCompile(`(?i)^(.*)(?:aspsessionid[a-z]{8}=[a-z]{24})(?:&(.*))?$`),
		regexp.MustCompile(`(?i)^(.*)(?:cfid=[^&]+&cftoken=[^&]+)(?:&(.*))?$`),
	}
)

// asciiLower lower-cases ASCII letters only.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func canonicalizeIA(h *handyURL) {
	h.host = asciiLower(h.host)
	if h.host != "" && h.scheme != "dns" {
		if strings.HasPrefix(h.host, "www") {
			i := 3
			for i < len(h.host) && h.host[i] >= '0' && h.host[i] <= '9' {
				i++
			}
			if i < len(h.host) && h.host[i] == '.' {
				h.host = h.host[i+1:]
			}
		}
	}
	if sch := strings.ToLower(h.scheme); (sch == "http" && h.port == 80) || (sch == "https" && h.port == 443) {
		h.port = 0
	}
	if h.path != "" {
		p := strings.ToLower(h.path)
		// The patterns only match ASP.NET paths; skip the regexps otherwise.
		if strings.Contains(p, ".aspx") {
			for _, re := range rePathSessionIDs {
				if m := re.FindStringSubmatch(p); m != nil {
					p = m[1] + m[3]
				}
			}
		}
		if len(p) > 1 && strings.HasSuffix(p, "/") {
			p = p[:len(p)-1]
		}
		h.path = p
	}
	if h.hasQuery && h.query != "" {
		q := h.query
		lq := strings.ToLower(q)
		mayHaveID := strings.Contains(lq, "sid=") || strings.Contains(lq, "sessionid") || strings.Contains(lq, "cfid=")
		if mayHaveID {
			for _, re := range reQuerySessionIDs {
				if m := re.FindStringSubmatch(q); m != nil {
					q = m[1] + m[2]
				}
			}
			lq = strings.ToLower(q)
		}
		q = alphaReorderQuery(lq)
		h.query = q
	}
	if !h.hasQuery {
		h.lastDelimiter = false
	} else if h.query == "" {
		h.hasQuery = false
	}
}

// alphaReorderQuery sorts "k=v" pairs by key, then value, a pair without
// '=' before one with it, as Python sorts the tuples.
func alphaReorderQuery(q string) string {
	if len(q) <= 1 {
		return q
	}
	args := strings.Split(q, "&")
	sort.SliceStable(args, func(i, j int) bool {
		ki, vi, hi := strings.Cut(args[i], "=")
		kj, vj, hj := strings.Cut(args[j], "=")
		if ki != kj {
			return ki < kj
		}
		if hi != hj {
			return !hi
		}
		return vi < vj
	})
	return strings.Join(args, "&")
}

func (h *handyURL) surt() string {
	var b strings.Builder
	if h.host == "" {
		b.WriteString(h.scheme)
		b.WriteByte(':')
	} else {
		labels := strings.Split(h.host, ".")
		for i := len(labels) - 1; i >= 0; i-- {
			b.WriteString(labels[i])
			if i > 0 {
				b.WriteByte(',')
			}
		}
		if h.port != 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(h.port))
		}
		b.WriteByte(')')
	}
	if h.path != "" {
		b.WriteString(h.path)
	} else if h.hasQuery {
		b.WriteByte('/')
	}
	if h.hasQuery {
		b.WriteByte('?')
		b.WriteString(h.query)
	}
	if h.lastDelimiter {
		b.WriteByte('?')
	}
	return b.String()
}
