package fetch

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"hash"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// Exchange is one recorded request/response.
type Exchange struct {
	URL      *url.URL
	Date     time.Time // when the request was sent
	Duration time.Duration
	IP       string
	TLS      *tls.ConnectionState
	DNS      *DNSResult // set on the exchange that caused a fresh lookup

	Request []byte // request bytes exactly as written

	Response   *spool // response bytes exactly as read (header and body)
	HeaderLen  int    // length of the header part of Response (including 1xx interim responses)
	RawHeader  []byte // the header part itself
	Status     int
	Header     http.Header
	PayloadLen int64  // de-chunked body length
	Payload    []byte // de-chunked body, kept when the caller asked for it
	// BlockDigest covers Response; PayloadDigest the de-chunked body (not
	// the chunk framing, which is where wget gets it wrong).
	BlockDigest, PayloadDigest string
	Truncated                  string // WARC-Truncated reason, "" if whole
	BodyErr                    error  // why the body ended early, if it did
	// Upgraded is the connection after a 101 answer to a request that
	// asked to upgrade (ForwardRequest.Upgrade); the caller closes it.
	Upgraded net.Conn
}

// Close releases the spooled response.
func (e *Exchange) Close() error {
	if e == nil || e.Response == nil {
		return nil
	}
	return e.Response.Close()
}

// FetchError is a failure before any response header arrived.
type FetchError struct {
	URL  string
	Kind string // "refused", "reset", "timeout", "dns", "tls", "canceled", "protocol", "other"
	Err  error
}

func (e *FetchError) Error() string { return fmt.Sprintf("fetch %s: %s: %v", e.URL, e.Kind, e.Err) }

func (e *FetchError) Unwrap() error { return e.Err }

func classify(ctx context.Context, err error) string {
	var ne net.Error
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var recErr tls.RecordHeaderError
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		return "canceled"
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return "timeout"
	case errors.As(err, &dnsErr):
		return "dns"
	case errors.As(err, &certErr), errors.As(err, &recErr):
		return "tls"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "refused"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF), errors.Is(err, syscall.EPIPE):
		return "reset"
	case errors.Is(err, os.ErrDeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.Is(err, errProtocol):
		return "protocol"
	}
	if strings.Contains(err.Error(), "tls:") || strings.Contains(err.Error(), "x509:") {
		return "tls"
	}
	return "other"
}

var errProtocol = errors.New("malformed HTTP response")

// Do fetches u. keep, if non-nil, is asked after the header arrives whether
// to keep the de-chunked body in Exchange.Payload (for link extraction).
// An error is returned only when no response header was received.
func (c *Client) Do(ctx context.Context, u *url.URL, referer string, keep func(status int, h http.Header) bool) (*Exchange, error) {
	for attempt := 0; ; attempt++ {
		dctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
		pc, reused, dns, err := c.getConn(dctx, u, attempt > 0)
		if err != nil {
			kind := classify(dctx, err)
			cancel()
			return nil, &FetchError{URL: u.String(), Kind: kind, Err: err}
		}
		cancel()
		ex, err := c.roundTrip(ctx, pc, u, "GET", c.buildRequest(u, referer), keep, false)
		if err != nil {
			pc.c.Close()
			// A kept-alive connection the server closed meanwhile fails
			// before any byte: that is not the site's answer, try afresh.
			if reused && attempt == 0 && ctx.Err() == nil {
				continue
			}
			return nil, &FetchError{URL: u.String(), Kind: classify(ctx, err), Err: err}
		}
		ex.DNS = dns
		return ex, nil
	}
}

func (c *Client) buildRequest(u *url.URL, referer string) []byte {
	target := u.EscapedPath()
	if target == "" {
		target = "/"
	}
	if u.RawQuery != "" || u.ForceQuery {
		target += "?" + u.RawQuery
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "GET %s HTTP/1.1\r\n", target)
	fmt.Fprintf(&b, "Host: %s\r\n", u.Host)
	if c.opts.UserAgent != "" {
		fmt.Fprintf(&b, "User-Agent: %s\r\n", c.opts.UserAgent)
	}
	b.WriteString("Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n")
	b.WriteString("Accept-Encoding: gzip, deflate, br\r\n")
	// No Referer from https to http: browsers do not send it either.
	if referer != "" && !(strings.HasPrefix(referer, "https:") && u.Scheme == "http") {
		fmt.Fprintf(&b, "Referer: %s\r\n", referer)
	}
	if c.opts.Jar != nil {
		if cs := c.opts.Jar.Cookies(u); len(cs) > 0 {
			parts := make([]string, len(cs))
			for i, ck := range cs {
				parts[i] = ck.Name + "=" + ck.Value
			}
			fmt.Fprintf(&b, "Cookie: %s\r\n", strings.Join(parts, "; "))
		}
	}
	b.WriteString("Connection: keep-alive\r\n\r\n")
	return b.Bytes()
}

const maxHeaderBytes = 1 << 20

// readLine reads one line including its LF, failing past max bytes.
func readLine(br *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	for {
		frag, err := br.ReadSlice('\n')
		line = append(line, frag...)
		if err == nil {
			return line, nil
		}
		if err != bufio.ErrBufferFull {
			if err == io.EOF && len(line) > 0 {
				err = io.ErrUnexpectedEOF
			}
			return line, err
		}
		if len(line) > max {
			return line, fmt.Errorf("%w: line longer than %d bytes", errProtocol, max)
		}
	}
}

// roundTrip sends req (the request bytes, for any method) on pc and reads
// the response as it comes. keep, if set, decides whether the body is kept
// in memory for link extraction (the crawler's GETs; never the browser's).
func (c *Client) roundTrip(ctx context.Context, pc *pconn, u *url.URL, method string, req []byte, keep func(int, http.Header) bool, upgrade bool) (*Exchange, error) {
	ex := &Exchange{URL: u, IP: pc.ip, TLS: pc.tls, Request: req}
	pc.ir.stopped.Store(false)
	// Cancellation interrupts blocked reads by moving the deadline.
	stop := context.AfterFunc(ctx, func() {
		pc.ir.stopped.Store(true)
		pc.c.SetDeadline(time.Unix(1, 0))
	})
	defer stop()

	ex.Date = time.Now()
	pc.c.SetWriteDeadline(ex.Date.Add(c.opts.Timeout))
	if _, err := pc.c.Write(ex.Request); err != nil {
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
				// Tolerate blank lines before the status line, as browsers do.
				continue
			}
		}
		var err error
		resp, err = http.ReadResponse(bufio.NewReader(bytes.NewReader(hdr[start:])), &http.Request{Method: method, URL: u})
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errProtocol, err)
		}
		// Interim 1xx responses are not kept: every WARC reader takes the
		// first status line of a response record as the response, so a
		// leading "100 Continue" would hide the real one. (A GET without
		// Expect: 100-continue should never get one anyway.)
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
	// Small responses stay in memory; beyond 256 KiB they go to a temp
	// file, so memory per fetch in flight is bounded whatever the body.
	ex.Response = newSpool(256<<10, c.opts.TempDir)
	ex.Response.Write(hdr)

	alg := c.opts.Digest
	ph := alg.New()
	keepBody := keep != nil && keep(resp.StatusCode, resp.Header)
	body := &bodySink{h: ph, keep: keepBody, max: c.opts.MaxSize}
	if keepBody && resp.ContentLength > 0 && resp.ContentLength < MaxKeptBody {
		body.buf.Grow(int(resp.ContentLength))
	}

	reusable := !resp.Close
	var berr error
	switch {
	case method == "HEAD" || resp.StatusCode == 204 || resp.StatusCode == 304 || resp.StatusCode == 101:
		// No body follows; after 101 the connection speaks another protocol.
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
	ex.PayloadDigest = alg.Format(ph.Sum(nil))
	if keepBody {
		ex.Payload = body.buf.Bytes()
	}
	bh := alg.New()
	if _, err := io.Copy(bh, ex.Response.Reader()); err != nil {
		ex.Response.Close()
		return nil, fmt.Errorf("digest spooled response: %w", err)
	}
	ex.BlockDigest = alg.Format(bh.Sum(nil))

	if c.opts.Jar != nil {
		if cs := resp.Cookies(); len(cs) > 0 {
			c.opts.Jar.SetCookies(u, cs)
		}
	}
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
	if upgrade && resp.StatusCode == 101 && ctx.Err() == nil {
		// The caller carries the new protocol; bytes the server sent
		// right after its 101 are still in the buffered reader.
		pc.c.SetDeadline(time.Time{})
		ex.Upgraded = &upgradedConn{Conn: pc.c, r: pc.br}
		pc = nil
	}
	if pc != nil {
		pc.c.Close()
	}
	return ex, nil
}

// upgradedConn is a connection handed over after a 101, read through the
// buffer that may already hold the new protocol's first bytes.
type upgradedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *upgradedConn) Read(p []byte) (int, error) { return c.r.Read(p) }

var errMaxSize = errors.New("body larger than --max-size")

// idleReader gives every read of a connection its own deadline: the
// server has Timeout to send the next byte, however long the whole body
// takes. stopped makes a cancelled exchange fail at once even if a read
// was about to push the deadline forward again.
type idleReader struct {
	c       net.Conn
	timeout time.Duration
	stopped atomic.Bool
}

func (r *idleReader) Read(p []byte) (int, error) {
	r.c.SetReadDeadline(time.Now().Add(r.timeout))
	if r.stopped.Load() {
		r.c.SetReadDeadline(time.Unix(1, 0))
	}
	return r.c.Read(p)
}

// bodySink receives the de-chunked payload: it hashes it, counts it, keeps a
// copy when asked (capped, for link extraction) and enforces MaxSize.
type bodySink struct {
	h    hash.Hash
	n    int64
	max  int64
	keep bool
	buf  bytes.Buffer
}

// room is how many more payload bytes may be taken (-1: unlimited).
func (b *bodySink) room() int64 {
	if b.max <= 0 {
		return -1
	}
	return b.max - b.n
}

func (b *bodySink) Write(p []byte) (int, error) {
	b.h.Write(p)
	b.n += int64(len(p))
	if b.keep && b.buf.Len() < MaxKeptBody {
		b.buf.Write(p)
	}
	return len(p), nil
}

// MaxKeptBody bounds the body kept in memory for link extraction.
const MaxKeptBody = 32 << 20

// copyBody copies n payload bytes (n < 0: to EOF) to both the raw record and
// the payload sink; for identity bodies they are the same bytes.
func copyBody(br *bufio.Reader, raw io.Writer, body *bodySink, n int64) error {
	limit := n
	cut := false
	if r := body.room(); r >= 0 && (n < 0 || n > r) {
		limit, cut = r, true
	}
	w := io.MultiWriter(raw, body)
	var err error
	if limit < 0 {
		_, err = io.Copy(w, br)
	} else {
		var m int64
		m, err = io.CopyN(w, br, limit)
		if err == io.EOF && m < limit {
			if n < 0 && cut {
				return nil // read to EOF and it fit
			}
			return io.ErrUnexpectedEOF
		}
	}
	if err != nil {
		return err
	}
	if cut {
		if n < 0 {
			// Reading to EOF: only a body with more bytes was cut.
			if _, perr := br.Peek(1); perr != nil {
				return nil
			}
		}
		return errMaxSize
	}
	return nil
}

func readChunked(br *bufio.Reader, raw io.Writer, body *bodySink) error {
	for {
		line, err := readLine(br, 4096)
		raw.Write(line)
		if err != nil {
			return err
		}
		s := strings.TrimSpace(string(line))
		if i := strings.IndexByte(s, ';'); i >= 0 {
			s = strings.TrimSpace(s[:i])
		}
		size, err := strconv.ParseInt(s, 16, 64)
		if err != nil || size < 0 {
			return fmt.Errorf("%w: bad chunk size %q", errProtocol, s)
		}
		if size == 0 {
			// Trailer fields, then the final blank line.
			for {
				line, err := readLine(br, 64<<10)
				raw.Write(line)
				if err != nil {
					return err
				}
				if len(bytes.TrimRight(line, "\r\n")) == 0 {
					return nil
				}
			}
		}
		take, cut := size, false
		if r := body.room(); r >= 0 && size > r {
			take, cut = r, true
		}
		if _, err := io.CopyN(io.MultiWriter(raw, body), br, take); err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return err
		}
		if cut {
			return errMaxSize
		}
		line, err = readLine(br, 16)
		raw.Write(line)
		if err != nil {
			return err
		}
		if len(bytes.TrimRight(line, "\r\n")) != 0 {
			return fmt.Errorf("%w: chunk not followed by CRLF", errProtocol)
		}
	}
}
