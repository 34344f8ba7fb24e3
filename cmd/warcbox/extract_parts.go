package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/extract"
	"github.com/warcbox/warcbox/selection"
	"github.com/warcbox/warcbox/shard"
	"github.com/warcbox/warcbox/storage"
	"github.com/warcbox/warcbox/warc"
)

// outputs is where -o goes (shard.Output).
func outputs(g *globalOptions, staleAfter time.Duration) shard.Output {
	return shard.Output{Store: g.storage(), StaleAfter: staleAfter, Logger: g.logger()}
}

// formatExt is the file name extension of each output format.
func formatExt(format string) string {
	return "." + strings.ToLower(format)
}

// runExtractParts writes one part per input of the shard, skipping parts
// already complete. A part whose input fails is not renamed: the error is
// logged, the other inputs go on, and the run fails at the end.
func runExtractParts(ctx context.Context, opts *extractOptions, g *globalOptions, spec shard.Spec,
	inputs []warc.Input, store shard.Store, firsts *firstFilter) error {
	names := make([]string, len(inputs))
	for i, in := range inputs {
		names[i] = in.Name
	}
	run := extractRunOptions(opts, g)
	parts := shard.Run{Store: store, Spec: spec, Op: "extract", Logger: run.Logger}
	return parts.Parts(ctx, names, shard.PartNames(names, formatExt(opts.Format)), func(ctx context.Context, k int, w io.Writer) error {
		return extractPart(ctx, inputs[k], w, opts.Format, run, g.warcOptions(), firsts)
	})
}

// firstFilter keeps, under --dedup-index, only the pages that are the
// first record of their payload digest among all the run's inputs.
type firstFilter struct {
	fc      *selection.FirstCaptures
	skipped atomic.Int64
}

// loadDedupIndex reads the --dedup-index CDXJ (local or remote, gzipped
// or not) against every input of the run, in order.
func loadDedupIndex(ctx context.Context, g *globalOptions, name string, inputs []warc.Input, allStatuses bool) (*firstFilter, error) {
	rc, err := g.storage().NewReader(ctx, name, 0)
	if err != nil {
		return nil, fmt.Errorf("extract: --dedup-index: %w", err)
	}
	defer rc.Close()
	r, err := selection.MaybeGunzip(rc)
	if err != nil {
		return nil, fmt.Errorf("extract: --dedup-index: %s: %w", storage.Redact(name), err)
	}
	names := make([]string, len(inputs))
	for k, in := range inputs {
		names[k] = in.Name
	}
	shown := storage.Redact(name)
	fc, err := selection.LoadFirstCaptures(ctx, cdxj.Briefs(ctx, r, shown), names, allStatuses, g.logger())
	if err != nil {
		return nil, fmt.Errorf("extract: --dedup-index: %s: %w", shown, err)
	}
	g.logger().Info("extract: dedup index read", "file", shown, "lines", fc.Lines, "used", fc.Used, "digests", fc.Len(), "bad_lines", fc.Bad)
	return &firstFilter{fc: fc}, nil
}

// keep is extract.RunOptions.Keep for the filter; nil passes everything.
func (f *firstFilter) keep() func(*extract.Article) bool {
	if f == nil {
		return nil
	}
	return func(a *extract.Article) bool {
		if !f.fc.KeepInput(a.WARCFile, a.WARCOffset, a.PayloadDigest) {
			f.skipped.Add(1)
			return false
		}
		return true
	}
}

func (f *firstFilter) report(log *slog.Logger) {
	if n := f.skipped.Load(); n > 0 {
		log.Info("extract: pages skipped, an earlier record of the collection has their payload", "count", n)
	}
}

// extractPart extracts one input into its part.
func extractPart(ctx context.Context, in warc.Input, out io.Writer, format string, run extract.RunOptions, wopts warc.Options, firsts *firstFilter) error {
	// Run logs an input it cannot open and goes on; here that must fail
	// the part, so the input is opened once first.
	rd, err := warc.OpenContext(ctx, in.Name, wopts)
	if err != nil {
		return err
	}
	rd.Close()
	bw := bufio.NewWriterSize(out, 256<<10)
	w, err := extract.NewWriter(bw, format)
	if err != nil {
		return err
	}
	run.Keep = firsts.keep()
	if err := extract.Run(ctx, []warc.Input{in}, run, w.Write); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write part: %w", err)
	}
	return nil
}

// openRecords opens a --records file, local or remote, and reads its rows.
func openRecords(ctx context.Context, g *globalOptions, path, base string) (io.Closer, func(yield func(selection.Ref, error) bool), error) {
	if storage.IsRemote(path) {
		obj, err := g.storage().Open(ctx, path)
		if err != nil {
			return nil, nil, fmt.Errorf("records: %w", err)
		}
		return obj, selection.Read(obj, obj.Size(), path, base), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("records: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("records: %w", err)
	}
	return f, selection.Read(f, st.Size(), path, base), nil
}

// openOriginals opens the sorted CDXJ that revisits' originals are looked
// up in: --originals, or the records file when it is a CDXJ (by name);
// none otherwise (revisits are then reported as such).
func openOriginals(ctx context.Context, g *globalOptions, records, originals, base string) (*selection.Originals, io.Closer, error) {
	name := originals
	if name == "" {
		n := strings.ToLower(records)
		if !strings.HasSuffix(n, ".cdxj") && !strings.HasSuffix(n, ".cdx") {
			return &selection.Originals{Opener: selection.Ranges{Store: g.storage()}}, io.NopCloser(nil), nil
		}
		name = records
	}
	obj, err := g.storage().Open(ctx, name)
	if err != nil {
		return nil, nil, fmt.Errorf("originals: %w", err)
	}
	idx, err := cdxj.OpenFile(obj, obj.Size())
	if err != nil {
		obj.Close()
		return nil, nil, fmt.Errorf("originals: %w", err)
	}
	shown := storage.Redact(name)
	idx.Name = shown
	return &selection.Originals{Index: idx, Name: shown, Base: base, Opener: selection.Ranges{Store: g.storage()}}, obj, nil
}

// runExtractRecords extracts the records a --records file names (the
// shard's rows of it) to stdout, -o FILE, or one part in -o DIR/.
func runExtractRecords(ctx context.Context, opts *extractOptions, g *globalOptions, spec shard.Spec) (err error) {
	run := extractRunOptions(opts, g)
	log := run.Logger
	f, refs, err := openRecords(ctx, g, opts.Records, opts.Base)
	if err != nil {
		return err
	}
	defer f.Close()
	orig, oc, err := openOriginals(ctx, g, opts.Records, opts.Originals, opts.Base)
	if err != nil {
		return err
	}
	defer oc.Close()
	run.Original = func(rec *warc.Record) (*warc.Record, io.Closer, error) { return orig.Read(ctx, rec) }
	var unresolved atomic.Int64
	var out io.Writer = g.stdout
	var part shard.Part
	if store := outputs(g, opts.StaleAfter).Parts(opts.Output); store != nil {
		name := shard.RecordsPartName(opts.Records, spec, formatExt(opts.Format))
		var done bool
		if done, err = store.Done(ctx, name); err != nil {
			return fmt.Errorf("extract: %w", err)
		}
		if done {
			log.Info("extract: part already complete, skipped", "part", name)
			return nil
		}
		if part, err = store.Create(ctx, name); err != nil {
			return fmt.Errorf("extract: %w", err)
		}
		defer func() {
			if err != nil {
				part.Abort()
			}
		}()
		out = part
	} else if opts.Output != "" && opts.Output != "-" {
		var of shard.Part // err stays the function's own, for the deferred commit
		if of, err = outputs(g, opts.StaleAfter).Create(ctx, opts.Output); err != nil {
			return fmt.Errorf("extract: %w", err)
		}
		defer func() {
			if err != nil {
				of.Abort()
			} else if cerr := of.Commit(); cerr != nil {
				err = fmt.Errorf("extract: %w", cerr)
			}
		}()
		out = of
	}
	bw := bufio.NewWriterSize(out, 256<<10)
	w, err := extract.NewWriter(bw, opts.Format)
	if err != nil {
		return usageError{err}
	}
	// --dedup: rows that carry a digest are deduplicated by row order
	// before they are fetched (selection.Options.Dedup), which every shard
	// decides alike; a page from a row without one is skipped here if its
	// digest was output before, within this part only.
	var seen selection.Digests
	st, runErr := selection.Each(ctx, refs, selection.Options{Requests: opts.Requests, Keep: spec.TakesRow, Logger: log, Dedup: opts.Dedup, AllStatuses: opts.AllStatuses,
		Opener: selection.Ranges{Store: g.storage()}},
		func(_ selection.Ref, rec *warc.Record) (*extract.Article, error) {
			a, err := extract.ExtractRecord(rec, run)
			if errors.Is(err, selection.ErrNoOriginal) {
				// Not a failure: Common Crawl's revisits point into earlier
				// crawls, which no index of this one holds.
				unresolved.Add(1)
				log.Warn("extract: revisit skipped, its original was not found", "file", storage.Redact(rec.File),
					"offset", rec.Offset, "url", rec.TargetURI(), "reason", err)
				return nil, nil
			}
			return a, err
		},
		func(ref selection.Ref, a *extract.Article, err error) error {
			if err != nil {
				if g.Strict {
					return err
				}
				log.Error("extract: record failed", "err", err)
				return nil
			}
			if a == nil {
				return nil
			}
			if opts.Dedup && a.PayloadDigest != "" {
				if ref.Digest == "" && seen.Has(a.PayloadDigest) {
					return nil
				}
				seen.Add(a.PayloadDigest)
			}
			return w.Write(*a)
		})
	if cerr := w.Close(); cerr != nil && runErr == nil {
		runErr = cerr
	}
	if ferr := bw.Flush(); ferr != nil && runErr == nil {
		runErr = fmt.Errorf("extract: write output: %w", ferr)
	}
	log.Info("extract: records read", "rows", st.Rows, "records", st.Records, "failed", st.Failed,
		"revisits_unresolved", unresolved.Load(), "repeated_digests", st.Repeated,
		"requests", st.Requests, "max_in_flight", st.MaxInFlight, "bytes_fetched", st.Bytes, "files", len(st.Files))
	if runErr != nil {
		return fmt.Errorf("extract --records: %w", runErr)
	}
	if st.Failed > 0 {
		return fmt.Errorf("extract --records: %d of %d selected rows failed (each is logged above with its file and offset, or its row)", st.Failed, st.Rows)
	}
	if part != nil {
		return part.Commit()
	}
	return nil
}
