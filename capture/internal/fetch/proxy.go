package fetch

import (
	"bufio"
	"context"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/net/proxy"
)

// upstream is a proxy every connection goes through (ClientOptions.Proxy):
// http:// (a CONNECT tunnel, for http and https targets alike, so the bytes
// recorded are the ones exchanged with the site, not with the proxy),
// socks5:// (names resolved here) or socks5h:// (names resolved by the
// proxy). User and password in the URL authenticate to it.
type upstream struct{ URL *url.URL }

// String is the proxy URL without its password, for errors and logs.
func (p *upstream) String() string { return Redact(p.URL.String()) }

// resolvesLocally reports whether target names are looked up here (and
// their DNS recorded) rather than by the proxy.
func (p *upstream) resolvesLocally() bool { return p.URL.Scheme == "socks5" }

// dial connects to addr ("host:port"; an IP for socks5) through the proxy,
// with forward reaching the proxy itself.
func (p *upstream) dial(ctx context.Context, forward func(ctx context.Context, network, addr string) (net.Conn, error), addr string) (net.Conn, error) {
	switch p.URL.Scheme {
	case "socks5", "socks5h":
		var auth *proxy.Auth
		if p.URL.User != nil {
			pw, _ := p.URL.User.Password()
			auth = &proxy.Auth{User: p.URL.User.Username(), Password: pw}
		}
		d, err := proxy.SOCKS5("tcp", p.URL.Host, auth, dialerFunc(forward))
		if err != nil {
			return nil, fmt.Errorf("proxy %s: %w", p, err)
		}
		conn, err := d.(proxy.ContextDialer).DialContext(ctx, "tcp", addr)
		if err != nil {
			return nil, fmt.Errorf("proxy %s: %w", p, err)
		}
		return conn, nil
	default:
		return p.connect(ctx, forward, addr)
	}
}

// connect opens a CONNECT tunnel to addr.
func (p *upstream) connect(ctx context.Context, forward func(ctx context.Context, network, addr string) (net.Conn, error), addr string) (net.Conn, error) {
	conn, err := forward(ctx, "tcp", p.URL.Host)
	if err != nil {
		return nil, fmt.Errorf("proxy %s: %w", p, err)
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	var b strings.Builder
	fmt.Fprintf(&b, "CONNECT %s HTTP/1.1\r\nHost: %s\r\n", addr, addr)
	if p.URL.User != nil {
		pw, _ := p.URL.User.Password()
		fmt.Fprintf(&b, "Proxy-Authorization: Basic %s\r\n", base64.StdEncoding.EncodeToString([]byte(p.URL.User.Username()+":"+pw)))
	}
	b.WriteString("\r\n")
	if _, err := conn.Write([]byte(b.String())); err != nil {
		conn.Close()
		return nil, fmt.Errorf("proxy %s: %w", p, err)
	}
	// Read the answer byte by byte up to its blank line: anything buffered
	// past it would be the site's first bytes, which must reach the
	// recorder untouched.
	br := bufio.NewReaderSize(oneByteReader{conn}, 16)
	resp, err := http.ReadResponse(br, &http.Request{Method: http.MethodConnect})
	if err != nil {
		conn.Close()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("proxy %s: CONNECT %s: %w", p, addr, err)
	}
	// The body is not touched: after a 2xx it is the tunnel itself.
	if resp.StatusCode/100 != 2 {
		conn.Close()
		return nil, fmt.Errorf("proxy %s: CONNECT %s: %s", p, addr, resp.Status)
	}
	if br.Buffered() > 0 {
		conn.Close()
		return nil, fmt.Errorf("proxy %s: CONNECT %s: %w: bytes after the proxy's answer", p, addr, errProtocol)
	}
	return conn, nil
}

type dialerFunc func(ctx context.Context, network, addr string) (net.Conn, error)

func (f dialerFunc) Dial(network, addr string) (net.Conn, error) {
	return f(context.Background(), network, addr)
}

func (f dialerFunc) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	return f(ctx, network, addr)
}

// oneByteReader hands out one byte per Read.
type oneByteReader struct {
	r interface{ Read([]byte) (int, error) }
}

func (o oneByteReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	return o.r.Read(p[:1])
}

// Redact removes the password from a URL-looking string, so a proxy's
// credentials never reach a WARC or a log.
func Redact(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
