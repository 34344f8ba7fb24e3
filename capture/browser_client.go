package capture

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
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
	b.WriteString("Connection: keep-alive\r\n\r\n")
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
		ex, err := c.roundTripRaw(ctx, pc, u, fr.Method, req)
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

// roundTripRaw is roundTrip with the request given, for any method. It
// differs in what the browser needs: a HEAD answer has no body, and the body
// is never kept (the browser, not the crawler, follows links).
func (c *Client) roundTripRaw(ctx context.Context, pc *pconn, u *url.URL, method string, req []byte) (*Exchange, error) {
	ex := &Exchange{URL: u, IP: pc.ip, TLS: pc.tls, Request: req}
	deadline, _ := ctx.Deadline()
	pc.c.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { pc.c.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	ex.Date = time.Now()
	if _, err := pc.c.Write(req); err != nil {
		return nil, err
	}
	var hdr []byte
	var resp *http.Response
	for {
		start := len(hdr)
		for {
			line, err := readLine(pc.br, 64<<10)
			hdr = append(hdr, line...)
			if err != nil {
				return nil, err
			}
			if len(hdr) > maxHeaderBytes {
				return nil, fmt.Errorf("%w: header longer than %d bytes", errProtocol, maxHeaderBytes)
			}
			if (len(line) == 2 && line[0] == '\r') || len(line) == 1 {
				if len(hdr)-start > len(line) {
					break
				}
				continue
			}
		}
		var err error
		resp, err = http.ReadResponse(bufio.NewReader(bytes.NewReader(hdr[start:])), &http.Request{Method: method, URL: u})
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errProtocol, err)
		}
		// Interim responses are dropped, as in roundTrip: the browser
		// does not need them and WARC readers would take them for the answer.
		if resp.StatusCode >= 100 && resp.StatusCode < 200 && resp.StatusCode != 101 {
			hdr = hdr[:start]
			continue
		}
		break
	}
	ex.RawHeader = hdr
	ex.HeaderLen = len(hdr)
	ex.Status = resp.StatusCode
	ex.Header = resp.Header
	ex.Response = newSpool(256<<10, c.opts.TempDir)
	ex.Response.Write(hdr)

	alg := c.opts.Digest
	ph := newHash(alg)
	body := &bodySink{h: ph, max: c.opts.MaxSize}
	reusable := !resp.Close
	var berr error
	switch {
	case method == "HEAD" || resp.StatusCode == 204 || resp.StatusCode == 304 || resp.StatusCode == 101:
		reusable = reusable && resp.StatusCode != 101
	case len(resp.TransferEncoding) > 0 && resp.TransferEncoding[len(resp.TransferEncoding)-1] == "chunked":
		berr = readChunked(pc.br, ex.Response, body)
	case resp.ContentLength >= 0:
		berr = copyBody(pc.br, ex.Response, body, resp.ContentLength)
	default:
		reusable = false
		berr = copyBody(pc.br, ex.Response, body, -1)
	}
	ex.Duration = time.Since(ex.Date)
	if berr != nil {
		reusable = false
		ex.BodyErr = berr
		switch {
		case errors.Is(berr, errMaxSize):
			ex.Truncated = "length"
		case ctx.Err() == context.DeadlineExceeded || classify(ctx, berr) == "timeout":
			ex.Truncated = "time"
		case classify(ctx, berr) == "reset":
			ex.Truncated = "disconnect"
		default:
			ex.Truncated = "unspecified"
		}
	}
	ex.PayloadLen = body.n
	ex.PayloadDigest = formatDigest(alg, ph.Sum(nil))
	bh := newHash(alg)
	if _, err := io.Copy(bh, ex.Response.Reader()); err != nil {
		ex.Response.Close()
		return nil, fmt.Errorf("digest spooled response: %w", err)
	}
	ex.BlockDigest = formatDigest(alg, bh.Sum(nil))

	if reusable && ctx.Err() == nil {
		pc.c.SetDeadline(time.Time{})
		host, port := hostPort(u)
		key := u.Scheme + "://" + net.JoinHostPort(host, port)
		c.mu.Lock()
		if len(c.idle[key]) < 16 {
			c.idle[key] = append(c.idle[key], pc)
			pc = nil
		}
		c.mu.Unlock()
	}
	if pc != nil {
		pc.c.Close()
	}
	return ex, nil
}
