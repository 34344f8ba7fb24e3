package cdxj

import (
	"context"
	"io"
)

// readerAtContext is what a reader whose reads a context bounds offers (a
// remote object read by Range, storage.Object and storage.Section): a
// File or ZipNum reads it with each lookup's context, so a cancelled
// lookup stops its requests, while the reader itself lives as long as the
// index.
type readerAtContext interface {
	ReadAtContext(ctx context.Context, p []byte, off int64) (int, error)
}

// bind returns ra with its reads bounded by ctx, when it takes a context.
func bind(ctx context.Context, ra io.ReaderAt) io.ReaderAt {
	if rc, ok := ra.(readerAtContext); ok {
		return boundReader{ctx, rc}
	}
	return ra
}

type boundReader struct {
	ctx context.Context
	rc  readerAtContext
}

func (b boundReader) ReadAt(p []byte, off int64) (int, error) {
	return b.rc.ReadAtContext(b.ctx, p, off)
}
