package cdxj

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ErrSyntax reports a line that is neither CDXJ nor classic CDX.
var ErrSyntax = errors.New("cdxj: malformed line")

// ErrHeader reports a classic CDX header line (" CDX N b a m s k r M S V g"),
// which carries no capture; readers skip it.
var ErrHeader = errors.New("cdxj: CDX header line")

// Line is one index entry. The JSON block holds URL through RequestBody in
// the order warcio.js writes them, then Extra.
type Line struct {
	Key       string // SURT key, see SURT
	Timestamp string // normally 14 digits, see Timestamp

	URL      string
	Mime     string // "warc/revisit" for revisits
	Status   string // HTTP status as written, e.g. "200"; empty if none
	Digest   string // payload digest without the "sha1:" label
	Length   int64  // bytes of the (compressed) record in the WARC
	Offset   int64  // where the record starts in the WARC
	Filename string

	// Method and RequestBody are set for non-GET captures, whose Key has
	// the body folded in (see RequestQuery).
	Method      string
	RequestBody string

	// Extra holds any other members of the JSON block, in the order read.
	Extra []Field

	// present records fields Parse saw, so that Format writes back an
	// empty "status":"" or leaves out a missing "length" exactly as read.
	present fieldSet
	absent  fieldSet
}

// Field is one extra JSON member; Value is raw JSON.
type Field struct {
	Name  string
	Value json.RawMessage
}

type fieldSet uint16

const (
	fURL fieldSet = 1 << iota
	fMime
	fStatus
	fDigest
	fLength
	fOffset
	fFilename
	fMethod
	fRequestBody
)

// Time parses Timestamp (see parseTimestamp).
func (l *Line) Time() (time.Time, error) { return parseTimestamp(l.Timestamp) }

// Parse reads one index line, with or without its trailing newline:
//   - CDXJ: "key timestamp {json}" as warcio.js (compact JSON) and pywb
//     (", "-separated JSON) write it; the key may contain spaces (warcio.js
//     leaves non-http URIs such as "file:///a b.png" as they are); length,
//     offset and status may be JSON strings or numbers;
//   - classic CDX as OutbackCDX and pywb serve it: 11 space-separated fields
//     "urlkey timestamp url mime status digest redirect robotflags length
//     offset filename" or the 9-field form without robotflags and length;
//     "-" stands for empty. The redirect and robotflags fields go to Extra.
//
// A CDX header line gives ErrHeader; anything else unreadable wraps ErrSyntax.
func Parse(line []byte) (Line, error) {
	line = bytes.TrimRight(line, "\r\n")
	if len(line) == 0 {
		return Line{}, fmt.Errorf("%w: empty line", ErrSyntax)
	}
	if bytes.HasPrefix(line, []byte(" CDX")) {
		return Line{}, ErrHeader
	}
	trimmed := bytes.TrimRight(line, " \t")
	if js := jsonStart(trimmed); js >= 0 {
		return parseCDXJ(trimmed, js)
	}
	return parseCDX(line)
}

// jsonStart finds where the JSON block begins: the first " {" that follows
// an all-digit timestamp token, or failing that the first " {" with a
// space-separated token before it. -1 if the line does not end in '}'.
func jsonStart(line []byte) int {
	if len(line) == 0 || line[len(line)-1] != '}' {
		return -1
	}
	first := -1
	for i := 1; i < len(line); i++ {
		if line[i] != '{' || line[i-1] != ' ' {
			continue
		}
		sp := bytes.LastIndexByte(line[:i-1], ' ')
		if sp <= 0 {
			continue
		}
		ts := line[sp+1 : i-1]
		if len(ts) > 0 && allDigits(ts) {
			return i
		}
		if first < 0 {
			first = i
		}
	}
	return first
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func parseCDXJ(line []byte, js int) (Line, error) {
	head := line[:js-1]
	sp := bytes.LastIndexByte(head, ' ')
	l := Line{Key: string(head[:sp]), Timestamp: string(head[sp+1:])}
	if l.Key == "" {
		return Line{}, fmt.Errorf("%w: empty key", ErrSyntax)
	}
	l.absent = fLength | fOffset
	if err := parseObject(line[js:], l.setField); err != nil {
		return Line{}, err
	}
	return l, nil
}

// setField stores one JSON member; known names with a string, number or
// null value go to their field, everything else to Extra.
func (l *Line) setField(name string, raw json.RawMessage) error {
	var bit fieldSet
	var dst *string
	var num *int64
	switch name {
	case "url":
		bit, dst = fURL, &l.URL
	case "mime":
		bit, dst = fMime, &l.Mime
	case "status":
		bit, dst = fStatus, &l.Status
	case "digest":
		bit, dst = fDigest, &l.Digest
	case "length":
		bit, num = fLength, &l.Length
	case "offset":
		bit, num = fOffset, &l.Offset
	case "filename":
		bit, dst = fFilename, &l.Filename
	case "method":
		bit, dst = fMethod, &l.Method
	case "requestBody":
		bit, dst = fRequestBody, &l.RequestBody
	default:
		l.Extra = append(l.Extra, Field{Name: name, Value: raw})
		return nil
	}
	s, isNull, ok := scalarString(raw)
	if !ok {
		l.Extra = append(l.Extra, Field{Name: name, Value: raw})
		return nil
	}
	if isNull {
		return nil
	}
	if num != nil {
		if s == "" || s == "-" {
			return nil // stays absent
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			return fmt.Errorf("%w: %s %q is not a byte count", ErrSyntax, name, s)
		}
		*num = n
		l.absent &^= bit
		return nil
	}
	*dst = s
	l.present |= bit
	return nil
}

// scalarString returns a JSON string's value or a number's text.
func scalarString(raw json.RawMessage) (s string, isNull, ok bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", false, false
	}
	switch raw[0] {
	case '"':
		s, end, err := readJSONString(raw, 0)
		if err != nil || end != len(raw) {
			return "", false, false
		}
		return s, false, true
	case 'n':
		return "", true, string(raw) == "null"
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return string(raw), false, true
	}
	return "", false, false
}

func parseCDX(line []byte) (Line, error) {
	f := strings.Fields(string(line))
	dash := func(s string) string {
		if s == "-" {
			return ""
		}
		return s
	}
	var l Line
	var length, offset, filename, redirect, robots string
	switch len(f) {
	case 11:
		redirect, robots, length, offset, filename = f[6], f[7], f[8], f[9], f[10]
	case 9:
		redirect, offset, filename = f[6], f[7], f[8]
		length = "-"
	default:
		return Line{}, fmt.Errorf("%w: %d space-separated fields, want CDXJ, 9 or 11", ErrSyntax, len(f))
	}
	l.Key, l.Timestamp = f[0], f[1]
	l.URL, l.Mime, l.Status, l.Digest, l.Filename = dash(f[2]), dash(f[3]), dash(f[4]), dash(f[5]), dash(filename)
	l.absent = fLength | fOffset
	for _, x := range []struct {
		name, v string
	}{{"length", length}, {"offset", offset}} {
		if x.v == "-" {
			continue
		}
		raw, _ := json.Marshal(x.v)
		if err := l.setField(x.name, raw); err != nil {
			return Line{}, err
		}
	}
	for _, x := range []struct{ name, v string }{{"redirect", redirect}, {"robotflags", robots}} {
		if v := dash(x.v); v != "" {
			raw := appendJSString(nil, v)
			l.Extra = append(l.Extra, Field{Name: x.name, Value: raw})
		}
	}
	return l, nil
}

// String returns the line as Format writes it, without a newline.
func (l *Line) String() string { return string(l.AppendTo(nil)) }

// Format is String.
func (l *Line) Format() string { return l.String() }

// AppendTo appends the line, without a newline, exactly as warcio.js
// writes it: "key timestamp " and a compact JSON block with url, mime,
// status, digest, length, offset, filename, method, requestBody (strings;
// empty ones left out unless Parse read them) and then Extra.
func (l *Line) AppendTo(b []byte) []byte {
	b = append(b, l.Key...)
	b = append(b, ' ')
	b = append(b, l.Timestamp...)
	b = append(b, " {"...)
	first := true
	str := func(name, v string, bit fieldSet) {
		if v == "" && l.present&bit == 0 {
			return
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendJSString(b, name)
		b = append(b, ':')
		b = appendJSString(b, v)
	}
	num := func(name string, v int64, bit fieldSet) {
		if l.absent&bit != 0 {
			return
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendJSString(b, name)
		b = append(b, ":\""...)
		b = strconv.AppendInt(b, v, 10)
		b = append(b, '"')
	}
	str("url", l.URL, fURL)
	str("mime", l.Mime, fMime)
	str("status", l.Status, fStatus)
	str("digest", l.Digest, fDigest)
	num("length", l.Length, fLength)
	num("offset", l.Offset, fOffset)
	str("filename", l.Filename, fFilename)
	str("method", l.Method, fMethod)
	str("requestBody", l.RequestBody, fRequestBody)
	for _, f := range l.Extra {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendJSString(b, f.Name)
		b = append(b, ':')
		b = appendCompactJSON(b, f.Value)
	}
	return append(b, '}')
}

// appendCompactJSON appends raw JSON without insignificant whitespace, as
// JSON.stringify would write the value; invalid JSON is written as a string
// so the line stays parseable.
func appendCompactJSON(b []byte, raw json.RawMessage) []byte {
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil || buf.Len() == 0 {
		return appendJSString(b, string(raw))
	}
	return append(b, buf.Bytes()...)
}

const lowerHex = "0123456789abcdef"

// appendJSString appends s as JSON.stringify quotes it: only '"', '\' and
// control characters are escaped (not '<', '>', '&' or U+2028 as Go's
// encoding/json does); invalid UTF-8 becomes U+FFFD.
func appendJSString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				b = append(b, "\uFFFD"...)
			} else {
				b = append(b, s[i:i+n]...)
			}
			i += n
			continue
		}
		switch c {
		case '"':
			b = append(b, '\\', '"')
		case '\\':
			b = append(b, '\\', '\\')
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			if c < 0x20 {
				b = append(b, '\\', 'u', '0', '0', lowerHex[c>>4], lowerHex[c&15])
			} else {
				b = append(b, c)
			}
		}
		i++
	}
	return append(b, '"')
}
