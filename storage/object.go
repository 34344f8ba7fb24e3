package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/warcbox/warcbox/internal/ctxio"
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
	f       *os.File // local files opened by Open
	// local: a local file; with f nil, pooled (OpenPooled): its
	// descriptor is the Store's file pool's, fi the file it was opened on.
	local bool
	fi    os.FileInfo

	// Sequential ReadAt calls (a zip entry hashed, a WARC member indexed)
	// fetch ahead: each miss that starts where the last fetch ended
	// doubles the span fetched, up to ReadAhead. These are the reads
	// without a reader of their own (ctxio.Sequence).
	seqMu   sync.Mutex
	seqNext int64 // block after the last fetch
	seqSpan int64 // blocks fetched by the last sequential miss
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
		return &Object{s: s, ctx: ctx, name: name, size: st.Size(), modTime: st.ModTime(), f: f, local: true, fi: st}, nil
	}
	info, ok := s.known(name)
	if !ok {
		var err error
		if info, err = s.Stat(ctx, name); err != nil {
			return nil, err
		}
	}
	return &Object{s: s, ctx: ctx, name: name, size: info.Size, modTime: info.ModTime}, nil
}

// OpenTail is Open for a file read from its end first, as a zip package
// (WACZ) is: for a remote object whose size is not known yet, one suffix
// Range request fetches its last tail bytes into the block cache and
// tells its size, instead of a HEAD request and then a read of the end.
// A WACZ keeps its central directory, indexes and pages lists at the end,
// so a few hundred KiB of tail is often all a small package's replay
// needs before its first record.
func (s *Store) OpenTail(ctx context.Context, name string, tail int64) (*Object, error) {
	if KindOf(name) == Local || tail <= 0 {
		return s.Open(ctx, name)
	}
	bs := int64(s.opt.BlockSize)
	tail = min(max(tail, bs), int64(s.opt.CacheSize/4))
	if info, ok := s.known(name); ok {
		// Size known from a listing: the same one request, by offset.
		o, err := s.Open(ctx, name)
		if err != nil {
			return nil, err
		}
		// Whole blocks, as a suffix read caches them.
		from := (max(info.Size-tail, 0) + bs - 1) / bs * bs
		if err := o.Prefetch(ctx, from, info.Size-from); err != nil {
			return nil, err
		}
		return o, nil
	}
	var data []byte
	var start, size int64
	err := s.retry(ctx, "read", name, -tail, func() (bool, error) {
		b, err := s.backend(ctx, name)
		if err != nil {
			return false, err
		}
		body, st, sz, err := b.tail(ctx, name, tail)
		if err != nil {
			return false, err
		}
		defer body.Close()
		if st == 0 && sz > tail {
			return false, errNoSuffix
		}
		if sz < 0 {
			return false, errNoSuffix
		}
		data, err = io.ReadAll(io.LimitReader(body, tail+1))
		if err == nil && int64(len(data)) != sz-st {
			err = fmt.Errorf("connection closed at byte %d of %d", st+int64(len(data)), sz)
		}
		start, size = st, sz
		return false, err
	})
	if errors.Is(err, errNoSuffix) {
		return s.Open(ctx, name)
	}
	if err != nil {
		return nil, err
	}
	s.remember(Info{Name: name, Size: size})
	// Cache the whole blocks the tail covers, and the last, partial one.
	for i := (start + bs - 1) / bs; i*bs < size; i++ {
		lo, hi := i*bs-start, min((i+1)*bs, size)-start
		s.cache.put(blockKey{name, i}, data[lo:hi])
	}
	return &Object{s: s, ctx: ctx, name: name, size: size}, nil
}

// errNoSuffix: the server does not answer suffix Range requests.
var errNoSuffix = fmt.Errorf("%w: no suffix Range", errPermanent)

// Name returns the name the object was opened with (credentials included:
// show Redact(Name()) to people).
func (o *Object) Name() string { return o.name }

// Size returns the object's size in bytes.
func (o *Object) Size() int64 { return o.size }

// ModTime returns the object's modification time, if known.
func (o *Object) ModTime() time.Time { return o.modTime }

// Remote reports whether the object is reached over the network.
func (o *Object) Remote() bool { return !o.local }

// File returns the open file of a local object, nil for a remote one and
// for a pooled one (OpenPooled).
func (o *Object) File() *os.File { return o.f }

// Close releases a local file; remote objects hold no connection. A
// pooled object's (OpenPooled) file is closed when the reads in progress
// end; a read that starts after Close fails with fs.ErrClosed, so whoever
// shares an object among readers closes it with the last of them.
func (o *Object) Close() error {
	if o.f != nil {
		return o.f.Close()
	}
	if o.local {
		o.s.files.remove(o)
	}
	return nil
}

// ReadAt reads len(p) bytes at off; fewer only at the end of the object,
// with io.EOF. A remote object's requests are bounded by the context it
// was opened with.
func (o *Object) ReadAt(p []byte, off int64) (int, error) {
	return o.ReadAtContext(o.ctx, p, off)
}

// ReadAtContext is ReadAt with its requests bounded by ctx rather than by
// the context the object was opened with: an object kept open for many
// requests (a package's index, an archive replay serves) is read for one
// of them, and stops when that one is cancelled.
func (o *Object) ReadAtContext(ctx context.Context, p []byte, off int64) (int, error) {
	if o.f != nil {
		return o.f.ReadAt(p, off)
	}
	if o.local {
		return o.pooledReadAt(p, off)
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
		if err := o.fetch(ctx, p[:end-off], off); err != nil {
			return 0, err
		}
	} else if n, err := o.readBlocks(ctx, p[:end-off], off, bs); err != nil {
		return n, err
	}
	if n := int(end - off); n < len(p) {
		return n, io.EOF
	}
	return len(p), nil
}

// readBlocks copies [off, off+len(p)) from cached blocks, fetching the
// span of blocks it covers in one request if any is missing.
func (o *Object) readBlocks(ctx context.Context, p []byte, off, bs int64) (int, error) {
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
		// Fetch from the first missing block to the last missing one.
		lo, hi := first, last
		for ; lo <= hi; lo++ {
			if _, ok := o.s.cache.get(blockKey{o.name, lo}); !ok {
				break
			}
		}
		for ; hi > lo; hi-- {
			if _, ok := o.s.cache.get(blockKey{o.name, hi}); !ok {
				break
			}
		}
		hi = o.readAhead(ctx, lo, hi)
		if _, err := o.load(ctx, lo, hi); err != nil {
			return 0, err
		}
		for i := first; i <= last; i++ {
			b, ok := o.s.cache.get(blockKey{o.name, i})
			if !ok {
				// Evicted meanwhile by other readers: fetch the span whole.
				var err error
				if blocks, err = o.load(ctx, first, last); err != nil {
					return 0, err
				}
				break
			}
			blocks = append(blocks, b)
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

// readAhead widens a fetch of blocks lo..hi when it continues the last
// one of the same reader, and returns the new last block. A reader is the
// Sequence ctx carries (ctxio.Bind gives each bound reader its own), else
// every read of the object without one.
func (o *Object) readAhead(ctx context.Context, lo, hi int64) int64 {
	bs := int64(o.s.opt.BlockSize)
	lastBlock := (o.size - 1) / bs
	widen := func(next, span *int64) {
		if lo == *next && lo > 0 {
			*span = min(max(*span*2, 2), int64(o.s.opt.ReadAhead)/bs, int64(o.s.opt.CacheSize/4)/bs)
			hi = min(max(hi, lo+*span-1), lastBlock)
		} else {
			*span = hi - lo + 1
		}
		*next = hi + 1
	}
	if !ctxio.Sequential(ctx, o, widen) {
		o.seqMu.Lock()
		widen(&o.seqNext, &o.seqSpan)
		o.seqMu.Unlock()
	}
	return hi
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
	if o.local || n <= 0 {
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
