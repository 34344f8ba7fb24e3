package fetch

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// ForwardRequest is a request a browser made through the recording proxy
// of capture/browser. Unlike Do, which builds a crawler's GET, Forward sends
// the browser's own method, headers (cookies, Accept, Origin…) and body, so
// that the site answers the browser exactly as it would without the proxy.
type ForwardRequest struct {
	Method string
	URL    *url.URL
	Header http.Header // as the browser sent them; hop-by-hop fields are dropped
	Body   []byte
	// Upgrade, if set ("websocket"), asks the server to switch protocols:
	// the request carries Upgrade and Connection: Upgrade, and a 101
	// answer leaves the connection to the caller in Exchange.Upgraded.
	Upgrade string
}

// hopByHop are the fields that concern one connection only (RFC 9110 §7.6.1)
// plus the proxy's own; they are not forwarded.
var hopByHop = map[string]bool{
	"Connection": true, "Proxy-Connection": true, "Keep-Alive": true, "Proxy-Authenticate": true,
	"Proxy-Authorization": true, "Te": true, "Trailer": true, "Transfer-Encoding": true, "Upgrade": true,
	"Host": true, "Content-Length": true,
}

// buildForward writes the request line and fields. Field order is sorted,
// since net/http has already lost the browser's order; the record holds the
// bytes sent, whatever their order.
func buildForward(fr ForwardRequest) []byte {
	target := fr.URL.EscapedPath()
	if target == "" {
		target = "/"
	}
	if fr.URL.RawQuery != "" || fr.URL.ForceQuery {
		target += "?" + fr.URL.RawQuery
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\n", fr.Method, target)
	fmt.Fprintf(&b, "Host: %s\r\n", fr.URL.Host)
	// Fields named by Connection are hop-by-hop too.
	drop := map[string]bool{}
	for _, v := range fr.Header.Values("Connection") {
		for _, n := range strings.Split(v, ",") {
			drop[http.CanonicalHeaderKey(strings.TrimSpace(n))] = true
		}
	}
	keys := make([]string, 0, len(fr.Header))
	for k := range fr.Header {
		if !hopByHop[k] && !drop[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range fr.Header[k] {
			fmt.Fprintf(&b, "%s: %s\r\n", k, strings.NewReplacer("\r", " ", "\n", " ").Replace(v))
		}
	}
	if len(fr.Body) > 0 || (fr.Method != "GET" && fr.Method != "HEAD" && fr.Method != "OPTIONS") {
		fmt.Fprintf(&b, "Content-Length: %d\r\n", len(fr.Body))
	}
	if fr.Upgrade != "" {
		fmt.Fprintf(&b, "Upgrade: %s\r\nConnection: Upgrade\r\n\r\n", fr.Upgrade)
	} else {
		b.WriteString("Connection: keep-alive\r\n\r\n")
	}
	b.Write(fr.Body)
	return b.Bytes()
}

// Forward performs a browser's request and records it as Do records its
// own: Exchange.Request holds the bytes sent (head and body), Response the
// bytes received. The cookie jar of the client is not used: the browser
// keeps its cookies and sends them. An error is returned only when no
// response header was received.
func (c *Client) Forward(ctx context.Context, fr ForwardRequest) (*Exchange, error) {
	if fr.Method == "" {
		fr.Method = "GET"
	}
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	u := fr.URL
	req := buildForward(fr)
	for attempt := 0; ; attempt++ {
		pc, reused, dns, err := c.getConn(ctx, u, attempt > 0)
		if err != nil {
			return nil, &FetchError{URL: u.String(), Kind: classify(ctx, err), Err: err}
		}
		ex, err := c.roundTrip(ctx, pc, u, fr.Method, req, nil, fr.Upgrade != "")
		if err != nil {
			pc.c.Close()
			if reused && attempt == 0 && ctx.Err() == nil {
				continue
			}
			return nil, &FetchError{URL: u.String(), Kind: classify(ctx, err), Err: err}
		}
		ex.DNS = dns
		return ex, nil
	}
}
