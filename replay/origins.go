package replay

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/netutil"
	"golang.org/x/sync/errgroup"
)

// Archived content is untrusted code. Under Serve, the UI (collection
// list, page lists, search, CDX API) answers on the listener it is given,
// and each collection's archived content on a listener of its own, so on an
// origin of its own: a script in an archived page cannot read the
// collection list, another collection, or the UI, whatever it does, because
// the browser's same-origin policy stands in its way. See docs/replay.md.

// roleKey is the request context key holding the collection whose content
// origin a request arrived on.
type roleKey struct{}

// origins maps the ports Serve listens on to what they serve.
type origins struct {
	mu     sync.Mutex
	ip     string         // the address content listeners bind to
	uiPort string         // the UI listener's port
	ports  map[string]int // collection → content port
	colls  map[int]string // content port → collection
	start  func(coll string) (int, error)
}

func (o *origins) collOfPort(port int) (string, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	c, ok := o.colls[port]
	return c, ok
}

// contentPort returns the port of collection coll's content origin,
// opening its listener the first time.
func (o *origins) contentPort(coll string) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if p, ok := o.ports[coll]; ok {
		return p, nil
	}
	p, err := o.start(coll)
	if err != nil {
		return 0, err
	}
	o.ports[coll], o.colls[p] = p, coll
	return p, nil
}

// defaultHTTPServer returns the http.Server settings Serve uses: timeouts
// long enough for a video, short enough to free a stuck client.
func defaultHTTPServer() *http.Server {
	return &http.Server{
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      10 * time.Minute,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
}

// Serve serves the UI on ln and each collection's archived content on a
// listener of its own (same address as ln, a port the system picks), until
// ctx is cancelled; then it shuts the listeners down and returns nil.
// Requests for archived pages that reach the UI are redirected to their
// collection's content origin. Serve may be called once per Server.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	host, uiPort, err := net.SplitHostPort(ln.Addr().String())
	if err != nil {
		return fmt.Errorf("replay: listener address: %w", err)
	}
	hs := defaultHTTPServer()
	hs.Handler = s
	hs.ErrorLog = slog.NewLogLogger(s.log.Handler(), slog.LevelDebug)
	eg, ctx := errgroup.WithContext(ctx)
	o := &origins{ip: host, uiPort: uiPort, ports: map[string]int{}, colls: map[int]string{}}
	o.start = func(coll string) (int, error) {
		cl, err := net.Listen("tcp", net.JoinHostPort(o.ip, "0"))
		if err != nil {
			return 0, fmt.Errorf("replay: content listener for %s: %w", coll, err)
		}
		cl = netutil.LimitListener(cl, s.cfg.MaxConnections)
		eg.Go(func() error { return serveUntilClosed(hs, cl) })
		s.log.Info("replay: content origin", "coll", coll, "url", "http://"+cl.Addr().String()+"/"+coll+"/")
		return cl.Addr().(*net.TCPAddr).Port, nil
	}
	hs.ConnContext = func(cctx context.Context, c net.Conn) context.Context {
		if a, ok := c.LocalAddr().(*net.TCPAddr); ok {
			if coll, ok := o.collOfPort(a.Port); ok {
				return context.WithValue(cctx, roleKey{}, coll)
			}
		}
		return cctx
	}
	s.mu.Lock()
	if s.origins != nil {
		s.mu.Unlock()
		ln.Close()
		return errors.New("replay: Serve called twice")
	}
	s.origins = o
	s.mu.Unlock()
	for _, name := range s.Collections() {
		if _, err := o.contentPort(name); err != nil {
			ln.Close()
			hs.Close()
			return err
		}
	}
	ln = netutil.LimitListener(ln, s.cfg.MaxConnections)
	eg.Go(func() error { return serveUntilClosed(hs, ln) })
	eg.Go(func() error {
		<-ctx.Done()
		shutCtx, done := context.WithTimeout(context.Background(), 5*time.Second)
		defer done()
		if err := hs.Shutdown(shutCtx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("replay: shutdown: %w", err)
		}
		return nil
	})
	return eg.Wait()
}

func serveUntilClosed(hs *http.Server, ln net.Listener) error {
	if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("replay: %w", err)
	}
	return nil
}

// ContentOrigins returns each collection's content origin port, for
// logging; empty until Serve runs.
func (s *Server) ContentOrigins() map[string]int {
	s.mu.RLock()
	o := s.origins
	s.mu.RUnlock()
	if o == nil {
		return nil
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make(map[string]int, len(o.ports))
	for k, v := range o.ports {
		out[k] = v
	}
	return out
}

// contentColl is the collection whose content origin r arrived on, if any.
func contentColl(r *http.Request) (string, bool) {
	c, ok := r.Context().Value(roleKey{}).(string)
	return c, ok
}

// requestHost is the host part of the address the browser used for this
// server (so content origins work whatever name the user typed).
func requestHost(r *http.Request) string {
	h := r.Host
	if hh, _, err := net.SplitHostPort(h); err == nil {
		return hh
	}
	return h
}

// ContentOrigin returns "http://host:port", the origin that serves
// collection coll's archived content, as seen from request r; ok is false
// when the server is not running under Serve (one origin for everything).
func (s *Server) ContentOrigin(r *http.Request, coll string) (string, bool) {
	s.mu.RLock()
	o := s.origins
	s.mu.RUnlock()
	if o == nil {
		return "", false
	}
	p, err := o.contentPort(coll)
	if err != nil {
		s.log.Error("replay: content origin", "coll", coll, "err", err)
		return "", false
	}
	return "http://" + net.JoinHostPort(requestHost(r), strconv.Itoa(p)), true
}

// UIOrigin returns "http://host:port" of the UI as seen from request r;
// ok is false when the server is not running under Serve.
func (s *Server) UIOrigin(r *http.Request) (string, bool) {
	s.mu.RLock()
	o := s.origins
	s.mu.RUnlock()
	if o == nil {
		return "", false
	}
	return "http://" + net.JoinHostPort(requestHost(r), o.uiPort), true
}

// serveContent answers a request that arrived on collection coll's
// content origin: the collection's archived pages and the client scripts;
// everything else (the UI, other collections) is sent to the UI origin,
// where a script of this origin cannot read it.
func (s *Server) serveContent(w http.ResponseWriter, r *http.Request, coll string) {
	if ui, ok := s.UIOrigin(r); ok {
		// the UI may frame archived pages; nothing else may
		w.Header().Set("Content-Security-Policy", contentCSP(ui))
	}
	p := r.URL.Path
	if strings.HasPrefix(p, "/_/static/") {
		if path.Clean(p) != p {
			badRequest(w, "unclean path")
			return
		}
		s.mux.ServeHTTP(w, r)
		return
	}
	if p == "/" || strings.HasPrefix(p, "/_/") {
		s.toUI(w, r)
		return
	}
	s.handleCollection(w, r)
}

// contentCSP is pageCSP with the UI origin allowed to frame the page.
func contentCSP(uiOrigin string) string {
	return strings.Replace(pageCSP, "frame-ancestors 'self'", "frame-ancestors 'self' "+uiOrigin, 1)
}

// toUI redirects to the same path on the UI origin.
func (s *Server) toUI(w http.ResponseWriter, r *http.Request) {
	ui, ok := s.UIOrigin(r)
	if !ok {
		http.NotFound(w, r)
		return
	}
	redirect(w, r, ui+r.URL.RequestURI())
}

// redirect sends a 302 for GET and HEAD, a 307 (method and body kept)
// for the rest.
func redirect(w http.ResponseWriter, r *http.Request, to string) {
	code := http.StatusFound
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		code = http.StatusTemporaryRedirect
	}
	w.Header().Set("Location", to)
	w.WriteHeader(code)
}
