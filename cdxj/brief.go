package cdxj

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
)

// Brief is the part of an index line a pass over a whole collection's
// index needs (where each record is and what it holds): ParseBrief reads
// these members of the JSON block and steps over the others without
// decoding them, and allocates nothing for a line without escapes. Its
// byte slices point into the line (or into the Brief's own buffer for a
// value with escapes): they are valid until the line's buffer or the
// Brief is reused. Fields are as Line's, the same bytes Parse gives.
type Brief struct {
	Key, Timestamp                      []byte
	URL, Mime, Status, Digest, Filename []byte
	Length, Offset                      int64 // -1 when absent

	buf []byte // decoded values with escapes
}

// IsRevisit reports whether the line is a revisit record's.
func (b *Brief) IsRevisit() bool { return string(b.Mime) == "warc/revisit" }

// ParseBrief reads a line as Parse does, accepting and refusing the same
// lines (a CDX header gives ErrHeader), into b.
func ParseBrief(line []byte, b *Brief) error {
	buf := b.buf[:0]
	*b = Brief{Length: -1, Offset: -1, buf: buf}
	line = bytes.TrimRight(line, "\r\n")
	if len(line) == 0 {
		return fmt.Errorf("%w: empty line", ErrSyntax)
	}
	if bytes.HasPrefix(line, []byte(" CDX")) {
		return ErrHeader
	}
	trimmed := bytes.TrimRight(line, " \t")
	js := jsonStart(trimmed)
	if js < 0 {
		// Classic CDX: rare in collections' indexes, read by Parse.
		l, err := parseCDX(line)
		if err != nil {
			return err
		}
		b.fromLine(&l)
		return nil
	}
	head := trimmed[:js-1]
	sp := bytes.LastIndexByte(head, ' ')
	b.Key, b.Timestamp = head[:sp], head[sp+1:]
	return b.scanObject(trimmed[js:])
}

// fromLine copies a parsed line's fields into b.
func (b *Brief) fromLine(l *Line) {
	for _, f := range []struct {
		dst *[]byte
		s   string
	}{{&b.Key, l.Key}, {&b.Timestamp, l.Timestamp}, {&b.URL, l.URL}, {&b.Mime, l.Mime}, {&b.Status, l.Status}, {&b.Digest, l.Digest}, {&b.Filename, l.Filename}} {
		start := len(b.buf)
		b.buf = append(b.buf, f.s...)
		*f.dst = b.buf[start:len(b.buf):len(b.buf)]
	}
	if l.absent&fLength == 0 {
		b.Length = l.Length
	}
	if l.absent&fOffset == 0 {
		b.Offset = l.Offset
	}
}

// scanObject reads the JSON block as parseObject and setField do, keeping
// only Brief's members.
func (b *Brief) scanObject(s []byte) error {
	i := skipWS(s, 0)
	if i >= len(s) || s[i] != '{' {
		return fmt.Errorf("%w: JSON block does not start with '{'", ErrSyntax)
	}
	i = skipWS(s, i+1)
	if i < len(s) && s[i] == '}' {
		return trailing(s, i+1)
	}
	for {
		if i >= len(s) || s[i] != '"' {
			return fmt.Errorf("%w: JSON block: member name expected at byte %d", ErrSyntax, i)
		}
		nameEnd, esc, err := skipJSONString(s, i)
		if err != nil {
			return err
		}
		name := s[i+1 : nameEnd-1]
		if esc {
			n, _, _ := readJSONString(s, i)
			name = []byte(n)
		}
		i = skipWS(s, nameEnd)
		if i >= len(s) || s[i] != ':' {
			return fmt.Errorf("%w: JSON block: ':' expected at byte %d", ErrSyntax, i)
		}
		i = skipWS(s, i+1)
		end, err := b.member(name, s, i)
		if err != nil {
			return err
		}
		i = skipWS(s, end)
		if i >= len(s) {
			return fmt.Errorf("%w: JSON block not closed", ErrSyntax)
		}
		switch s[i] {
		case ',':
			i = skipWS(s, i+1)
		case '}':
			return trailing(s, i+1)
		default:
			return fmt.Errorf("%w: JSON block: ',' or '}' expected at byte %d", ErrSyntax, i)
		}
	}
}

// member reads the value at s[i] of member name and returns its end.
func (b *Brief) member(name, s []byte, i int) (int, error) {
	var dst *[]byte
	var num *int64
	switch string(name) {
	case "url":
		dst = &b.URL
	case "mime":
		dst = &b.Mime
	case "status":
		dst = &b.Status
	case "digest":
		dst = &b.Digest
	case "filename":
		dst = &b.Filename
	case "length":
		num = &b.Length
	case "offset":
		num = &b.Offset
	}
	if i >= len(s) {
		return 0, fmt.Errorf("%w: JSON value expected", ErrSyntax)
	}
	var val []byte
	var end int
	switch c := s[i]; {
	case c == '"':
		e, esc, err := skipJSONString(s, i)
		if err != nil {
			return 0, err
		}
		end, val = e, s[i+1:e-1]
		if esc && (dst != nil || num != nil) {
			v, _, _ := readJSONString(s, i)
			start := len(b.buf)
			b.buf = append(b.buf, v...)
			val = b.buf[start:len(b.buf):len(b.buf)]
		}
	case c == '{' || c == '[':
		// Nested values are never Brief's (setField puts them in Extra).
		return valueEnd(s, i)
	default:
		e, err := valueEnd(s, i)
		if err != nil {
			return 0, err
		}
		end = e
		if c == 't' || c == 'f' {
			return end, nil // true/false: Extra, as setField does
		}
		if c == 'n' {
			return end, nil // null: the field stays as it was
		}
		val = s[i:e]
	}
	switch {
	case dst != nil:
		*dst = val
	case num != nil:
		if len(val) == 0 || string(val) == "-" {
			return end, nil // stays absent
		}
		n, err := strconv.ParseInt(string(val), 10, 64)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("%w: %s %q is not a byte count", ErrSyntax, name, val)
		}
		*num = n
	}
	return end, nil
}

// skipJSONString returns the end of the JSON string at s[i] == '"' (after
// its closing quote) and whether it has escapes, refusing what
// readJSONString refuses, without decoding it.
func skipJSONString(s []byte, i int) (end int, esc bool, err error) {
	j := i + 1
	for j < len(s) {
		c := s[j]
		switch {
		case c == '"':
			return j + 1, esc, nil
		case c < 0x20:
			return 0, false, fmt.Errorf("%w: control character in JSON string at byte %d", ErrSyntax, j)
		case c != '\\':
			j++
			continue
		}
		esc = true
		if j+1 >= len(s) {
			break
		}
		switch s[j+1] {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			j += 2
		case 'u':
			if _, ok := hex4(s, j+2); !ok {
				return 0, false, fmt.Errorf("%w: bad \\u escape at byte %d", ErrSyntax, j)
			}
			j += 6
		default:
			return 0, false, fmt.Errorf("%w: bad escape at byte %d", ErrSyntax, j)
		}
	}
	return 0, false, fmt.Errorf("%w: unterminated JSON string at byte %d", ErrSyntax, i)
}

// Briefs reads an index sequentially as Lines does (malformed lines as
// *LineError, reading goes on; CDX headers and blank lines skipped), giving
// each line as a Brief that is valid until the next one.
func Briefs(ctx context.Context, r io.Reader, name string) iter.Seq2[*Brief, error] {
	return func(yield func(*Brief, error) bool) {
		br := bufio.NewReaderSize(r, 64<<10)
		var off int64
		var long []byte
		var b Brief
		for n := 0; ; n++ {
			if n&1023 == 0 {
				if err := ctx.Err(); err != nil {
					yield(nil, fmt.Errorf("cdxj: read %s: %w", name, err))
					return
				}
			}
			line, err := readLine(br, &long)
			if err != nil && err != io.EOF {
				yield(nil, &LineError{File: name, Offset: off, Err: err})
				return
			}
			lineOff := off
			off += int64(len(line))
			if len(bytes.TrimSpace(line)) > 0 {
				perr := ParseBrief(line, &b)
				switch {
				case errors.Is(perr, ErrHeader):
				case perr != nil:
					if !yield(nil, &LineError{File: name, Offset: lineOff, Err: perr}) {
						return
					}
				default:
					if !yield(&b, nil) {
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
