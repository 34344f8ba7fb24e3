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
// wins) and passes Prefetch through.
func Bind(ctx context.Context, ra io.ReaderAt) io.ReaderAt {
	if rc, ok := ra.(ReaderAt); ok {
		return bound{ctx, rc}
	}
	return ra
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

// ReadAtContext lets a bound reader be bound again (a narrower ctx).
func (b bound) ReadAtContext(ctx context.Context, p []byte, off int64) (int, error) {
	return b.rc.ReadAtContext(ctx, p, off)
}

// Prefetch passes the reader's Prefetch through; a reader without one
// has nothing to prefetch.
func (b bound) Prefetch(ctx context.Context, off, n int64) error {
	if p, ok := b.rc.(Prefetcher); ok {
		return p.Prefetch(ctx, off, n)
	}
	return nil
}
