package warc

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/nlnwa/gowarc/v3"
)

// dateFormat gives WARC-Date to the microsecond, as WARC/1.1 allows, so
// that records fetched within the same second stay ordered on replay.
const dateFormat = "2006-01-02T15:04:05.000000Z"

// FormatDate formats t as the writer's WARC-Date fields: UTC, microseconds.
func FormatDate(t time.Time) string { return t.UTC().Format(dateFormat) }

// fileTimeFormat is the 14-digit timestamp used in file names.
const fileTimeFormat = "20060102150405"

// OutRecord is a record to write. The writer adds WARC-Warcinfo-ID (the
// warcinfo of the file the record lands in) and Content-Length. Fields are
// written in order, with the spelling given.
type OutRecord struct {
	Type   string // WARC-Type: "response", "request", "resource", "metadata", "revisit", …
	ID     string // WARC-Record-ID, "<urn:uuid:…>"
	Fields Header
	Body   io.Reader
	Length int64
}

// recordTypes maps WARC-Type values to gowarc's, which builds the records.
var recordTypes = map[string]gowarc.RecordType{
	"warcinfo": gowarc.Warcinfo, "response": gowarc.Response, "resource": gowarc.Resource,
	"request": gowarc.Request, "metadata": gowarc.Metadata, "revisit": gowarc.Revisit,
	"conversion": gowarc.Conversion, "continuation": gowarc.Continuation,
}

// Written says where a record landed.
type Written struct {
	ID     string
	File   string // base name of the finished file (without .open)
	Offset int64  // start of the record's gzip member
	Size   int64  // compressed length of the member
}

// WriterOptions configure a Writer; zero values are documented per field.
type WriterOptions struct {
	Dir      string          // directory for the WARC files (created if missing)
	Prefix   string          // file name prefix; if empty, "warcbox"
	Hostname string          // host part of file names; if empty, os.Hostname()
	MaxSize  int64           // rollover size in bytes; if zero, 1 GB
	Digest   DigestAlgorithm // algorithm of the warcinfo block digest; if empty, sha256
	// Warcinfo returns the block of the warcinfo record that opens each file.
	Warcinfo func() []byte
	// OnClose is called with the final path of each finished file.
	OnClose func(path string)
	Now     func() time.Time
}

// Writer writes gzip-per-record WARC/1.1 files with rollover. Records are
// written in groups (a request with its response and metadata) and a group
// never spans two files, so a reader of any one file sees whole exchanges.
type Writer struct {
	opts WriterOptions

	mu         sync.Mutex
	f          *os.File
	path       string // current path, ending in .open
	size       int64
	infoSize   int64
	serial     int
	warcinfoID string
	finished   []string
	zw         *gzip.Writer
	closed     bool
}

// NewWriter returns a writer; the first file is created on the first write.
func NewWriter(opts WriterOptions) (*Writer, error) {
	if opts.Prefix == "" {
		opts.Prefix = "warcbox"
	}
	if opts.MaxSize <= 0 {
		opts.MaxSize = 1 << 30
	}
	if opts.Digest == "" {
		opts.Digest = SHA256
	}
	if _, err := ParseDigestAlgorithm(string(opts.Digest)); err != nil {
		return nil, fmt.Errorf("warc writer: %w", err)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Hostname == "" {
		h, err := os.Hostname()
		if err != nil || h == "" {
			h = "localhost"
		}
		opts.Hostname = h
	}
	// A host name with a dot or dash would make file names ambiguous to
	// split; keep only its first label, as Heritrix does.
	opts.Hostname = FileHost(opts.Hostname)
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("create warc dir: %w", err)
	}
	return &Writer{opts: opts}, nil
}

// FileHost is the host part of the writer's file names made of h: its first
// label, letters, digits and underscores only ("localhost" if none is left).
func FileHost(h string) string {
	if i := strings.IndexByte(h, '.'); i > 0 {
		h = h[:i]
	}
	var b strings.Builder
	for _, r := range h {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "localhost"
	}
	return b.String()
}

// Hostname is the host part of the file names (see FileHost).
func (w *Writer) Hostname() string { return w.opts.Hostname }

// SetWarcinfo replaces the block of the warcinfo record that opens each
// file; it applies to files opened after the call.
func (w *Writer) SetWarcinfo(block func() []byte) {
	w.mu.Lock()
	w.opts.Warcinfo = block
	w.mu.Unlock()
}

// Files lists the finished files (final paths) in the order closed.
func (w *Writer) Files() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.finished...)
}

// WriteGroup writes records consecutively into one file. estimate is the
// uncompressed size of the group, used to roll over before a group that would
// push the file past MaxSize.
func (w *Writer) WriteGroup(recs []*OutRecord) ([]Written, error) {
	var estimate int64
	for _, r := range recs {
		estimate += r.Length + 512
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil, errors.New("write warc: writer closed")
	}
	if w.f != nil && w.size > 0 && w.size+estimate > w.opts.MaxSize && w.hasData() {
		if err := w.finishLocked(); err != nil {
			return nil, err
		}
	}
	if w.f == nil {
		if err := w.openLocked(); err != nil {
			return nil, err
		}
	}
	out := make([]Written, 0, len(recs))
	for _, r := range recs {
		wr, err := w.writeLocked(r, true)
		if err != nil {
			return out, err
		}
		out = append(out, wr)
	}
	return out, nil
}

// hasData reports whether the open file holds more than its warcinfo.
func (w *Writer) hasData() bool { return w.size > w.infoSize }

func (w *Writer) openLocked() error {
	now := w.opts.Now().UTC()
	name := fmt.Sprintf("%s-%s-%05d-%s.warc.gz", w.opts.Prefix, now.Format(fileTimeFormat), w.serial, w.opts.Hostname)
	w.serial++
	p := filepath.Join(w.opts.Dir, name+".open")
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("create warc: %w", err)
	}
	w.f, w.path, w.size = f, p, 0
	var info []byte
	if w.opts.Warcinfo != nil {
		info = w.opts.Warcinfo()
	}
	w.warcinfoID = NewRecordID()
	rec := &OutRecord{
		Type: "warcinfo",
		ID:   w.warcinfoID,
		Fields: Header{
			{"WARC-Date", now.Format(dateFormat)},
			{"WARC-Filename", name},
			{"Content-Type", "application/warc-fields"},
			{"WARC-Block-Digest", w.opts.Digest.Of(info)},
		},
		Body:   bytes.NewReader(info),
		Length: int64(len(info)),
	}
	if _, err := w.writeLocked(rec, false); err != nil {
		return err
	}
	w.infoSize = w.size
	return nil
}

func (w *Writer) writeLocked(r *OutRecord, withInfo bool) (Written, error) {
	opts := []gowarc.WarcRecordOption{gowarc.WithNoValidation(), gowarc.WithVersion(gowarc.V1_1),
		gowarc.WithBufferMaxMemBytes(256 << 10)}
	rt, ok := recordTypes[r.Type]
	if !ok {
		return Written{}, fmt.Errorf("write warc: record %s: unknown WARC-Type %q", r.ID, r.Type)
	}
	rb := gowarc.NewRecordBuilder(rt, opts...)
	rb.AddWarcHeader(gowarc.WarcRecordID, r.ID)
	for _, f := range r.Fields {
		rb.AddWarcHeader(f.Name, f.Value)
	}
	if withInfo && w.warcinfoID != "" {
		rb.AddWarcHeader(gowarc.WarcWarcinfoID, w.warcinfoID)
	}
	rb.AddWarcHeaderInt64(gowarc.ContentLength, r.Length)
	if r.Body != nil {
		n, err := rb.ReadFrom(r.Body)
		if err != nil {
			rb.Close()
			return Written{}, fmt.Errorf("write warc: buffer %s: %w", r.ID, err)
		}
		if n != r.Length {
			rb.Close()
			return Written{}, fmt.Errorf("write warc: record %s: body is %d bytes, expected %d", r.ID, n, r.Length)
		}
	}
	rec, _, err := rb.Build()
	if err != nil {
		return Written{}, fmt.Errorf("write warc: build %s: %w", r.ID, err)
	}
	defer rec.Close()
	// gowarc canonicalises names it does not know ("Warc-Protocol"); put
	// back the spelling of the proposal that defines them.
	for _, nv := range *rec.WarcHeader() {
		for _, f := range r.Fields {
			if nv.Name != f.Name && strings.EqualFold(nv.Name, f.Name) {
				nv.Name = f.Name
			}
		}
	}
	off := w.size
	cw := &countWriter{w: w.f}
	// One compressor reused for every member: a new one costs about a
	// megabyte of state, per record.
	if w.zw == nil {
		w.zw, _ = gzip.NewWriterLevel(cw, gzip.DefaultCompression)
	} else {
		w.zw.Reset(cw)
	}
	zw := w.zw
	if _, _, err := gowarc.NewMarshaler().Marshal(zw, rec, 0); err != nil {
		return Written{}, fmt.Errorf("write warc %s: %w", w.path, err)
	}
	if err := zw.Close(); err != nil {
		return Written{}, fmt.Errorf("write warc %s: %w", w.path, err)
	}
	w.size += cw.n
	return Written{ID: r.ID, File: strings.TrimSuffix(filepath.Base(w.path), ".open"), Offset: off, Size: cw.n}, nil
}

func (w *Writer) finishLocked() error {
	if w.f == nil {
		return nil
	}
	err := w.f.Sync()
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	final := strings.TrimSuffix(w.path, ".open")
	if err == nil {
		err = os.Rename(w.path, final)
	}
	w.f = nil
	if err != nil {
		return fmt.Errorf("finish warc %s: %w", w.path, err)
	}
	w.finished = append(w.finished, final)
	if w.opts.OnClose != nil {
		w.opts.OnClose(final)
	}
	return nil
}

// Close finishes the current file (renaming it from .open).
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	w.closed = true
	return w.finishLocked()
}

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
