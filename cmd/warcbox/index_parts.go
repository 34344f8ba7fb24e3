package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/warcbox/warcbox/index"
	"github.com/warcbox/warcbox/shard"
	"github.com/warcbox/warcbox/storage"
)

// shardFiles keeps the shard's share of the files.
func shardFiles(spec shard.Spec, files []string) []string {
	if spec.All() {
		return files
	}
	var out []string
	for k, f := range files {
		if spec.TakesInput(k) {
			out = append(out, f)
		}
	}
	return out
}

// runIndexParts writes one sorted CDXJ per input of the shard, skipping
// parts already complete; a part whose input fails is not renamed.
func runIndexParts(ctx context.Context, opts indexOptions, g *globalOptions, spec shard.Spec, files []string,
	store shard.Store) error {
	parts := shard.PartNames(files, ".cdxj")
	log := g.logger()
	var failed []string
	var written, skipped int
	for k, path := range files {
		if !spec.TakesInput(k) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		done, err := store.Done(ctx, parts[k])
		if err != nil {
			return fmt.Errorf("index: %w", err)
		}
		if done {
			skipped++
			log.Info("index: part already complete, skipped", "part", parts[k], "input", path)
			continue
		}
		err = func() (err error) {
			p, err := store.Create(ctx, parts[k])
			if err != nil {
				return err
			}
			if err := indexFiles(ctx, []string{path}, opts.Jobs, g, p, nil); err != nil {
				p.Abort()
				return err
			}
			return p.Commit()
		}()
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			log.Error("index: part failed, left unwritten", "part", parts[k], "input", path, "err", err)
			failed = append(failed, path)
			continue
		}
		written++
	}
	log.Info("index: parts done", "shard", spec.String(), "written", written, "skipped", skipped, "failed", len(failed))
	if len(failed) > 0 {
		return fmt.Errorf("index: %d of %d inputs failed: %s", len(failed), written+skipped+len(failed), strings.Join(failed, ", "))
	}
	return nil
}

// runIndexMerge merges sorted CDXJ files, and the *.cdxj files of folders
// and s3:// prefixes, local or remote, into one sorted CDXJ on stdout or
// -o FILE (written under a temporary name and renamed when complete; an
// s3:// FILE appears once complete).
func runIndexMerge(ctx context.Context, opts indexOptions, g *globalOptions, args []string) (err error) {
	if len(args) == 0 {
		return usageError{fmt.Errorf("index --merge: give the CDXJ files or folders to merge")}
	}
	st := g.storage()
	paths, err := index.MergeInputs(ctx, st, args)
	if err != nil {
		return fmt.Errorf("index --merge: %w", err)
	}
	if opts.Output == "" || opts.Output == "-" {
		return index.Merge(ctx, st, g.stdout, paths, "")
	}
	var store shard.Store
	var name, tempDir string
	if storage.KindOf(opts.Output) == storage.S3 {
		i := strings.LastIndex(opts.Output, "/")
		store, name = shard.Objects{Store: st, Prefix: opts.Output[:i+1]}, opts.Output[i+1:]
	} else {
		dir, base := filepath.Split(opts.Output)
		if dir == "" {
			dir = "."
		}
		store, name, tempDir = shard.Dir(dir), base, dir
	}
	p, err := store.Create(ctx, name)
	if err != nil {
		return fmt.Errorf("index --merge: %w", err)
	}
	if err := index.Merge(ctx, st, p, paths, tempDir); err != nil {
		p.Abort()
		return err
	}
	return p.Commit()
}
