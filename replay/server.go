// Package replay serves archived web pages over HTTP in pywb's URL scheme
// (/<coll>/<timestamp><modifier>/<url>): it parses the archival URL, looks
// the capture up, loads and rewrites it, and answers with a
// Content-Security-Policy that confines the page to the replay origin, so
// whatever rewriting misses fails closed instead of reaching the live web.
// It also serves Memento (RFC 7089) TimeGates and TimeMaps, pywb's CDX API
// and a small web UI.
package replay

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/warcbox/warcbox/index"
	"github.com/warcbox/warcbox/rules"
	"github.com/warcbox/warcbox/storage"
)

// Config configures a Server. The zero value serves ./collections.
type Config struct {
	// Paths are a pywb collections folder (collections/<name>/archive,
	// collections/<name>/indexes) or WARC/WACZ files and folders of them,
	// which then form one collection named Name. If empty, "collections".
	Paths []string
	// Name is the collection formed by loose files; if empty, "web".
	Name string
	// CDXServer, if set, is the URL of a pywb/OutbackCDX-compatible CDX
	// server answering lookups for collection Name instead of local indexes.
	CDXServer string
	// Rules are the per-site rules; if nil, rules.Default().
	Rules *rules.Set
	// PollInterval is how often folders are checked for new WARC files;
	// if zero, 2s; negative disables watching.
	PollInterval time.Duration
	// RemotePollInterval is how often remote collections (s3://, https
	// folders) are listed again for new archives and indexes; each poll
	// is one listing request per remote folder. If zero, 1 minute;
	// negative disables; shorter than MinRemotePoll is raised to it.
	RemotePollInterval time.Duration
	// Logger receives indexing and request errors; if nil, discarded.
	Logger *slog.Logger
	// MaxDecoded bounds the decoded payload spooled to answer a Range
	// request (a gzip bomb decodes to far more than it stores); larger
	// payloads get a 416. If zero, 1 GiB.
	MaxDecoded int64
	// MaxConcurrent bounds the requests worked on at once; MaxQueued the
	// ones waiting for a turn, past which a request gets 503 with
	// Retry-After. If zero, 8 per CPU (at least 64) and 1024.
	MaxConcurrent, MaxQueued int
	// MaxConnections bounds the connections Serve keeps open at once
	// (more wait in the listen backlog); if zero, 4096.
	MaxConnections int
	// Store reaches http(s):// and s3:// paths (remote WACZ packages and
	// collections) and keeps their recently read blocks; if nil, one with
	// default options.
	Store *storage.Store
	// MaxCachedFiles bounds the archive files kept open between requests
	// (the least recently used are dropped; the Store bounds local
	// descriptors apart, storage.Options.MaxOpenFiles); if zero,
	// DefaultMaxCachedFiles.
	MaxCachedFiles int
	// SearchCache is the folder keeping the full-text index of a
	// collection that has no writable indexes folder (loose files, remote
	// archives, WACZ packages, read-only collections) between runs; if
	// empty, a temporary folder removed by Close.
	SearchCache string
	// SearchMaxPages and SearchMaxBytes bound the pages one collection's
	// full-text index takes in and the size of its file; past them search
	// covers what it holds and says it is partial. If zero,
	// DefaultSearchMaxPages and DefaultSearchMaxBytes; SearchMaxPages < 0
	// turns full-text search off.
	SearchMaxPages int
	SearchMaxBytes int64
}

// DefaultMaxDecoded is Config.MaxDecoded's default.
const DefaultMaxDecoded = 1 << 30

// DefaultConfig returns the configuration warcbox replay starts from.
func DefaultConfig() Config {
	return Config{Paths: []string{"collections"}, Name: "web", PollInterval: 2 * time.Second, MaxDecoded: DefaultMaxDecoded}
}

// Server is the replay http.Handler.
type Server struct {
	cfg   Config
	log   *slog.Logger
	rules *rules.Set

	mu    sync.RWMutex
	colls map[string]*collection

	// origins is set by Serve: which listener serves which collection's
	// content. Nil means one origin for everything (ServeHTTP alone).
	origins *origins

	limit *limiter
	// seen, if set (tests), is told of every request.
	seen func(*http.Request)

	files    fileCache
	ownStore bool // the Store was made here: Close closes it

	// searches are the collections' full-text indexes (search.go), built
	// by goroutines in bg, which Close cancels (bgCtx) and waits for.
	searchMu sync.Mutex
	searches map[*index.Collection]*collSearch
	bgCtx    context.Context
	bgCancel context.CancelFunc
	bg       sync.WaitGroup
	// searchHook, if set (tests), is called before a file's pages are
	// read for search; searchDone after each pass of a builder.
	searchHook func(coll, file string)
	searchDone func(coll string)
	mux        *http.ServeMux
	ui         *uiTemplates
}

//go:embed static
var staticFS embed.FS

// New builds the server: finds collections and indexes the WARC files
// that have no up-to-date index. Run Watch to pick up new files, and Close
// when done: a collection's first request starts its full-text search
// build in the background, which Close stops.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if len(cfg.Paths) == 0 {
		cfg.Paths = []string{"collections"}
	}
	if cfg.Name == "" {
		cfg.Name = "web"
	}
	if !index.ValidCollectionName(cfg.Name) {
		return nil, fmt.Errorf("replay: bad collection name %q", cfg.Name)
	}
	if cfg.PollInterval == 0 {
		cfg.PollInterval = 2 * time.Second
	}
	if cfg.RemotePollInterval == 0 {
		cfg.RemotePollInterval = time.Minute
	}
	if cfg.RemotePollInterval > 0 && cfg.RemotePollInterval < MinRemotePoll {
		cfg.RemotePollInterval = MinRemotePoll
	}
	if cfg.MaxDecoded <= 0 {
		cfg.MaxDecoded = DefaultMaxDecoded
	}
	if cfg.MaxConcurrent <= 0 {
		cfg.MaxConcurrent = defaultConcurrent()
	}
	if cfg.MaxQueued <= 0 {
		cfg.MaxQueued = 1024
	}
	if cfg.MaxConnections <= 0 {
		cfg.MaxConnections = 4096
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	rs := cfg.Rules
	if rs == nil {
		var err error
		if rs, err = rules.Default(); err != nil {
			return nil, fmt.Errorf("replay: %w", err)
		}
	}
	ui, err := newUITemplates()
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	s := &Server{cfg: cfg, log: cfg.Logger, rules: rs, colls: map[string]*collection{}, ui: ui,
		limit: newLimiter(cfg.MaxConcurrent, cfg.MaxQueued)}
	s.files.store = s.store
	s.files.max = cfg.MaxCachedFiles
	s.bgCtx, s.bgCancel = context.WithCancel(context.Background())
	if err := s.loadCollections(ctx); err != nil {
		s.files.closeAll()
		s.bgCancel()
		return nil, err
	}
	s.routes()
	return s, nil
}

// MinRemotePoll is the shortest interval remote collections are listed
// at: a listing is a request to someone's bucket or web server.
const MinRemotePoll = time.Second

// Watch looks for new or grown WARC files every Config.PollInterval, and
// in remote collections every Config.RemotePollInterval, and indexes
// them, until ctx is cancelled (then it returns nil). With both intervals
// negative it returns at once.
func (s *Server) Watch(ctx context.Context) error {
	if s.cfg.PollInterval < 0 && s.cfg.RemotePollInterval < 0 {
		return nil
	}
	s.watch(ctx)
	return nil
}

// Close releases the archive files the server keeps open.
func (s *Server) Close() error {
	s.files.closeAll()
	s.closeSearches()
	if s.ownStore {
		s.cfg.Store.Close()
	}
	return nil
}

// Collections returns the collection names, sorted.
func (s *Server) Collections() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	names := make([]string, 0, len(s.colls))
	for n := range s.colls {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (s *Server) collection(name string) *collection {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.colls[name]
}

// routes sets up the server's own pages. Archival URLs do not go through
// http.ServeMux: it would clean "http://" inside the path into "http:/".
func (s *Server) routes() {
	mux := http.NewServeMux()
	static, _ := fs.Sub(staticFS, "static")
	files := http.StripPrefix("/_/static/", http.FileServer(http.FS(static)))
	mux.Handle("/_/static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// http.FileServer answers a name fs.FS refuses (invalid UTF-8,
		// say) with a 500: a bad name is a missing file.
		name := strings.TrimPrefix(r.URL.Path, "/_/static/")
		if _, err := fs.Stat(static, name); name != "" && err != nil {
			http.NotFound(w, r)
			return
		}
		files.ServeHTTP(w, r)
	}))
	mux.HandleFunc("/_/search", s.handleSearch)
	mux.HandleFunc("/_/api/search", s.handleSearchAPI)
	mux.HandleFunc("/_/api/captures", s.handleCapturesAPI)
	mux.HandleFunc("/_/api/pages", s.handlePagesAPI)
	s.mux = mux
}

// ServeHTTP answers every request with the replay pageCSP and recovers from
// panics in rewriting as a 500 for that request alone.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.seen != nil {
		s.seen(r)
	}
	h := w.Header()
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("X-DNS-Prefetch-Control", "off")
	h.Set("Referrer-Policy", "same-origin")
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("replay: panic serving request", "url", r.URL.String(), "panic", v)
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}()
	if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodPost &&
		r.Method != http.MethodPut && r.Method != http.MethodOptions {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if strings.HasPrefix(r.URL.Path, "/_/static/") {
		s.serveRequest(w, r) // small embedded files: no turn to wait for
		return
	}
	s.limit.limit(w, r, s.serveRequest)
}

func (s *Server) serveRequest(w http.ResponseWriter, r *http.Request) {
	// Archives this request opens stay open until it is answered.
	ctx, release := s.files.holdFiles(r.Context())
	defer release()
	r = r.WithContext(ctx)
	if coll, ok := contentColl(r); ok {
		s.serveContent(w, r, coll)
		return
	}
	switch p := r.URL.Path; {
	case p == "/":
		s.handleHome(w, r)
	case strings.HasPrefix(p, "/_/"):
		if path.Clean(p) != p && path.Clean(p)+"/" != p {
			badRequest(w, "unclean path")
			return
		}
		s.mux.ServeHTTP(w, r)
	default:
		s.handleCollection(w, r)
	}
}

// pageCSP is sent with every response: the page may load only from the replay
// origin (plus data:, blob: and inline code, which archived pages need), so
// any URL the rewriters miss is refused by the browser instead of fetched
// from the live web. form-action and base-uri do not fall back to
// default-src and are set too.
const pageCSP = "default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob: mediastream:; " +
	"form-action 'self'; base-uri 'self'; frame-ancestors 'self'"

func badRequest(w http.ResponseWriter, msg string) {
	http.Error(w, "400 bad request: "+msg, http.StatusBadRequest)
}

func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) {
	s.renderHome(w, r)
}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	coll := r.FormValue("coll")
	u := strings.TrimSpace(r.FormValue("url"))
	if !index.ValidCollectionName(coll) || s.collection(coll) == nil {
		badRequest(w, "unknown collection")
		return
	}
	if u == "" {
		http.Redirect(w, r, "/"+coll+"/", http.StatusFound)
		return
	}
	if r.FormValue("match") == "prefix" && !strings.HasSuffix(u, "*") {
		u += "*"
	}
	http.Redirect(w, r, "/"+coll+"/*/"+u, http.StatusFound)
}
