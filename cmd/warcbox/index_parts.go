package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/warcbox/warcbox/index"
	"github.com/warcbox/warcbox/search"
	"github.com/warcbox/warcbox/shard"
	"github.com/warcbox/warcbox/storage"
)

// runIndexParts writes one sorted CDXJ per input of the shard, skipping
// parts already complete; a part whose input fails is not renamed.
func runIndexParts(ctx context.Context, opts indexOptions, g *globalOptions, spec shard.Spec, files []string,
	store shard.Store) error {
	run := shard.Run{Store: store, Spec: spec, Op: "index", Logger: g.logger()}
	names := shard.PartNames(files, ".cdxj")
	return run.Parts(ctx, files, names, func(ctx context.Context, k int, w io.Writer) error {
		if opts.NoSearch {
			return indexFiles(ctx, []string{files[k]}, opts.Jobs, g, w, nil)
		}
		return indexPartWithSearch(ctx, opts, g, store, files[k], strings.TrimSuffix(names[k], ".cdxj")+".search.sqlite", w)
	})
}

// indexPartWithSearch indexes one input into its CDXJ part w and writes the
// search index of its pages as a part of its own beside it (replay searches
// every *.search.sqlite of a collection's indexes folder together). The
// SQLite file is built in a local temporary folder and committed to the
// store before the CDXJ part, so a complete CDXJ part always has its
// search part.
func indexPartWithSearch(ctx context.Context, opts indexOptions, g *globalOptions, store shard.Store, input, name string, w io.Writer) error {
	tmp, err := os.MkdirTemp("", "warcbox-search-part-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	db := filepath.Join(tmp, "part.search.sqlite")
	six, err := search.Open(ctx, db, search.Options{Logger: g.logger(), Store: g.storage()})
	if err != nil {
		return err
	}
	defer six.Close()
	if err := indexFiles(ctx, []string{input}, opts.Jobs, g, w, six); err != nil {
		return err
	}
	if err := six.Close(); err != nil {
		return err
	}
	f, err := os.Open(db)
	if err != nil {
		return err
	}
	defer f.Close()
	p, err := store.Create(ctx, name)
	if err != nil {
		return err
	}
	if _, err := io.Copy(p, f); err != nil {
		p.Abort()
		return fmt.Errorf("search part %s: %w", name, err)
	}
	return p.Commit()
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
		store, name = shard.Objects{Store: st, Prefix: opts.Output[:i+1], StaleAfter: opts.StaleAfter, Logger: g.logger()}, opts.Output[i+1:]
	} else {
		dir, base := filepath.Split(opts.Output)
		if dir == "" {
			dir = "."
		}
		store, name, tempDir = shard.Dir{Path: dir, StaleAfter: opts.StaleAfter, Logger: g.logger()}, base, dir
	}
	p, err := store.Create(ctx, name)
	if err != nil {
		return fmt.Errorf("index --merge: %w", err)
	}
	if err := index.Merge(ctx, st, p, paths, tempDir); err != nil {
		p.Abort()
		return err
	}
	if err := p.Commit(); err != nil {
		return err
	}
	if tempDir == "" || opts.NoSearch {
		return nil
	}
	return mergeSearchParts(ctx, g, paths, searchPath(opts))
}

// mergeSearchParts copies the search parts beside local CDXJ parts
// (NAME.search.sqlite beside NAME.cdxj) into one search index at dst, so
// the merged collection ranks pages with one set of statistics. Parts
// without one are passed over.
func mergeSearchParts(ctx context.Context, g *globalOptions, paths []string, dst string) error {
	var parts []string
	for _, p := range paths {
		sp := strings.TrimSuffix(p, ".cdxj") + ".search.sqlite"
		if storage.IsRemote(p) {
			continue
		}
		if _, err := os.Stat(sp); err == nil {
			parts = append(parts, sp)
		}
	}
	if len(parts) == 0 {
		return nil
	}
	six, err := search.Open(ctx, dst, search.Options{Logger: g.logger()})
	if err != nil {
		return fmt.Errorf("index --merge: %w", err)
	}
	defer six.Close()
	for _, sp := range parts {
		src, err := search.Open(ctx, sp, search.Options{Logger: g.logger()})
		if err != nil {
			return fmt.Errorf("index --merge: %w", err)
		}
		_, err = six.AddIndex(ctx, src)
		src.Close()
		if err != nil {
			return fmt.Errorf("index --merge: %s: %w", sp, err)
		}
	}
	return six.Close()
}
