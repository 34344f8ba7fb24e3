package fetch

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestForwardRecordsTheRequestAsSent checks Forward against a server that
// keeps the bytes it received: the recorded request is exactly those bytes,
// hop-by-hop fields are not forwarded, and a HEAD answer announcing a body
// is not waited for.
func TestForwardRecordsTheRequestAsSent(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan []byte, 2)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				buf := make([]byte, 64<<10)
				for {
					c.SetReadDeadline(time.Now().Add(5 * time.Second))
					n, err := c.Read(buf)
					if err != nil {
						return
					}
					req := append([]byte(nil), buf[:n]...)
					got <- req
					if bytes.HasPrefix(req, []byte("HEAD ")) {
						io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
					} else {
						io.WriteString(c, "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok")
					}
				}
			}()
		}
	}()
	u, _ := url.Parse("http://" + ln.Addr().String() + "/api?q=1")
	cl := NewClient(ClientOptions{Timeout: 5 * time.Second})
	defer cl.CloseIdle()
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("Proxy-Connection", "keep-alive")
	h.Set("Connection", "X-Private")
	h.Set("X-Private", "hop")
	h.Set("Cookie", "a=b")
	ex, err := cl.Forward(context.Background(), ForwardRequest{Method: "POST", URL: u, Header: h, Body: []byte(`{"x":1}`)})
	if err != nil {
		t.Fatal(err)
	}
	defer ex.Close()
	sent := <-got
	if !bytes.Equal(ex.Request, sent) {
		t.Errorf("recorded request differs from the bytes sent:\n%q\n%q", ex.Request, sent)
	}
	s := string(sent)
	if !strings.HasPrefix(s, "POST /api?q=1 HTTP/1.1\r\nHost: ") || !strings.HasSuffix(s, "Content-Length: 7\r\nConnection: keep-alive\r\n\r\n{\"x\":1}") ||
		!strings.Contains(s, "Cookie: a=b\r\n") || strings.Contains(s, "Proxy-Connection") || strings.Contains(s, "X-Private") {
		t.Errorf("request sent:\n%s", s)
	}
	if ex.Status != 201 || ex.PayloadLen != 2 {
		t.Errorf("status %d, payload %d", ex.Status, ex.PayloadLen)
	}

	start := time.Now()
	hx, err := cl.Forward(context.Background(), ForwardRequest{Method: "HEAD", URL: u, Header: http.Header{}})
	if err != nil {
		t.Fatal(err)
	}
	defer hx.Close()
	if hx.PayloadLen != 0 || hx.Truncated != "" || time.Since(start) > 2*time.Second {
		t.Errorf("HEAD: payload %d, truncated %q after %v", hx.PayloadLen, hx.Truncated, time.Since(start))
	}
	<-got
}
