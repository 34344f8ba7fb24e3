package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/shard"
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

// runIndexMerge merges sorted CDXJ files, and the *.cdxj files of folders,
// into one sorted CDXJ on stdout or -o FILE (written under a temporary
// name and renamed when complete).
func runIndexMerge(ctx context.Context, opts indexOptions, g *globalOptions, args []string) (err error) {
	if len(args) == 0 {
		return usageError{fmt.Errorf("index --merge: give the CDXJ files or folders to merge")}
	}
	var paths []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return fmt.Errorf("index --merge: %w", err)
		}
		if !st.IsDir() {
			paths = append(paths, a)
			continue
		}
		ents, err := os.ReadDir(a)
		if err != nil {
			return fmt.Errorf("index --merge: %w", err)
		}
		var found []string
		for _, e := range ents {
			// Hidden names are parts still being written.
			if n := e.Name(); !e.IsDir() && strings.HasSuffix(n, ".cdxj") && !strings.HasPrefix(n, ".") {
				found = append(found, filepath.Join(a, n))
			}
		}
		sort.Strings(found)
		paths = append(paths, found...)
	}
	if opts.Output == "" || opts.Output == "-" {
		return cdxj.MergeFiles(ctx, g.stdout, paths, "")
	}
	dir, name := filepath.Split(opts.Output)
	if dir == "" {
		dir = "."
	}
	p, err := shard.Dir(dir).Create(ctx, name)
	if err != nil {
		return fmt.Errorf("index --merge: %w", err)
	}
	if err := cdxj.MergeFiles(ctx, p, paths, dir); err != nil {
		p.Abort()
		return err
	}
	return p.Commit()
}
