package storage

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
	"time"

	"github.com/warcbox/warcbox/internal/ctxio"
)

// ErrChanged reports a pooled local file that was replaced or truncated
// since it was opened: reopened, it would no longer be the bytes its
// index describes.
var ErrChanged = errors.New("storage: file changed since it was opened")

// filePool keeps the files of pooled local Objects (OpenPooled) open, at
// most max of them: opening one more first closes the least recently used
// file not being read, and a read of an object whose file was closed opens
// it again. A collection of 10,000 WACZ packages searched in place then
// needs max descriptors, not 10,000. Files being read are never closed:
// only with more than max reads at the same moment is the bound exceeded,
// for as long as they last. An object's file is closed for good by Close,
// at once or when the reads in progress end; a read after Close is an
// error (fs.ErrClosed), never a file opened outside the bound: whoever
// drops an object others may still read holds a reference per reader and
// closes it with the last (replay's file cache, index's package indexes).
type filePool struct {
	mu      sync.Mutex
	max     int
	files   map[*Object]*pooledFile
	lru     list.List // of *pooledFile, most recently used first; open files only
	opening int       // files being opened, counted against max before they are
}

type pooledFile struct {
	o    *Object
	f    *os.File // nil while closed
	busy int
	gone bool // the object was closed while being read
	elem *list.Element
	// opened is closed when the open in progress of a closed file ends
	// (nil when none is).
	opened chan struct{}
}

func newFilePool(max int) *filePool {
	return &filePool{max: max, files: map[*Object]*pooledFile{}}
}

// reserve makes room for one file about to be opened; done must follow
// (add, or unreserve when the open failed).
func (p *filePool) reserve() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.opening++
	p.evict()
}

func (p *filePool) unreserve() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.opening--
}

// add registers o with its file, just opened in a slot reserved for it.
func (p *filePool) add(o *Object, f *os.File) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.opening--
	pf := &pooledFile{o: o, f: f}
	pf.elem = p.lru.PushFront(pf)
	p.files[o] = pf
	p.evict()
}

// evict closes least recently used idle files while the open ones and
// those being opened are more than the bound. p.mu is held.
func (p *filePool) evict() {
	for e := p.lru.Back(); e != nil && p.lru.Len()+p.opening > p.max; {
		prev := e.Prev()
		if pf := e.Value.(*pooledFile); pf.busy == 0 {
			pf.f.Close()
			pf.f = nil
			p.lru.Remove(e)
			pf.elem = nil
		}
		e = prev
	}
}

// acquire returns o's file open, reopening it if it was closed, for one
// read; release must follow. Reads of an object whose file is being
// reopened wait for that one open rather than each opening their own: a
// second descriptor on the same file would be one more than the bound.
func (p *filePool) acquire(o *Object) (*os.File, error) {
	p.mu.Lock()
	for {
		pf, ok := p.files[o]
		if !ok || pf.gone {
			p.mu.Unlock()
			return nil, &Error{Op: "read", URL: o.name, Err: fmt.Errorf("%w (pooled object read after Close)", fs.ErrClosed)}
		}
		if pf.f != nil {
			pf.busy++
			p.lru.MoveToFront(pf.elem)
			f := pf.f
			p.mu.Unlock()
			return f, nil
		}
		if pf.opened != nil {
			ch := pf.opened
			p.mu.Unlock()
			<-ch
			p.mu.Lock()
			continue
		}
		pf.busy++
		pf.opened = make(chan struct{})
		p.opening++
		p.evict()
		p.mu.Unlock()
		f, err := reopen(o)
		p.mu.Lock()
		defer p.mu.Unlock()
		p.opening--
		close(pf.opened)
		pf.opened = nil
		if err != nil {
			pf.busy--
			p.closeIfGone(pf)
			return nil, err
		}
		pf.f = f
		pf.elem = p.lru.PushFront(pf)
		p.evict()
		return f, nil
	}
}

// reopen opens o's file again, checking it is the file o was opened on.
func reopen(o *Object) (*os.File, error) {
	f, err := os.Open(o.name)
	if err != nil {
		return nil, &Error{Op: "read", URL: o.name, Err: err}
	}
	st, err := f.Stat()
	if err == nil && (!os.SameFile(st, o.fi) || st.Size() < o.size) {
		err = fmt.Errorf("%w (reopened after too many files were open)", ErrChanged)
	}
	if err != nil {
		f.Close()
		return nil, &Error{Op: "read", URL: o.name, Err: err}
	}
	return f, nil
}

func (p *filePool) release(o *Object) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if pf, ok := p.files[o]; ok {
		pf.busy--
		p.closeIfGone(pf)
		p.evict()
	}
}

// closeIfGone closes the file of an object closed while it was read, once
// the last read ends. p.mu is held.
func (p *filePool) closeIfGone(pf *pooledFile) {
	if !pf.gone || pf.busy > 0 {
		return
	}
	if pf.f != nil {
		pf.f.Close()
		pf.f = nil
		p.lru.Remove(pf.elem)
	}
	delete(p.files, pf.o)
}

// remove drops o from the pool, closing its file now or after the reads
// in progress.
func (p *filePool) remove(o *Object) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if pf, ok := p.files[o]; ok {
		pf.gone = true
		p.closeIfGone(pf)
	}
}

// openFiles is how many pooled files are open now.
func (p *filePool) openFiles() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lru.Len()
}

// OpenPooled is Open for an object kept open long and read now and then
// (a package whose own index is searched in place, an archive replay
// serves from): a local file's descriptor is kept in the Store's pool of
// at most Options.MaxOpenFiles, closed when others are needed and reopened
// on the next read (a file replaced meanwhile fails with ErrChanged, never
// reads another file's bytes). File returns nil for it. Close it only once
// nobody reads it any more: a read after Close fails (fs.ErrClosed). Remote objects hold
// no descriptor: the same as Open.
func (s *Store) OpenPooled(ctx context.Context, name string) (*Object, error) {
	if KindOf(name) != Local {
		return s.Open(ctx, name)
	}
	s.files.reserve()
	f, err := os.Open(name)
	if err != nil {
		s.files.unreserve()
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		s.files.unreserve()
		return nil, err
	}
	o := &Object{s: s, ctx: ctx, name: name, size: st.Size(), modTime: st.ModTime(), local: true, fi: st}
	s.files.add(o, f)
	return o, nil
}

// pooledReadAt reads a pooled local object.
func (o *Object) pooledReadAt(p []byte, off int64) (int, error) {
	f, err := o.s.files.acquire(o)
	if err != nil {
		return 0, err
	}
	defer o.s.files.release(o)
	return f.ReadAt(p, off)
}

// Check reports whether a local object still reads the file its name
// names now: nil if so; an *Error wrapping ErrChanged if that file was
// replaced, or its size or modification time changed (a file that grew
// too: reopen it to read the new bytes); wrapping fs.ErrNotExist if it
// was removed. It costs one stat. Remote objects are not checked (nil): a
// read of one rewritten shorter or removed fails with ErrShort or
// ErrNotFound, and a collection's rescan compares sizes and ETags.
func (o *Object) Check() error {
	if !o.local {
		return nil
	}
	st, err := os.Stat(o.name)
	if err == nil && (!os.SameFile(st, o.fi) || st.Size() != o.size || !st.ModTime().Equal(o.modTime)) {
		err = fmt.Errorf("%w: %d bytes modified %s, opened at %d bytes modified %s", ErrChanged,
			st.Size(), st.ModTime().UTC().Format(time.RFC3339Nano), o.size, o.modTime.UTC().Format(time.RFC3339Nano))
	}
	if err != nil {
		return &Error{Op: "stat", URL: o.name, Err: err}
	}
	return nil
}

// Section is a byte range of an io.ReaderAt, as io.SectionReader, whose
// reads keep a context when the reader takes one (ReadAtContext).
type Section struct {
	ra       io.ReaderAt
	off, len int64
}

// NewSection returns the n bytes of ra from off.
func NewSection(ra io.ReaderAt, off, n int64) *Section { return &Section{ra, off, n} }

// Size is the section's length.
func (s *Section) Size() int64 { return s.len }

// ReadAt reads within the section.
func (s *Section) ReadAt(p []byte, off int64) (int, error) {
	return s.read(nil, p, off)
}

// ReadAtContext reads within the section, bounded by ctx if the reader
// takes a context.
func (s *Section) ReadAtContext(ctx context.Context, p []byte, off int64) (int, error) {
	return s.read(ctx, p, off)
}

func (s *Section) read(ctx context.Context, p []byte, off int64) (int, error) {
	if off < 0 || off >= s.len {
		return 0, io.EOF
	}
	short := false
	if max := s.len - off; int64(len(p)) > max {
		p, short = p[:max], true
	}
	n, err := ctxio.ReadAt(ctx, s.ra, p, s.off+off)
	if err == nil && short {
		err = io.EOF
	}
	return n, err
}

// Prefetch passes Object.Prefetch through, from the section's offset off
// (a range past the object's end is still ErrShort).
func (s *Section) Prefetch(ctx context.Context, off, n int64) error {
	if p, ok := s.ra.(ctxio.Prefetcher); ok && off >= 0 {
		return p.Prefetch(ctx, s.off+off, n)
	}
	return nil
}
