package browser

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/websocket"

	"github.com/warcbox/warcbox/capture"
	"github.com/warcbox/warcbox/warc"
)

// WebSocket frames were not recorded: the handshake went through the proxy
// as a plain GET and the socket failed. Now the page's socket works through
// the proxy and its frames, both ways, are in a resource record concurrent
// to the 101 response.
func TestBrowserCaptureRecordsWebSocketFrames(t *testing.T) {
	chromium := chromiumOrSkip(t)
	mux := http.NewServeMux()
	mux.Handle("/ws", websocket.Handler(func(c *websocket.Conn) {
		var msg string
		if err := websocket.Message.Receive(c, &msg); err != nil {
			return
		}
		websocket.Message.Send(c, "echo: "+msg)
		var bin []byte
		websocket.Message.Receive(c, &bin)
		websocket.Message.Send(c, fmt.Sprintf("got %d bytes", len(bin)))
		time.Sleep(200 * time.Millisecond)
	}))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<!doctype html><title>socket</title><script>
const ws = new WebSocket('ws://' + location.host + '/ws');
ws.onopen = () => ws.send('hello from page');
ws.onmessage = (e) => {
  document.title = e.data;
  if (e.data.startsWith('echo')) ws.send(new Uint8Array([1, 2, 3]));
};
</script>`)
	})
	site := httptest.NewServer(mux)
	defer site.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sum, err := Run(ctx, []string{site.URL + "/"}, Options{
		Capture:  capture.Options{Dir: filepath.Join(t.TempDir(), "a"), Hostname: "test", Software: "warcbox/test", Timeout: 10 * time.Second},
		Chromium: chromium, Wait: 3 * time.Second, Timeout: 30 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	if pg := sum.Pages[0]; pg.Err != nil || pg.Title != "got 3 bytes" {
		t.Fatalf("page: title %q, err %v: the socket did not work through the proxy", pg.Title, pg.Err)
	}
	wsURL := "ws" + strings.TrimPrefix(site.URL, "http") + "/ws"
	var respID string
	var messages *warcRecord
	recs := readWARCs(t, sum.Files)
	for i, r := range recs {
		switch {
		case r.typ == "response" && r.uri == wsURL:
			if r.status != 101 {
				t.Errorf("handshake response status %d", r.status)
			}
			respID = r.id
		case r.typ == "request" && r.uri == wsURL:
			if !bytes.Contains(r.block, []byte("Upgrade: websocket\r\n")) || bytes.Contains(r.block, []byte("Sec-Websocket-Extensions")) {
				t.Errorf("handshake request:\n%s", r.block)
			}
		case r.typ == "resource" && r.uri == wsURL:
			messages = &recs[i]
		}
	}
	if respID == "" || messages == nil {
		t.Fatalf("no handshake response or messages record for %s", wsURL)
	}
	if messages.ct != warc.WebSocketMessagesType || len(messages.concurrent) != 1 || messages.concurrent[0] != respID {
		t.Errorf("messages record: type %q, concurrent to %q (response %s)", messages.ct, messages.concurrent, respID)
	}
	var got []string
	sc := bufio.NewScanner(bytes.NewReader(messages.block))
	for sc.Scan() {
		var f wsFrame
		if err := json.Unmarshal(sc.Bytes(), &f); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		if f.Opcode == 1 || f.Opcode == 2 {
			got = append(got, fmt.Sprintf("%s %d %s %v", f.Dir, f.Opcode, f.Data, f.Base64))
		}
	}
	want := []string{"sent 1 hello from page false", "received 1 echo: hello from page false", "sent 2 AQID true", "received 1 got 3 bytes false"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("frames:\n%q\nwant\n%q", got, want)
	}
}

// FuzzReadFrames: any bytes give frames or stop cleanly, never a panic or
// a hang, and the reader is drained.
func FuzzReadFrames(f *testing.F) {
	f.Add([]byte{0x81, 0x05, 'h', 'e', 'l', 'l', 'o'})
	f.Add([]byte{0x82, 0xfe, 0x00, 0x03, 1, 2, 3, 4, 9, 9, 9})
	f.Add([]byte{0x81, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 'x'})
	f.Fuzz(func(t *testing.T, b []byte) {
		r := bytes.NewReader(b)
		readFrames(r, "sent", &wsLog{})
		if r.Len() != 0 {
			t.Fatalf("%d bytes left unread", r.Len())
		}
	})
}
