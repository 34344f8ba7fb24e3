package capture

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/warcbox/warcbox/internal/testproxy"
)

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
			px := testproxy.New(t, tc.socks)
			proxyURL := tc.scheme + "://" + px.Addr()
			if tc.scheme == "http" {
				proxyURL = "http://alice:s3cret@" + px.Addr()
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
			asked := px.Asked()
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
				auths := px.Auth()
				if len(auths) == 0 {
					t.Errorf("no CONNECT reached the proxy")
				}
				for _, a := range auths {
					if a != want {
						t.Errorf("Proxy-Authorization %q, want %q", a, want)
					}
				}
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
