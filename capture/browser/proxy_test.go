package browser

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/warcbox/warcbox/capture"
	"github.com/warcbox/warcbox/capture/internal/fetch"
)

// testProxy starts a recording proxy alone (no browser); finish closes it
// and returns the capture summary.
func testProxy(t testing.TB, copts capture.Options) (*proxy, func() *capture.Summary) {
	t.Helper()
	dir := t.TempDir()
	if copts.Dir == "" {
		copts.Dir = filepath.Join(dir, "archive")
	}
	copts.Hostname = "test"
	rec, err := capture.NewRecorder(copts)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := newAuthority()
	if err != nil {
		t.Fatal(err)
	}
	px, err := newProxy(rec, ca, rec.Options().Logger)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	px.start(ctx)
	done := false
	finish := func() *capture.Summary {
		if done {
			return nil
		}
		done = true
		px.close()
		cancel()
		sum, err := rec.Close(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	t.Cleanup(func() { finish() })
	return px, finish
}

// proxyClient is a client behaving as a page would: through the proxy,
// with an Accept field (requests without one are the browser's own).
func proxyClient(px *proxy, roots *x509.CertPool) *http.Client {
	pu, _ := url.Parse("http://" + px.Addr())
	return &http.Client{Transport: acceptAll{&http.Transport{
		Proxy:              http.ProxyURL(pu),
		TLSClientConfig:    &tls.Config{RootCAs: roots},
		DisableCompression: true,
		MaxConnsPerHost:    1,
	}}, Timeout: 10 * time.Second}
}

type acceptAll struct{ rt http.RoundTripper }

func (a acceptAll) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Accept", "*/*")
	return a.rt.RoundTrip(r)
}

func TestBrowserInternalRequestsAreRefused(t *testing.T) {
	for _, tc := range []struct {
		h    map[string]string
		want bool
	}{
		// Chromium's own, as seen on 156: clock check over http, account
		// probe and component update over https.
		{map[string]string{"Accept-Encoding": "gzip, deflate", "Cache-Control": "no-cache"}, true},
		{map[string]string{"Origin": "https://www.google.com", "Sec-Fetch-Dest": "empty", "Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Site": "none"}, true},
		// A page's: navigation, fetch over https, image over plain http.
		{map[string]string{"Accept": "text/html", "Sec-Fetch-Dest": "document", "Sec-Fetch-Site": "none"}, false},
		{map[string]string{"Accept": "*/*", "Sec-Fetch-Dest": "empty", "Sec-Fetch-Site": "same-origin"}, false},
		{map[string]string{"Accept": "image/avif,image/webp,*/*", "Referer": "http://example.com/"}, false},
	} {
		r := &http.Request{Header: http.Header{}}
		for k, v := range tc.h {
			r.Header.Set(k, v)
		}
		if got := browserInternal(r); got != tc.want {
			t.Errorf("%v: browserInternal = %v", tc.h, got)
		}
	}

	px, finish := testProxy(t, capture.Options{})
	pu, _ := url.Parse("http://" + px.Addr())
	raw := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(pu)}}
	resp, err := raw.Get("http://clients2.google.com/time/1/current")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("status %d", resp.StatusCode)
	}
	if sum := finish(); sum.Failed != 0 || sum.Fetched != 0 {
		t.Errorf("a refused request was fetched or logged: %+v", sum.Stats)
	}
}

// TestProxyForwardsTheBrowsersRequest checks that a POST goes upstream with
// its method, body and cookies, that the answer reaches the client as the
// server sent it, and that both are recorded.
func TestProxyForwardsTheBrowsersRequest(t *testing.T) {
	n := 0
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		n++ // the answers differ, so neither is a revisit of the other
		w.Header().Set("X-N", fmt.Sprint(n))
		c, _ := r.Cookie("session")
		if r.Header.Get("If-None-Match") != "" {
			w.WriteHeader(http.StatusNotModified) // what must not be archived
			return
		}
		w.Header().Set("X-Echo", r.Method)
		if c != nil {
			w.Header().Set("X-Cookie", c.Value)
		}
		fmt.Fprintf(w, "got %s #%d", body, n)
	}))
	defer up.Close()
	px, finish := testProxy(t, capture.Options{})
	cl := proxyClient(px, nil)
	for i := 0; i < 2; i++ { // the second on the kept-alive connection
		req, _ := http.NewRequest("POST", up.URL+"/form?x=1", strings.NewReader("a=1&b=2"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: "session", Value: "s3cret"})
		req.Header.Set("If-None-Match", `"v1"`)
		resp, err := cl.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(b) != fmt.Sprintf("got a=1&b=2 #%d", i+1) || resp.Header.Get("X-Echo") != "POST" || resp.Header.Get("X-Cookie") != "s3cret" {
			t.Fatalf("answer %q, headers %v", b, resp.Header)
		}
	}
	sum := finish()
	recs := readWARCs(t, sum.Files)
	var reqs, resps int
	for _, r := range recs {
		switch {
		case r.typ == "request" && r.uri == up.URL+"/form?x=1":
			reqs++
			if !bytes.HasPrefix(r.block, []byte("POST /form?x=1 HTTP/1.1\r\n")) || !bytes.HasSuffix(r.block, []byte("\r\n\r\na=1&b=2")) ||
				!bytes.Contains(r.block, []byte("Cookie: session=s3cret")) || bytes.Contains(r.block, []byte("Proxy-Connection")) {
				t.Errorf("request record:\n%s", r.block)
			}
		case r.typ == "response" && r.uri == up.URL+"/form?x=1":
			resps++
			if !bytes.Contains(r.block, []byte("got a=1&b=2 #")) {
				t.Errorf("response record:\n%s", r.block)
			}
		}
	}
	if reqs != 2 || resps != 2 {
		t.Fatalf("%d request and %d response records, want 2 and 2", reqs, resps)
	}
}

// TestProxyInterceptsHTTPS checks the man in the middle: the client trusts
// only the run's CA, every leaf has the pinned key, and the exchange with
// the real server is recorded under its https URL.
func TestProxyInterceptsHTTPS(t *testing.T) {
	up := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "secret page "+r.URL.Path)
	}))
	defer up.Close()
	roots := x509.NewCertPool()
	roots.AddCert(up.Certificate())
	px, finish := testProxy(t, capture.Options{RootCAs: roots})

	mine := x509.NewCertPool()
	mine.AddCert(px.ca.caCert)
	cl := proxyClient(px, mine)
	resp, err := cl.Get(up.URL + "/a")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "secret page /a" {
		t.Fatalf("answer %q", b)
	}
	leaf := resp.TLS.PeerCertificates[0]
	sum256 := sha256.Sum256(leaf.RawSubjectPublicKeyInfo)
	if got := base64.StdEncoding.EncodeToString(sum256[:]); got != px.ca.spki {
		t.Errorf("leaf SPKI %s, pinned %s", got, px.ca.spki)
	}
	if leaf.Equal(up.Certificate()) {
		t.Error("the client saw the server's own certificate: not intercepted")
	}
	if st := px.tlsFor(&url.URL{Host: strings.TrimPrefix(up.URL, "https://")}); st == nil || !st.PeerCertificates[0].Equal(up.Certificate()) {
		t.Error("upstream chain not kept for the provenance record")
	}
	sum := finish()
	found := false
	for _, r := range readWARCs(t, sum.Files) {
		if r.typ == "response" && r.uri == up.URL+"/a" && bytes.HasSuffix(r.block, []byte("secret page /a")) {
			found = true
		}
	}
	if !found {
		t.Fatal("https exchange not recorded")
	}
}

// TestProxyUpstreamDown answers 502 and logs the failure; nothing is lost
// silently.
func TestProxyUpstreamDown(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := "http://" + ln.Addr().String() + "/gone"
	ln.Close()
	px, finish := testProxy(t, capture.Options{Timeout: 2 * time.Second})
	resp, err := proxyClient(px, nil).Get(dead)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadGateway {
		t.Fatalf("status %d", resp.StatusCode)
	}
	sum := finish()
	if sum.Failed != 1 {
		t.Errorf("failed = %d", sum.Failed)
	}
	log, err := os.ReadFile(sum.LogPath)
	if err != nil || !bytes.Contains(log, []byte(`"url":"`+dead+`"`)) || !bytes.Contains(log, []byte(`"kind":"refused"`)) {
		t.Errorf("crawl log %s (%v)", log, err)
	}
}

func TestWaitIdle(t *testing.T) {
	px, _ := testProxy(t, capture.Options{})
	ctx := context.Background()
	px.begin()
	if px.waitIdle(ctx, 20*time.Millisecond, 150*time.Millisecond) {
		t.Fatal("idle while a request is in flight")
	}
	px.end()
	start := time.Now()
	if !px.waitIdle(ctx, 100*time.Millisecond, 2*time.Second) {
		t.Fatal("not idle after the last request ended")
	}
	if d := time.Since(start); d < 80*time.Millisecond {
		t.Fatalf("idle after %v, before the quiet period", d)
	}
}

func TestReusable(t *testing.T) {
	get := &http.Request{Method: "GET"}
	for _, tc := range []struct {
		raw  string
		want bool
	}{
		{"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n", true},
		{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", true},
		{"HTTP/1.1 200 OK\r\n\r\n", false}, // ends when the server closes
		{"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\n", false},
		{"HTTP/1.1 304 Not Modified\r\n\r\n", true},
		{"HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\n", false},
		{"HTTP/1.0 200 OK\r\nContent-Length: 3\r\nConnection: Keep-Alive\r\n\r\n", true},
	} {
		resp, err := http.ReadResponse(bufioReader(tc.raw), get)
		if err != nil {
			t.Fatal(err)
		}
		ex := &fetch.Exchange{Status: resp.StatusCode, Header: resp.Header, RawHeader: []byte(tc.raw)}
		if got := reusable(get, ex); got != tc.want {
			t.Errorf("%q: reusable = %v", tc.raw, got)
		}
	}
}

func bufioReader(s string) *bufio.Reader { return bufio.NewReader(strings.NewReader(s)) }

// TestProxyPlainHTTPInTunnel: a CONNECT followed by plain HTTP (how ws://
// and some http:// requests reach a proxy), sent in one write, is read as
// http:// and recorded.
func TestProxyPlainHTTPInTunnel(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "plain through a tunnel")
	}))
	defer up.Close()
	host := strings.TrimPrefix(up.URL, "http://")
	px, finish := testProxy(t, capture.Options{})
	c, err := net.Dial("tcp", px.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(c, "CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\nGET /t HTTP/1.1\r\nHost: %s\r\nAccept: */*\r\n\r\n", host, host, host)
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("CONNECT: %v %v", resp, err)
	}
	resp, err = http.ReadResponse(br, &http.Request{Method: "GET"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	if string(b) != "plain through a tunnel" {
		t.Fatalf("answer %q", b)
	}
	c.Close()
	sum := finish()
	found := false
	for _, r := range readWARCs(t, sum.Files) {
		found = found || (r.typ == "response" && r.uri == up.URL+"/t")
	}
	if !found {
		t.Error("exchange inside the tunnel not recorded under its http:// URL")
	}
}
