package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// Object gives random access to one file or object. For a remote object
// each ReadAt that misses the Store's block cache is one Range request
// (widened to whole blocks, so that neighbouring reads hit the cache).
// It is safe for concurrent use.
type Object struct {
	s       *Store
	ctx     context.Context
	name    string
	size    int64
	modTime time.Time
	f       *os.File // local files
}

var _ io.ReaderAt = (*Object)(nil)

// Open opens name for random access. The object's size is asked for now
// (a HEAD request); ctx bounds every later read.
func (s *Store) Open(ctx context.Context, name string) (*Object, error) {
	if KindOf(name) == Local {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, err
		}
		return &Object{s: s, ctx: ctx, name: name, size: st.Size(), modTime: st.ModTime(), f: f}, nil
	}
	info, err := s.Stat(ctx, name)
	if err != nil {
		return nil, err
	}
	return &Object{s: s, ctx: ctx, name: name, size: info.Size, modTime: info.ModTime}, nil
}

// Name returns the name the object was opened with (credentials included:
// show Redact(Name()) to people).
func (o *Object) Name() string { return o.name }

// Size returns the object's size in bytes.
func (o *Object) Size() int64 { return o.size }

// ModTime returns the object's modification time, if known.
func (o *Object) ModTime() time.Time { return o.modTime }

// Remote reports whether the object is reached over the network.
func (o *Object) Remote() bool { return o.f == nil }

// File returns the open file of a local object, nil for a remote one.
func (o *Object) File() *os.File { return o.f }

// Close releases a local file; remote objects hold no connection.
func (o *Object) Close() error {
	if o.f != nil {
		return o.f.Close()
	}
	return nil
}

// ReadAt reads len(p) bytes at off; fewer only at the end of the object,
// with io.EOF.
func (o *Object) ReadAt(p []byte, off int64) (int, error) {
	if o.f != nil {
		return o.f.ReadAt(p, off)
	}
	if off < 0 {
		return 0, &Error{Op: "read", URL: Redact(o.name), Offset: off, Err: errors.New("negative offset")}
	}
	if off >= o.size {
		return 0, io.EOF
	}
	end := min(off+int64(len(p)), o.size)
	bs := int64(o.s.opt.BlockSize)
	if end-off > int64(o.s.opt.CacheSize/4) {
		// Too large to be worth caching: straight into p.
		if err := o.fetch(o.ctx, p[:end-off], off); err != nil {
			return 0, err
		}
	} else if n, err := o.readBlocks(p[:end-off], off, bs); err != nil {
		return n, err
	}
	if n := int(end - off); n < len(p) {
		return n, io.EOF
	}
	return len(p), nil
}

// readBlocks copies [off, off+len(p)) from cached blocks, fetching the
// span of blocks it covers in one request if any is missing.
func (o *Object) readBlocks(p []byte, off, bs int64) (int, error) {
	first, last := off/bs, (off+int64(len(p))-1)/bs
	blocks := make([][]byte, 0, last-first+1)
	for i := first; i <= last; i++ {
		b, ok := o.s.cache.get(blockKey{o.name, i})
		if !ok {
			blocks = nil
			break
		}
		blocks = append(blocks, b)
	}
	if blocks == nil {
		var err error
		if blocks, err = o.load(o.ctx, first, last); err != nil {
			return 0, err
		}
	}
	n := 0
	for i, b := range blocks {
		bstart := (first + int64(i)) * bs
		lo := max(off-bstart, 0)
		if lo >= int64(len(b)) {
			break
		}
		n += copy(p[n:], b[lo:])
	}
	return n, nil
}

// load fetches blocks first..last in one Range request and caches them.
func (o *Object) load(ctx context.Context, first, last int64) ([][]byte, error) {
	bs := int64(o.s.opt.BlockSize)
	start, end := first*bs, min((last+1)*bs, o.size)
	buf := make([]byte, end-start)
	if err := o.fetch(ctx, buf, start); err != nil {
		return nil, err
	}
	blocks := make([][]byte, 0, last-first+1)
	for i := first; i <= last; i++ {
		lo := (i - first) * bs
		b := buf[lo:min(lo+bs, int64(len(buf)))]
		o.s.cache.put(blockKey{o.name, i}, b)
		blocks = append(blocks, b)
	}
	return blocks, nil
}

// Prefetch loads [off, off+n) into the block cache with one request, as
// replay does when an index gives a record's length, so that reading the
// record costs one Range whatever buffer sizes its reader uses. A range
// that runs past the end of the object is an ErrShort *Error: the index
// and the object disagree.
func (o *Object) Prefetch(ctx context.Context, off, n int64) error {
	if o.f != nil || n <= 0 {
		return nil
	}
	if off+n > o.size {
		return &Error{Op: "read", URL: Redact(o.name), Offset: off,
			Err: fmt.Errorf("%w: %d bytes wanted at %d, but the object is %d bytes", ErrShort, n, off, o.size)}
	}
	bs := int64(o.s.opt.BlockSize)
	n = min(n, int64(o.s.opt.CacheSize/4))
	first, last := off/bs, (off+n-1)/bs
	for i := first; i <= last; i++ {
		if _, ok := o.s.cache.get(blockKey{o.name, i}); !ok {
			_, err := o.load(ctx, first, last)
			return err
		}
	}
	return nil
}

// fetch fills p from off with one Range request, resumed where it broke.
func (o *Object) fetch(ctx context.Context, p []byte, off int64) error {
	pos := off
	end := off + int64(len(p))
	return o.s.retry(ctx, "read", o.name, off, func() (bool, error) {
		start := pos
		b, err := o.s.backend(ctx, o.name)
		if err != nil {
			return false, err
		}
		body, total, err := b.get(ctx, o.name, pos, end)
		if err != nil {
			return false, &Error{Offset: pos, Err: err}
		}
		defer body.Close()
		n, err := io.ReadFull(body, p[pos-off:])
		pos += int64(n)
		if err == nil {
			return true, nil
		}
		if total >= 0 && total < end {
			return pos > start, &Error{Offset: pos, Err: fmt.Errorf("%w: %d bytes wanted at %d, but the object is now %d bytes", ErrShort, end-off, off, total)}
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			err = fmt.Errorf("connection closed at byte %d of %d", pos, end)
		}
		return pos > start, &Error{Offset: pos, Err: err}
	})
}
