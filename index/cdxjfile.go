package index

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"os"
	"strings"

	"github.com/warcbox/warcbox/cdxj"
)

// CDXJFile is a Source over one sorted CDXJ file ("urlkey timestamp
// {json}" lines, as pywb and warcio write them), searched by bisecting
// byte offsets: nothing is read at open, a lookup costs a few dozen small
// reads whatever the file size.
type CDXJFile struct {
	path string
	f    *os.File
	size int64
}

var _ Source = (*CDXJFile)(nil)

// OpenCDXJ opens a sorted CDXJ (or CDX with a JSON block) file.
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
	return &CDXJFile{path: path, f: f, size: st.Size()}, nil
}

// Close releases the file.
func (c *CDXJFile) Close() error { return c.f.Close() }

// lineAt returns the first line starting at or after off (lines start at
// 0 or after a newline), its start offset and the offset after it.
func (c *CDXJFile) lineAt(off int64, buf []byte) (line []byte, start, next int64, err error) {
	pos := off
	if off > 0 {
		pos = off - 1 // the byte before tells whether a line starts at off
	}
	skip := off > 0
	for {
		n, rerr := c.f.ReadAt(buf, pos)
		chunk := buf[:n]
		i := 0
		if skip {
			j := bytes.IndexByte(chunk, '\n')
			if j < 0 {
				if rerr != nil || n == 0 {
					return nil, c.size, c.size, io.EOF
				}
				pos += int64(n)
				continue
			}
			i = j + 1
			skip = false
			pos += int64(i)
			chunk = chunk[i:]
		}
		j := bytes.IndexByte(chunk, '\n')
		if j >= 0 {
			return chunk[:j], pos, pos + int64(j+1), nil
		}
		if rerr != nil || n < len(buf) {
			if len(chunk) > 0 {
				return chunk, pos, c.size, nil
			}
			return nil, c.size, c.size, io.EOF
		}
		if len(buf) >= 1<<22 {
			return nil, 0, 0, fmt.Errorf("index: %s: line at offset %d longer than 4 MiB", c.path, pos)
		}
		buf = make([]byte, len(buf)*2)
	}
}

// seek returns the offset of the first line whose key is >= key.
func (c *CDXJFile) seek(key string) (int64, error) {
	lo, hi := int64(0), c.size
	buf := make([]byte, 4096)
	for lo < hi {
		mid := lo + (hi-lo)/2
		line, _, next, err := c.lineAt(mid, buf)
		if err == io.EOF {
			hi = mid
			continue
		}
		if err != nil {
			return 0, err
		}
		k, _, _ := bytes.Cut(line, []byte(" "))
		if string(k) < key {
			lo = next
		} else {
			hi = mid
		}
	}
	_, start, _, err := c.lineAt(lo, buf)
	if err == io.EOF {
		return c.size, nil
	}
	return start, err
}

// Lookup yields the captures matching q.
func (c *CDXJFile) Lookup(ctx context.Context, q Query) iter.Seq2[Capture, error] {
	return func(yield func(Capture, error) bool) {
		lo, hi, err := keyRange(q)
		if err != nil {
			yield(Capture{}, err)
			return
		}
		off, err := c.seek(lo)
		if err != nil {
			yield(Capture{}, err)
			return
		}
		r := bufio.NewReaderSize(io.NewSectionReader(c.f, off, c.size-off), 16<<10)
		n := 0
		lineOff := off
		for {
			line, err := r.ReadSlice('\n')
			if err == bufio.ErrBufferFull {
				var more []byte
				more, err = r.ReadBytes('\n')
				line = append(append([]byte(nil), line...), more...)
			}
			if len(line) == 0 && err != nil {
				if err != io.EOF {
					yield(Capture{}, fmt.Errorf("index: %s: %w", c.path, err))
				}
				return
			}
			cur := lineOff
			lineOff += int64(len(line))
			line = bytes.TrimRight(line, "\r\n")
			if len(line) == 0 || line[0] == ' ' || line[0] == '!' {
				continue // blank lines and the "!meta" header of CDX files
			}
			k, _, _ := bytes.Cut(line, []byte(" "))
			if string(k) >= hi {
				return
			}
			if ctx.Err() != nil {
				yield(Capture{}, ctx.Err())
				return
			}
			cp, perr := ParseCDXJ(line)
			if perr != nil {
				if !yield(Capture{}, fmt.Errorf("index: %s: offset %d: %w", c.path, cur, perr)) {
					return
				}
				continue
			}
			if keyMatches(q, cp.URLKey) && timeOK(q, cp.Timestamp) {
				if !yield(cp, nil) {
					return
				}
				n++
				if q.Limit > 0 && n >= q.Limit {
					return
				}
			}
			if err != nil {
				return
			}
		}
	}
}

// ParseCDXJ parses one index line (CDXJ, or classic 9/11-field CDX) with
// cdxj.Parse.
func ParseCDXJ(line []byte) (Capture, error) {
	l, err := cdxj.Parse(line)
	if err != nil {
		return Capture{}, err
	}
	return FromLine(l), nil
}

// FromLine converts a cdxj.Line to a Capture (a "title" member is kept).
func FromLine(l cdxj.Line) Capture {
	c := Capture{
		URLKey: l.Key, Timestamp: l.Timestamp, URL: l.URL, Mime: l.Mime, Status: l.Status,
		Digest: l.Digest, Length: l.Length, Offset: l.Offset, Filename: l.Filename,
		Method: strings.ToUpper(l.Method), RequestBody: l.RequestBody,
	}
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

// Line converts a Capture to a cdxj.Line.
func (c Capture) Line() cdxj.Line {
	l := cdxj.Line{
		Key: c.URLKey, Timestamp: c.Timestamp, URL: c.URL, Mime: c.Mime, Status: c.Status,
		Digest: c.Digest, Length: c.Length, Offset: c.Offset, Filename: c.Filename,
		Method: c.Method, RequestBody: c.RequestBody,
	}
	if c.Title != "" {
		t, _ := json.Marshal(c.Title)
		l.Extra = append(l.Extra, cdxj.Field{Name: "title", Value: t})
	}
	return l
}

// WriteCDXJ writes one capture as a CDXJ line, in warcio.js's field order.
func WriteCDXJ(w io.Writer, c Capture) error {
	l := c.Line()
	b := l.AppendTo(make([]byte, 0, 256))
	_, err := w.Write(append(b, '\n'))
	return err
}
