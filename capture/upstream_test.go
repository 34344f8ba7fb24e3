package capture

import (
	"bufio"
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// testProxy is an HTTP CONNECT or SOCKS5 proxy on 127.0.0.1 that resolves
// "example.com" to 127.0.0.1 and remembers what it was asked for.
type testProxy struct {
	ln   net.Listener
	mu   sync.Mutex
	asks []string // CONNECT targets, or SOCKS5 addresses as sent
	auth []string // Proxy-Authorization values
}

func (p *testProxy) record(target, auth string) {
	p.mu.Lock()
	p.asks = append(p.asks, target)
	p.auth = append(p.auth, auth)
	p.mu.Unlock()
}

func (p *testProxy) asked() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.asks...)
}

func dialTarget(addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if host == "example.com" {
		host = "127.0.0.1"
	}
	return net.DialTimeout("tcp", net.JoinHostPort(host, port), 5*time.Second)
}

func pipe(a, b net.Conn) {
	done := make(chan struct{}, 2)
	go func() { io.Copy(a, b); done <- struct{}{} }()
	go func() { io.Copy(b, a); done <- struct{}{} }()
	<-done
	a.Close()
	b.Close()
}

func newTestProxy(t *testing.T, socks bool) *testProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &testProxy{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			if socks {
				go p.serveSOCKS(c)
			} else {
				go p.serveConnect(c)
			}
		}
	}()
	return p
}

func (p *testProxy) serveConnect(c net.Conn) {
	br := bufio.NewReader(c)
	req, err := http.ReadRequest(br)
	if err != nil || req.Method != http.MethodConnect {
		c.Close()
		return
	}
	p.record(req.Host, req.Header.Get("Proxy-Authorization"))
	up, err := dialTarget(req.Host)
	if err != nil {
		io.WriteString(c, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
		c.Close()
		return
	}
	io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\n")
	pipe(c, up)
}

// serveSOCKS speaks just enough RFC 1928: no authentication, CONNECT.
func (p *testProxy) serveSOCKS(c net.Conn) {
	fail := func() { c.Close() }
	var hdr [2]byte
	if _, err := io.ReadFull(c, hdr[:]); err != nil || hdr[0] != 5 {
		fail()
		return
	}
	methods := make([]byte, hdr[1])
	if _, err := io.ReadFull(c, methods); err != nil {
		fail()
		return
	}
	c.Write([]byte{5, 0})
	var req [4]byte
	if _, err := io.ReadFull(c, req[:]); err != nil || req[1] != 1 {
		fail()
		return
	}
	var host string
	switch req[3] {
	case 1:
		b := make([]byte, 4)
		io.ReadFull(c, b)
		host = net.IP(b).String()
	case 4:
		b := make([]byte, 16)
		io.ReadFull(c, b)
		host = net.IP(b).String()
	case 3:
		var n [1]byte
		io.ReadFull(c, n[:])
		b := make([]byte, n[0])
		io.ReadFull(c, b)
		host = string(b)
	default:
		fail()
		return
	}
	var port [2]byte
	io.ReadFull(c, port[:])
	addr := net.JoinHostPort(host, strconv.Itoa(int(binary.BigEndian.Uint16(port[:]))))
	p.record(addr, "")
	up, err := dialTarget(addr)
	if err != nil {
		c.Write([]byte{5, 5, 0, 1, 0, 0, 0, 0, 0, 0})
		fail()
		return
	}
	c.Write([]byte{5, 0, 0, 1, 0, 0, 0, 0, 0, 0})
	pipe(c, up)
}

// TestCaptureThroughProxy captures an http and an https site (named
// example.com, which only the proxy or the test resolver knows) through an
// HTTP CONNECT proxy with a password, SOCKS5 and SOCKS5h, and checks what
// each says about names and addresses, and that no password is written.
func TestCaptureThroughProxy(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		// Two payloads, so that neither is written as a revisit of the other.
		fmt.Fprintf(w, "<html><body><p>through the proxy (tls %v)</p></body></html>", r.TLS != nil)
	})
	plain := httptest.NewServer(h)
	defer plain.Close()
	secure := httptest.NewTLSServer(h)
	defer secure.Close()
	roots := x509.NewCertPool()
	roots.AddCert(secure.Certificate())
	named := func(srv *httptest.Server) string {
		return strings.Replace(srv.URL, "127.0.0.1", "example.com", 1) + "/"
	}
	seeds := []string{named(plain), named(secure)}

	for _, tc := range []struct {
		scheme   string
		socks    bool
		resolved bool // names looked up by warcbox (DNS record, WARC-IP-Address)
	}{
		{"http", false, false},
		{"socks5", true, true},
		{"socks5h", true, false},
	} {
		t.Run(tc.scheme, func(t *testing.T) {
			px := newTestProxy(t, tc.socks)
			proxyURL := tc.scheme + "://" + px.ln.Addr().String()
			if tc.scheme == "http" {
				proxyURL = "http://alice:s3cret@" + px.ln.Addr().String()
			}
			up, err := ParseUpstream(proxyURL)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			res := runTest(t, ctx, seeds, func(o *Options) {
				o.Proxy = up
				o.RootCAs = roots
				o.IgnoreRobots = true
				o.CommandLine = "warcbox capture --proxy=" + Redact(proxyURL)
				o.Lookup = func(ctx context.Context, host string) ([]net.IP, error) {
					if host == "example.com" {
						return []net.IP{net.ParseIP("127.0.0.1")}, nil
					}
					return nil, fmt.Errorf("test resolver: no %s", host)
				}
			})
			if res.err != nil {
				t.Fatal(res.err)
			}
			asked := px.asked()
			for _, seed := range seeds {
				resp := res.find(t, seed)
				if !strings.Contains(string(resp.Block), "through the proxy") {
					t.Errorf("%s: response block lacks the page", seed)
				}
				if ip := resp.get("WARC-IP-Address"); (ip == "127.0.0.1") != tc.resolved || (ip != "" && ip != "127.0.0.1") {
					t.Errorf("%s: WARC-IP-Address %q, want it only when warcbox resolved the name", seed, ip)
				}
				// What the proxy was asked for: the name, unless warcbox
				// resolved it (socks5).
				_, port, _ := net.SplitHostPort(strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(seed, "http://"), "https://"), "/"))
				want := net.JoinHostPort("example.com", port)
				if tc.resolved {
					want = net.JoinHostPort("127.0.0.1", port)
				}
				found := false
				for _, a := range asked {
					found = found || a == want
				}
				if !found {
					t.Errorf("%s: proxy was asked for %v, want %s among them", seed, asked, want)
				}
			}
			dns := false
			for _, r := range res.byType("resource") {
				dns = dns || strings.HasPrefix(r.URI, "dns:example.com")
			}
			if dns != tc.resolved {
				t.Errorf("DNS record written = %v, want %v", dns, tc.resolved)
			}
			for _, r := range res.recs {
				if strings.Contains(string(r.Block), "s3cret") {
					t.Errorf("the proxy password is in a %s record", r.Type)
				}
			}
			info := res.byType("warcinfo")
			if len(info) == 0 || !strings.Contains(string(info[0].Block), "proxy: "+Redact(proxyURL)+"\r\n") {
				t.Errorf("warcinfo does not name the proxy: %+v", info)
			}
			if tc.scheme == "http" {
				want := "Basic " + base64.StdEncoding.EncodeToString([]byte("alice:s3cret"))
				px.mu.Lock()
				for _, a := range px.auth {
					if a != want {
						t.Errorf("Proxy-Authorization %q, want %q", a, want)
					}
				}
				px.mu.Unlock()
			}
		})
	}
}

func TestParseUpstream(t *testing.T) {
	for _, bad := range []string{"ftp://h:1", "http://nohost", "socks5://:1080", "::"} {
		if _, err := ParseUpstream(bad); err == nil {
			t.Errorf("ParseUpstream(%q) accepted", bad)
		}
	}
	up, err := ParseUpstream("http://u:pw@127.0.0.1:3128")
	if err != nil {
		t.Fatal(err)
	}
	if s := up.String(); strings.Contains(s, "pw") || !strings.Contains(s, "u:xxxxx@") {
		t.Errorf("String() = %q", s)
	}
}
