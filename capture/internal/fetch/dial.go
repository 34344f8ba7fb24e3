// Package fetch is capture's recording HTTP/1.1 client: it dials (directly
// or through an upstream proxy), makes the TLS handshake, and records each
// exchange as the bytes that crossed the connection. It is internal to
// capture: the crawler and the browser mode's proxy share it.
package fetch

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/warcbox/warcbox/warc"
)

// The HTTP client below is written for capture rather than built on
// net/http's Transport: a WARC response record must hold the bytes exactly as
// they came off the connection (status line, header case and order, chunk
// framing, compressed body), and each record must hold the bytes of one
// exchange only. Reading the framing ourselves gives both for free, where a
// tee under net/http's read-ahead buffer would have to guess where one
// response ends on a kept-alive connection. HTTP/2 is never offered (ALPN
// says http/1.1), so what is recorded is what a WARC can represent.

// ClientOptions configure a Client; zero values are documented per field.
type ClientOptions struct {
	UserAgent string
	// Timeout bounds connecting (DNS, TCP, TLS) and every wait for the
	// server's next byte; a body that keeps arriving is never cut by it, so
	// a large video is captured whole. If zero, 30s.
	Timeout  time.Duration
	Insecure bool // skip TLS certificate verification
	RootCAs  *x509.CertPool
	MaxSize  int64                // payload bytes kept per response (rest cut, WARC-Truncated: length); if zero, no limit
	Digest   warc.DigestAlgorithm // if empty, sha256
	Jar      http.CookieJar
	TempDir  string // for spooling large bodies; if empty, os.TempDir()
	// Dial, if set, replaces the TCP dial (tests); it receives "ip:port".
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// Lookup, if set, replaces DNS resolution (tests).
	Lookup func(ctx context.Context, host string) ([]net.IP, error)
	// Proxy, if set, carries every connection (Dial then reaches the
	// proxy): http://, socks5:// or socks5h://, with user and password.
	Proxy *url.URL
}

// Client performs recorded HTTP/1.1 exchanges with keep-alive.
type Client struct {
	opts ClientOptions
	px   *upstream // nil without a proxy

	mu   sync.Mutex
	idle map[string][]*pconn
	dns  map[string]*dnsEntry
}

type dnsEntry struct {
	done chan struct{}
	ips  []net.IP
	err  error
}

type pconn struct {
	c   net.Conn
	ir  *idleReader
	br  *bufio.Reader
	ip  string
	tls *tls.ConnectionState
}

// NewClient returns a client.
func NewClient(opts ClientOptions) *Client {
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	if opts.Digest == "" {
		opts.Digest = warc.SHA256
	}
	c := &Client{opts: opts, idle: map[string][]*pconn{}, dns: map[string]*dnsEntry{}}
	if opts.Proxy != nil {
		c.px = &upstream{URL: opts.Proxy}
	}
	return c
}

// CloseIdle closes kept-alive connections.
func (c *Client) CloseIdle() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, l := range c.idle {
		for _, p := range l {
			p.c.Close()
		}
		delete(c.idle, k)
	}
}

// DNSResult is one resolution, recorded as a dns: resource record.
type DNSResult struct {
	Host string
	Date time.Time
	IPs  []net.IP
}

func hostPort(u *url.URL) (host, port string) {
	host = u.Hostname()
	port = u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	return host, port
}

func (c *Client) getConn(ctx context.Context, u *url.URL, fresh bool) (*pconn, bool, *DNSResult, error) {
	host, port := hostPort(u)
	key := u.Scheme + "://" + net.JoinHostPort(host, port)
	c.mu.Lock()
	if l := c.idle[key]; len(l) > 0 && !fresh {
		p := l[len(l)-1]
		c.idle[key] = l[:len(l)-1]
		c.mu.Unlock()
		return p, true, nil, nil
	}
	c.mu.Unlock()

	dial := c.opts.Dial
	if dial == nil {
		d := &net.Dialer{}
		dial = d.DialContext
	}
	px := c.px
	if px != nil && !px.resolvesLocally() {
		// The proxy resolves the name and picks the address: neither is
		// known here, so no DNS record and no WARC-IP-Address.
		conn, err := px.dial(ctx, dial, net.JoinHostPort(host, port))
		if err != nil {
			return nil, false, nil, err
		}
		pc, err := c.finishConn(ctx, &pconn{c: conn}, u, host)
		return pc, false, nil, err
	}
	ips, dns, err := c.resolve(ctx, host)
	if err != nil {
		return nil, false, nil, err
	}
	var conn net.Conn
	var ip net.IP
	for _, ip = range ips {
		addr := net.JoinHostPort(ip.String(), port)
		if px != nil {
			conn, err = px.dial(ctx, dial, addr)
		} else {
			conn, err = dial(ctx, "tcp", addr)
		}
		if err == nil {
			break
		}
	}
	if conn == nil {
		if err == nil {
			err = fmt.Errorf("no address for %s", host)
		}
		return nil, false, dns, err
	}
	p := &pconn{c: conn}
	switch ta, ok := conn.RemoteAddr().(*net.TCPAddr); {
	case px != nil:
		p.ip = ip.String() // the address asked of the proxy, not the proxy's
	case ok:
		p.ip = ta.IP.String()
	default:
		if h, _, err := net.SplitHostPort(conn.RemoteAddr().String()); err == nil {
			p.ip = h
		}
	}
	pc, err := c.finishConn(ctx, p, u, host)
	return pc, false, dns, err
}

// finishConn makes the TLS handshake of an https connection and the
// buffered reader every connection reads through.
func (c *Client) finishConn(ctx context.Context, p *pconn, u *url.URL, host string) (*pconn, error) {
	conn := p.c
	if u.Scheme == "https" {
		cfg := &tls.Config{
			ServerName:         host,
			InsecureSkipVerify: c.opts.Insecure,
			RootCAs:            c.opts.RootCAs,
			NextProtos:         []string{"http/1.1"},
		}
		tc := tls.Client(conn, cfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return nil, err
		}
		st := tc.ConnectionState()
		p.tls = &st
		p.c = tc
	}
	p.ir = &idleReader{c: p.c, timeout: c.opts.Timeout}
	p.br = bufio.NewReaderSize(p.ir, 32<<10)
	return p, nil
}

func (c *Client) resolve(ctx context.Context, host string) ([]net.IP, *DNSResult, error) {
	if ip := net.ParseIP(strings.Trim(host, "[]")); ip != nil {
		return []net.IP{ip}, nil, nil
	}
	c.mu.Lock()
	e, ok := c.dns[host]
	if ok {
		c.mu.Unlock()
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
		return e.ips, nil, e.err
	}
	e = &dnsEntry{done: make(chan struct{})}
	c.dns[host] = e
	c.mu.Unlock()
	lookup := c.opts.Lookup
	if lookup == nil {
		lookup = func(ctx context.Context, host string) ([]net.IP, error) {
			addrs, err := net.DefaultResolver.LookupIPAddr(ctx, host)
			ips := make([]net.IP, len(addrs))
			for i, a := range addrs {
				ips[i] = a.IP
			}
			return ips, err
		}
	}
	date := time.Now()
	e.ips, e.err = lookup(ctx, host)
	if e.err == nil && len(e.ips) == 0 {
		e.err = &net.DNSError{Err: "no addresses", Name: host}
	}
	close(e.done)
	if e.err != nil {
		// Do not cache a failure caused by our own cancellation.
		if ctx.Err() != nil {
			c.mu.Lock()
			delete(c.dns, host)
			c.mu.Unlock()
		}
		return nil, nil, e.err
	}
	return e.ips, &DNSResult{Host: host, Date: date, IPs: e.ips}, nil
}

// TLSVersionName is the WARC-Protocol token of a TLS version ("tls/1.3").
func TLSVersionName(v uint16) string {
	switch v {
	case 0x0301:
		return "tls/1.0"
	case 0x0302:
		return "tls/1.1"
	case 0x0303:
		return "tls/1.2"
	case 0x0304:
		return "tls/1.3"
	}
	return fmt.Sprintf("tls/0x%04x", v)
}

// CipherName gives the IANA name Go knows ("TLS_AES_128_GCM_SHA256").
func CipherName(id uint16) string { return tls.CipherSuiteName(id) }
