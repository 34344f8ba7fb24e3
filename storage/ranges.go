package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
)

// NewRangeReader returns bytes off to off+n of name with one request (an
// HTTP Range request, an S3 GetObject with a Range), read by the caller
// without read-ahead, so exactly those bytes are fetched: what reading the
// records an index names needs. A connection that breaks is resumed from
// the byte where it broke, as NewReader's are. A range past the end of the
// object is an error wrapping ErrShort, reported by NewRangeReader when
// the server says so at once, else by Read; fewer than n bytes never end
// the stream silently.
func (s *Store) NewRangeReader(ctx context.Context, name string, off, n int64) (io.ReadCloser, error) {
	if off < 0 || n < 0 {
		return nil, &Error{Op: "read", URL: Redact(name), Offset: off, Err: fmt.Errorf("%w: bad range of %d bytes", errPermanent, n)}
	}
	if KindOf(name) == Local {
		rc, err := OpenLocalRange(name, off, n)
		if errors.Is(err, ErrShort) {
			return nil, &Error{Op: "read", URL: name, Offset: off, Err: err}
		}
		return rc, err
	}
	r := &rangeReader{s: s, ctx: ctx, name: name, pos: off, end: off + n}
	if err := r.open(); err != nil {
		return nil, err
	}
	return r, nil
}

type rangeReader struct {
	s        *Store
	ctx      context.Context
	name     string
	pos, end int64
	body     io.ReadCloser
	cuts     int // connections in a row that ended early with no byte read
}

// open requests the bytes from pos to end.
func (r *rangeReader) open() error {
	return r.s.retry(r.ctx, "read", r.name, r.pos, func() (bool, error) {
		b, err := r.s.backend(r.ctx, r.name)
		if err != nil {
			return false, err
		}
		body, total, err := b.get(r.ctx, r.name, r.pos, r.end)
		if err != nil {
			return false, &Error{Offset: r.pos, Err: err}
		}
		if total >= 0 && r.end > total {
			body.Close()
			return false, &Error{Offset: r.pos, Err: fmt.Errorf("%w: bytes %d-%d of a %d-byte object", ErrShort, r.pos, r.end-1, total)}
		}
		r.body = body
		return false, nil
	})
}

func (r *rangeReader) Read(p []byte) (int, error) {
	if r.pos >= r.end {
		return 0, io.EOF
	}
	if int64(len(p)) > r.end-r.pos {
		p = p[:r.end-r.pos]
	}
	for {
		if r.body == nil {
			if err := r.open(); err != nil {
				return 0, err
			}
			r.s.opt.Logger.Info("storage: resumed", "url", Redact(r.name), "offset", r.pos)
		}
		n, err := r.body.Read(p)
		r.pos += int64(n)
		if n > 0 {
			r.cuts = 0
			return n, nil
		}
		if err == nil {
			continue
		}
		if r.ctx.Err() != nil {
			return 0, &Error{Op: "read", URL: Redact(r.name), Offset: r.pos, Err: r.ctx.Err()}
		}
		// The connection ended before the range did: ask again from here.
		r.body.Close()
		r.body = nil
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		if r.cuts++; r.cuts >= r.s.opt.Retries {
			return 0, &Error{Op: "read", URL: Redact(r.name), Offset: r.pos, Err: fmt.Errorf("%w (%d attempts): %w", ErrRetries, r.cuts, err)}
		}
		r.s.opt.Logger.Warn("storage: range cut short, resuming", "url", Redact(r.name), "offset", r.pos, "err", err)
	}
}

func (r *rangeReader) Close() error {
	if r.body != nil {
		return r.body.Close()
	}
	return nil
}

// OpenLocalRange opens bytes off to off+n of a local file, checked against
// its size: a range past the end is an error wrapping ErrShort, so that an
// index promising more than the file holds is named as such.
func OpenLocalRange(name string, off, n int64) (io.ReadCloser, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if off+n > st.Size() {
		f.Close()
		return nil, fmt.Errorf("%w: bytes %d-%d of a %d-byte file", ErrShort, off, off+n-1, st.Size())
	}
	return struct {
		io.Reader
		io.Closer
	}{io.NewSectionReader(f, off, n), f}, nil
}
