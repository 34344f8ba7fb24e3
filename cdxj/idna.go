package cdxj

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// whatwgIDNA is UTS #46 ToASCII with the options the WHATWG URL standard's
// "domain to ASCII" uses (non-transitional; hyphens unchecked; bidi and
// joiner rules checked; STD3 rules and DNS length not enforced). A
// Profile is immutable and safe for concurrent use.
var whatwgIDNA = idna.New(
	idna.MapForLookup(),
	idna.Transitional(false),
	idna.CheckHyphens(false),
	idna.CheckJoiners(true),
	idna.BidiRule(),
	idna.StrictDomainName(false),
	idna.VerifyDNSLength(false),
)

// domainToASCII maps a host to its ASCII form as browsers (and so
// warcio.js) do: case folded, width and compatibility mappings applied,
// ignorable code points dropped, every non-ASCII label turned into
// "xn--" punycode and every "xn--" label checked.
func domainToASCII(s string) (string, error) {
	if isASCII(s) && !strings.Contains(s, "xn--") && !strings.Contains(s, "XN--") {
		return strings.ToLower(s), nil
	}
	a, err := whatwgIDNA.ToASCII(s)
	if err != nil {
		return "", fmt.Errorf("%w: host %q: %v", ErrInvalidURL, s, err)
	}
	return a, nil
}

// HostToASCII is the WHATWG "domain to ASCII" of a host (UTS #46 via
// golang.org/x/net/idna): what every part of warcbox that turns a host into
// punycode uses.
func HostToASCII(host string) (string, error) { return domainToASCII(host) }

// CanonicalHost returns host as a lookup compares it: IDNA (UTS #46) to
// ASCII, lower case, trailing dots dropped. An IPv6 literal is only lower-
// cased. It returns "" when the host is not a valid domain.
func CanonicalHost(host string) string {
	if strings.HasPrefix(host, "[") {
		return strings.ToLower(host)
	}
	h, err := domainToASCII(percentDecode(host))
	if err != nil {
		return ""
	}
	if t := strings.TrimRight(h, "."); t != "" {
		h = t
	}
	return h
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
