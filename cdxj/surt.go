package cdxj

import (
	"errors"
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrInvalidURL reports a URL that a WHATWG URL parser (and so warcio.js and
// every browser) rejects.
var ErrInvalidURL = errors.New("cdxj: invalid URL")

// SURT returns the CDXJ key warcio.js `cdx-index` writes for rawURL.
//
// It follows warcio.js getSurt step by step, because that is the format the
// indexes warcbox writes must share with ReplayWeb.page and WACZ files:
//   - only URLs that start with "http:" or "https:" (case-sensitively) are
//     transformed; anything else (dns:, urn:, filedesc:, ftp:, "HTTP://…")
//     is returned unchanged;
//   - a leading "www." or "wwwN." right after "http(s)://" is removed (only
//     in lower case, as warcio.js's regular expression does);
//   - the URL is lower-cased as a whole (so existing %XX escapes become
//     lower case) and parsed as a WHATWG URL: IDN labels become punycode,
//     IPv4 in any notation becomes dotted decimal, IPv6 is compressed,
//     "." and ".." segments are resolved, backslashes count as slashes,
//     spaces and other unsafe characters are %-encoded (upper-case hex), the
//     default port and the fragment disappear;
//   - the host labels are reversed and joined with commas, the port (if
//     any) follows after ':', then ')', the path, and the query arguments
//     split on '&' and sorted.
//
// A wget-style "<http://…>" value should be unwrapped first (see
// [TrimAngleBrackets]); the WARC reader is the place for that, as in
// warcio.js.
//
// If an http(s) URL cannot be parsed, SURT returns the key warcio.js falls
// back to (the URL itself, minus a leading "www.") and an error wrapping
// [ErrInvalidURL]; an indexer may keep the key and report the error.
func SURT(rawURL string) (string, error) {
	if !strings.HasPrefix(rawURL, "http:") && !strings.HasPrefix(rawURL, "https:") {
		return rawURL, nil
	}
	u := stripWWW(rawURL)
	p, err := parseSpecialURL(jsLower(u))
	if err != nil {
		return u, fmt.Errorf("surt %q: %w", rawURL, err)
	}
	var b strings.Builder
	b.Grow(len(u) + 8)
	labels := strings.Split(p.host, ".")
	for i := len(labels) - 1; i >= 0; i-- {
		b.WriteString(labels[i])
		if i > 0 {
			b.WriteByte(',')
		}
	}
	if p.port != "" {
		b.WriteByte(':')
		b.WriteString(p.port)
	}
	b.WriteByte(')')
	b.WriteString(p.path)
	if p.query != "" {
		args := strings.Split(p.query, "&")
		sort.Strings(args)
		b.WriteByte('?')
		b.WriteString(strings.Join(args, "&"))
	}
	return b.String(), nil
}

// Key is [SURT] without the error: for an unparsable URL it returns the same
// fallback key warcio.js writes.
func Key(rawURL string) string {
	k, _ := SURT(rawURL)
	return k
}

// TrimAngleBrackets undoes the wget 1.14–1.19 bug that wrote
// WARC-Target-URI as "<http://…>"; warcio.js strips the brackets when it
// reads the header.
func TrimAngleBrackets(uri string) string {
	if len(uri) >= 2 && uri[0] == '<' && uri[len(uri)-1] == '>' {
		return uri[1 : len(uri)-1]
	}
	return uri
}

// stripWWW removes "www." or "wwwN." after "http://" or "https://", as the
// regular expression ^(https?:\/\/)www\d*\. in warcio.js does (case-sensitive).
func stripWWW(u string) string {
	var rest string
	switch {
	case strings.HasPrefix(u, "http://"):
		rest = u[len("http://"):]
	case strings.HasPrefix(u, "https://"):
		rest = u[len("https://"):]
	default:
		return u
	}
	if !strings.HasPrefix(rest, "www") {
		return u
	}
	i := 3
	for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
		i++
	}
	if i < len(rest) && rest[i] == '.' {
		return u[:len(u)-len(rest)] + rest[i+1:]
	}
	return u
}

// jsLower lower-cases like JavaScript's String.prototype.toLowerCase: by
// Unicode code point, with the special cases of Unicode's SpecialCasing
// that are not language-specific: U+0130 becomes "i̇" (two code points) and
// a capital sigma at the end of a word becomes final "ς". Invalid UTF-8
// becomes U+FFFD, as it does when warcio.js decodes a header.
func jsLower(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range rs {
		switch r {
		case '\u0130':
			b.WriteString("i\u0307")
		case '\u03a3':
			if finalSigma(rs, i) {
				b.WriteRune('\u03c2')
			} else {
				b.WriteRune('\u03c3')
			}
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// finalSigma is Unicode's Final_Sigma condition for rs[i]: a cased letter
// before it and none after it, skipping case-ignorable characters.
func finalSigma(rs []rune, i int) bool {
	j := i - 1
	for j >= 0 && caseIgnorable(rs[j]) {
		j--
	}
	if j < 0 || !cased(rs[j]) {
		return false
	}
	k := i + 1
	for k < len(rs) && caseIgnorable(rs[k]) {
		k++
	}
	return k == len(rs) || !cased(rs[k])
}

func cased(r rune) bool {
	return unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r)
}

func caseIgnorable(r rune) bool {
	switch r {
	case '\'', '.', ':', '^', '`', '\u00b7', '\u0387', '\u05f4', '\u2018', '\u2019', '\u2024', '\u2027',
		'\ufe13', '\ufe52', '\ufe55', '\uff07', '\uff0e', '\uff1a':
		return true
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Lm, unicode.Sk)
}

type parsedURL struct {
	host  string // serialized host: domain, dotted IPv4 or [IPv6]
	port  string // empty if none or default
	path  string // serialized path, starts with '/'
	query string // without '?', empty if none
}

// parseSpecialURL parses an already lower-cased http(s) URL the way the
// WHATWG URL standard does for special schemes, keeping only the parts the
// key needs. It returns an error wherever the standard says "failure".
func parseSpecialURL(s string) (parsedURL, error) {
	var p parsedURL
	// Leading and trailing C0 controls and spaces go, tabs and newlines
	// anywhere go.
	s = strings.TrimFunc(s, func(r rune) bool { return r <= 0x20 })
	if strings.ContainsAny(s, "\t\n\r") {
		s = strings.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || r == '\r' {
				return -1
			}
			return r
		}, s)
	}
	colon := strings.IndexByte(s, ':')
	if colon < 0 {
		return p, fmt.Errorf("%w: no scheme", ErrInvalidURL)
	}
	scheme := s[:colon]
	defaultPort := "80"
	if scheme == "https" {
		defaultPort = "443"
	}
	rest := strings.TrimLeft(s[colon+1:], `/\`)
	end := strings.IndexAny(rest, `/\?#`)
	if end < 0 {
		end = len(rest)
	}
	auth, rem := rest[:end], rest[end:]
	if at := strings.LastIndexByte(auth, '@'); at >= 0 {
		auth = auth[at+1:]
	}
	hostPart, port, hasPort := splitHostPort(auth)
	if hostPart == "" {
		return p, fmt.Errorf("%w: empty host", ErrInvalidURL)
	}
	if hasPort && port != "" {
		for i := 0; i < len(port); i++ {
			if port[i] < '0' || port[i] > '9' {
				return p, fmt.Errorf("%w: bad port %q", ErrInvalidURL, port)
			}
		}
		n, err := strconv.ParseUint(port, 10, 32)
		if err != nil || n > 65535 {
			return p, fmt.Errorf("%w: port %q out of range", ErrInvalidURL, port)
		}
		if ps := strconv.FormatUint(n, 10); ps != defaultPort {
			p.port = ps
		}
	}
	host, err := parseHost(hostPart)
	if err != nil {
		return p, err
	}
	p.host = host

	pathPart := rem
	var query string
	hasQuery := false
	if i := strings.IndexAny(rem, "?#"); i >= 0 {
		pathPart = rem[:i]
		if rem[i] == '?' {
			q := rem[i+1:]
			if j := strings.IndexByte(q, '#'); j >= 0 {
				q = q[:j]
			}
			query, hasQuery = q, true
		}
	}
	p.path = serializePath(pathPart)
	if hasQuery {
		p.query = percentEncode(query, inSpecialQuerySet)
	}
	return p, nil
}

// splitHostPort splits at the first ':' outside square brackets.
func splitHostPort(auth string) (host, port string, hasPort bool) {
	inBrackets := false
	for i := 0; i < len(auth); i++ {
		switch auth[i] {
		case '[':
			inBrackets = true
		case ']':
			inBrackets = false
		case ':':
			if !inBrackets {
				return auth[:i], auth[i+1:], true
			}
		}
	}
	return auth, "", false
}

// serializePath resolves dot segments and percent-encodes a special URL's
// path (which starts with '/' or '\', or is empty).
func serializePath(path string) string {
	if path == "" {
		return "/"
	}
	path = path[1:] // the leading slash or backslash
	var segs []string
	for {
		i := strings.IndexAny(path, `/\`)
		seg := path
		last := i < 0
		if !last {
			seg = path[:i]
		}
		enc := percentEncode(seg, inPathSet)
		switch {
		case isDoubleDot(enc):
			if len(segs) > 0 {
				segs = segs[:len(segs)-1]
			}
			if last {
				segs = append(segs, "")
			}
		case isSingleDot(enc):
			if last {
				segs = append(segs, "")
			}
		default:
			segs = append(segs, enc)
		}
		if last {
			break
		}
		path = path[i+1:]
	}
	var b strings.Builder
	for _, s := range segs {
		b.WriteByte('/')
		b.WriteString(s)
	}
	if b.Len() == 0 {
		return "/"
	}
	return b.String()
}

func isSingleDot(s string) bool { return s == "." || strings.EqualFold(s, "%2e") }

func isDoubleDot(s string) bool {
	switch strings.ToLower(s) {
	case "..", ".%2e", "%2e.", "%2e%2e":
		return true
	}
	return false
}

// inPathSet is the WHATWG path percent-encode set for one byte/rune.
func inPathSet(r rune) bool {
	switch r {
	case ' ', '"', '#', '<', '>', '?', '`', '{', '}':
		return true
	}
	return r < 0x20 || r > 0x7e
}

// inSpecialQuerySet is the WHATWG special-query percent-encode set.
func inSpecialQuerySet(r rune) bool {
	switch r {
	case ' ', '"', '#', '<', '>', '\'':
		return true
	}
	return r < 0x20 || r > 0x7e
}

const upperHex = "0123456789ABCDEF"

// percentEncode UTF-8 percent-encodes the runes of s in the set; invalid
// UTF-8 is encoded as U+FFFD, as a JavaScript string would hold it.
func percentEncode(s string, in func(rune) bool) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if in(rune(s[i])) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	var buf [utf8.UTFMax]byte
	for _, r := range s {
		if !in(r) {
			b.WriteRune(r)
			continue
		}
		n := utf8.EncodeRune(buf[:], r)
		for _, c := range buf[:n] {
			b.WriteByte('%')
			b.WriteByte(upperHex[c>>4])
			b.WriteByte(upperHex[c&15])
		}
	}
	return b.String()
}

// percentDecode decodes %XX escapes to bytes; malformed escapes stay as
// they are, as the WHATWG percent-decode does.
func percentDecode(s string) string {
	if strings.IndexByte(s, '%') < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// parseHost is the WHATWG host parser for special schemes.
func parseHost(in string) (string, error) {
	if strings.HasPrefix(in, "[") {
		if !strings.HasSuffix(in, "]") || len(in) < 3 {
			return "", fmt.Errorf("%w: unclosed IPv6 address", ErrInvalidURL)
		}
		return parseIPv6(in[1 : len(in)-1])
	}
	decoded := percentDecode(in)
	ascii, err := domainToASCII(decoded)
	if err != nil {
		return "", err
	}
	for i := 0; i < len(ascii); i++ {
		if forbiddenDomainByte(ascii[i]) {
			return "", fmt.Errorf("%w: forbidden character %q in host", ErrInvalidURL, ascii[i])
		}
	}
	if endsInNumber(ascii) {
		return parseIPv4(ascii)
	}
	return ascii, nil
}

func forbiddenDomainByte(c byte) bool {
	switch c {
	case ' ', '#', '/', ':', '<', '>', '?', '@', '[', '\\', ']', '^', '|', '%':
		return true
	}
	return c < 0x20 || c == 0x7f
}

func parseIPv6(s string) (string, error) {
	if strings.IndexByte(s, '%') >= 0 || strings.IndexByte(s, ':') < 0 {
		return "", fmt.Errorf("%w: bad IPv6 address %q", ErrInvalidURL, s)
	}
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is6() {
		return "", fmt.Errorf("%w: bad IPv6 address %q", ErrInvalidURL, s)
	}
	b := a.As16()
	var pieces [8]uint16
	for i := range pieces {
		pieces[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	// The first longest run of two or more zero pieces becomes "::".
	bestStart, bestLen := -1, 1
	for i := 0; i < 8; {
		if pieces[i] != 0 {
			i++
			continue
		}
		j := i
		for j < 8 && pieces[j] == 0 {
			j++
		}
		if j-i > bestLen {
			bestStart, bestLen = i, j-i
		}
		i = j
	}
	var out strings.Builder
	out.WriteByte('[')
	for i := 0; i < 8; i++ {
		if i == bestStart {
			if i == 0 {
				out.WriteByte(':')
			}
			out.WriteByte(':')
			i += bestLen - 1
			continue
		}
		out.WriteString(strconv.FormatUint(uint64(pieces[i]), 16))
		if i < 7 {
			out.WriteByte(':')
		}
	}
	out.WriteByte(']')
	return out.String(), nil
}

// endsInNumber reports whether the last label of a domain is a number, in
// which case the WHATWG parser insists the host is an IPv4 address.
func endsInNumber(host string) bool {
	parts := strings.Split(host, ".")
	if parts[len(parts)-1] == "" {
		if len(parts) == 1 {
			return false
		}
		parts = parts[:len(parts)-1]
	}
	last := parts[len(parts)-1]
	if last != "" && strings.Trim(last, "0123456789") == "" {
		return true
	}
	_, ok := parseIPv4Number(last)
	return ok
}

// parseIPv4Number parses one part: 0x-prefixed hex, 0-prefixed octal or
// decimal. Values are capped well above 2^32 so that overflow cannot wrap.
func parseIPv4Number(s string) (uint64, bool) {
	if s == "" {
		return 0, false
	}
	base := uint64(10)
	if len(s) >= 2 && (s[:2] == "0x" || s[:2] == "0X") {
		s, base = s[2:], 16
	} else if len(s) >= 2 && s[0] == '0' {
		s, base = s[1:], 8
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		var d uint64
		switch {
		case c >= '0' && c <= '9':
			d = uint64(c - '0')
		case c >= 'a' && c <= 'f':
			d = uint64(c-'a') + 10
		case c >= 'A' && c <= 'F':
			d = uint64(c-'A') + 10
		default:
			return 0, false
		}
		if d >= base {
			return 0, false
		}
		if n < 1<<40 {
			n = n*base + d
		}
	}
	return n, true
}

func parseIPv4(host string) (string, error) {
	parts := strings.Split(host, ".")
	if parts[len(parts)-1] == "" && len(parts) > 1 {
		parts = parts[:len(parts)-1]
	}
	if len(parts) > 4 {
		return "", fmt.Errorf("%w: IPv4 address %q has too many parts", ErrInvalidURL, host)
	}
	nums := make([]uint64, len(parts))
	for i, part := range parts {
		n, ok := parseIPv4Number(part)
		if !ok {
			return "", fmt.Errorf("%w: bad IPv4 address %q", ErrInvalidURL, host)
		}
		nums[i] = n
	}
	for _, n := range nums[:len(nums)-1] {
		if n > 255 {
			return "", fmt.Errorf("%w: IPv4 address %q out of range", ErrInvalidURL, host)
		}
	}
	last := nums[len(nums)-1]
	if last >= uint64(1)<<(8*(5-len(nums))) {
		return "", fmt.Errorf("%w: IPv4 address %q out of range", ErrInvalidURL, host)
	}
	ip := last
	for i, n := range nums[:len(nums)-1] {
		ip += n << (8 * (3 - i))
	}
	return fmt.Sprintf("%d.%d.%d.%d", ip>>24, ip>>16&255, ip>>8&255, ip&255), nil
}
