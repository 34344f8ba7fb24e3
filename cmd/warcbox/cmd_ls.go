package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/warcbox/warcbox/internal/ui"
	"github.com/warcbox/warcbox/warc"
)

func newLsCommand(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "ls FILE…",
		Short: "List the records of WARC/ARC files: offset, length, type, date, target URI, content type, status",
		Long: `ls prints one row per record. Problems with a record are printed to
stderr with their offset, and the listing goes on.

Exit status: 0, or 1 if a file could not be read or had malformed records.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runLs(cmd.Context(), g, args) },
	}
}

func runLs(ctx context.Context, g *globalOptions, args []string) error {
	inputs, problems, err := expandInputs(g, args)
	if err != nil {
		return err
	}
	p := ui.NewLsPrinter(g.term())
	var pending *ui.LsRow
	flush := func() error {
		if pending == nil {
			return nil
		}
		row := *pending
		pending = nil
		return p.Print(row)
	}
	for _, path := range inputNames(inputs) {
		r, err := warc.OpenContext(ctx, path, g.warcOptions())
		if err != nil {
			// The other inputs are still listed; the exit status says.
			fmt.Fprintf(g.stderr, "warcbox: %v\n", err)
			problems = true
			continue
		}
		var prev *warc.Record
		for rec, err := range r.Records() {
			if cerr := ctx.Err(); cerr != nil {
				r.Close()
				return cerr
			}
			// A record's length is known once the reader has moved past it.
			if prev != nil {
				pending.Length = prev.Size
				if err := flush(); err != nil {
					r.Close()
					return err
				}
				prev = nil
			}
			if err != nil {
				var re *warc.RecordError
				if errors.As(err, &re) && re.Warning && !g.Strict {
					fmt.Fprintf(g.stderr, "warcbox: warning: %v\n", err)
					continue
				}
				problems = true
				fmt.Fprintf(g.stderr, "warcbox: %v\n", err)
				if g.Strict {
					r.Close()
					return errProblemsFound
				}
				continue
			}
			row := ui.LsRow{File: path, Offset: rec.Offset, Type: rec.Type(), TargetURI: rec.TargetURI(),
				RecordID: rec.ID(), ContentType: rec.ContentType()}
			if d := rec.Date(); !d.IsZero() {
				row.Date = d.Format(time.RFC3339)
			}
			if rec.IsHTTP() {
				if m, err := rec.HTTP(); err == nil {
					row.Status = m.StatusCode
					if !m.IsRequest {
						row.ContentType = strings.TrimSpace(m.Header.Get("Content-Type"))
					}
				}
			}
			pending, prev = &row, rec
		}
		if prev != nil {
			pending.Length = prev.Size
		}
		if err := flush(); err != nil {
			r.Close()
			return err
		}
		r.Close()
	}
	if err := p.Close(); err != nil {
		return err
	}
	if problems {
		return errProblemsFound
	}
	return nil
}
