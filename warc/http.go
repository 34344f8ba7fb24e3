package warc

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
)

// HTTPMessage is the HTTP view of a request, response or revisit block.
type HTTPMessage struct {
	IsRequest     bool
	Method        string
	RequestTarget string
	Proto         string
	StatusCode    int
	// Status is the status line after the code ("OK"); it may be empty.
	Reason string
	// Header holds the fields with canonical keys; values keep their bytes.
	Header http.Header
	// RawHeader is the status line and header fields exactly as recorded.
	RawHeader []byte
	// Body is the entity as recorded: chunked framing and Content-Encoding
	// intact.
	Body io.Reader
}

// HTTP parses the record's block as an HTTP message. It consumes the
// header part of Body; the rest is in the returned message's Body. Records
// whose HTTP headers lack the final blank line and HTTP Content-Length
// values that disagree with the block (-1, for instance) are read as pywb
// reads them: the entity is whatever the block holds after the headers.
func (r *Record) HTTP() (*HTTPMessage, error) {
	if !r.IsHTTP() {
		return nil, fmt.Errorf("%w: %s record with Content-Type %q", ErrNotHTTP, r.Type(), r.ContentType())
	}
	return ParseHTTP(r.Body)
}

// ParseHTTP reads an HTTP message head from rd.
func ParseHTTP(rd io.Reader) (*HTTPMessage, error) { return parseHTTP(rd, false) }

// ParseHTTPLoose reads a head the way warcio.js does for every response and
// request record: whatever the first line holds (StatusCode is its second
// word if that is a number, else 0) and the "Name: value" lines after it.
// It fails only on read errors other than EOF.
func ParseHTTPLoose(rd io.Reader) (*HTTPMessage, error) { return parseHTTP(rd, true) }

func parseHTTP(rd io.Reader, loose bool) (*HTTPMessage, error) {
	br := bufio.NewReaderSize(rd, 4096)
	var raw bytes.Buffer
	readLine := func() ([]byte, error) {
		var line []byte
		for {
			chunk, err := br.ReadSlice('\n')
			raw.Write(chunk)
			line = append(line, chunk...)
			if err == bufio.ErrBufferFull {
				if len(line) > maxHeaderLine {
					return nil, fmt.Errorf("http header line longer than %d bytes", maxHeaderLine)
				}
				continue
			}
			if err == io.EOF && len(line) > 0 {
				err = nil
			}
			return trimEOL(line), err
		}
	}
	first, err := readLine()
	// Some writers put blank lines before the status line.
	for err == nil && len(first) == 0 {
		first, err = readLine()
	}
	m := &HTTPMessage{Header: http.Header{}}
	if err != nil {
		if err == io.EOF && loose {
			m.Body = br
			return m, nil
		}
		if err == io.EOF {
			return nil, fmt.Errorf("%w: empty block", ErrNotHTTP)
		}
		return nil, fmt.Errorf("read http status line: %w", err)
	}
	if err := m.parseFirstLine(string(first)); err != nil {
		if !loose {
			return nil, err
		}
		fields := strings.Fields(string(first))
		if len(fields) > 1 {
			m.StatusCode, _ = strconv.Atoi(fields[1])
		}
	}
	for {
		line, err := readLine()
		if err == io.EOF {
			break // headers without the final blank line
		}
		if err != nil {
			return nil, fmt.Errorf("read http header: %w", err)
		}
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		key := textproto.CanonicalMIMEHeaderKey(string(bytes.TrimSpace(name)))
		m.Header[key] = append(m.Header[key], string(bytes.TrimSpace(value)))
	}
	m.RawHeader = raw.Bytes()
	m.Body = br
	return m, nil
}

func (m *HTTPMessage) parseFirstLine(line string) error {
	if strings.HasPrefix(line, "HTTP/") {
		proto, rest, _ := strings.Cut(line, " ")
		rest = strings.TrimLeft(rest, " ")
		code, reason, _ := strings.Cut(rest, " ")
		n, err := strconv.Atoi(code)
		if err != nil || len(code) != 3 {
			return fmt.Errorf("%w: bad status line %q", ErrNotHTTP, truncate(line, 80))
		}
		m.Proto, m.StatusCode, m.Reason = proto, n, strings.TrimSpace(reason)
		return nil
	}
	parts := strings.Fields(line)
	if len(parts) == 3 && strings.HasPrefix(parts[2], "HTTP/") && isToken(parts[0]) {
		m.IsRequest = true
		m.Method, m.RequestTarget, m.Proto = parts[0], parts[1], parts[2]
		return nil
	}
	return fmt.Errorf("%w: bad first line %q", ErrNotHTTP, truncate(line, 80))
}

func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("()<>@,;:\\\"/[]?={}", c) >= 0 {
			return false
		}
	}
	return s != ""
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// Payload returns the entity with any chunked Transfer-Encoding removed: the
// bytes the WARC-Payload-Digest covers (per the IIPC clarification of 1.1).
func (m *HTTPMessage) Payload() io.Reader {
	if isChunked(m.Header) {
		return newDechunker(m.Body)
	}
	return m.Body
}

func isChunked(h http.Header) bool {
	for _, v := range h.Values("Transfer-Encoding") {
		if strings.Contains(strings.ToLower(v), "chunked") {
			return true
		}
	}
	return false
}

// ContentType returns the media type of the entity without parameters,
// lower-cased ("text/html").
func (m *HTTPMessage) ContentType() string {
	ct := m.Header.Get("Content-Type")
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return strings.ToLower(strings.TrimSpace(ct))
}
