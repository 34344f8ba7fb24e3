package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/warcbox/warcbox/extract"
	"github.com/warcbox/warcbox/selection"
	"github.com/warcbox/warcbox/shard"
	"github.com/warcbox/warcbox/storage"
	"github.com/warcbox/warcbox/warc"
)

// partsStore returns where -o puts one part per input when it names a
// folder ("DIR/", an existing folder, an s3:// prefix), or nil for a
// single output file.
func partsStore(g *globalOptions, out string) shard.Store {
	if out == "" || out == "-" {
		return nil
	}
	if storage.KindOf(out) == storage.S3 {
		return shard.Objects{Store: g.storage(), Prefix: out}
	}
	if strings.HasSuffix(out, "/") || strings.HasSuffix(out, string(os.PathSeparator)) {
		return shard.Dir(out)
	}
	if st, err := os.Stat(out); err == nil && st.IsDir() {
		return shard.Dir(out)
	}
	return nil
}

// shardInputs keeps the shard's share of the inputs.
func shardInputs(spec shard.Spec, inputs []warc.Input) []warc.Input {
	if spec.All() {
		return inputs
	}
	var out []warc.Input
	for k, in := range inputs {
		if spec.TakesInput(k) {
			out = append(out, in)
		}
	}
	return out
}

// formatExt is the file name extension of each output format.
func formatExt(format string) string {
	return "." + strings.ToLower(format)
}

// runExtractParts writes one part per input of the shard, skipping parts
// already complete. A part whose input fails is not renamed: the error is
// logged, the other inputs go on, and the run fails at the end.
func runExtractParts(ctx context.Context, opts *extractOptions, g *globalOptions, spec shard.Spec,
	inputs []warc.Input, store shard.Store) error {
	names := make([]string, len(inputs))
	for i, in := range inputs {
		names[i] = in.Name
	}
	parts := shard.PartNames(names, formatExt(opts.Format))
	run := extractRunOptions(opts, g)
	log := run.Logger
	var failed []string
	var written, skipped int
	for k, in := range inputs {
		if !spec.TakesInput(k) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		done, err := store.Done(ctx, parts[k])
		if err != nil {
			return fmt.Errorf("extract: %w", err)
		}
		if done {
			skipped++
			log.Info("extract: part already complete, skipped", "part", parts[k], "input", in.Name)
			continue
		}
		if err := extractPart(ctx, in, parts[k], store, opts.Format, run, g.warcOptions()); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			log.Error("extract: part failed, left unwritten", "part", parts[k], "input", in.Name, "err", err)
			failed = append(failed, in.Name)
			continue
		}
		written++
	}
	log.Info("extract: parts done", "shard", spec.String(), "written", written, "skipped", skipped, "failed", len(failed))
	if len(failed) > 0 {
		return fmt.Errorf("extract: %d of %d inputs failed: %s", len(failed), written+skipped+len(failed), strings.Join(failed, ", "))
	}
	return nil
}

// extractPart extracts one input into its part and commits it.
func extractPart(ctx context.Context, in warc.Input, name string, store shard.Store, format string,
	run extract.RunOptions, wopts warc.Options) (err error) {
	// Run logs an input it cannot open and goes on; here that must fail
	// the part, so the input is opened once first.
	rd, err := warc.OpenContext(ctx, in.Name, wopts)
	if err != nil {
		return err
	}
	rd.Close()
	p, err := store.Create(ctx, name)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			p.Abort()
		}
	}()
	bw := bufio.NewWriterSize(p, 256<<10)
	w, err := extract.NewWriter(bw, format)
	if err != nil {
		return err
	}
	if err := extract.Run(ctx, []warc.Input{in}, run, w.Write); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write part: %w", err)
	}
	return p.Commit()
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
	var out io.Writer = g.stdout
	var part shard.Part
	if store := partsStore(g, opts.Output); store != nil {
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
		of, err := os.Create(opts.Output)
		if err != nil {
			return fmt.Errorf("extract: %w", err)
		}
		defer func() {
			if cerr := of.Close(); cerr != nil && err == nil {
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
	seen := map[string]bool{}
	st, runErr := selection.Each(ctx, refs, selection.Options{Requests: opts.Requests, Keep: spec.TakesRow, Logger: log,
		Opener: selection.Ranges{Store: g.storage()}},
		func(_ selection.Ref, rec *warc.Record) (*extract.Article, error) {
			return extract.ExtractRecord(rec, run)
		},
		func(_ selection.Ref, a *extract.Article, err error) error {
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
				if seen[a.PayloadDigest] {
					return nil
				}
				seen[a.PayloadDigest] = true
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
