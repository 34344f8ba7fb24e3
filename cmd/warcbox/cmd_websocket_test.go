package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/net/websocket"

	"github.com/warcbox/warcbox/internal/testbrowser"
)

// A page's WebSocket, captured with capture --browser, is played back by
// replay: the socket opens and the page receives the server's recorded
// messages, with the live server gone (and nothing reaching it while it
// ran). Before, replay could only fail the socket.
func TestWebSocketCapturedAndReplayed(t *testing.T) {
	testbrowser.Path(t)
	var live atomic.Int32
	mux := http.NewServeMux()
	mux.Handle("/ws", websocket.Handler(func(c *websocket.Conn) {
		live.Add(1)
		var msg string
		if websocket.Message.Receive(c, &msg) != nil {
			return
		}
		websocket.Message.Send(c, "echo: "+msg)
		var bin []byte
		websocket.Message.Receive(c, &bin)
		websocket.Message.Send(c, fmt.Sprintf("got %d bytes", len(bin)))
		time.Sleep(300 * time.Millisecond)
	}))
	mux.HandleFunc("/robots.txt", http.NotFound)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<!doctype html><title>socket</title><script>
var ws = new WebSocket('ws://' + location.host + '/ws');
ws.binaryType = 'arraybuffer';
ws.onopen = function () { ws.send('hello from page'); };
ws.onmessage = function (e) {
  document.title = e.data;
  if (String(e.data).indexOf('echo') === 0) { ws.send(new Uint8Array([1, 2, 3])); }
};
ws.onclose = function () { if (document.title === 'socket') { document.title = 'closed'; } };
</script>`)
	})
	site := httptest.NewServer(mux)
	dir := t.TempDir()
	archive := filepath.Join(dir, "web", "archive")
	code, out, stderr := runCmd(t, "capture", "--browser", "--tabs", "1", "--timeout", "60s", "-o", archive, site.URL+"/")
	if code != 0 {
		t.Fatalf("capture --browser: exit %d\n%s\n%s", code, out, stderr)
	}
	site.Close() // replay must not need it
	before := live.Load()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	g := &globalOptions{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	go func() {
		done <- runReplay(ctx, &replayOptions{Addr: addr, Name: "web", Poll: 0}, g, []string{archive})
	}()
	defer func() { cancel(); <-done }()
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	bctx := testbrowser.Context(t, 60*time.Second)
	page := "http://" + addr + "/web/2mp_/" + site.URL + "/"
	if err := chromedp.Do(bctx, chromedp.Navigate(page)); err != nil {
		t.Fatal(err)
	}
	titles, err := testbrowser.WaitForTitle(bctx, "got 3 bytes")
	if err != nil {
		t.Fatalf("replayed page never received the recorded messages: titles %q (%v)", titles, err)
	}
	if live.Load() != before {
		t.Error("replay reached the live WebSocket server")
	}
	// A socket with nothing recorded still fails, as offline.
	res, err := chromedp.Run(bctx, chromedp.Evaluate[string](`new Promise((ok) => {
  var s = new WebSocket('ws://never.example/none');
  s.onclose = function (e) { ok('closed ' + e.code); };
  s.onopen = function () { ok('opened'); };
})`, chromedp.EvalAwaitPromise))
	if err != nil || !strings.HasPrefix(res, "closed 1006") {
		t.Errorf("unrecorded socket: %q, %v", res, err)
	}
}
