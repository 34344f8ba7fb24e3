package ui

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/warcbox/warcbox/capture"
	"github.com/warcbox/warcbox/warc"
)

// RepairResult is one thing `warcbox repair` reports: a WARC file
// (Path and Result), or a capture's spool folder removed (Spool).
type RepairResult struct {
	Path   string
	Result *warc.RepairResult
	Spool  *capture.RemovedSpool
	DryRun bool
}

// NewRepairPrinter returns repair's printer.
func NewRepairPrinter(t Term) Printer[RepairResult] {
	if t.JSON {
		return repairJSON{t.Out}
	}
	return repairText{t.Out}
}

type repairText struct{ w io.Writer }

func (p repairText) Print(r RepairResult) error {
	if sp := r.Spool; sp != nil {
		if r.DryRun {
			fmt.Fprintf(p.w, "REMOVE\t%s\twould remove %d spooled responses (%d bytes) left by an interrupted capture\n", sp.Path, sp.Files, sp.Bytes)
		} else {
			fmt.Fprintf(p.w, "REMOVED\t%s\t%d spooled responses (%d bytes) left by an interrupted capture\n", sp.Path, sp.Files, sp.Bytes)
		}
		return nil
	}
	res, path := r.Result, r.Path
	switch {
	case !res.Trimmed():
		fmt.Fprintf(p.w, "OK\t%s\t%d records, nothing to cut\n", path, res.Records)
	case r.DryRun:
		fmt.Fprintf(p.w, "CUT\t%s\twould cut %d bytes at offset %d after %d whole records: %s\n", path, res.Size-res.Cut, res.Cut, res.Records, res.Reason)
	default:
		fmt.Fprintf(p.w, "CUT\t%s\tcut %d bytes at offset %d after %d whole records: %s; tail saved to %s\n", path, res.Size-res.Cut, res.Cut, res.Records, res.Reason, res.TailFile)
	}
	if res.Renamed != "" {
		fmt.Fprintf(p.w, "RENAMED\t%s\t%s\n", path, res.Renamed)
	}
	return nil
}

func (repairText) Close() error { return nil }

type repairJSON struct{ w io.Writer }

func (p repairJSON) Print(r RepairResult) error {
	var v any = r.Result
	if r.Spool != nil {
		v = r.Spool
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(p.w, "%s\n", b)
	return err
}

func (repairJSON) Close() error { return nil }
