package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/sync/errgroup"

	"github.com/warcbox/warcbox/replay"
)

// replayGCPercent is the GOGC warcbox replay runs with unless GOGC is set.
const replayGCPercent = 400

// replayOptions are the flags of warcbox replay.
type replayOptions struct {
	Addr       string
	Name       string
	CDXServer  string
	Poll       time.Duration
	PollRemote time.Duration
	// MaxDecoded bounds the decoded payload spooled for a Range request.
	MaxDecoded int64
	// MaxConcurrent bounds the requests worked on at once.
	MaxConcurrent int
	// Full-text search: where indexes of collections without a writable
	// indexes folder are kept, and how many pages one takes in.
	SearchCache    string
	SearchMaxPages int
	// MaxCachedFiles bounds the archive files kept open between requests.
	MaxCachedFiles int
}

func (o *replayOptions) AddFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.Addr, "addr", "127.0.0.1:8080", "address to listen on (loopback by default: replay is for this machine)")
	fs.StringVar(&o.Name, "name", "web", "collection name for WARC/WACZ files given directly")
	fs.StringVar(&o.CDXServer, "cdx-server", "", "take the index from this pywb/OutbackCDX-compatible CDX server URL")
	fs.DurationVar(&o.Poll, "poll", 2*time.Second, "how often to look for new WARC files (0 disables)")
	fs.DurationVar(&o.PollRemote, "poll-remote", time.Minute, "how often to list remote collections (s3://, https folders) again for new archives and indexes: one request per folder each time; at least 1s (0 disables)")
	fs.Int64Var(&o.MaxDecoded, "max-decoded", replay.DefaultMaxDecoded, "largest decoded payload, in bytes, spooled to answer a Range request (larger: 416)")
	fs.StringVar(&o.SearchCache, "search-cache", defaultSearchCache(), "folder keeping the full-text search index of collections with no writable indexes folder (loose files, remote archives, WACZ) between runs")
	fs.IntVar(&o.SearchMaxPages, "search-max-pages", replay.DefaultSearchMaxPages, "most pages one collection's full-text search index takes in (-1: no full-text search)")
	fs.IntVar(&o.MaxCachedFiles, "max-cached-files", replay.DefaultMaxCachedFiles, "archive files kept open between requests, least recently used closed first (a collection with more still replays: a dropped file is opened again when asked for)")
	fs.IntVar(&o.MaxConcurrent, "max-concurrent", 0, "requests worked on at once; up to 1024 more wait, the rest get 503 with Retry-After (0: 8 per CPU, at least 64)")
}

func newReplayCommand(g *globalOptions) *cobra.Command {
	opts := &replayOptions{}
	cmd := &cobra.Command{
		Use:   "replay [PATH...]",
		Short: "Serve archived pages in a browser, pywb-style, without touching the live web",
		Long: `Replay serves the captures in PATH over HTTP in pywb's URL scheme:

  /<coll>/<timestamp><modifier>/<url>   a capture (partial timestamps redirect to the closest)
  /<coll>/<url>                         the latest capture (a Memento TimeGate)
  /<coll>/*/<url>                       all captures of a URL; add * at the end for a prefix search
  /<coll>/timemap/link/<url>            Memento TimeMap (also timemap/json)
  /<coll>/cdx?url=...                   pywb's CDX server API

PATH is a pywb collections folder (collections/<name>/archive/*.warc.gz,
collections/<name>/indexes/*.cdxj; default ./collections) or WARC files and
folders of them, which form one collection (--name, default "web"). Missing
indexes are built at start-up and new files are indexed as they appear.

Archived pages are untrusted code: each collection's archived content is
served from an origin of its own (the same address, another port, picked
at start-up; the UI redirects there), apart from the UI and from other
collections. Every response carries a Content-Security-Policy confining
the page to that origin, and whatever is served unrewritten is sandboxed,
so nothing a page does can reach the live web (see docs/replay.md).

Exit codes: 0 stopped by a signal, 1 failed to start or serve, 2 bad usage.`,
		RunE: func(cmd *cobra.Command, args []string) error { return runReplay(cmd.Context(), opts, g, args) },
	}
	opts.AddFlags(cmd.Flags())
	return cmd
}

func runReplay(ctx context.Context, opts *replayOptions, g *globalOptions, args []string) error {
	log := g.logger()
	cfg := replay.DefaultConfig()
	if len(args) > 0 {
		cfg.Paths = args
	}
	cfg.Name = opts.Name
	cfg.CDXServer = opts.CDXServer
	cfg.Logger = log
	cfg.Store = g.storage()
	cfg.PollInterval = opts.Poll
	cfg.MaxDecoded = opts.MaxDecoded
	cfg.MaxConcurrent = opts.MaxConcurrent
	cfg.SearchCache = opts.SearchCache
	cfg.SearchMaxPages = opts.SearchMaxPages
	cfg.MaxCachedFiles = opts.MaxCachedFiles
	if opts.Poll == 0 {
		cfg.PollInterval = -1
	}
	cfg.RemotePollInterval = opts.PollRemote
	if opts.PollRemote == 0 {
		cfg.RemotePollInterval = -1
	}
	start := time.Now()
	srv, err := replay.New(ctx, cfg)
	if err != nil {
		return err
	}
	defer srv.Close()
	if os.Getenv("GOGC") == "" {
		// Each replayed response allocates ~130 KB that dies at once (16 KiB
		// record buffers, a 32 KiB inflate window, copy buffers) over a live
		// heap of a few MB, so the default GOGC=100 collects all the time.
		// Measured again with bench/replay (2026-11-24, 200k captures, 16
		// clients): GOGC=400 serves rewritten HTML at 4.7-4.8k req/s, p99
		// 8.5-8.8 ms, against 3.4k and 12.4 ms at 100; id_ 11-13k against
		// 7.6-8.2k; for ~12 MB more RSS (33 against 21 MB).
		// Set after start-up: indexing makes garbage by the file (read
		// buffers), and at 400 the heap grows to five times the index
		// before a collection (5,000 small WARCs: 637 MB peak, against
		// 239 MB at 100).
		defer debug.SetGCPercent(debug.SetGCPercent(replayGCPercent))
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	log.Info("replay: serving", "url", "http://"+ln.Addr().String()+"/", "collections", srv.Collections(), "startup", time.Since(start).Round(time.Millisecond))
	eg, ctx := errgroup.WithContext(ctx)
	eg.Go(func() error { return srv.Serve(ctx, ln) })
	eg.Go(func() error { return srv.Watch(ctx) })
	return eg.Wait()
}

// defaultSearchCache is the user's cache folder's warcbox/search ("" when
// there is none: then a temporary folder, removed when replay stops).
func defaultSearchCache() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "warcbox", "search")
}
