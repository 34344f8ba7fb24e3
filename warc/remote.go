package warc

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/warcbox/warcbox/storage"
)

// Remote archives: every name a command takes may be a local path, an
// http(s):// URL or s3://bucket/key, and a WACZ member of any of them
// ("https://host/x.wacz#archive/y.warc.gz"). The bytes are reached through
// Options.Store (package storage): sequential reading streams with
// read-ahead and resumes broken connections by Range; random access reads
// one Range per record through the Store's block cache.

// store returns the Store of the options, or one with default options.
func (o Options) store() *storage.Store {
	if o.Store != nil {
		return o.Store
	}
	return storage.New(storage.Options{Logger: o.Logger})
}

// OpenContext is Open for any name (see the package's remote names); ctx
// bounds the reading of a remote stream. The records' File is the name
// with any credentials removed (storage.Redact).
func OpenContext(ctx context.Context, name string, opt Options) (*Reader, error) {
	if pkg, member, ok := SplitMember(name); ok {
		obj, m, err := openMember(ctx, opt.store(), pkg, member)
		if err != nil {
			return nil, fmt.Errorf("open warc: %w", err)
		}
		var rc io.ReadCloser
		if m.Stored && obj.Remote() {
			// Stream the member's bytes with read-ahead rather than
			// through the random-access cache.
			s, err := opt.store().NewReader(ctx, pkg, m.Offset)
			if err != nil {
				obj.Close()
				return nil, fmt.Errorf("open warc: %w", err)
			}
			rc = limitCloser{io.LimitReader(s, m.Size), s}
		} else if rc, err = m.Open(obj); err != nil {
			obj.Close()
			return nil, fmt.Errorf("open warc %s: %w", storage.Redact(name), err)
		}
		r := newReader(rc, storage.Redact(name), opt)
		r.closer = closers{rc, obj}
		return r, nil
	}
	rc, err := opt.store().NewReader(ctx, name, 0)
	if err != nil {
		return nil, fmt.Errorf("open warc: %w", err)
	}
	r := newReader(rc, storage.Redact(name), opt)
	r.closer = rc
	return r, nil
}

type limitCloser struct {
	io.Reader
	io.Closer
}

// OpenFileContext is OpenFile for any name: random access to a WARC file
// or a stored WACZ member, local or remote. A remote object's reads are
// Range requests through the Store's block cache; if the ReaderAt has a
// Prefetch(ctx, off, n) method, calling it with a record's offset and
// length from an index makes reading the record one request.
func OpenFileContext(ctx context.Context, name string, opt Options) (io.ReaderAt, io.Closer, error) {
	st := opt.store()
	pkg, member, ok := SplitMember(name)
	if !ok {
		obj, err := st.Open(ctx, name)
		if err != nil {
			return nil, nil, err
		}
		if !obj.Remote() {
			// The *os.File itself, as before.
			return obj.File(), obj, nil
		}
		return obj, obj, nil
	}
	obj, m, err := openMember(ctx, st, pkg, member)
	if err != nil {
		return nil, nil, err
	}
	if !m.Stored {
		obj.Close()
		return nil, nil, fmt.Errorf("%s: compressed in the package, so its records cannot be reached by offset", storage.Redact(name))
	}
	return &memberAt{SectionReader: io.NewSectionReader(obj, m.Offset, m.Size), obj: obj, off: m.Offset}, obj, nil
}

// memberAt is a stored member's bytes, passing Prefetch on to the package.
type memberAt struct {
	*io.SectionReader
	obj *storage.Object
	off int64
}

func (m *memberAt) Prefetch(ctx context.Context, off, n int64) error {
	return m.obj.Prefetch(ctx, m.off+off, n)
}

// Prefetcher is what OpenFileContext's ReaderAt offers for remote names.
type Prefetcher interface {
	Prefetch(ctx context.Context, off, n int64) error
}

// ReadRecordAt reads the one record at off in the named file (as `cat
// --offset` does) with a single request for a remote name: a stream from
// off, closed once the record has been read. The caller closes the
// returned Closer when done with the record's body.
func ReadRecordAt(ctx context.Context, name string, off int64, opt Options) (*Record, io.Closer, error) {
	if _, _, ok := SplitMember(name); ok || !storage.IsRemote(name) {
		ra, c, err := OpenFileContext(ctx, name, opt)
		if err != nil {
			return nil, nil, err
		}
		rec, err := ReadAtFile(ra, off, storage.Redact(name))
		if err != nil {
			c.Close()
			return nil, nil, err
		}
		return rec, c, nil
	}
	rc, err := opt.store().NewReader(ctx, name, off)
	if err != nil {
		return nil, nil, err
	}
	file := storage.Redact(name)
	r := newReaderSize(rc, file, Options{}, recordBuffer)
	r.single = true
	rec, err := r.Next()
	if err != nil {
		rc.Close()
		if err == io.EOF {
			err = fmt.Errorf("read record at %d in %q: %w", off, file, io.ErrUnexpectedEOF)
		} else if re, ok := err.(*RecordError); ok {
			err = &RecordError{File: file, Offset: off + re.Offset, Err: re.Err}
		} else {
			err = fmt.Errorf("read record at %d in %q: %w", off, file, err)
		}
		return nil, nil, err
	}
	rec.Offset = off
	return rec, rc, nil
}

// PackageTail is how much of a remote WACZ's end is fetched when it is
// opened: its central directory and, in a small package, its indexes and
// pages lists, in one request.
const PackageTail = 256 << 10

// openMember opens a package (local or remote) and finds its WARC member.
func openMember(ctx context.Context, st *storage.Store, pkg, member string) (*storage.Object, WACZMember, error) {
	obj, members, err := openPackage(ctx, st, pkg)
	if err != nil {
		var se *storage.Error
		if errors.As(err, &se) {
			return nil, WACZMember{}, err // names the URL already
		}
		return nil, WACZMember{}, fmt.Errorf("%s: %w", storage.Redact(pkg), err)
	}
	for _, m := range members {
		if m.Name == member {
			return obj, m, nil
		}
	}
	obj.Close()
	return nil, WACZMember{}, fmt.Errorf("%s: no WARC %s in the package", storage.Redact(pkg), member)
}

// openPackage opens a WACZ package and lists its WARCs.
func openPackage(ctx context.Context, st *storage.Store, pkg string) (*storage.Object, []WACZMember, error) {
	obj, err := st.OpenTail(ctx, pkg, PackageTail)
	if err != nil {
		return nil, nil, err
	}
	members, err := WACZMembers(obj, obj.Size())
	if err != nil {
		obj.Close()
		return nil, nil, err
	}
	return obj, members, nil
}
