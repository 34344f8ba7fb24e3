// Package testproxy runs small HTTP CONNECT and SOCKS5 proxies on
// 127.0.0.1 for tests of capture through a proxy. Both resolve the name
// "example.com" to 127.0.0.1, so a test can name a local site by a name only
// the proxy (or a test resolver) knows, and both remember what they were
// asked to reach.
package testproxy

import (
	"bufio"
	"encoding/binary"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Proxy is a running test proxy.
type Proxy struct {
	Listener net.Listener
	mu       sync.Mutex
	asks     []string
	auth     []string
}

func (p *Proxy) record(target, auth string) {
	p.mu.Lock()
	p.asks = append(p.asks, target)
	p.auth = append(p.auth, auth)
	p.mu.Unlock()
}

// Asked lists the targets asked for: CONNECT hosts, or SOCKS5 addresses as
// sent (a name, or the address warcbox resolved).
func (p *Proxy) Asked() []string {
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

// New starts a proxy, SOCKS5 when socks is set, else HTTP CONNECT; it stops
// when the test ends.
func New(t testing.TB, socks bool) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{Listener: ln}
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

func (p *Proxy) serveConnect(c net.Conn) {
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
func (p *Proxy) serveSOCKS(c net.Conn) {
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

// Auth lists the Proxy-Authorization values received (CONNECT only).
func (p *Proxy) Auth() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.auth...)
}

// Addr is the proxy's "127.0.0.1:port".
func (p *Proxy) Addr() string { return p.Listener.Addr().String() }
