package warc

import (
	"errors"
	"fmt"
)

// Sentinel causes carried inside *RecordError.
var (
	ErrNotWARC          = errors.New("warc: not a WARC or ARC record")
	ErrBadContentLength = errors.New("warc: missing or invalid Content-Length")
	ErrTruncated        = errors.New("warc: record truncated (file ends inside it)")
	ErrHeaderTooLong    = errors.New("warc: record header too long")
	ErrBadGzip          = errors.New("warc: corrupt gzip data")
	ErrTrailingGarbage  = errors.New("warc: bytes that are not a record")
	ErrNotHTTP          = errors.New("warc: block is not an HTTP message")
)

// RecordError is a problem with one record, located by file and offset.
// The reader reports it and resynchronises on the next record.
type RecordError struct {
	File   string
	Offset int64
	Err    error
	// Warning marks a problem readers routinely accept, the record being
	// yielded as far as the file holds it: an ARC file's last record
	// stopping short of its declared length (warcio's
	// example-space-in-url.arc, whose line ends were converted). Every
	// command reports it as a warning, not a failure.
	Warning bool
}

func (e *RecordError) Error() string {
	name := e.File
	if name == "" {
		name = "<stream>"
	}
	return fmt.Sprintf("%s: offset %d: %v", name, e.Offset, e.Err)
}

func (e *RecordError) Unwrap() error { return e.Err }
