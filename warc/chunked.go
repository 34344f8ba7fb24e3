package warc

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strconv"
)

// dechunker removes chunked transfer coding. Like warcio, it is lenient: a
// body labelled chunked that is not (a common server bug) is passed through
// as it is from the first byte that does not parse, so no byte is lost.
type dechunker struct {
	br      *bufio.Reader
	left    int64 // bytes left in the current chunk
	raw     bool  // framing broke: pass the rest through
	done    bool
	pending []byte // bytes read while parsing a size line that failed
	started bool
	// Malformed is set when chunk data is not followed by CRLF: the
	// framing is wrong, even if it could be read.
	Malformed bool
	// Broken is set when the framing did not parse and the rest was passed
	// through unchanged.
	Broken bool
}

func newDechunker(r io.Reader) *dechunker {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 4096)
	}
	return &dechunker{br: br}
}

var errBadChunk = errors.New("bad chunk size line")

func (d *dechunker) Read(p []byte) (int, error) {
	if len(d.pending) > 0 {
		n := copy(p, d.pending)
		d.pending = d.pending[n:]
		return n, nil
	}
	if d.raw {
		return d.br.Read(p)
	}
	if d.done {
		return 0, io.EOF
	}
	for d.left == 0 {
		if d.started {
			// The CRLF that ends a chunk's data; tolerate a bare LF or none.
			if b, _ := d.br.Peek(2); bytes.HasPrefix(b, []byte("\r\n")) {
				_, _ = d.br.Discard(2)
			} else {
				d.Malformed = true
				if bytes.HasPrefix(b, []byte("\n")) {
					_, _ = d.br.Discard(1)
				}
			}
		}
		size, line, err := d.readSize()
		if err != nil {
			if err == io.EOF && d.started {
				// Cut before the last-chunk: end of what there is.
				d.done = true
				return 0, io.EOF
			}
			if err == errBadChunk {
				d.raw, d.Broken = true, true
				if d.started {
					d.Malformed = true
				}
				d.pending = line
				return d.Read(p)
			}
			return 0, err
		}
		d.started = true
		if size == 0 {
			d.done = true
			return 0, io.EOF
		}
		d.left = size
	}
	if int64(len(p)) > d.left {
		p = p[:d.left]
	}
	n, err := d.br.Read(p)
	d.left -= int64(n)
	if err == io.EOF && d.left > 0 {
		d.done = true
		if n > 0 {
			return n, nil
		}
		return 0, io.EOF
	}
	return n, err
}

// readSize reads a chunk-size line; on failure it returns the bytes it
// consumed so they can be passed through.
func (d *dechunker) readSize() (int64, []byte, error) {
	line, err := d.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		return 0, append([]byte(nil), line...), errBadChunk
	}
	if err != nil && len(line) == 0 {
		return 0, nil, err
	}
	keep := append([]byte(nil), line...)
	s := bytes.TrimSpace(line)
	if i := bytes.IndexByte(s, ';'); i >= 0 {
		s = bytes.TrimSpace(s[:i])
	}
	if len(s) == 0 || len(s) > 16 {
		return 0, keep, errBadChunk
	}
	n, perr := strconv.ParseInt(string(s), 16, 64)
	if perr != nil || n < 0 {
		return 0, keep, errBadChunk
	}
	return n, nil, nil
}
