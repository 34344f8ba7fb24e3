package capture

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"regexp"
	"time"

	"github.com/warcbox/warcbox/warc"
)

// Options configure a capture. Use DefaultOptions and change what you need;
// zero values are documented per field.
type Options struct {
	// Dir receives the WARC files; if empty, "collections/web/archive".
	Dir string
	// IndexPath is the CDXJ written at the end; if empty,
	// <Dir>/../indexes/<prefix>-<time>-<host>.cdxj, beside the archive
	// folder where `warcbox replay` looks for indexes.
	IndexPath string
	// LogPath is the JSON-lines crawl log; if empty,
	// <Dir>/../logs/<prefix>-<time>-<host>.jsonl.
	LogPath string
	Prefix  string // WARC file name prefix; if empty, "warcbox"
	// Hostname is the host part of WARC file names; if empty, os.Hostname().
	Hostname string
	WarcSize int64 // rollover size; if zero, 1 GB

	Depth       int   // link hops followed from the seeds; negative: unlimited
	Scope       Scope // which followed links are in scope; if empty, host
	Include     []*regexp.Regexp
	Exclude     []*regexp.Regexp
	MaxPages    int           // pages (seeds and followed links, not requisites) to fetch; zero: no limit
	Concurrency int           // fetches in flight; if zero, 8
	PerHost     int           // fetches in flight per host; if zero, 4
	Delay       time.Duration // pause between fetches to one host
	// NoRequisites skips the page requisites (images, styles, scripts…).
	NoRequisites bool

	IgnoreRobots bool
	UserAgent    string               // if empty, "warcbox/<version> (+https://github.com/warcbox/warcbox)"
	Timeout      time.Duration        // connecting, and each wait for the next byte; if zero, 30s
	Retries      int                  // extra attempts on 429/5xx/connection errors; zero: none
	RetryBackoff time.Duration        // first retry pause, doubled each time; if zero, 1s
	MaxSize      int64                // payload bytes kept per resource; zero: no limit
	Digest       warc.DigestAlgorithm // if empty, sha256
	Insecure     bool                 // skip TLS certificate checks
	RootCAs      *x509.CertPool
	// Proxy, if set, carries every connection (see Upstream); it is named
	// in warcinfo without its password.
	Proxy *Upstream
	// DedupIndex lists CDXJ files of earlier captures: a payload whose
	// digest they hold is written as a revisit.
	DedupIndex []string

	// Mode is how pages are fetched; if empty, ModeHTTP. Run crawls in
	// HTTP mode only: ModeBrowser captures are run by capture/browser,
	// which records through a Recorder.
	Mode Mode

	Software    string // "warcbox/<version>" for warcinfo; if empty, "warcbox"
	CommandLine string // recorded in warcinfo

	Indexer  Indexer      // if nil, a CDXJFile at IndexPath
	Logger   *slog.Logger // if nil, discards
	Progress func(Stats)  // called after each fetch (serialised); may be nil

	// Dial and Lookup replace the network for tests; nil uses the system.
	Dial   func(ctx context.Context, network, addr string) (net.Conn, error)
	Lookup func(ctx context.Context, host string) ([]net.IP, error)
	// Now, if set, replaces time.Now for file names.
	Now func() time.Time
}

// Mode is how a capture fetches pages.
type Mode string

const (
	ModeHTTP    Mode = "http"    // warcbox's own HTTP client: the crawler fetches each URL
	ModeBrowser Mode = "browser" // headless Chromium loads each page (capture/browser)
)

// ParseMode checks a --mode value.
func ParseMode(s string) (Mode, error) {
	switch Mode(s) {
	case ModeHTTP, ModeBrowser:
		return Mode(s), nil
	}
	return "", fmt.Errorf("mode %q: want http or browser", s)
}

// validate checks the fields a caller may set to a value the library does
// not know, so that a typo fails at once rather than meaning a default.
func (o *Options) validate() error {
	if o.Mode != "" {
		if _, err := ParseMode(string(o.Mode)); err != nil {
			return err
		}
	}
	if _, err := warc.ParseDigestAlgorithm(string(o.Digest)); err != nil {
		return err
	}
	if o.Scope != "" {
		if _, err := ParseScope(string(o.Scope)); err != nil {
			return err
		}
	}
	return nil
}

// DefaultOptions are the defaults of `warcbox capture`.
func DefaultOptions() Options {
	return Options{
		Dir:          "collections/web/archive",
		WarcSize:     1 << 30,
		Depth:        0,
		Scope:        ScopeHost,
		Concurrency:  8,
		PerHost:      4,
		Timeout:      30 * time.Second,
		Retries:      2,
		RetryBackoff: time.Second,
		Digest:       warc.SHA256,
		Mode:         ModeHTTP,
	}
}

// ErrNothingCaptured is returned (with the summary) by a capture in which no
// seed was captured: every one failed, was blocked or never stopped
// redirecting.
var ErrNothingCaptured = errors.New("capture: no seed was captured")

// Stats are the running counts of a capture.
type Stats struct {
	Queued   int   // URLs waiting
	Done     int   // URLs finished (fetched, failed or blocked)
	Pages    int   // pages enqueued (counts toward MaxPages)
	Fetched  int   // responses recorded (including revisits)
	Revisits int   // of which revisits
	Failed   int   // failures (in the crawl log): fetches that failed, bodies cut by the server, redirect loops
	Seeds    int   // seeds captured: an answer other than a redirect recorded for the seed or where it led
	Blocked  int   // refused by robots.txt or scope rules
	Bytes    int64 // payload bytes received
}

// Summary is what a finished capture reports.
type Summary struct {
	Stats
	Files     []string // WARC files written
	IndexPath string   // "" when no index was written (nothing to index)
	LogPath   string
	Elapsed   time.Duration
	Canceled  bool
}
