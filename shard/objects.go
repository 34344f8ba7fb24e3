package shard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/warcbox/warcbox/storage"
)

// Objects is an s3:// prefix of parts. A part is written to a local
// temporary file ($TMPDIR/warcbox-part-NAME.HOST~PID~RAND.tmp) and
// uploaded on Commit with one PutObject, which makes the object appear
// whole: a killed worker leaves no object behind, and its temporary is
// removed by the next run of the part on the host, as Dir does.
type Objects struct {
	Store      *storage.Store
	Prefix     string // s3://bucket/prefix/
	StaleAfter time.Duration
	Logger     *slog.Logger
}

var _ Store = Objects{}

func (o Objects) name(part string) string {
	return strings.TrimRight(o.Prefix, "/") + "/" + part
}

// Done reports whether the object exists.
func (o Objects) Done(ctx context.Context, name string) (bool, error) {
	_, err := o.Store.Stat(ctx, o.name(name))
	if err == nil {
		return true, nil
	}
	if errors.Is(err, storage.ErrNotFound) {
		return false, nil
	}
	return false, fmt.Errorf("part %s: %w", name, err)
}

// Create starts a part in a local temporary file.
func (o Objects) Create(ctx context.Context, name string) (Part, error) {
	removeStale(os.TempDir(), "warcbox-part-", name, o.StaleAfter, logger(o.Logger))
	f, err := os.CreateTemp("", self().tempPattern("warcbox-part-", name))
	if err != nil {
		return nil, fmt.Errorf("part %s: %w", name, err)
	}
	return &objectPart{ctx: ctx, f: f, o: o, name: name}, nil
}

type objectPart struct {
	ctx  context.Context
	f    *os.File
	o    Objects
	name string
	done bool
}

func (p *objectPart) Write(b []byte) (int, error) { return p.f.Write(b) }

func (p *objectPart) Commit() error {
	if p.done {
		return nil
	}
	p.done = true
	defer os.Remove(p.f.Name())
	defer p.f.Close()
	if err := p.o.Store.Put(p.ctx, p.o.name(p.name), p.f); err != nil {
		return fmt.Errorf("part %s: %w", p.name, err)
	}
	return nil
}

func (p *objectPart) Abort() error {
	if p.done {
		return nil
	}
	p.done = true
	p.f.Close()
	return os.Remove(p.f.Name())
}
