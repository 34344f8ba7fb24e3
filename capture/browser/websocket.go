package browser

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/warcbox/warcbox/capture/internal/fetch"
	"github.com/warcbox/warcbox/warc"
)

// A WebSocket is recorded as browsertrix-crawler and the WARC WebSocket
// proposal (iipc/warc-specifications#115) do: the opening handshake as a
// request and a response record (the 101 answer, exactly as sent), and a
// resource record, concurrent to the response, holding the frames both
// ways as JSON lines. The proxy relays the bytes untouched.

// The frames go in a warc.WebSocketMessagesType record, a line per frame
// (wsFrame).

// Bounds on what one socket's record may hold; the relay goes on past
// them, the record says it was cut (WARC-Truncated: length).
const (
	maxWSFramePayload = 1 << 20  // bytes of one frame kept
	maxWSRecord       = 16 << 20 // bytes of JSON lines for one socket
)

// wsFrame is one line of the messages record.
type wsFrame struct {
	Time   string `json:"time"`   // RFC 3339, when the proxy read it
	Dir    string `json:"dir"`    // "sent" (browser to server) or "received"
	Opcode byte   `json:"opcode"` // 1 text, 2 binary, 8 close, 9 ping, 10 pong, 0 continuation
	Fin    bool   `json:"fin"`
	// Data is the unmasked payload: text as it is when it is UTF-8,
	// otherwise base64 with Base64 set.
	Data   string `json:"data"`
	Base64 bool   `json:"base64,omitempty"`
	// Length is the payload's length on the wire; Cut says Data holds
	// only its first maxWSFramePayload bytes.
	Length uint64 `json:"length"`
	Cut    bool   `json:"cut,omitempty"`
}

// wsLog collects the frames of both directions in the order read.
type wsLog struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	n    int
	full bool
}

func (l *wsLog) add(f wsFrame) {
	b, err := json.Marshal(f)
	if err != nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.buf.Len()+len(b)+1 > maxWSRecord {
		l.full = true
		return
	}
	l.buf.Write(b)
	l.buf.WriteByte('\n')
	l.n++
}

// readFrames parses RFC 6455 frames from one direction of the relay and
// logs them. Malformed input stops the parsing, not the relay: the rest
// is drained so the copy never blocks.
func readFrames(r io.Reader, dir string, log *wsLog) {
	defer io.Copy(io.Discard, r)
	br := bufio.NewReader(r)
	for {
		var h [2]byte
		if _, err := io.ReadFull(br, h[:]); err != nil {
			return
		}
		f := wsFrame{Dir: dir, Fin: h[0]&0x80 != 0, Opcode: h[0] & 0x0f}
		masked := h[1]&0x80 != 0
		n := uint64(h[1] & 0x7f)
		switch n {
		case 126:
			var e [2]byte
			if _, err := io.ReadFull(br, e[:]); err != nil {
				return
			}
			n = uint64(binary.BigEndian.Uint16(e[:]))
		case 127:
			var e [8]byte
			if _, err := io.ReadFull(br, e[:]); err != nil {
				return
			}
			n = binary.BigEndian.Uint64(e[:])
		}
		var key [4]byte
		if masked {
			if _, err := io.ReadFull(br, key[:]); err != nil {
				return
			}
		}
		keep := min(n, maxWSFramePayload)
		payload := make([]byte, keep)
		if _, err := io.ReadFull(br, payload); err != nil {
			return
		}
		if masked {
			for i := range payload {
				payload[i] ^= key[i%4]
			}
		}
		if n > keep {
			if _, err := io.CopyN(io.Discard, br, int64(min(n-keep, 1<<62))); err != nil {
				return
			}
			f.Cut = true
		}
		f.Length = n
		f.Time = time.Now().UTC().Format(time.RFC3339Nano)
		if utf8.Valid(payload) && f.Opcode != 2 {
			f.Data = string(payload)
		} else {
			f.Data, f.Base64 = base64.StdEncoding.EncodeToString(payload), true
		}
		log.add(f)
	}
}

// framePipe hands one direction's bytes to readFrames. Unlike io.Pipe, a
// Write returns only when the reader has taken every byte and asks for
// more, that is, when it has logged every whole frame it was given.
type framePipe struct {
	mu      sync.Mutex
	cond    *sync.Cond
	buf     []byte
	waiting bool // the reader has taken everything and wants more
	closed  bool
}

func newFramePipe() *framePipe {
	p := &framePipe{}
	p.cond = sync.NewCond(&p.mu)
	return p
}

func (p *framePipe) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return 0, io.ErrClosedPipe
	}
	p.buf = append(p.buf, b...)
	p.waiting = false
	p.cond.Broadcast()
	for !p.closed && (len(p.buf) > 0 || !p.waiting) {
		p.cond.Wait()
	}
	return len(b), nil
}

func (p *framePipe) Read(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.buf) == 0 {
		if p.closed {
			return 0, io.EOF
		}
		p.waiting = true
		p.cond.Broadcast()
		p.cond.Wait()
	}
	n := copy(b, p.buf)
	p.buf = p.buf[n:]
	if len(p.buf) == 0 {
		p.buf = nil
	}
	return n, nil
}

// Close ends the stream: the reader gets io.EOF after the bytes it has
// not read yet, and a blocked Write returns.
func (p *framePipe) Close() error {
	p.mu.Lock()
	p.closed = true
	p.cond.Broadcast()
	p.mu.Unlock()
	return nil
}

// isWebSocket tells a WebSocket opening handshake.
func isWebSocket(req *http.Request) bool {
	return req.Method == http.MethodGet && strings.EqualFold(req.Header.Get("Upgrade"), "websocket")
}

// webSocket forwards a WebSocket handshake upstream, answers the browser
// with the server's bytes and, after a 101, relays the frames both ways
// until either side closes (or the proxy does), then records the
// handshake and the frames. A socket does not keep the page from being
// idle: it is not a request in flight.
func (p *proxy) webSocket(ctx context.Context, conn net.Conn, br *bufio.Reader, req *http.Request, u *url.URL) {
	// Compression (permessage-deflate) would leave the frames unreadable
	// in the record; not asking for it is what the request record shows.
	req.Header.Del("Sec-WebSocket-Extensions")
	p.mu.Lock()
	via := p.page
	p.mu.Unlock()
	wsURL := *u
	wsURL.Scheme = map[string]string{"http": "ws", "https": "wss"}[u.Scheme]
	p.begin()
	ex, err := p.cl.Forward(ctx, fetch.ForwardRequest{Method: req.Method, URL: u, Header: req.Header, Upgrade: "websocket"})
	p.end()
	if err != nil {
		p.rec.LogFailure(wsURL.String(), via, err)
		writeError(conn, http.StatusBadGateway, "warcbox proxy: "+err.Error())
		return
	}
	defer ex.Close()
	// The exchange is recorded under the ws:// URL the page asked for.
	ex.URL = &wsURL
	if _, err := io.Copy(conn, ex.Response.Reader()); err != nil || ex.Upgraded == nil {
		if ex.Upgraded != nil {
			ex.Upgraded.Close()
		}
		p.record(ex, via, nil)
		return
	}
	up := ex.Upgraded
	log := &wsLog{}
	start := time.Now()
	var wg sync.WaitGroup
	relay := func(dst io.Writer, src io.Reader, dir string) {
		defer wg.Done()
		// Each chunk is handed on only once its whole frames are logged:
		// a sent frame is in the log before the server can answer it, so
		// the record keeps the order the two sides spoke in.
		fp := newFramePipe()
		done := make(chan struct{})
		go func() { readFrames(fp, dir, log); close(done) }()
		io.Copy(dst, io.TeeReader(src, fp))
		fp.Close()
		<-done
		// Either side ending ends the socket.
		conn.Close()
		up.Close()
	}
	wg.Add(2)
	go relay(up, br, "sent")
	go relay(conn, up, "received")
	stop := context.AfterFunc(ctx, func() { conn.Close(); up.Close() })
	wg.Wait()
	stop()
	p.record(ex, via, func(respID string) []*warc.OutRecord {
		alg := p.rec.Options().Digest
		body := log.buf.Bytes()
		fields := []warc.Field{
			{Name: "WARC-Target-URI", Value: wsURL.String()},
			{Name: "WARC-Date", Value: warc.FormatDate(start)},
			{Name: "WARC-Concurrent-To", Value: respID},
			{Name: "Content-Type", Value: warc.WebSocketMessagesType},
			{Name: "WARC-Block-Digest", Value: alg.Of(body)},
			{Name: "WARC-Payload-Digest", Value: alg.Of(body)},
		}
		if log.full {
			fields = append(fields, warc.Field{Name: "WARC-Truncated", Value: "length"})
		}
		return []*warc.OutRecord{{Type: "resource", ID: warc.NewRecordID(), Fields: fields,
			Body: bytes.NewReader(body), Length: int64(len(body))}}
	})
}

// record writes a WebSocket's handshake (and frames), reporting a write
// error as the capture's.
func (p *proxy) record(ex *fetch.Exchange, via string, extra func(string) []*warc.OutRecord) {
	if err := p.rec.RecordWith(ex, via, extra); err != nil {
		select {
		case p.errc <- err:
		default:
		}
		return
	}
	p.mu.Lock()
	p.count++
	p.mu.Unlock()
}
