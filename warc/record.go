// Package warc reads WARC and ARC files as other tools write them: every
// record with its file, offset and on-disk size, its header fields, and an
// HTTP view of its block. It mends, in one place, what real files get wrong
// (wget's <uri>, CR CR LF line ends, whole-file gzip, missing blank lines,
// truncated members) and reports what it cannot mend as *RecordError.
package warc

import (
	"bytes"
	"io"
	"strings"
	"time"
)

// Field is one header field as it appears in the record.
type Field struct {
	Name  string
	Value string
}

// Header is a record's header fields in file order. Names keep their
// original case; lookups ignore it.
type Header []Field

// Get returns the first value of the named field, or "".
func (h Header) Get(name string) string {
	for _, f := range h {
		if strings.EqualFold(f.Name, name) {
			return f.Value
		}
	}
	return ""
}

// Has reports whether the named field is present, even with an empty value.
func (h Header) Has(name string) bool {
	for _, f := range h {
		if strings.EqualFold(f.Name, name) {
			return true
		}
	}
	return false
}

// Values returns every value of the named field in order.
func (h Header) Values(name string) []string {
	var vs []string
	for _, f := range h {
		if strings.EqualFold(f.Name, name) {
			vs = append(vs, f.Value)
		}
	}
	return vs
}

// Names of the header fields the project reads.
const (
	FieldType            = "WARC-Type"
	FieldRecordID        = "WARC-Record-ID"
	FieldDate            = "WARC-Date"
	FieldTargetURI       = "WARC-Target-URI"
	FieldContentLength   = "Content-Length"
	FieldContentType     = "Content-Type"
	FieldBlockDigest     = "WARC-Block-Digest"
	FieldPayloadDigest   = "WARC-Payload-Digest"
	FieldConcurrentTo    = "WARC-Concurrent-To"
	FieldRefersTo        = "WARC-Refers-To"
	FieldRefersToTarget  = "WARC-Refers-To-Target-URI"
	FieldRefersToDate    = "WARC-Refers-To-Date"
	FieldProfile         = "WARC-Profile"
	FieldIPAddress       = "WARC-IP-Address"
	FieldTruncated       = "WARC-Truncated"
	FieldWarcinfoID      = "WARC-Warcinfo-ID"
	FieldSegmentNumber   = "WARC-Segment-Number"
	FieldSegmentOriginID = "WARC-Segment-Origin-ID"
)

// ProfileIdenticalPayloadDigest is the WARC-Profile of a revisit record
// whose payload is identical to the one it refers to (WARC 1.1).
const ProfileIdenticalPayloadDigest = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"

// Record is one WARC (or ARC) record. Body streams the block and is valid
// until the next call to the Reader's Next.
type Record struct {
	// File is the path given to Open, or "" for a stream.
	File string
	// Offset is where the record starts in the file: the start of its gzip
	// member when the file is compressed.
	Offset int64
	// Size is the record's length on disk (its gzip member's compressed
	// length). It is set once the reader has moved past the record (the
	// next call to Next, or the end of the file); ReadAt always sets it.
	Size int64
	// Addressable is false when Offset cannot be used for random access:
	// the record sits inside a gzip member that holds other records too.
	Addressable bool
	// Version is "WARC/1.0", "WARC/1.1", "WARC/0.17", … as written, or "ARC".
	Version string
	Header  Header
	// ContentLength is the length of the block as declared.
	ContentLength int64
	// Body is the record block, ContentLength bytes unless the file is cut.
	Body io.Reader

	// MissingTrailer is set, once the reader has moved past the record,
	// when the block was not followed by the CRLF CRLF the format requires.
	MissingTrailer bool

	// arcHTTP tells the HTTP view that an ARC block is an HTTP response.
	arcHTTP bool
}

// Type returns the lower-case WARC-Type.
func (r *Record) Type() string { return strings.ToLower(strings.TrimSpace(r.Header.Get(FieldType))) }

// ID returns the WARC-Record-ID, angle brackets included.
func (r *Record) ID() string { return r.Header.Get(FieldRecordID) }

// ContentType returns the record's Content-Type field.
func (r *Record) ContentType() string { return r.Header.Get(FieldContentType) }

// TargetURI returns WARC-Target-URI, mending wget 1.14–1.19's "<uri>" and
// percent-encoding spaces as warcio does.
func (r *Record) TargetURI() string { return CleanURI(r.Header.Get(FieldTargetURI)) }

// CleanURI mends the forms of a target URI found in real files.
func CleanURI(u string) string {
	u = strings.TrimSpace(u)
	if len(u) >= 2 && u[0] == '<' && u[len(u)-1] == '>' {
		u = u[1 : len(u)-1]
	}
	if strings.ContainsAny(u, " \t") {
		u = strings.NewReplacer(" ", "%20", "\t", "%09").Replace(u)
	}
	return u
}

// Date returns WARC-Date, or the zero time if it is missing or unreadable.
func (r *Record) Date() time.Time {
	t, _ := ParseDate(r.Header.Get(FieldDate))
	return t
}

// IsHTTP reports whether the block holds an HTTP message: application/http
// content, an ARC record of an http(s) URL, or a request/response/revisit of
// an http(s) URI that does not say otherwise.
func (r *Record) IsHTTP() bool {
	if r.arcHTTP {
		return true
	}
	ct := strings.ToLower(r.ContentType())
	if strings.HasPrefix(ct, "application/http") {
		return true
	}
	switch r.Type() {
	case "response", "request", "revisit":
		if ct == "" {
			u := strings.ToLower(r.TargetURI())
			return strings.HasPrefix(u, "http:") || strings.HasPrefix(u, "https:")
		}
	}
	return false
}

// dateLayouts are the WARC-Date forms seen in real files: WARC 1.1 allows
// fractions; 0.17 files and some writers omit the zone or use other forms.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02Z07:00",
	"2006-01-02",
	"2006-01Z07:00",
	"2006-01",
	"2006",
	"20060102150405",
}

// ParseDate parses a WARC-Date (W3C-DTF) or a 14-digit ARC date.
func ParseDate(s string) (time.Time, error) {
	// jwat's tests hold lower-case 't' and 'z', which readers accept.
	s = strings.ToUpper(strings.TrimSpace(s))
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	// ARC dates are sometimes longer than 14 digits (bad.arc); keep the first 14.
	if len(s) > 14 && isDigits(s) {
		if t, err := time.Parse("20060102150405", s[:14]); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, &time.ParseError{Layout: time.RFC3339, Value: s, Message: ": not a WARC date"}
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// trimEOL removes every trailing CR and LF, which also mends CR CR LF ends.
func trimEOL(b []byte) []byte {
	return bytes.TrimRight(b, "\r\n")
}
