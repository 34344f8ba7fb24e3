// Package ctxio binds reads of a long-lived io.ReaderAt to one request's
// context. A remote object (storage.Object, a Section of one) is opened
// once and read for many requests; its ReadAtContext lets each request's
// reads stop when that request is cancelled. cdxj's searches and replay's
// record loads take a plain io.ReaderAt, so the context travels bound to
// the reader. The package imports only the standard library, so cdxj can
// use it without pulling in storage and the S3 SDK.
package ctxio

import (
	"context"
	"io"
	"sync"
)

// ReaderAt is a reader whose reads a context bounds.
type ReaderAt interface {
	ReadAtContext(ctx context.Context, p []byte, off int64) (int, error)
}

// Prefetcher fetches [off, off+n) in one request ahead of the reads that
// will ask for it (storage.Object.Prefetch: replay makes a record whose
// length the index gives one Range request).
type Prefetcher interface {
	Prefetch(ctx context.Context, off, n int64) error
}

// Bind returns ra with its reads bounded by ctx when ra takes a context,
// else ra itself. The bound reader still takes a context (a narrower one
// wins) and passes Prefetch through. It is one reader: its reads carry a
// Sequence of their own (WithSequence).
func Bind(ctx context.Context, ra io.ReaderAt) io.ReaderAt {
	if rc, ok := ra.(ReaderAt); ok {
		return bound{WithSequence(ctx), rc}
	}
	return ra
}

// KeepSequence returns ctx carrying the Sequence of reader, the context a
// reader was made with, when ctx has none of its own: a read given a
// context that does not derive from the reader's (a narrower deadline
// made apart) is still that reader's. A ctx with a Sequence, its own
// reader's, is returned as is.
func KeepSequence(ctx, reader context.Context) context.Context {
	if ctx == nil || ctx.Value(sequenceKey{}) != nil {
		return ctx
	}
	if sq, ok := reader.Value(sequenceKey{}).(*Sequence); ok {
		return context.WithValue(ctx, sequenceKey{}, sq)
	}
	return ctx
}

// Sequence is the read-ahead state of one reader of a remote object (a
// storage.Object fetches further ahead while a reader's fetches follow one
// another). Without one, the object keeps a single state for all its
// readers, so that a reader scanning it (a full-text index build reading
// an index through) and a request reading a record in the middle undo
// each other's: the scan's fetches stop growing, and a request's fetch
// that happens to start where the scan's ended is widened by the scan's
// progress.
type Sequence struct {
	mu         sync.Mutex
	owner      any
	next, span int64
}

type sequenceKey struct{}

// WithSequence returns ctx carrying a new Sequence: the reads made with
// it are one reader's.
func WithSequence(ctx context.Context) context.Context {
	return context.WithValue(ctx, sequenceKey{}, &Sequence{})
}

// Sequential runs f on the state of ctx's Sequence for owner (the object
// read), under its lock, and reports whether it did: not when ctx has no
// Sequence, or its Sequence is already another object's.
func Sequential(ctx context.Context, owner any, f func(next, span *int64)) bool {
	if ctx == nil {
		return false
	}
	sq, ok := ctx.Value(sequenceKey{}).(*Sequence)
	if !ok {
		return false
	}
	sq.mu.Lock()
	defer sq.mu.Unlock()
	if sq.owner == nil {
		sq.owner = owner
	} else if sq.owner != owner {
		return false
	}
	f(&sq.next, &sq.span)
	return true
}

// ReadAt reads ra with ctx when ra takes a context (and ctx is not nil),
// else with its plain ReadAt.
func ReadAt(ctx context.Context, ra io.ReaderAt, p []byte, off int64) (int, error) {
	if rc, ok := ra.(ReaderAt); ok && ctx != nil {
		return rc.ReadAtContext(ctx, p, off)
	}
	return ra.ReadAt(p, off)
}

type bound struct {
	ctx context.Context
	rc  ReaderAt
}

func (b bound) ReadAt(p []byte, off int64) (int, error) {
	return b.rc.ReadAtContext(b.ctx, p, off)
}

// ReadAtContext lets a bound reader be bound again (a narrower ctx); the
// reads stay this reader's (KeepSequence).
func (b bound) ReadAtContext(ctx context.Context, p []byte, off int64) (int, error) {
	return b.rc.ReadAtContext(KeepSequence(ctx, b.ctx), p, off)
}

// Prefetch passes the reader's Prefetch through; a reader without one
// has nothing to prefetch.
func (b bound) Prefetch(ctx context.Context, off, n int64) error {
	if p, ok := b.rc.(Prefetcher); ok {
		return p.Prefetch(KeepSequence(ctx, b.ctx), off, n)
	}
	return nil
}
