package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/sync/errgroup"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/index"
	"github.com/warcbox/warcbox/search"
	"github.com/warcbox/warcbox/shard"
	"github.com/warcbox/warcbox/storage"
)

type indexOptions struct {
	Output   string
	Jobs     int
	Search   string
	NoSearch bool
	// Sharded runs and merging (index_parts.go).
	Shard      string
	Merge      bool
	StaleAfter time.Duration
}

func (o *indexOptions) AddFlags(f *pflag.FlagSet) {
	f.StringVarP(&o.Output, "output", "o", "", "write the index to this file instead of stdout; a folder (DIR/, an existing folder) gets one CDXJ per input, renamed when complete, and finished ones are skipped")
	f.StringVar(&o.Shard, "shard", "", "take shard I of N (I/N, I from 0) of the inputs: every Nth file")
	f.DurationVar(&o.StaleAfter, "stale-after", 0, "with -o DIR/: also remove a part's temporary left by another host's run when not written to for this long (one left by a gone process on this host is always removed)")
	f.BoolVar(&o.Merge, "merge", false, "merge sorted CDXJ files (or folders of *.cdxj) into one sorted CDXJ, streaming")
	f.IntVarP(&o.Jobs, "jobs", "j", 0, "files indexed at once (if zero, one per CPU)")
	f.StringVar(&o.Search, "search", "", "also write the full-text search index of the HTML pages to this file (default with -o: beside it, NAME.search.sqlite)")
	f.BoolVar(&o.NoSearch, "no-search", false, "write no full-text search index")
}

func newIndexCommand(g *globalOptions) *cobra.Command {
	var opts indexOptions
	cmd := &cobra.Command{
		Use:   "index FILE|DIR…",
		Short: "Write a sorted CDXJ index of WARC/ARC files, as pywb and warcio.js write it",
		Long: `index reads every record of the given WARC and ARC files (folders are
searched for *.warc, *.warc.gz, *.arc, *.arc.gz) and writes one CDXJ line per
response, revisit, resource and metadata record, sorted, exactly as
warcio.js cdx-index writes them: SURT key, 14-digit timestamp, and JSON with
url, mime, status, digest, length, offset, filename (plus method and
requestBody for POST/PUT captures, whose key folds in the body as pywb does).

With -o (or --search FILE) it also writes the full-text search index replay
uses: the title and visible text of every HTML 200 page, in a SQLite file
beside the index (index.cdxj → index.search.sqlite). A WARC already in that
file unchanged is not read again.

Malformed records are reported on stderr with file and offset and left out;
--strict makes the first one fatal. Records of whole-file gzip files cannot
be reached by offset and are left out with a warning.

Sharded runs (docs/scale.md): --shard I/N takes every Nth input; with
-o DIR/ each input gets its own sorted CDXJ part, written under a
temporary name and renamed when complete (a rerun skips finished parts);
then "warcbox index --merge DIR/ -o all.cdxj" merges the parts into one
sorted CDXJ, byte for byte what indexing all files at once writes, with
flat memory.

Exit status: 0, 1 if a file cannot be read (or a record is malformed, with
--strict), 2 on bad usage.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runIndex(cmd.Context(), opts, g, args) },
	}
	opts.AddFlags(cmd.Flags())
	return cmd
}

func runIndex(ctx context.Context, opts indexOptions, g *globalOptions, args []string) error {
	spec, err := shard.Parse(opts.Shard)
	if err != nil {
		return usageError{fmt.Errorf("index: --shard: %w", err)}
	}
	if opts.Merge {
		return runIndexMerge(ctx, opts, g, args)
	}
	inputs, problems, err := expandInputs(g, args)
	if err != nil {
		return err
	}
	files := inputNames(inputs)
	if store := outputs(g, opts.StaleAfter).Parts(opts.Output); store != nil {
		if err := runIndexParts(ctx, opts, g, spec, files, store); err != nil {
			return err
		}
		if problems {
			return errProblemsFound
		}
		return nil
	}
	files = shard.Take(spec, files)
	out := g.stdout
	var f shard.Part
	if opts.Output != "" {
		if f, err = outputs(g, opts.StaleAfter).Create(ctx, opts.Output); err != nil {
			return err
		}
		defer func() {
			if f != nil { // not committed: an s3:// object stays absent
				f.Abort()
			}
		}()
		out = f
	}
	var six *search.Index
	if sp := searchPath(opts); sp != "" {
		if six, err = search.Open(ctx, sp, search.Options{Logger: g.logger(), Store: g.storage()}); err != nil {
			return err
		}
		defer six.Close()
	}
	if err := indexFiles(ctx, files, opts.Jobs, g, out, six); err != nil {
		return err
	}
	if six != nil {
		if err := six.Close(); err != nil {
			return err
		}
	}
	if f != nil {
		err := f.Commit()
		f = nil
		if err != nil {
			return err
		}
	}
	if problems {
		return errProblemsFound
	}
	return nil
}

// searchPath is where the search index goes: --search, else beside -o.
func searchPath(opts indexOptions) string {
	switch {
	case opts.NoSearch:
		return ""
	case opts.Search != "":
		return opts.Search
	case opts.Output != "" && !storage.IsRemote(opts.Output):
		return strings.TrimSuffix(strings.TrimSuffix(opts.Output, ".cdxj"), ".cdx") + ".search.sqlite"
	}
	return ""
}

// indexFiles indexes files in parallel into one sorted output, and into
// the search index six when not nil.
func indexFiles(ctx context.Context, files []string, jobs int, g *globalOptions, out io.Writer, six *search.Index) error {
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}
	sw := cdxj.NewSortedWriter(out, cdxj.SortOptions{})
	// One writer for every file: pages are committed in batches across
	// files, not a transaction per file.
	var sww *search.Writer
	if six != nil {
		sww = six.NewWriter()
	}
	var mu sync.Mutex
	log := g.logger()
	eg, gctx := errgroup.WithContext(ctx)
	eg.SetLimit(jobs)
	// Fewer files than cores: each file is cut into pieces read at once.
	perFile := max(1, jobs/max(1, len(files)))
	for _, path := range files {
		eg.Go(func() error {
			// Lines are formatted in the worker and added under the lock,
			// so formatting runs in parallel.
			var buf []byte
			var pages []search.Page
			var pmu sync.Mutex // pieces of one file are indexed at once
			_, err := index.BuildFileParallel(gctx, path, index.Options{Strict: g.Strict, Logger: log, Store: g.storage()}, perFile, func(l *cdxj.Line) error {
				if six != nil {
					if p, ok := search.PageOf(l); ok {
						pmu.Lock()
						pages = append(pages, p)
						pmu.Unlock()
					}
				}
				buf = l.AppendTo(buf[:0])
				mu.Lock()
				defer mu.Unlock()
				return sw.AddBytes(buf)
			})
			if err != nil {
				return fmt.Errorf("index %s: %w", path, err)
			}
			if six != nil && len(pages) > 0 {
				if _, _, err := sww.AddWARC(gctx, path, pages[0].Filename, pages); err != nil {
					if gctx.Err() != nil {
						return gctx.Err()
					}
					// The CDXJ is whole without it: say so and go on.
					log.Warn("index: pages left out of the search index", "file", path, "err", err)
				}
			}
			return nil
		})
	}
	if err := eg.Wait(); err != nil {
		return err
	}
	if sww != nil {
		if err := sww.Flush(ctx); err != nil {
			log.Warn("index: pages left out of the search index", "err", err)
		}
	}
	return sw.Close()
}
