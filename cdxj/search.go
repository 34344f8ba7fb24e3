package cdxj

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"
	"sync"

	"github.com/warcbox/warcbox/internal/ctxio"
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
// io.ReaderAt. Lookups bisect the file by byte offset: each step reads the
// first line after a midpoint (like the secondary index of pywb's ZipNum,
// but found on demand), down to a block of about size/maxSummary bytes that
// is then scanned. The lines read at the midpoints are remembered (the upper
// levels, up to maxSummary of them), so later lookups of a long
// session reuse them and cost one block read, as a summary built at open
// would, while opening costs nothing: for a remote index, where each read
// is a Range request, sampling the whole file at open cost about one
// request per 64 KiB before the first answer.
//
// A File is safe for concurrent lookups if its io.ReaderAt is (os.File is).
type File struct {
	// Name is used in errors; set it after OpenFile.
	Name string

	ra      io.ReaderAt
	size    int64
	block   int64 // bisection stops at spans this short
	bufSize int
	readers sync.Pool // *bufio.Reader of bufSize

	memoMu sync.RWMutex
	memo   map[int64]memoEntry // probe offset → first line at or after it
}

type summaryEntry struct {
	off  int64
	head string // the line's first bytes, at most maxHead
	cut  bool   // head is shorter than the line
}

type memoEntry struct {
	e  summaryEntry
	ok bool // false: no line starts at or after the probe offset
}

// Bisection sizing: spans shorter than minBlock (or size/maxSummary) are
// scanned, at most maxSummary probes are remembered; a head keeps enough
// of a line to order any realistic key.
const (
	maxSummary = 8192
	memoDepth  = 13 // levels remembered: 2^13-1 < maxSummary lines
	minBlock   = 16 << 10
	maxHead    = 2048
	probeSize  = 4096
)

// OpenFile prepares the sorted index in ra (size bytes long) for lookups.
// It reads nothing: the first lookup reads about log2(size/16 KiB) probes
// and one block.
func OpenFile(ra io.ReaderAt, size int64) (*File, error) {
	if size < 0 {
		return nil, fmt.Errorf("cdxj: open: negative size %d", size)
	}
	f := &File{ra: ra, size: size, block: max(size/maxSummary, minBlock), memo: map[int64]memoEntry{}}
	// One buffer fill should usually cover the scan from a probed line to
	// the first match: about one block, within 4–64 KiB.
	f.bufSize = int(min(max(f.block+512, 4<<10), 64<<10))
	return f, nil
}

// Size is the file size given to OpenFile.
func (f *File) Size() int64 { return f.size }

func (f *File) errorf(off int64, format string, args ...any) error {
	return &LineError{File: f.Name, Offset: off, Err: fmt.Errorf(format, args...)}
}

// probeMemo is probe, remembered for the upper levels of the bisection
// (depth counts from 0): those are what every lookup goes through, and
// 13 levels are 8,191 lines at most.
func (f *File) probeMemo(ra io.ReaderAt, off int64, depth int) (summaryEntry, bool, error) {
	f.memoMu.RLock()
	m, hit := f.memo[off]
	f.memoMu.RUnlock()
	if hit {
		return m.e, m.ok, nil
	}
	buf := make([]byte, probeSize)
	e, ok, err := f.probe(ra, off, buf)
	if err != nil {
		return e, ok, err
	}
	if depth < memoDepth {
		f.memoMu.Lock()
		f.memo[off] = memoEntry{e, ok}
		f.memoMu.Unlock()
	}
	return e, ok, nil
}

// probe finds the first line starting at or after off and reads its head,
// with one read when the line is short (the usual case).
func (f *File) probe(ra io.ReaderAt, off int64, buf []byte) (summaryEntry, bool, error) {
	n, err := ra.ReadAt(buf, off-1)
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
	start, err := f.nextLineStart(ra, off, buf)
	if err != nil || start < 0 {
		return summaryEntry{}, false, err
	}
	head, cut, err := f.readHead(ra, start, buf)
	if err != nil {
		return summaryEntry{}, false, err
	}
	return summaryEntry{off: start, head: head, cut: cut}, true, nil
}

// nextLineStart returns the offset of the first line starting at or after
// off (off itself if the byte before it is '\n'), or -1 if none.
func (f *File) nextLineStart(ra io.ReaderAt, off int64, buf []byte) (int64, error) {
	pos := off - 1
	for pos < f.size {
		n, err := ra.ReadAt(buf, pos)
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

func (f *File) readHead(ra io.ReaderAt, start int64, buf []byte) (string, bool, error) {
	var head []byte
	for pos := start; len(head) < maxHead; {
		n, err := ra.ReadAt(buf, pos)
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

// startOffset is where scanning for lo begins: the start of a line known
// to sort before lo (every line before it does too), or 0. The midpoints
// depend only on the file size, so lookups share (and remember) the upper
// levels of the bisection.
func (f *File) startOffset(ctx context.Context, lo string) (int64, error) {
	start, low, high := int64(0), int64(0), f.size
	ra := ctxio.Bind(ctx, f.ra)
	for depth := 0; high-low > f.block; depth++ {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		mid := low + (high-low)/2
		e, ok, err := f.probeMemo(ra, mid, depth)
		if err != nil {
			return 0, err
		}
		// A cut head that lo extends cannot be ordered: treat it as not
		// before lo.
		if ok && !(e.cut && strings.HasPrefix(lo, e.head)) && e.head < lo {
			start, low = e.off, mid
		} else {
			// Every line starting at or after mid sorts at or after lo.
			high = mid
		}
	}
	return start, nil
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
	return f.lookup(ctx, key, match, from, to, nil)
}

// Scan yields, in file order, every line whose bytes keep accepts (before
// they are parsed: a scan for a digest parses only the lines that hold
// it; a malformed line keep refuses is not reported).
func (f *File) Scan(ctx context.Context, keep func(line []byte) bool) iter.Seq2[Line, error] {
	return f.lookup(ctx, "", MatchPrefix, "", "", keep)
}

func (f *File) lookup(ctx context.Context, key string, match MatchType, from, to string, raw func([]byte) bool) iter.Seq2[Line, error] {
	return func(yield func(Line, error) bool) {
		m, err := newMatcher(key, match, from, to)
		if err != nil {
			yield(Line{}, err)
			return
		}
		m.raw = raw
		start, err := f.startOffset(ctx, m.lo)
		if err != nil {
			if ctx.Err() != nil {
				err = fmt.Errorf("cdxj: lookup %q: %w", key, err)
			}
			yield(Line{}, err)
			return
		}
		section := io.NewSectionReader(ctxio.Bind(ctx, f.ra), start, f.size-start)
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
		m.scan(ctx, br, f.Name, start, yield)
	}
}

// matcher is what one lookup wants: the lines in [lo, hi) that keep
// accepts, captured from..to.
type matcher struct {
	key string
	searchRange
	from, toEnd string
	raw         func(line []byte) bool // if set, lines it refuses are skipped unparsed
}

func newMatcher(key string, match MatchType, from, to string) (*matcher, error) {
	r, err := makeRange(key, match)
	if err != nil {
		return nil, err
	}
	m := &matcher{key: key, searchRange: r, from: from}
	if to != "" {
		m.toEnd = prefixEnd(to)
	}
	if match == MatchExact {
		// The bounds also narrow the scan, so a page captured a million
		// times costs no more than one captured once.
		m.lo = key + " " + from
		if m.toEnd != "" {
			m.hi = key + " " + m.toEnd
		}
	}
	return m, nil
}

func (m *matcher) inTime(ts string) bool {
	return ts >= m.from && (m.toEnd == "" || ts < m.toEnd)
}

// scan yields the matching lines read from br, whose first byte is at off
// of the file called name, until a line at or past hi. It reports whether
// the caller should go on (false: hi reached, yield declined, or an error
// was yielded).
func (m *matcher) scan(ctx context.Context, br *bufio.Reader, name string, off int64, yield func(Line, error) bool) bool {
	var long []byte
	for n := 0; ; n++ {
		if n&1023 == 1023 {
			if err := ctx.Err(); err != nil {
				yield(Line{}, fmt.Errorf("cdxj: lookup %q: %w", m.key, err))
				return false
			}
		}
		line, err := readLine(br, &long)
		if err != nil && err != io.EOF {
			yield(Line{}, &LineError{File: name, Offset: off, Err: fmt.Errorf("read: %w", err)})
			return false
		}
		if len(line) == 0 {
			return true
		}
		lineOff := off
		off += int64(len(line))
		text := bytes.TrimRight(line, "\r\n")
		if m.hi != "" && string(text) >= m.hi {
			return false
		}
		if string(text) >= m.lo && (m.raw == nil || m.raw(text)) {
			l, perr := Parse(text)
			switch {
			case errors.Is(perr, ErrHeader):
			case perr != nil:
				if !yield(Line{}, &LineError{File: name, Offset: lineOff, Err: perr}) {
					return false
				}
			case m.keep(l.Key) && m.inTime(l.Timestamp):
				if !yield(l, nil) {
					return false
				}
			}
		}
		if err == io.EOF {
			return true
		}
	}
}
