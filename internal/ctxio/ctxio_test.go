package ctxio

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
)

type ctxKey struct{}

// remote is a reader that takes a context: it answers with the value
// under ctxKey the read was made with, and fails once ctx is cancelled.
type remote struct {
	prefetched []int64
}

func (r *remote) ReadAt(p []byte, off int64) (int, error) {
	return r.ReadAtContext(context.Background(), p, off)
}

func (r *remote) ReadAtContext(ctx context.Context, p []byte, off int64) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s, _ := ctx.Value(ctxKey{}).(string)
	return copy(p, s), nil
}

func (r *remote) Prefetch(ctx context.Context, off, n int64) error {
	r.prefetched = append(r.prefetched, off, n)
	return ctx.Err()
}

// readOnly takes a context but cannot prefetch: its Prefetch, of another
// signature, hides remote's.
type readOnly struct{ remote }

func (readOnly) Prefetch() {}

func TestBindUsesItsContext(t *testing.T) {
	r := &remote{}
	ctx := context.WithValue(context.Background(), ctxKey{}, "request")
	buf := make([]byte, 7)
	if n, err := Bind(ctx, r).ReadAt(buf, 0); err != nil || string(buf[:n]) != "request" {
		t.Errorf("bound read = %q, %v; want the request's context", buf[:n], err)
	}
	// Bound again, the narrower context wins.
	inner := context.WithValue(ctx, ctxKey{}, "inner")
	n, err := Bind(inner, Bind(ctx, r)).ReadAt(buf, 0)
	if err != nil || string(buf[:n]) != "inner" {
		t.Errorf("rebound read = %q, %v; want the inner context", buf[:n], err)
	}
	// A cancelled request's reads stop, the reader itself stays usable.
	cctx, cancel := context.WithCancel(ctx)
	b := Bind(cctx, r)
	cancel()
	if _, err := b.ReadAt(buf, 0); !errors.Is(err, context.Canceled) {
		t.Errorf("read after cancel: %v, want context.Canceled", err)
	}
	if n, err := Bind(ctx, r).ReadAt(buf, 0); err != nil || string(buf[:n]) != "request" {
		t.Errorf("another request after the cancel: %q, %v", buf[:n], err)
	}
}

func TestBindPlainReaderUnchanged(t *testing.T) {
	br := bytes.NewReader([]byte("plain"))
	if got := Bind(context.Background(), br); got != io.ReaderAt(br) {
		t.Errorf("Bind of a reader without a context = %T, want the reader itself", got)
	}
	buf := make([]byte, 5)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	// ReadAt on a plain reader ignores ctx: nothing it could stop.
	if n, err := ReadAt(ctx, br, buf, 0); err != nil || string(buf[:n]) != "plain" {
		t.Errorf("ReadAt(plain) = %q, %v", buf[:n], err)
	}
	if _, err := ReadAt(ctx, &remote{}, buf, 0); !errors.Is(err, context.Canceled) {
		t.Errorf("ReadAt(remote, cancelled) = %v, want context.Canceled", err)
	}
	if n, err := ReadAt(nil, &remote{}, buf, 0); err != nil || n != 0 {
		t.Errorf("ReadAt(remote, nil ctx) = %d, %v; want its plain ReadAt", n, err)
	}
}

func TestBoundPrefetchPassesThrough(t *testing.T) {
	r := &remote{}
	p, ok := Bind(context.Background(), r).(Prefetcher)
	if !ok {
		t.Fatal("a bound reader does not prefetch")
	}
	if err := p.Prefetch(context.Background(), 10, 100); err != nil {
		t.Fatal(err)
	}
	if len(r.prefetched) != 2 || r.prefetched[0] != 10 || r.prefetched[1] != 100 {
		t.Errorf("prefetched %v, want [10 100]", r.prefetched)
	}
	// A reader that cannot prefetch: nothing to do, no error.
	if err := Bind(context.Background(), &readOnly{}).(Prefetcher).Prefetch(context.Background(), 0, 1); err != nil {
		t.Errorf("prefetch of a reader without Prefetch: %v", err)
	}
}

// Each bound reader has a Sequence of its own, for the one object it
// reads; a context without one, or with another object's, has none.
func TestSequencePerReader(t *testing.T) {
	var objA, objB int
	step := func(want int64) func(next, span *int64) {
		return func(next, span *int64) {
			if *next != want {
				t.Errorf("next %d, want %d", *next, want)
			}
			*next += 10
		}
	}
	if Sequential(context.Background(), &objA, step(0)) {
		t.Error("a context without a Sequence has one")
	}
	ctx := WithSequence(context.Background())
	if !Sequential(ctx, &objA, step(0)) || !Sequential(ctx, &objA, step(10)) {
		t.Error("a Sequence not kept across reads of its object")
	}
	if Sequential(ctx, &objB, step(0)) {
		t.Error("a Sequence shared by two objects")
	}
	if !Sequential(WithSequence(ctx), &objA, step(0)) {
		t.Error("a new Sequence starts where another one is")
	}
	b1, b2 := Bind(context.Background(), &remote{}).(bound), Bind(context.Background(), &remote{}).(bound)
	if b1.ctx.Value(sequenceKey{}) == b2.ctx.Value(sequenceKey{}) || b1.ctx.Value(sequenceKey{}) == nil {
		t.Error("two bound readers share a Sequence, or have none")
	}
}

// sequenced is a reader that steps its reader's Sequence on each read and
// answers with the step it saw ("-" without a Sequence).
type sequenced struct{ remote }

func (r *sequenced) ReadAtContext(ctx context.Context, p []byte, off int64) (int, error) {
	seen := "-"
	Sequential(ctx, r, func(next, _ *int64) {
		seen = string(rune('0' + *next))
		*next++
	})
	return copy(p, seen), nil
}

// A bound reader read with a context that does not derive from its own (a
// deadline made apart) keeps its Sequence: its reads are still one reader's.
func TestBoundKeepsSequenceOfItsReader(t *testing.T) {
	r := &sequenced{}
	b := Bind(context.Background(), r).(ReaderAt)
	other := Bind(context.Background(), r).(ReaderAt)
	var got []byte
	buf := make([]byte, 1)
	for _, read := range []func() (int, error){
		func() (int, error) { return b.ReadAtContext(context.Background(), buf, 0) },
		func() (int, error) {
			return b.ReadAtContext(context.WithValue(context.Background(), ctxKey{}, "x"), buf, 0)
		},
		func() (int, error) { return b.(io.ReaderAt).ReadAt(buf, 0) },
		func() (int, error) { return other.ReadAtContext(context.Background(), buf, 0) },
		// A context with a Sequence of its own is another reader's.
		func() (int, error) { return b.ReadAtContext(WithSequence(context.Background()), buf, 0) },
	} {
		n, err := read()
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, buf[:n]...)
	}
	if string(got) != "01200" {
		t.Errorf("steps seen %q, want %q (0,1,2 on the bound reader, 0 on another, 0 on its own)", got, "01200")
	}
	if KeepSequence(nil, context.Background()) != nil {
		t.Error("KeepSequence(nil) is not nil")
	}
}
