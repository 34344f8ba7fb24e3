package warc

import (
	"errors"
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
	r := newReaderSize(sr, file, Options{}, recordBuffer)
	r.single = true
	rec, err := r.Next()
	if err == io.EOF {
		return nil, fmt.Errorf("read record at %d in %q: %w", off, file, io.ErrUnexpectedEOF)
	}
	var re *RecordError
	if errors.As(err, &re) {
		// Offsets inside the section count from the record: make them the file's.
		return nil, &RecordError{File: file, Offset: off + re.Offset, Err: re.Err}
	}
	if err != nil {
		return nil, fmt.Errorf("read record at %d: %w", off, err)
	}
	rec.Offset = off
	return rec, nil
}
