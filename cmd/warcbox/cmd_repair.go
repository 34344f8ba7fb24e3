package main

import (
	"context"
	"errors"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/warcbox/warcbox/capture"
	"github.com/warcbox/warcbox/internal/ui"
	"github.com/warcbox/warcbox/warc"
)

type repairOptions struct {
	DryRun bool
}

func (o *repairOptions) AddFlags(f *pflag.FlagSet) {
	f.BoolVarP(&o.DryRun, "dry-run", "n", false, "report what would be cut, change nothing")
}

func newRepairCommand(g *globalOptions) *cobra.Command {
	opts := &repairOptions{}
	cmd := &cobra.Command{
		Use:   "repair [flags] FILE...",
		Short: "Trim the record a crash (kill -9) left cut at the end of a WARC file",
		Long: `Repair reads each WARC file record by record. If the last record (or its
gzip member) is cut short, as a capture killed mid-write leaves it, repair
cuts the file back to the end of the last whole record. The bytes cut off
are saved as FILE.tail-OFFSET, never thrown away. A FILE.open left by an
interrupted capture is renamed to FILE once whole. Damage followed by
whole records is not a cut tail: repair refuses and leaves the file as is.
The spool folders (.warcbox-spool-*) a killed capture left beside the files
are removed, and listed as REMOVED (the next capture into the folder removes
them too); a running capture's folder is never touched.

Rebuild the index afterwards with 'warcbox index'.

Exit codes: 0 every file whole or repaired, 1 a file could not be repaired,
2 bad flags or arguments.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runRepair(cmd.Context(), opts, g, args) },
	}
	opts.AddFlags(cmd.Flags())
	return cmd
}

func runRepair(ctx context.Context, opts *repairOptions, g *globalOptions, args []string) error {
	p := ui.NewRepairPrinter(g.term())
	var errs []error
	report := func(r ui.RepairResult) {
		r.DryRun = opts.DryRun
		if err := p.Print(r); err != nil {
			errs = append(errs, err)
		}
	}
	dirs := map[string]bool{}
	for _, path := range args {
		if d := filepath.Dir(path); !dirs[d] {
			dirs[d] = true
			removed, err := capture.RemoveStaleSpools(d, opts.DryRun)
			if err != nil {
				errs = append(errs, err)
			}
			for _, r := range removed {
				report(ui.RepairResult{Spool: &r})
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		res, err := warc.Repair(path, opts.DryRun)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		report(ui.RepairResult{Path: path, Result: res})
	}
	errs = append(errs, p.Close())
	return errors.Join(errs...)
}
