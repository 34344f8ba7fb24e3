package capture

import (
	"fmt"
	"net/url"

	"github.com/warcbox/warcbox/capture/internal/fetch"
)

// Upstream is a proxy every connection goes through: http:// (a CONNECT
// tunnel, for http and https targets alike, so the bytes recorded are the
// ones exchanged with the site, not with the proxy), socks5:// (names
// resolved here, DNS recorded as without a proxy) or socks5h:// (names
// resolved by the proxy, as Tor needs: no DNS records, no
// WARC-IP-Address). User and password in the URL authenticate to it.
type Upstream struct {
	URL *url.URL
}

// ParseUpstream checks a proxy URL given on the command line.
func ParseUpstream(s string) (*Upstream, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("proxy %q: %w", Redact(s), err)
	}
	switch u.Scheme {
	case "http", "socks5", "socks5h":
	default:
		return nil, fmt.Errorf("proxy %q: scheme must be http, socks5 or socks5h", Redact(s))
	}
	if u.Hostname() == "" || u.Port() == "" {
		return nil, fmt.Errorf("proxy %q: want scheme://host:port", Redact(s))
	}
	return &Upstream{URL: u}, nil
}

// String is the proxy URL without its password, for warcinfo and logs.
func (p *Upstream) String() string { return Redact(p.URL.String()) }

// Redact removes the password from a URL-looking string, so a proxy's
// credentials never reach a WARC or a log.
func Redact(s string) string { return fetch.Redact(s) }

// url is the proxy's URL for the recording client; nil without a proxy.
func (p *Upstream) url() *url.URL {
	if p == nil {
		return nil
	}
	return p.URL
}
