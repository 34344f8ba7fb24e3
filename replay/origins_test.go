package replay

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// serveSplit runs s under Serve (UI and content origins apart) and
// returns the UI's base URL.
func serveSplit(t testing.TB, s *Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}

func newSampleSplit(t testing.TB) (*Server, string) {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	d := sampleDir(t)
	s, err := New(ctx, Config{Paths: []string{d + "/iana.warc.gz"}, PollInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, serveSplit(t, s)
}

func TestOriginsSplit(t *testing.T) {
	s, ui := newSampleSplit(t)
	page := "/web/20140126200624/http://www.iana.org/"
	resp, _ := get(t, ui+page)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.HasSuffix(loc, page) || strings.HasPrefix(loc, ui) {
		t.Fatalf("UI origin served archived content itself: %d Location %q", resp.StatusCode, loc)
	}
	content := strings.TrimSuffix(loc, page)
	if got := s.ContentOrigins()["web"]; got == 0 || !strings.HasSuffix(content, ":"+strconv.Itoa(got)) {
		t.Errorf("content origin %q, ContentOrigins %v", content, s.ContentOrigins())
	}
	resp, body := get(t, content+page)
	if resp.StatusCode != 200 || !strings.Contains(body, "client.js") {
		t.Fatalf("content origin: %d", resp.StatusCode)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'self' "+ui) {
		t.Errorf("content pageCSP does not let the UI frame it: %q", csp)
	}
	// The UI, the collection list, the CDX API, page lists and other
	// collections are not served on the content origin: they go to the UI,
	// where the content origin's scripts cannot read them.
	for _, p := range []string{"/", "/web/", "/web/cdx?url=iana.org", "/web/*/http://www.iana.org/", "/web/timemap/link/http://www.iana.org/",
		"/other/20140126200624/http://www.iana.org/", "/_/search?coll=web&url=x", "/nope/"} {
		resp, body := get(t, content+p)
		if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != ui+p || strings.Contains(body, "iana") {
			t.Errorf("content origin %s: %d → %q", p, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	resp, _ = get(t, ui+"/")
	if resp.StatusCode != 200 {
		t.Errorf("UI home: %d", resp.StatusCode)
	}
	resp, body = get(t, content+"/_/static/client.js")
	if resp.StatusCode != 200 || !strings.Contains(body, "WB_wombat_location") {
		t.Errorf("client script on the content origin: %d", resp.StatusCode)
	}
}
