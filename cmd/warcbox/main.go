// Command warcbox captures web pages into WARC files, replays them and
// extracts article metadata from them.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/warcbox/warcbox/internal/ui"
	"github.com/warcbox/warcbox/storage"
	"github.com/warcbox/warcbox/warc"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

// Exit codes shared by every command; each command's help repeats the ones it uses.
const (
	exitOK      = 0
	exitFailure = 1 // the command ran but found problems (verify) or failed
	exitUsage   = 2 // bad flags or arguments
	exitPartial = 3 // capture: captured, not fully attested (a timestamp is missing)
)

// globalOptions holds the flags every command shares.
type globalOptions struct {
	Verbose bool
	Quiet   bool
	JSON    bool
	Strict  bool
	// S3Endpoint points s3:// names at an S3-compatible store.
	S3Endpoint string

	store  *storage.Store // made on first use from the flags
	stdout io.Writer
	stderr io.Writer
	stdin  io.Reader
}

// logger returns a logger on stderr whose level follows --verbose/--quiet.
func (g *globalOptions) logger() *slog.Logger {
	level := slog.LevelInfo
	switch {
	case g.Quiet:
		level = slog.LevelError
	case g.Verbose:
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(g.stderr, &slog.HandlerOptions{Level: level}))
}

// storage returns the one Store of the run, so that every input shares
// its S3 client and block cache.
func (g *globalOptions) storage() *storage.Store {
	if g.store == nil {
		g.store = storage.New(storage.Options{S3Endpoint: g.S3Endpoint, Logger: g.logger()})
	}
	return g.store
}

// term is where commands print, and in what form.
func (g *globalOptions) term() ui.Term {
	return ui.Term{Out: g.stdout, Err: g.stderr, JSON: g.JSON, Quiet: g.Quiet}
}

// warcOptions are the reading options every command shares.
func (g *globalOptions) warcOptions() warc.Options {
	return warc.Options{Strict: g.Strict, Logger: g.logger(), Store: g.storage()}
}

// usageError marks errors caused by bad command-line use (exit status 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// problemsFound is returned by commands that ran to the end but found
// problems worth a non-zero exit (verify); the report is already printed.
var errProblemsFound = errors.New("problems found")

// errNotAttested is returned by a capture whose files are complete but
// some of whose timestamps could not be had (exit status 3).
var errNotAttested = errors.New("captured, not fully attested")

func newRootCommand(g *globalOptions) *cobra.Command {
	root := &cobra.Command{
		Use:           "warcbox",
		Short:         "Capture web pages into WARC files, replay them, extract articles from them",
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(g.stdout)
	root.SetErr(g.stderr)
	root.SetIn(g.stdin)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	pf := root.PersistentFlags()
	pf.BoolVarP(&g.Verbose, "verbose", "v", false, "log debug messages")
	pf.BoolVarP(&g.Quiet, "quiet", "q", false, "log errors only")
	pf.BoolVar(&g.JSON, "json", false, "print machine-readable JSON")
	pf.BoolVar(&g.Strict, "strict", false, "make the first malformed record fatal instead of reporting and skipping it")
	pf.StringVar(&g.S3Endpoint, "s3-endpoint", "", "URL of an S3-compatible store for s3:// names (default: $AWS_ENDPOINT_URL, else AWS); path-style addressing")

	root.AddCommand(
		newIndexCommand(g),
		newLsCommand(g),
		newCatCommand(g),
		newVerifyCommand(g),
		newKeygenCommand(g),
		newCaptureCommand(g),
		newRepairCommand(g),
		newReplayCommand(g),
		newExtractCommand(g),
	)
	markUsageErrors(root)
	return root
}

// markUsageErrors makes argument-count errors usage errors (exit 2), as
// flag errors are.
func markUsageErrors(cmd *cobra.Command) {
	for _, c := range cmd.Commands() {
		if args := c.Args; args != nil {
			c.Args = func(cc *cobra.Command, a []string) error {
				if err := args(cc, a); err != nil {
					return usageError{err}
				}
				return nil
			}
		}
		markUsageErrors(c)
	}
}

// isUnknownCommand reports cobra's error for a command name it does not
// know, which it returns as a plain error: bad usage, exit 2, as the help
// says.
func isUnknownCommand(err error) bool {
	return strings.HasPrefix(err.Error(), "unknown command ")
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes the command line and maps its error to an exit code: the only
// place in warcbox where errors become exit statuses.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	g := &globalOptions{stdout: stdout, stderr: stderr, stdin: stdin}
	root := newRootCommand(g)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errProblemsFound):
		return exitFailure
	case errors.Is(err, errNotAttested):
		fmt.Fprintf(stderr, "warcbox: %v\n", err)
		return exitPartial
	case errors.As(err, &ue), isUnknownCommand(err):
		fmt.Fprintf(stderr, "warcbox: %v\n", err)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "warcbox: %v\n", err)
		return exitFailure
	}
}
