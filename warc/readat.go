package warc

import (
	"fmt"
	"io"
)

// ReadAt reads the one record that starts at off (an offset from a CDXJ
// index). Its Size is left 0: the index knows it. Body stays readable until
// the caller is done with the record.
func ReadAt(ra io.ReaderAt, off int64) (*Record, error) {
	return ReadAtFile(ra, off, "")
}

// ReadAtFile is ReadAt with the file name to put in records and errors.
func ReadAtFile(ra io.ReaderAt, off int64, file string) (*Record, error) {
	sr := io.NewSectionReader(ra, off, 1<<62)
	r := newReader(sr, file, Options{})
	r.single = true
	rec, err := r.Next()
	if err == io.EOF {
		return nil, fmt.Errorf("read record at %d in %q: %w", off, file, io.ErrUnexpectedEOF)
	}
	if err != nil {
		return nil, fmt.Errorf("read record at %d: %w", off, err)
	}
	rec.Offset = off
	return rec, nil
}
