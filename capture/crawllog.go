package capture

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/warcbox/warcbox/warc"
)

// logEntry is one line of the crawl log: every URL the crawl dealt with,
// fetched or not, so that nothing is dropped silently.
type logEntry struct {
	Time       string `json:"time"`
	URL        string `json:"url"`
	Status     int    `json:"status,omitempty"`
	Size       int64  `json:"size,omitempty"`
	DurationMs int64  `json:"duration_ms,omitempty"`
	Hops       string `json:"hops,omitempty"`
	Via        string `json:"via,omitempty"`
	Mime       string `json:"mime,omitempty"`
	Digest     string `json:"digest,omitempty"`
	Record     string `json:"record,omitempty"` // "response" or "revisit"
	Truncated  string `json:"truncated,omitempty"`
	Kind       string `json:"kind,omitempty"` // failure kind: refused, reset, timeout, dns, tls, robots, scope, retry, canceled, redirect-limit, embed-limit
	Error      string `json:"error,omitempty"`
	Attempt    int    `json:"attempt,omitempty"`
	WARC       string `json:"warc,omitempty"`
	Offset     int64  `json:"offset,omitempty"`
}

type crawlLog struct {
	mu sync.Mutex
	f  *os.File
	bw *bufio.Writer
}

func openCrawlLog(path string) (*crawlLog, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("crawl log: %w", err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("crawl log: %w", err)
	}
	return &crawlLog{f: f, bw: bufio.NewWriter(f)}, nil
}

func (l *crawlLog) write(e logEntry) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e.Time == "" {
		e.Time = warc.FormatDate(time.Now())
	}
	b, _ := json.Marshal(e)
	l.bw.Write(b)
	l.bw.WriteByte('\n')
	// Flush each line: after a kill -9 the log must say what was done.
	l.bw.Flush()
}

func (l *crawlLog) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	err := l.bw.Flush()
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("crawl log: %w", err)
	}
	return nil
}
