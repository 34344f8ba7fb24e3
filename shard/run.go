package shard

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// Run is one pass over the shard's inputs, one part each.
type Run struct {
	Store Store
	Spec  Spec
	// Op names the command in messages ("extract", "index").
	Op     string
	Logger *slog.Logger
}

// Parts writes the part of each input the shard takes, named parts[k]:
// a part already complete is skipped (a rerun redoes only what is
// missing); otherwise write(k, w) fills it and it is committed. A part
// whose write fails is aborted, never committed: the error is logged with
// the input, the other inputs go on, and Parts fails at the end naming the
// failed inputs. A cancelled ctx stops the run at once.
func (r Run) Parts(ctx context.Context, inputs, parts []string, write func(ctx context.Context, k int, w io.Writer) error) error {
	log := logger(r.Logger)
	var failed []string
	var written, skipped int
	for k, in := range inputs {
		if !r.Spec.TakesInput(k) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		done, err := r.Store.Done(ctx, parts[k])
		if err != nil {
			return fmt.Errorf("%s: %w", r.Op, err)
		}
		if done {
			skipped++
			log.Info(r.Op+": part already complete, skipped", "part", parts[k], "input", in)
			continue
		}
		if err := r.one(ctx, k, parts[k], write); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			log.Error(r.Op+": part failed, left unwritten", "part", parts[k], "input", in, "err", err)
			failed = append(failed, in)
			continue
		}
		written++
	}
	log.Info(r.Op+": parts done", "shard", r.Spec.String(), "written", written, "skipped", skipped, "failed", len(failed))
	if len(failed) > 0 {
		return fmt.Errorf("%s: %d of %d inputs failed: %s", r.Op, len(failed), written+skipped+len(failed), strings.Join(failed, ", "))
	}
	return nil
}

func (r Run) one(ctx context.Context, k int, name string, write func(ctx context.Context, k int, w io.Writer) error) error {
	p, err := r.Store.Create(ctx, name)
	if err != nil {
		return err
	}
	if err := write(ctx, k, p); err != nil {
		p.Abort()
		return err
	}
	return p.Commit()
}
