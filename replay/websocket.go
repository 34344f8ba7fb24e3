package replay

import (
	"io"
	"net/http"
	"strings"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/index"
	"github.com/warcbox/warcbox/warc"
)

// modWebSocket asks for the frames a browser capture recorded for a
// WebSocket URL: /<coll>/<ts>ws_/<ws-url>. The client script's WebSocket
// fetches them and plays the server's side back to the page.
const modWebSocket = "ws_"

// maxWebSocketMessages bounds what is served of one socket's record (the
// capture keeps at most 16 MiB).
const maxWebSocketMessages = 16 << 20

// handleWebSocketMessages serves the messages record of a ws:// or wss://
// URL closest to ts, or 404 when none was recorded (the client then fails
// the socket, as offline).
func (s *Server) handleWebSocketMessages(w http.ResponseWriter, r *http.Request, c *collection, ts, urlPart string) {
	u := strings.TrimSpace(urlPart)
	lower := strings.ToLower(u)
	// A path cleaned on the way may have lost a slash: "ws:/host/…".
	for _, sch := range []string{"ws:", "wss:"} {
		if strings.HasPrefix(lower, sch) {
			u = sch + "//" + strings.TrimLeft(u[len(sch):], "/")
			break
		}
	}
	if !strings.HasPrefix(u, "ws://") && !strings.HasPrefix(u, "wss://") {
		badRequest(w, "not a WebSocket URL: "+urlPart)
		return
	}
	ctx := r.Context()
	caps, _, err := s.captures(ctx, c, u)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var msgs []index.Capture
	for _, cp := range caps {
		if cp.Mime == warc.WebSocketMessagesType {
			msgs = append(msgs, cp)
		}
	}
	if len(msgs) == 0 {
		http.Error(w, "no WebSocket frames recorded for "+u, http.StatusNotFound)
		return
	}
	want, _ := cdxj.PadTimestamp(ts, true)
	cp := byCloseness(msgs, want)[0]
	l, err := s.load(ctx, c, cp, true)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	defer closeBody(l)
	h := w.Header()
	h.Set("Content-Type", warc.WebSocketMessagesType)
	// Data for the client script, never a document.
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox")
	h.Set("Memento-Datetime", httpDate(cp.Timestamp))
	h.Set("Cache-Control", "no-store")
	if r.Method == http.MethodHead {
		return
	}
	io.Copy(w, io.LimitReader(l.body, maxWebSocketMessages))
}
