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

// IndexEntry describes one written record for the CDXJ index.
type IndexEntry struct {
	URL      string
	Date     time.Time
	Mime     string // media type as the record gives it; "warc/revisit" for revisits
	Status   int    // 0 when not an HTTP record
	Digest   string // payload digest as in the record ("sha256:…", "sha1:…")
	Filename string // base name of the WARC
	Offset   int64
	Length   int64
}

// Indexer receives every record worth a CDXJ line. The capture calls Add
// from several goroutines; Close writes the index. Swap in another
// implementation through Options.Indexer.
type Indexer interface {
	Add(IndexEntry) error
	Close() error
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

// Line turns an entry into a cdxj.Line as warcio.js would index the record.
func (e IndexEntry) Line() *cdxj.Line {
	l := &cdxj.Line{
		Key:       cdxj.Key(e.URL),
		Timestamp: cdxj.Timestamp(e.Date),
		URL:       e.URL,
		Mime:      e.Mime,
		Offset:    e.Offset,
		Length:    e.Length,
		Filename:  e.Filename,
	}
	if e.Status > 0 {
		l.Status = strconv.Itoa(e.Status)
	}
	if _, v, ok := strings.Cut(e.Digest, ":"); ok {
		l.Digest = v
	}
	return l
}

// Add queues an entry.
func (c *CDXJFile) Add(e IndexEntry) error {
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
	if err := c.sw.Add(e.Line()); err != nil {
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
