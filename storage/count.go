package storage

import "io"

// CountingReader counts the bytes read through it, so that a parser under
// a buffered reader can tell the offset of what it reads in the file or
// range it came from.
type CountingReader struct {
	R io.Reader
	N int64
}

func (c *CountingReader) Read(p []byte) (int, error) {
	n, err := c.R.Read(p)
	c.N += int64(n)
	return n, err
}
