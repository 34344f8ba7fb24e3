package capture

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/warcbox/warcbox/cdxj"
)

// Indexer receives a CDXJ line for every record worth one. The capture
// calls Add from several goroutines and may reuse the line once Add
// returns; Close writes the index. Swap in another implementation through
// Options.Indexer.
type Indexer interface {
	Add(*cdxj.Line) error
	Close() error
}

// indexLine is the line warcio.js would write for a record of uri made at
// date: digest keeps its label ("sha256:…") as the record gives it, and
// status 0 means no HTTP status. Filename, Offset and Length are filled
// in once the record is written.
func indexLine(uri string, date time.Time, mime string, status int, digest string) *cdxj.Line {
	l := &cdxj.Line{Key: cdxj.Key(uri), Timestamp: cdxj.Timestamp(date), URL: uri, Mime: mime}
	if status > 0 {
		l.Status = strconv.Itoa(status)
	}
	if _, v, ok := strings.Cut(digest, ":"); ok {
		l.Digest = v
	}
	return l
}

// CDXJFile collects entries and writes them sorted to one .cdxj file when
// closed, line for line what `warcbox index` (and warcio.js cdx-index)
// writes for the same WARCs, so an index from the capture and one rebuilt
// later are interchangeable. Lines past the cdxj sorter's memory limit
// spill to temporary files, so memory stays flat on a long crawl.
type CDXJFile struct {
	Path string
	mu   sync.Mutex
	sw   *cdxj.SortedWriter
	f    *os.File
	err  error
}

var _ Indexer = (*CDXJFile)(nil)

// NewCDXJFile returns an indexer that writes path on Close.
func NewCDXJFile(path string) *CDXJFile { return &CDXJFile{Path: path} }

// Add queues a line.
func (c *CDXJFile) Add(l *cdxj.Line) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return c.err
	}
	if c.sw == nil {
		if err := os.MkdirAll(filepath.Dir(c.Path), 0o755); err != nil {
			c.err = fmt.Errorf("write index: %w", err)
			return c.err
		}
		f, err := os.CreateTemp(filepath.Dir(c.Path), filepath.Base(c.Path)+".tmp*")
		if err != nil {
			c.err = fmt.Errorf("write index: %w", err)
			return c.err
		}
		c.f = f
		c.sw = cdxj.NewSortedWriter(f, cdxj.SortOptions{MemoryLimit: 16 << 20})
	}
	if err := c.sw.Add(l); err != nil {
		c.err = fmt.Errorf("write index: %w", err)
		return c.err
	}
	return nil
}

// Close writes the sorted index (atomically: temp file, then rename). With
// no entries nothing is written.
func (c *CDXJFile) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sw == nil {
		return c.err
	}
	err := c.sw.Close()
	if cerr := c.f.Close(); err == nil {
		err = cerr
	}
	if err == nil && c.err == nil {
		err = os.Rename(c.f.Name(), c.Path)
	}
	if err != nil || c.err != nil {
		os.Remove(c.f.Name())
		return fmt.Errorf("write index %s: %w", c.Path, errors.Join(c.err, err))
	}
	return nil
}
