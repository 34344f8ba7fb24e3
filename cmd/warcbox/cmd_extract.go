package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/warcbox/warcbox/extract"
	"github.com/warcbox/warcbox/internal/ui"
	"github.com/warcbox/warcbox/selection"
	"github.com/warcbox/warcbox/shard"
)

// extractOptions holds the flags of `warcbox extract`.
type extractOptions struct {
	Format      string
	Output      string
	AllStatuses bool
	Dedup       bool
	DedupIndex  string
	Workers     int
	NoBody      bool
	NoFallback  bool
	MaxBytes    int
	Explain     bool
	// RenderedCase: names and headlines as the page's own CSS shows them.
	RenderedCase bool
	// Sharded and index-driven runs (extract_parts.go).
	Records    string
	Originals  string
	Base       string
	Shard      string
	Requests   int
	StaleAfter time.Duration
}

func (o *extractOptions) AddFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.Format, "format", "jsonl", "output format: jsonl, csv or parquet")
	fs.StringVarP(&o.Output, "output", "o", "", "write to FILE instead of stdout; a folder (DIR/, an existing folder) gets one part per input, renamed when complete, and finished parts are skipped")
	fs.BoolVar(&o.AllStatuses, "all-statuses", false, "extract pages of every HTTP status, not only 200")
	fs.BoolVar(&o.Dedup, "dedup", false, "skip pages whose payload digest was already output (with --records: rows whose digest an earlier row carries, whatever the shard)")
	fs.StringVar(&o.DedupIndex, "dedup-index", "", "with --dedup across shards or parts: a CDXJ of the collection, local or remote; a page is output only if it is the first record of its payload digest in input order, then offset")
	fs.IntVar(&o.Workers, "workers", 0, "pages extracted at once (0: all cores)")
	fs.BoolVar(&o.NoBody, "no-body", false, "metadata only: skip the article text (much faster)")
	fs.BoolVar(&o.NoFallback, "no-fallback", false, "body from go-trafilatura alone: no readability/dom-distiller comparison and no standfirst taken back from readability (faster)")
	fs.BoolVar(&o.Explain, "explain", false, "add an \"explain\" object (JSON lines only): per field, every candidate value, its source path and why it lost")
	fs.BoolVar(&o.RenderedCase, "rendered-case", false, "spell authors and a headline title in the letter case the page's own CSS shows them in (text-transform in its <style> and style attributes; linked stylesheets are not read)")
	fs.IntVar(&o.MaxBytes, "max-bytes", extract.DefaultMaxBytes, "read at most this many payload bytes per page")
	fs.StringVar(&o.Records, "records", "", "read only the records FILE names: a CDXJ/CDX index, CC CDX API JSON lines, or cc-index-table rows as Parquet or CSV")
	fs.StringVar(&o.Base, "base", "", "with --records, resolve relative file names against this folder or URL prefix")
	fs.StringVar(&o.Originals, "originals", "", "with --records, find revisits' originals in this sorted CDXJ, local or remote (default: the records file, when it is a CDXJ)")
	fs.DurationVar(&o.StaleAfter, "stale-after", 0, "with -o DIR/: also remove a part's temporary left by another host's run when not written to for this long (one left by a gone process on this host is always removed)")
	fs.StringVar(&o.Shard, "shard", "", "take shard I of N (I/N, I from 0): every Nth input, or with --records every Nth block of 16 rows")
	fs.IntVar(&o.Requests, "requests", selection.DefaultRequests, "with --records, byte ranges read at once")
}

func newExtractCommand(g *globalOptions) *cobra.Command {
	opts := &extractOptions{}
	cmd := &cobra.Command{
		Use:   "extract [flags] PATH… | --records FILE",
		Short: "Extract article metadata and text from WARC, WARC.gz and WACZ files",
		Long: `extract prints one record per HTML page (response, resource and resolved
revisit records whose payload sniffs as HTML, status 200 unless --all-statuses):
provenance, title, authors, dates, publisher, body text and, for every field,
where its value came from. The schema is in docs/extract-schema.md.

PATH is a WARC, WARC.gz, ARC or WACZ file, a folder (searched for them), a
glob, or "-" to read such paths from stdin, one a line. Output is ordered by
file and offset whatever the number of workers.

--records FILE reads only the records an index names (CDXJ as warcbox and
pywb write it, Common Crawl's CDX API JSON lines, cc-index-table rows as
Parquet or CSV with warc_filename, warc_record_offset, warc_record_length),
one byte-range request per run of adjacent records, --requests at a time;
--base resolves relative file names. Output is ordered by file and offset.

Sharded, resumable runs (docs/scale.md): --shard I/N takes a deterministic
share of the inputs; -o DIR/ writes one part per input (per shard with
--records) under a temporary name, renamed when complete; a rerun skips
finished parts; a failed part is never renamed. --dedup across shards: with
--records the first row of a digest in the file wins; whole files need
--dedup-index (a CDXJ of the collection: the first record of a digest in
input order, then offset, wins), so the shards' union is one run's output.

Exit status: 0 on success, 1 if an input or a selected record could not be
read or output failed, 2 on bad flags.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runExtract(cmd.Context(), opts, g, args) },
	}
	opts.AddFlags(cmd.Flags())
	return cmd
}

func runExtract(ctx context.Context, opts *extractOptions, g *globalOptions, args []string) (err error) {
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(extract.GCPercent))
	}
	if !slices.Contains(extract.Formats, strings.ToLower(opts.Format)) {
		return usageError{fmt.Errorf("extract: unknown --format %q (want %s)", opts.Format, strings.Join(extract.Formats, ", "))}
	}
	if opts.Explain && !strings.EqualFold(opts.Format, "jsonl") {
		return usageError{fmt.Errorf("extract: --explain needs --format jsonl")}
	}
	spec, err := shard.Parse(opts.Shard)
	if err != nil {
		return usageError{fmt.Errorf("extract: --shard: %w", err)}
	}
	if opts.Records != "" {
		if opts.DedupIndex != "" {
			return usageError{fmt.Errorf("extract: --dedup-index is for whole files; with --records, --dedup uses the rows' digests")}
		}
		if len(args) > 0 {
			return usageError{fmt.Errorf("extract: --records reads the records its file names: give no PATH")}
		}
		return runExtractRecords(ctx, opts, g, spec)
	}
	if len(args) == 0 {
		return usageError{fmt.Errorf("extract: give at least one PATH, or --records FILE")}
	}
	inputs, problems, err := expandInputs(g, args)
	if err != nil {
		return err
	}
	var firsts *firstFilter
	if opts.DedupIndex != "" {
		// Read before the shard is taken: the first record of a digest
		// is judged among every input of the run.
		if firsts, err = loadDedupIndex(ctx, g, opts.DedupIndex, inputs, opts.AllStatuses); err != nil {
			return err
		}
		opts.Dedup = true
		defer firsts.report(g.logger())
	}
	if store := outputs(g, opts.StaleAfter).Parts(opts.Output); store != nil {
		if err := runExtractParts(ctx, opts, g, spec, inputs, store, firsts); err != nil {
			return err
		}
		if problems {
			return errProblemsFound
		}
		return nil
	}
	inputs = shard.Take(spec, inputs)
	var out io.Writer = g.stdout
	if opts.Output != "" && opts.Output != "-" {
		// err is the function's own: the deferred commit must see how the
		// run ended, and report a failed upload.
		var f shard.Part
		if f, err = outputs(g, opts.StaleAfter).Create(ctx, opts.Output); err != nil {
			return fmt.Errorf("extract: %w", err)
		}
		defer func() {
			// An s3:// object appears whole after a run that may have
			// left some inputs out (exit 1, as for a local file).
			if err != nil && !errors.Is(err, errProblemsFound) {
				f.Abort()
			} else if cerr := f.Commit(); cerr != nil && err == nil {
				err = fmt.Errorf("extract: %w", cerr)
			}
		}()
		out = f
	}
	bw := bufio.NewWriterSize(out, 256<<10)
	w, err := extract.NewWriter(bw, opts.Format)
	if err != nil {
		return usageError{err}
	}
	run := extractRunOptions(opts, g)
	if t := g.term(); t.ShowProgress() {
		var total int64
		for _, in := range inputs {
			total += in.Size
		}
		bar := ui.NewBytes(t.Err, "extract", total)
		run.Progress = bar.Add
		defer bar.Finish()
	}
	run.Keep = firsts.keep()
	runErr := extract.Run(ctx, inputs, run, w.Write)
	if cerr := w.Close(); cerr != nil && runErr == nil {
		runErr = cerr
	}
	if ferr := bw.Flush(); ferr != nil && runErr == nil {
		runErr = fmt.Errorf("extract: write output: %w", ferr)
	}
	if errors.Is(runErr, extract.ErrInputFailed) {
		// Each failed input was logged by name; the rest were extracted.
		fmt.Fprintf(g.stderr, "warcbox: %v\n", runErr)
		return errProblemsFound
	}
	if runErr == nil && problems {
		return errProblemsFound
	}
	return runErr
}

// extractRunOptions fills the library's options from the flags.
func extractRunOptions(opts *extractOptions, g *globalOptions) extract.RunOptions {
	log := g.logger()
	exOpts := extract.DefaultOptions()
	exOpts.Logger = log
	exOpts.SkipBody = opts.NoBody
	exOpts.Fallback = !opts.NoFallback
	exOpts.MaxBytes = opts.MaxBytes
	exOpts.Explain = opts.Explain
	exOpts.RenderedCase = opts.RenderedCase
	return extract.RunOptions{
		Extractor:   extract.New(exOpts),
		AllStatuses: opts.AllStatuses,
		Dedup:       opts.Dedup,
		Workers:     opts.Workers,
		Strict:      g.Strict,
		Logger:      log,
		Store:       g.storage(),
	}
}
