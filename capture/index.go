package capture

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// IndexEntry describes one written record for the CDXJ index.
type IndexEntry struct {
	URL      string
	Date     time.Time
	Mime     string // "warc/revisit" for revisits, as pywb writes it
	Status   int    // 0 when not an HTTP record
	Digest   string // payload digest as in the record ("sha256:…", "sha1:…")
	Filename string // base name of the WARC
	Offset   int64
	Length   int64
}

// Indexer receives every record worth a CDXJ line. The capture calls Add
// from several goroutines; Close writes the index. Swap in another
// implementation (the cdxj package's writer) through Options.Indexer.
type Indexer interface {
	Add(IndexEntry) error
	Close() error
}

// CDXJFile collects entries and writes them sorted to one .cdxj file when
// closed, in the line format pywb and warcio write:
// `<surt> <14-digit time> {"url":…,"mime":…,"status":…,"digest":…,"length":…,"offset":…,"filename":…}`.
type CDXJFile struct {
	Path  string
	mu    sync.Mutex
	lines []string
}

var _ Indexer = (*CDXJFile)(nil)

// NewCDXJFile returns an indexer that writes path on Close.
func NewCDXJFile(path string) *CDXJFile { return &CDXJFile{Path: path} }

// Add queues an entry.
func (c *CDXJFile) Add(e IndexEntry) error {
	line, err := FormatCDXJ(e)
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.lines = append(c.lines, line)
	c.mu.Unlock()
	return nil
}

// Close writes the sorted index (atomically: temp file, then rename).
func (c *CDXJFile) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.lines) == 0 {
		return nil
	}
	sort.Strings(c.lines)
	if err := os.MkdirAll(filepath.Dir(c.Path), 0o755); err != nil {
		return fmt.Errorf("write index: %w", err)
	}
	tmp := c.Path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("write index: %w", err)
	}
	bw := bufio.NewWriter(f)
	for _, l := range c.lines {
		bw.WriteString(l)
		bw.WriteByte('\n')
	}
	err = bw.Flush()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, c.Path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write index %s: %w", c.Path, err)
	}
	return nil
}

// FormatCDXJ renders one CDXJ line (without newline).
func FormatCDXJ(e IndexEntry) (string, error) {
	key, err := SURT(e.URL)
	if err != nil {
		return "", err
	}
	// Field order follows pywb's indexer so diffs between tools stay small.
	var b strings.Builder
	b.WriteString(key)
	b.WriteByte(' ')
	b.WriteString(e.Date.UTC().Format(fileTimeFormat))
	b.WriteString(" {")
	field := func(name, v string, first bool) {
		if !first {
			b.WriteString(", ")
		}
		nb, _ := json.Marshal(name)
		vb, _ := json.Marshal(v)
		b.Write(nb)
		b.WriteString(": ")
		b.Write(vb)
	}
	field("url", e.URL, true)
	if e.Mime != "" {
		field("mime", e.Mime, false)
	}
	if e.Status > 0 {
		field("status", strconv.Itoa(e.Status), false)
	}
	if e.Digest != "" {
		d := e.Digest
		// pywb writes sha1 digests bare.
		d = strings.TrimPrefix(d, "sha1:")
		field("digest", d, false)
	}
	field("length", strconv.FormatInt(e.Length, 10), false)
	field("offset", strconv.FormatInt(e.Offset, 10), false)
	field("filename", e.Filename, false)
	b.WriteByte('}')
	return b.String(), nil
}

// SURT returns the sort-friendly form of a URL as pywb computes it
// ("com,example)/path?b=1&a=2" with the query sorted): host labels
// reversed, "www." dropped, default port dropped, lower-cased.
func SURT(raw string) (string, error) {
	if strings.HasPrefix(raw, "dns:") {
		return "dns:" + strings.ToLower(raw[4:]), nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("surt %q: %w", raw, err)
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	host = strings.TrimPrefix(host, "www.")
	labels := strings.Split(host, ".")
	if strings.Contains(host, ":") || isIPv4(host) {
		labels = []string{host}
	}
	for i, j := 0, len(labels)-1; i < j; i, j = i+1, j-1 {
		labels[i], labels[j] = labels[j], labels[i]
	}
	s := strings.Join(labels, ",")
	if p := u.Port(); p != "" && !(u.Scheme == "http" && p == "80") && !(u.Scheme == "https" && p == "443") {
		s += ":" + p
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	s += ")" + path
	if u.RawQuery != "" {
		q := strings.Split(u.RawQuery, "&")
		sort.Strings(q)
		s += "?" + strings.Join(q, "&")
	}
	return strings.ToLower(s), nil
}

func isIPv4(h string) bool {
	parts := strings.Split(h, ".")
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts {
		if _, err := strconv.Atoi(p); err != nil {
			return false
		}
	}
	return true
}
