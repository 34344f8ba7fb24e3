package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"golang.org/x/sync/errgroup"
)

// chunkSize is the unit a sequential reader fetches ahead in.
const chunkSize = 256 << 10

type chunk struct {
	buf *[]byte
	n   int
	err error
}

// stream is a sequential reader that fetches ahead of its consumer in a
// goroutine and resumes broken connections with a Range request.
type stream struct {
	cancel context.CancelFunc
	g      *errgroup.Group
	ch     chan chunk
	pool   *sync.Pool
	cur    chunk
	off    int // read position in cur
	err    error
	closed bool
}

// NewReader returns the bytes of name from offset off to its end. A local
// file is returned as an *os.File (it can seek). For a remote object the
// first request is made before NewReader returns, so a missing object or
// a refusal is reported here; a later failure that retries cannot mend is
// returned by Read as an *Error after every byte read before it. Close
// stops the read-ahead.
func (s *Store) NewReader(ctx context.Context, name string, off int64) (io.ReadCloser, error) {
	return s.NewReaderAhead(ctx, name, off, s.opt.ReadAhead)
}

// NewReaderAhead is NewReader fetching at most readAhead bytes ahead of
// its consumer (at least one 256 KiB chunk), for callers that hold many
// streams open at once, as a merge of 64 sorted parts does.
func (s *Store) NewReaderAhead(ctx context.Context, name string, off int64, readAhead int) (io.ReadCloser, error) {
	if KindOf(name) == Local {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		if off > 0 {
			if _, err := f.Seek(off, io.SeekStart); err != nil {
				f.Close()
				return nil, fmt.Errorf("seek %s to %d: %w", name, off, err)
			}
		}
		return f, nil
	}
	var body io.ReadCloser
	total := int64(-1)
	err := s.retry(ctx, "read", name, off, func() (bool, error) {
		b, err := s.backend(ctx, name)
		if err != nil {
			return false, err
		}
		body, total, err = b.get(ctx, name, off, -1)
		return false, err
	})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	g, gctx := errgroup.WithContext(ctx)
	st := &stream{
		cancel: cancel,
		g:      g,
		ch:     make(chan chunk, max(readAhead/chunkSize, 1)),
		pool:   &sync.Pool{New: func() any { b := make([]byte, chunkSize); return &b }},
	}
	g.Go(func() error {
		defer close(st.ch)
		err := s.pump(gctx, name, off, total, body, st)
		if err != nil && gctx.Err() == nil {
			select {
			case st.ch <- chunk{err: err}:
			case <-gctx.Done():
			}
		}
		return nil
	})
	return st, nil
}

// pump reads the object into chunks from pos, reopening it at the byte
// where a connection broke.
func (s *Store) pump(ctx context.Context, name string, pos, total int64, body io.ReadCloser, st *stream) error {
	defer func() {
		if body != nil {
			body.Close()
		}
	}()
	return s.retry(ctx, "read", name, pos, func() (bool, error) {
		start := pos
		if body == nil {
			b, err := s.backend(ctx, name)
			if err != nil {
				return false, err
			}
			var t int64
			body, t, err = b.get(ctx, name, pos, -1)
			if err != nil {
				body = nil
				return false, &Error{Offset: pos, Err: err}
			}
			if t >= 0 {
				if total >= 0 && t != total {
					return false, &Error{Offset: pos, Err: fmt.Errorf("%w: object changed size from %d to %d while being read", errPermanent, total, t)}
				}
				total = t
			}
			s.opt.Logger.Info("storage: resumed", "url", Redact(name), "offset", pos)
		}
		for {
			buf := st.pool.Get().(*[]byte)
			n, err := io.ReadFull(body, *buf)
			if n > 0 {
				select {
				case st.ch <- chunk{buf: buf, n: n}:
				case <-ctx.Done():
					return false, ctx.Err()
				}
				pos += int64(n)
			} else {
				st.pool.Put(buf)
			}
			if err == nil {
				continue
			}
			ended := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
			if ended && (total < 0 || pos >= total) {
				return pos > start, nil
			}
			body.Close()
			body = nil
			if ended {
				err = fmt.Errorf("connection closed at byte %d of %d", pos, total)
			}
			return pos > start, &Error{Offset: pos, Err: err}
		}
	})
}

func (st *stream) Read(p []byte) (int, error) {
	for st.cur.buf == nil || st.off >= st.cur.n {
		if st.err != nil {
			return 0, st.err
		}
		if st.cur.buf != nil {
			st.pool.Put(st.cur.buf)
			st.cur.buf = nil
		}
		c, ok := <-st.ch
		if !ok {
			st.err = io.EOF
			continue
		}
		if c.err != nil {
			st.err = c.err
			continue
		}
		st.cur, st.off = c, 0
	}
	n := copy(p, (*st.cur.buf)[st.off:st.cur.n])
	st.off += n
	return n, nil
}

func (st *stream) Close() error {
	if st.closed {
		return nil
	}
	st.closed = true
	st.cancel()
	for range st.ch {
	}
	return st.g.Wait()
}
