package cdxj

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"sort"
	"strings"
	"sync"
)

// MatchType selects which keys a lookup returns, as pywb's matchType.
type MatchType int

const (
	// MatchExact returns the lines whose key equals the given key.
	MatchExact MatchType = iota
	// MatchPrefix returns the lines whose key starts with the given string.
	MatchPrefix
	// MatchHost returns every line of the key's host (and port): the part
	// of the key before ")" ("com,example)/a" → "com,example)…").
	MatchHost
	// MatchDomain returns every line of the key's host and its subdomains
	// ("com,example" → "com,example)…" and "com,example,www)…"); for a
	// bare TLD ("com") only the subdomains, as pywb does.
	MatchDomain
)

// ParseMatchType reads pywb's names: "exact", "prefix", "host", "domain".
func ParseMatchType(s string) (MatchType, error) {
	switch s {
	case "", "exact":
		return MatchExact, nil
	case "prefix":
		return MatchPrefix, nil
	case "host":
		return MatchHost, nil
	case "domain":
		return MatchDomain, nil
	}
	return 0, fmt.Errorf("cdxj: unknown match type %q", s)
}

func (m MatchType) String() string {
	switch m {
	case MatchExact:
		return "exact"
	case MatchPrefix:
		return "prefix"
	case MatchHost:
		return "host"
	case MatchDomain:
		return "domain"
	}
	return fmt.Sprintf("MatchType(%d)", int(m))
}

// LineError is a problem with one line of an index file.
type LineError struct {
	File   string // File.Name, may be empty
	Offset int64  // where the line starts
	Err    error
}

func (e *LineError) Error() string {
	name := e.File
	if name == "" {
		name = "cdxj"
	}
	return fmt.Sprintf("%s: offset %d: %v", name, e.Offset, e.Err)
}

func (e *LineError) Unwrap() error { return e.Err }

// File searches a sorted CDXJ (or classic CDX) file through an
// io.ReaderAt. OpenFile samples the file into a small in-memory summary
// (the line starting after each of up to maxSummary evenly spaced offsets,
// like the secondary index of pywb's ZipNum, but built without reading the
// whole file), so a lookup reads one block of about size/maxSummary bytes
// plus the matching lines, whatever the file size.
//
// A File is safe for concurrent lookups if its io.ReaderAt is (os.File is).
type File struct {
	// Name is used in errors; set it after OpenFile.
	Name string

	ra      io.ReaderAt
	size    int64
	summary []summaryEntry
	bufSize int
	readers sync.Pool // *bufio.Reader of bufSize
}

type summaryEntry struct {
	off  int64
	head string // the line's first bytes, at most maxHead
	cut  bool   // head is shorter than the line
}

// Summary sizing: at least one entry per minBlock bytes, at most
// maxSummary entries; a head keeps enough of a line to order any
// realistic key.
const (
	maxSummary = 8192
	minBlock   = 16 << 10
	maxHead    = 2048
	probeSize  = 4096
)

// OpenFile samples the sorted index in ra (size bytes long) for lookups.
// It costs up to maxSummary small reads; a file under 16 KiB costs none.
func OpenFile(ra io.ReaderAt, size int64) (*File, error) {
	f := &File{ra: ra, size: size}
	if size < 0 {
		return nil, fmt.Errorf("cdxj: open: negative size %d", size)
	}
	n := size / minBlock
	if n > maxSummary {
		n = maxSummary
	}
	buf := make([]byte, probeSize)
	for i := int64(1); i < n; i++ {
		e, ok, err := f.probe(size*i/n, buf)
		if err != nil {
			return nil, err
		}
		if !ok || (len(f.summary) > 0 && f.summary[len(f.summary)-1].off >= e.off) {
			continue
		}
		f.summary = append(f.summary, e)
	}
	// One buffer fill should usually cover the scan from a summary entry to
	// the first match: about one block, within 4–64 KiB.
	f.bufSize = 4 << 10
	if n > 0 {
		f.bufSize = int(min(max(size/n+512, 4<<10), 64<<10))
	}
	return f, nil
}

// Size is the file size given to OpenFile.
func (f *File) Size() int64 { return f.size }

func (f *File) errorf(off int64, format string, args ...any) error {
	return &LineError{File: f.Name, Offset: off, Err: fmt.Errorf(format, args...)}
}

// probe finds the first line starting at or after off and reads its head,
// with one read when the line is short (the usual case).
func (f *File) probe(off int64, buf []byte) (summaryEntry, bool, error) {
	n, err := f.ra.ReadAt(buf, off-1)
	if err != nil && err != io.EOF {
		return summaryEntry{}, false, f.errorf(off-1, "read: %w", err)
	}
	chunk := buf[:n]
	if i := bytes.IndexByte(chunk, '\n'); i >= 0 {
		rest := chunk[i+1:]
		if j := bytes.IndexByte(rest, '\n'); j >= 0 && j <= maxHead {
			head := bytes.TrimSuffix(rest[:j], []byte{'\r'})
			return summaryEntry{off: off + int64(i), head: string(head)}, true, nil
		}
	}
	start, err := f.nextLineStart(off, buf)
	if err != nil || start < 0 {
		return summaryEntry{}, false, err
	}
	head, cut, err := f.readHead(start, buf)
	if err != nil {
		return summaryEntry{}, false, err
	}
	return summaryEntry{off: start, head: head, cut: cut}, true, nil
}

// nextLineStart returns the offset of the first line starting at or after
// off (off itself if the byte before it is '\n'), or -1 if none.
func (f *File) nextLineStart(off int64, buf []byte) (int64, error) {
	pos := off - 1
	for pos < f.size {
		n, err := f.ra.ReadAt(buf, pos)
		if i := bytes.IndexByte(buf[:n], '\n'); i >= 0 {
			if pos+int64(i)+1 >= f.size {
				return -1, nil
			}
			return pos + int64(i) + 1, nil
		}
		if err != nil && err != io.EOF {
			return 0, f.errorf(pos, "read: %w", err)
		}
		if n == 0 {
			break
		}
		pos += int64(n)
	}
	return -1, nil
}

func (f *File) readHead(start int64, buf []byte) (string, bool, error) {
	var head []byte
	for pos := start; len(head) < maxHead; {
		n, err := f.ra.ReadAt(buf, pos)
		chunk := buf[:n]
		if i := bytes.IndexByte(chunk, '\n'); i >= 0 {
			head = append(head, chunk[:i]...)
			return trimHead(head)
		}
		head = append(head, chunk...)
		if err == io.EOF || n == 0 {
			return trimHead(head)
		}
		if err != nil {
			return "", false, f.errorf(pos, "read: %w", err)
		}
		pos += int64(n)
	}
	return string(head[:maxHead]), true, nil
}

func trimHead(h []byte) (string, bool, error) {
	if len(h) > maxHead {
		return string(h[:maxHead]), true, nil
	}
	return string(bytes.TrimSuffix(h, []byte{'\r'})), false, nil
}

// searchRange is the byte range [lo, hi) of lines a lookup scans and the
// filter its lines must pass.
type searchRange struct {
	lo, hi string
	keep   func(key string) bool
}

func makeRange(key string, match MatchType) (searchRange, error) {
	switch match {
	case MatchExact:
		return searchRange{lo: key + " ", hi: key + "!", keep: func(k string) bool { return k == key }}, nil
	case MatchPrefix:
		return searchRange{lo: key, hi: prefixEnd(key), keep: func(k string) bool { return strings.HasPrefix(k, key) }}, nil
	case MatchHost, MatchDomain:
		host := key
		if i := strings.Index(host, ")/"); i >= 0 {
			host = host[:i]
		} else if i := strings.IndexByte(host, ')'); i >= 0 {
			host = host[:i]
		}
		if match == MatchHost {
			p := host + ")"
			return searchRange{lo: p, hi: prefixEnd(p), keep: func(k string) bool { return strings.HasPrefix(k, p) }}, nil
		}
		lo := host + ")/"
		if !strings.Contains(host, ",") {
			lo = host + ","
		}
		return searchRange{lo: lo, hi: host + "-", keep: func(k string) bool {
			if !strings.HasPrefix(k, host) || len(k) == len(host) {
				return false
			}
			c := k[len(host)]
			return c == ',' || (c == ')' && lo[len(host)] == ')')
		}}, nil
	}
	return searchRange{}, fmt.Errorf("cdxj: unknown match type %d", int(match))
}

// prefixEnd is the smallest string greater than every string with prefix
// p, or "" (no bound) if there is none.
func prefixEnd(p string) string {
	b := []byte(p)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xff {
			b[i]++
			return string(b[:i+1])
		}
	}
	return ""
}

// startOffset is where scanning for lo begins: the last summary line
// known to sort before lo (every line before it does too).
func (f *File) startOffset(lo string) int64 {
	i := sort.Search(len(f.summary), func(i int) bool {
		e := f.summary[i]
		if e.cut && strings.HasPrefix(lo, e.head) {
			return true // cannot tell: treat as not before lo
		}
		return e.head >= lo
	})
	if i == 0 {
		return 0
	}
	return f.summary[i-1].off
}

// Lookup yields, in file order, the lines matching key under match. key
// is a SURT key as SURT builds it (for MatchHost and MatchDomain the part
// before ")" is used). A malformed line in the range is yielded as a
// *LineError and the scan goes on; a read error or a cancelled ctx is
// yielded last. Classic CDX header lines are skipped.
func (f *File) Lookup(ctx context.Context, key string, match MatchType) iter.Seq2[Line, error] {
	return f.LookupBetween(ctx, key, match, "", "")
}

// LookupBetween is Lookup limited to timestamps from..to, both inclusive
// and both possibly partial as pywb takes them ("2010" to "2011" is every
// capture of 2010 and 2011); an empty bound is open. For MatchExact the
// bounds also narrow the scan, so a page captured a million times costs no
// more than one captured once.
func (f *File) LookupBetween(ctx context.Context, key string, match MatchType, from, to string) iter.Seq2[Line, error] {
	return func(yield func(Line, error) bool) {
		r, err := makeRange(key, match)
		if err != nil {
			yield(Line{}, err)
			return
		}
		toEnd := ""
		if to != "" {
			toEnd = prefixEnd(to)
		}
		inTime := func(ts string) bool { return ts >= from && (toEnd == "" || ts < toEnd) }
		if match == MatchExact {
			r.lo = key + " " + from
			if toEnd != "" {
				r.hi = key + " " + toEnd
			}
		}
		start := f.startOffset(r.lo)
		section := io.NewSectionReader(f.ra, start, f.size-start)
		br, _ := f.readers.Get().(*bufio.Reader)
		if br == nil {
			br = bufio.NewReaderSize(section, f.bufSize)
		} else {
			br.Reset(section)
		}
		defer func() {
			br.Reset(nil)
			f.readers.Put(br)
		}()
		off := start
		var long []byte
		for n := 0; ; n++ {
			if n&1023 == 1023 {
				if err := ctx.Err(); err != nil {
					yield(Line{}, fmt.Errorf("cdxj: lookup %q: %w", key, err))
					return
				}
			}
			line, err := readLine(br, &long)
			if err != nil && err != io.EOF {
				yield(Line{}, f.errorf(off, "read: %w", err))
				return
			}
			if len(line) == 0 {
				return
			}
			lineOff := off
			off += int64(len(line))
			text := bytes.TrimRight(line, "\r\n")
			if r.hi != "" && string(text) >= r.hi {
				return
			}
			if string(text) >= r.lo {
				l, perr := Parse(text)
				switch {
				case errors.Is(perr, ErrHeader):
				case perr != nil:
					if !yield(Line{}, &LineError{File: f.Name, Offset: lineOff, Err: perr}) {
						return
					}
				case r.keep(l.Key) && inTime(l.Timestamp):
					if !yield(l, nil) {
						return
					}
				}
			}
			if err == io.EOF {
				return
			}
		}
	}
}
