// Package ui prints what warcbox's commands have to say, so that the
// commands only wire flags to packages (restic's internal/ui pattern).
// Each command's results go through one Printer: a text printer for
// people, or a JSON printer under --json, chosen here and nowhere else.
// Progress goes to stderr through one Progress component, and sizes are
// written by one formatter, Bytes. Only cmd/ imports this package:
// libraries return values and never print.
package ui

import (
	"fmt"
	"io"
	"os"

	"golang.org/x/term"
)

// Printer prints one command's results.
type Printer[T any] interface {
	// Print prints one result.
	Print(T) error
	// Close ends the output: a table is aligned, collected results are
	// written. Call it once, after the last Print.
	Close() error
}

// Term is where a command's output goes, and in what form.
type Term struct {
	Out io.Writer // results
	Err io.Writer // progress
	// JSON asks for machine-readable results and no progress bars.
	JSON bool
	// Quiet asks for no progress bars.
	Quiet bool
}

// ShowProgress reports whether a progress bar belongs on Err: it is a
// terminal and neither --quiet nor --json was given.
func (t Term) ShowProgress() bool { return !t.Quiet && !t.JSON && IsTerminal(t.Err) }

// IsTerminal reports whether w is a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// Bytes formats a byte count in binary units: "512 B", "1.5 KiB", "3.0 GiB".
func Bytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// orDash writes "-" for an empty field, as the tables do.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
