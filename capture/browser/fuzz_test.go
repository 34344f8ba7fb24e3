package browser

import (
	"context"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"github.com/warcbox/warcbox/capture"
)

// FuzzProxyConn feeds arbitrary bytes to the proxy as a browser connection:
// malformed request lines, bad CONNECT targets, truncated bodies and TLS
// garbage must end the connection, never panic or hang. Upstream fetches
// fail at once (no network in a fuzz run).
func FuzzProxyConn(f *testing.F) {
	for _, s := range []string{
		"GET http://example.com/ HTTP/1.1\r\nHost: example.com\r\n\r\n",
		"POST http://example.com/f HTTP/1.1\r\nHost: example.com\r\nContent-Length: 3\r\n\r\nabc",
		"POST http://example.com/f HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
		"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n\x16\x03\x01\x00\x05hello",
		"CONNECT [::1 HTTP/1.1\r\n\r\n",
		"GET /relative HTTP/1.1\r\nHost: x\r\n\r\n",
		"GET ftp://x/ HTTP/1.1\r\n\r\n",
		"\x00\xff\r\n\r\n",
	} {
		f.Add([]byte(s))
	}
	fail := errors.New("no network in fuzzing")
	px, _ := testProxy(f, capture.Options{
		Timeout: time.Second,
		Dial:    func(ctx context.Context, network, addr string) (net.Conn, error) { return nil, fail },
		Lookup: func(ctx context.Context, host string) ([]net.IP, error) {
			return []net.IP{net.IPv4(127, 0, 0, 1)}, nil
		},
	})
	f.Fuzz(func(t *testing.T, data []byte) {
		browserSide, proxySide := net.Pipe()
		done := make(chan struct{})
		go func() {
			defer close(done)
			px.serveConn(context.Background(), proxySide)
			proxySide.Close()
		}()
		go io.Copy(io.Discard, browserSide) // the proxy's answers
		browserSide.SetWriteDeadline(time.Now().Add(2 * time.Second))
		browserSide.Write(data)
		// The browser goes away: whatever the proxy waits for next, it
		// must give up.
		browserSide.Close()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("proxy connection did not end on input %q", data)
		}
	})
}
