package index

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"os"
	"strings"

	"github.com/warcbox/warcbox/cdxj"
)

// CDXJFile is a Source over one sorted CDXJ (or classic CDX) file,
// searched with cdxj.File: a small sampled summary of keys and offsets is
// built at open, so a lookup reads about one block whatever the file size.
type CDXJFile struct {
	path string
	f    *os.File
	idx  *cdxj.File
}

var _ Source = (*CDXJFile)(nil)

// OpenCDXJ opens a sorted CDXJ (or CDX) file.
func OpenCDXJ(path string) (*CDXJFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("index: %w", err)
	}
	idx, err := cdxj.OpenFile(f, st.Size())
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("index: %s: %w", path, err)
	}
	idx.Name = path
	return &CDXJFile{path: path, f: f, idx: idx}, nil
}

// NewCDXJFile searches a sorted CDXJ (or CDX) file held in ra, such as a
// remote object (each probe of the search is then a Range request through
// its block cache); name is used in errors. Close does not close ra.
func NewCDXJFile(ra io.ReaderAt, size int64, name string) (*CDXJFile, error) {
	idx, err := cdxj.OpenFile(ra, size)
	if err != nil {
		return nil, fmt.Errorf("index: %s: %w", name, err)
	}
	idx.Name = name
	return &CDXJFile{path: name, idx: idx}, nil
}

// Close releases the file.
func (c *CDXJFile) Close() error {
	if c.f == nil {
		return nil
	}
	return c.f.Close()
}

// Lookup yields the captures matching q; a malformed line is yielded as an
// error naming the file and offset, and the scan goes on.
func (c *CDXJFile) Lookup(ctx context.Context, q Query) iter.Seq2[Capture, error] {
	return sortedLookup(ctx, q, c.idx)
}

// FromLine makes a Capture of an index line as lookups use it: the method
// upper-cased, a short timestamp padded, a "title" member taken as the
// Title and the other extra members, and how the line was written
// (present and absent fields), dropped.
func FromLine(l cdxj.Line) Capture {
	c := Capture{Line: cdxj.Line{
		Key: l.Key, Timestamp: l.Timestamp, URL: l.URL, Mime: l.Mime, Status: l.Status,
		Digest: l.Digest, Length: l.Length, Offset: l.Offset, Filename: l.Filename,
		Method: strings.ToUpper(l.Method), RequestBody: l.RequestBody,
	}}
	for _, f := range l.Extra {
		if f.Name == "title" {
			var t string
			if json.Unmarshal(f.Value, &t) == nil {
				c.Title = t
			}
		}
	}
	if len(c.Timestamp) < 14 {
		if p, err := cdxj.PadTimestamp(c.Timestamp, false); err == nil {
			c.Timestamp = p
		}
	}
	return c
}

// WriteCDXJ writes one capture as a CDXJ line, in warcio.js's field order,
// its Title as a last "title" member.
func WriteCDXJ(w io.Writer, c Capture) error {
	l := c.Line
	if c.Title != "" {
		t, _ := json.Marshal(c.Title)
		l.Extra = append(l.Extra[:len(l.Extra):len(l.Extra)], cdxj.Field{Name: "title", Value: t})
	}
	b := l.AppendTo(make([]byte, 0, 256))
	_, err := w.Write(append(b, '\n'))
	return err
}

// lineLookup is what a sorted index file offers: the lines whose keys
// match, in key order.
type lineLookup interface {
	Lookup(ctx context.Context, key string, match cdxj.MatchType) iter.Seq2[cdxj.Line, error]
}

// sortedLookup answers q from a sorted index file, CDXJ or ZipNum: the
// key match is the file's, the time window and limit are q's; a line or
// block that cannot be read is yielded as an error and the scan goes on.
func sortedLookup(ctx context.Context, q Query, f lineLookup) iter.Seq2[Capture, error] {
	return func(yield func(Capture, error) bool) {
		if _, _, err := keyRange(q); err != nil {
			yield(Capture{}, err)
			return
		}
		n := 0
		for l, err := range f.Lookup(ctx, q.Key, q.MatchType) {
			if err != nil {
				if !yield(Capture{}, fmt.Errorf("index: %w", err)) {
					return
				}
				continue
			}
			cp := FromLine(l)
			if !timeOK(q, cp.Timestamp) {
				continue
			}
			if !yield(cp, nil) {
				return
			}
			n++
			if q.Limit > 0 && n >= q.Limit {
				return
			}
		}
	}
}
