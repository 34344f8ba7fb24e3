package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/warcbox/warcbox/selection"
	"github.com/warcbox/warcbox/warc"
)

type catOptions struct {
	Offset  int64
	Payload bool
	Decode  bool
	Headers bool
	// --records (cat_records.go)
	Records   string
	Base      string
	Originals string
	Shard     string
	Requests  int
}

func (o *catOptions) AddFlags(f *pflag.FlagSet) {
	f.Int64Var(&o.Offset, "offset", 0, "byte offset `N` of the record (from warcbox ls or a CDXJ index)")
	f.BoolVar(&o.Payload, "payload", false, "print only the payload: the HTTP entity de-chunked and content-decoded, or the block of a non-HTTP record")
	f.BoolVar(&o.Decode, "raw", false, "with --payload, keep the Content-Encoding (only remove chunking)")
	f.BoolVar(&o.Headers, "headers", false, "print only the WARC header and the HTTP header")
	f.StringVar(&o.Records, "records", "", "print every record FILE names (a CDXJ/CDX index, CC CDX API JSON lines, or cc-index-table rows as Parquet or CSV) instead of one at --offset")
	f.StringVar(&o.Base, "base", "", "with --records, resolve relative file names against this folder or URL prefix")
	f.StringVar(&o.Originals, "originals", "", "with --records --payload, find revisits' originals in this sorted CDXJ (default: the records file, when it is a CDXJ)")
	f.StringVar(&o.Shard, "shard", "", "with --records, take shard I of N (I/N, I from 0): every Nth block of 16 rows")
	f.IntVar(&o.Requests, "requests", selection.DefaultRequests, "with --records, byte ranges read at once")
}

func newCatCommand(g *globalOptions) *cobra.Command {
	var opts catOptions
	cmd := &cobra.Command{
		Use:   "cat FILE --offset N [--payload]",
		Short: "Print one record (its WARC header and block), or its decoded payload",
		Long: `cat reads the record that starts at --offset and writes it to stdout: the
WARC header fields and the block as stored, or with --payload the payload
alone (de-chunked and content-decoded, ready to open).

With --records FILE and no FILE argument, it prints every record the
records file names, in file and offset order, each ended by a blank line
as in a WARC file (so the whole output of cat --records is an uncompressed
WARC file, or with --payload the payloads one after another).

Exit status: 0, 1 if no record can be read at that offset (with --records:
if any selected record cannot be read), 2 on bad usage.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runCat(cmd.Context(), opts, g, args) },
	}
	opts.AddFlags(cmd.Flags())
	return cmd
}

func runCat(ctx context.Context, opts catOptions, g *globalOptions, args []string) error {
	if opts.Records != "" {
		if len(args) > 0 {
			return usageError{fmt.Errorf("cat: --records names the files itself: give no FILE")}
		}
		return runCatRecords(ctx, opts, g)
	}
	if len(args) == 0 {
		return usageError{fmt.Errorf("cat: give FILE --offset N, or --records FILE")}
	}
	rec, closer, err := warc.ReadRecordAt(ctx, args[0], opts.Offset, g.warcOptions())
	if err != nil {
		return err
	}
	defer closer.Close()
	return writeRecord(g.stdout, rec, opts)
}
