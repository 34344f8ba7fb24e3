package browser

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/warcbox/warcbox/capture"
	"github.com/warcbox/warcbox/capture/internal/fetch"
)

// maxRequestBody bounds a request body the browser uploads (a form post);
// past it the request is refused rather than held in memory.
const maxRequestBody = 32 << 20

// authority is the certificate authority made for one run. Every leaf it
// signs shares one key, so the browser can be told to trust exactly that
// key (--ignore-certificate-errors-spki-list) and nothing is installed in a
// system or user trust store.
type authority struct {
	caCert  *x509.Certificate
	caKey   *ecdsa.PrivateKey
	leafKey *ecdsa.PrivateKey
	spki    string // base64 sha256 of the leaf key's SubjectPublicKeyInfo

	mu    sync.Mutex
	certs map[string]*tls.Certificate
}

func newAuthority() (*authority, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("browser: ca key: %w", err)
	}
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("browser: leaf key: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          randSerial(),
		Subject:               pkix.Name{CommonName: "warcbox capture proxy CA (this run only)", Organization: []string{"warcbox"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(7 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, fmt.Errorf("browser: ca certificate: %w", err)
	}
	caCert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("browser: ca certificate: %w", err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&leafKey.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("browser: leaf key: %w", err)
	}
	sum := sha256.Sum256(pub)
	return &authority{caCert: caCert, caKey: caKey, leafKey: leafKey,
		spki: base64.StdEncoding.EncodeToString(sum[:]), certs: map[string]*tls.Certificate{}}, nil
}

func randSerial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return big.NewInt(time.Now().UnixNano())
	}
	return n
}

// leaf returns the certificate for host, signed on first use.
func (a *authority) leaf(host string) (*tls.Certificate, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if c := a.certs[host]; c != nil {
		return c, nil
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: randSerial(),
		Subject:      pkix.Name{CommonName: host},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(7 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if ip := net.ParseIP(host); ip != nil {
		tmpl.IPAddresses = []net.IP{ip}
	} else {
		tmpl.DNSNames = []string{host}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, a.caCert, &a.leafKey.PublicKey, a.caKey)
	if err != nil {
		return nil, fmt.Errorf("browser: certificate for %s: %w", host, err)
	}
	c := &tls.Certificate{Certificate: [][]byte{der, a.caCert.Raw}, PrivateKey: a.leafKey}
	a.certs[host] = c
	return c, nil
}

// proxy is the recording forward proxy the browser sends all its traffic
// to. Each request is fetched upstream with the capture's recording client,
// recorded as HTTP mode records it, and answered with the very bytes the
// server sent.
type proxy struct {
	ln   net.Listener
	ca   *authority
	rec  *capture.Recorder
	cl   *fetch.Client
	log  *slog.Logger
	wg   sync.WaitGroup
	errc chan error // first write error; stops the capture
	stop context.CancelFunc

	mu       sync.Mutex
	conns    map[net.Conn]bool
	inflight int
	last     time.Time // last time a request started or ended
	page     string    // the page being captured, recorded as "via"
	count    int       // requests recorded since the page started
	chains   map[string]*tls.ConnectionState
	failed   map[string]error // URLs of the current page that could not be fetched
}

func newProxy(rec *capture.Recorder, ca *authority, log *slog.Logger) (*proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("browser: proxy listen: %w", err)
	}
	return &proxy{ln: ln, ca: ca, rec: rec, cl: rec.Client(), log: log, errc: make(chan error, 1),
		conns: map[net.Conn]bool{}, last: time.Now(), chains: map[string]*tls.ConnectionState{},
		failed: map[string]error{}}, nil
}

// Addr is "127.0.0.1:port".
func (p *proxy) Addr() string { return p.ln.Addr().String() }

// start serves the browser's connections until close.
func (p *proxy) start(ctx context.Context) {
	ctx, p.stop = context.WithCancel(ctx)
	go p.serve(ctx)
}

func (p *proxy) serve(ctx context.Context) {
	for {
		conn, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		p.conns[conn] = true
		p.mu.Unlock()
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.serveConn(ctx, conn)
			p.mu.Lock()
			delete(p.conns, conn)
			p.mu.Unlock()
			conn.Close()
		}()
	}
}

// close stops accepting, drops the browser's connections, cancels the
// fetches still running (a long poll never ends) and waits for the
// handlers, so nothing is recorded after the writer is closed.
func (p *proxy) close() {
	p.ln.Close()
	p.mu.Lock()
	if p.stop != nil {
		p.stop()
	}
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}

// startPage marks the start of a page: its URL becomes the via of what
// follows, and the request count restarts.
func (p *proxy) startPage(u string) {
	p.mu.Lock()
	p.page, p.count = u, 0
	clear(p.failed)
	p.mu.Unlock()
}

func (p *proxy) requests() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.count
}

// failure returns why u could not be fetched during the current page, or nil.
func (p *proxy) failure(u string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.failed[u]
}

// tlsFor returns the upstream TLS state last seen for scheme://host:port.
func (p *proxy) tlsFor(u *url.URL) *tls.ConnectionState {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.chains[u.Host]
}

func (p *proxy) begin() {
	p.mu.Lock()
	p.inflight++
	p.last = time.Now()
	p.mu.Unlock()
}

func (p *proxy) end() {
	p.mu.Lock()
	p.inflight--
	p.last = time.Now()
	p.mu.Unlock()
}

// waitIdle returns true once no request has been in flight for quiet, or
// false when max passes first (a page that polls forever).
func (p *proxy) waitIdle(ctx context.Context, quiet, max time.Duration) bool {
	deadline := time.Now().Add(max)
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		p.mu.Lock()
		idle := p.inflight == 0 && time.Since(p.last) >= quiet
		p.mu.Unlock()
		if idle {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
		}
	}
}

func (p *proxy) serveConn(ctx context.Context, conn net.Conn) {
	br := bufio.NewReader(conn)
	for {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		if req.Method == http.MethodConnect {
			p.tunnel(ctx, conn, br, req)
			return
		}
		if req.URL == nil || !req.URL.IsAbs() || req.URL.Scheme != "http" {
			writeError(conn, http.StatusBadRequest, "warcbox proxy: absolute http:// URL expected")
			return
		}
		if isWebSocket(req) {
			p.webSocket(ctx, conn, br, req, req.URL)
			return
		}
		if !p.handle(ctx, conn, req, req.URL) {
			return
		}
	}
}

// tunnel answers CONNECT. When the browser then speaks TLS, the proxy
// plays the server with a certificate of the run's authority; otherwise
// (ws:// or http:// through a tunnel) it reads plain HTTP. Either way it
// reads the requests inside. br is the connection's reader, which may hold
// bytes the browser sent right after its CONNECT.
func (p *proxy) tunnel(ctx context.Context, conn net.Conn, br *bufio.Reader, req *http.Request) {
	host, port, err := net.SplitHostPort(req.Host)
	if err != nil {
		host, port = req.Host, "443"
	}
	if _, err := io.WriteString(conn, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
		return
	}
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	first, err := br.Peek(1)
	if err != nil {
		return
	}
	scheme, defPort := "http", "80"
	var inner net.Conn = &bufConn{Conn: conn, r: br}
	if first[0] == 0x16 { // a TLS handshake record
		scheme, defPort = "https", "443"
		tc := tls.Server(inner, &tls.Config{
			NextProtos: []string{"http/1.1"}, // HTTP/2 would not be recorded as WARC can hold it
			GetCertificate: func(hi *tls.ClientHelloInfo) (*tls.Certificate, error) {
				name := hi.ServerName
				if name == "" {
					name = host
				}
				return p.ca.leaf(name)
			},
		})
		tc.SetDeadline(time.Now().Add(30 * time.Second))
		if err := tc.HandshakeContext(ctx); err != nil {
			p.log.Debug("proxy: tls handshake with browser failed", "host", host, "err", err)
			return
		}
		tc.SetDeadline(time.Time{})
		inner, br = tc, bufio.NewReader(tc)
	}
	conn.SetReadDeadline(time.Time{})
	authority := host
	if port != defPort {
		authority = net.JoinHostPort(host, port)
	}
	for {
		r, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		u, err := url.Parse(scheme + "://" + authority + r.URL.RequestURI())
		if err != nil || r.Method == http.MethodConnect {
			writeError(inner, http.StatusBadRequest, "warcbox proxy: bad request target")
			return
		}
		if isWebSocket(r) {
			p.webSocket(ctx, inner, br, r, u)
			return
		}
		if !p.handle(ctx, inner, r, u) {
			return
		}
	}
}

// bufConn reads through the connection's buffered reader, so bytes it has
// already taken from the socket are not lost.
type bufConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *bufConn) Read(b []byte) (int, error) { return c.r.Read(b) }

func writeError(w io.Writer, status int, msg string) {
	fmt.Fprintf(w, "HTTP/1.1 %d %s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
		status, http.StatusText(status), len(msg), msg)
}

// handle fetches one request upstream, answers the browser with the bytes
// received and records the exchange. It reports whether the browser
// connection may carry another request.
func (p *proxy) handle(ctx context.Context, conn net.Conn, req *http.Request, u *url.URL) bool {
	if browserInternal(req) {
		// Chromium's own traffic (component updates, clock checks, account
		// probes) is not part of any page: it neither leaves the machine
		// nor enters the archive.
		p.log.Debug("proxy: browser-internal request refused", "url", u.String())
		io.Copy(io.Discard, io.LimitReader(req.Body, maxRequestBody))
		writeError(conn, http.StatusForbidden, "warcbox proxy: browser-internal request not fetched")
		return false
	}
	p.begin()
	defer p.end()
	body, err := io.ReadAll(io.LimitReader(req.Body, maxRequestBody+1))
	req.Body.Close()
	if err != nil {
		writeError(conn, http.StatusBadRequest, "warcbox proxy: reading request body: "+err.Error())
		return false
	}
	if len(body) > maxRequestBody {
		writeError(conn, http.StatusRequestEntityTooLarge, "warcbox proxy: request body too large")
		return false
	}
	p.mu.Lock()
	via := p.page
	p.mu.Unlock()
	if ref := req.Header.Get("Referer"); ref != "" {
		via = ref
	}
	isPage := req.Method == http.MethodGet && isNavigation(req.Header)
	if isPage && via == u.String() {
		via = "" // a seed comes from nowhere, as in HTTP mode
	}
	// A revalidation from the browser's cache would archive a 304 with no
	// body; asked unconditionally the server sends the whole answer (which
	// the browser accepts in place of a 304), and a payload already
	// archived becomes a revisit record.
	req.Header.Del("If-None-Match")
	req.Header.Del("If-Modified-Since")
	ex, err := p.cl.Forward(ctx, fetch.ForwardRequest{Method: req.Method, URL: u, Header: req.Header, Body: body})
	if err != nil {
		p.rec.LogFailure(u.String(), via, err)
		p.mu.Lock()
		p.failed[u.String()] = err
		p.mu.Unlock()
		p.log.Debug("proxy: fetch failed", "url", u.String(), "err", err)
		writeError(conn, http.StatusBadGateway, "warcbox proxy: "+err.Error())
		return false
	}
	defer ex.Close()
	if ex.TLS != nil {
		p.mu.Lock()
		p.chains[u.Host] = ex.TLS
		p.mu.Unlock()
	}
	_, werr := io.Copy(conn, ex.Response.Reader())
	if err := p.rec.Record(ex, via, isPage); err != nil {
		select {
		case p.errc <- err:
		default:
		}
		return false
	}
	p.mu.Lock()
	p.count++
	p.mu.Unlock()
	p.log.Debug("proxy: recorded", "method", req.Method, "url", u.String(), "status", ex.Status)
	return werr == nil && reusable(req, ex)
}

// browserInternal tells requests the browser makes for itself from those
// of a page. Over https (and loopback) Chromium marks them
// Sec-Fetch-Site: none, which a page's own requests never carry (only a
// navigation typed or driven from outside, which is a document). Where it
// sends no Sec-Fetch fields (plain http), its service requests carry no
// Accept and no Referer, while every request of a page has an Accept.
func browserInternal(req *http.Request) bool {
	if site := req.Header.Get("Sec-Fetch-Site"); site != "" {
		return site == "none" && req.Header.Get("Sec-Fetch-Dest") != "document"
	}
	return req.Header.Get("Accept") == "" && req.Header.Get("Referer") == "" && req.Header.Get("Origin") == ""
}

// isNavigation tells a top-level page load from the resources it needs.
// Chromium sends Sec-Fetch-Dest only to trustworthy origins (https,
// loopback); elsewhere a navigation is known by its Accept and
// Upgrade-Insecure-Requests.
func isNavigation(h http.Header) bool {
	if d := h.Get("Sec-Fetch-Dest"); d != "" {
		return d == "document"
	}
	return h.Get("Upgrade-Insecure-Requests") == "1" && strings.HasPrefix(h.Get("Accept"), "text/html")
}

// reusable says whether the browser can send another request on the
// connection after this answer: only when the answer's end is framed and
// neither side asked to close. The recorded head is read, not the parsed
// header: net/http takes Connection: close and Transfer-Encoding out of it.
func reusable(req *http.Request, ex *fetch.Exchange) bool {
	if req.Close || ex.Truncated != "" || ex.BodyErr != nil || ex.Status == http.StatusSwitchingProtocols {
		return false
	}
	http10 := strings.HasPrefix(string(ex.RawHeader), "HTTP/1.0")
	keepAlive := false
	for _, v := range rawField(ex.RawHeader, "connection") {
		if strings.Contains(v, "close") {
			return false
		}
		keepAlive = keepAlive || strings.Contains(v, "keep-alive")
	}
	if http10 && !keepAlive {
		return false
	}
	if req.Method == http.MethodHead || ex.Status == 204 || ex.Status == 304 {
		return true
	}
	if len(rawField(ex.RawHeader, "content-length")) > 0 {
		return true
	}
	te := rawField(ex.RawHeader, "transfer-encoding")
	return len(te) > 0 && strings.HasSuffix(te[len(te)-1], "chunked")
}

// rawField returns the lower-cased, trimmed values of a field of a raw head.
func rawField(raw []byte, name string) []string {
	var out []string
	for _, line := range strings.Split(string(raw), "\n") {
		if n, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(strings.TrimSpace(n), name) {
			out = append(out, strings.ToLower(strings.TrimSpace(v)))
		}
	}
	return out
}
