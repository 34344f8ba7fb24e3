package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/warcbox/warcbox/warc"
)

type catOptions struct {
	Offset  int64
	Payload bool
	Decode  bool
	Headers bool
}

func (o *catOptions) AddFlags(f *pflag.FlagSet) {
	f.Int64Var(&o.Offset, "offset", 0, "byte offset `N` of the record (from warcbox ls or a CDXJ index)")
	f.BoolVar(&o.Payload, "payload", false, "print only the payload: the HTTP entity de-chunked and content-decoded, or the block of a non-HTTP record")
	f.BoolVar(&o.Decode, "raw", false, "with --payload, keep the Content-Encoding (only remove chunking)")
	f.BoolVar(&o.Headers, "headers", false, "print only the WARC header and the HTTP header")
}

func newCatCommand(g *globalOptions) *cobra.Command {
	var opts catOptions
	cmd := &cobra.Command{
		Use:   "cat FILE --offset N [--payload]",
		Short: "Print one record (its WARC header and block), or its decoded payload",
		Long: `cat reads the record that starts at --offset and writes it to stdout: the
WARC header fields and the block as stored, or with --payload the payload
alone (de-chunked and content-decoded, ready to open).

Exit status: 0, 1 if no record can be read at that offset, 2 on bad usage.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runCat(cmd.Context(), opts, g, args) },
	}
	opts.AddFlags(cmd.Flags())
	return cmd
}

func runCat(ctx context.Context, opts catOptions, g *globalOptions, args []string) error {
	rec, closer, err := warc.ReadRecordAt(ctx, args[0], opts.Offset, g.warcOptions())
	if err != nil {
		return err
	}
	defer closer.Close()
	out := g.stdout
	if !opts.Payload {
		fmt.Fprintf(out, "%s\r\n", rec.Version)
		for _, fl := range rec.Header {
			fmt.Fprintf(out, "%s: %s\r\n", fl.Name, fl.Value)
		}
		fmt.Fprint(out, "\r\n")
		if opts.Headers {
			if rec.IsHTTP() {
				if m, err := rec.HTTP(); err == nil {
					_, err = out.Write(m.RawHeader)
					return err
				}
			}
			return nil
		}
		_, err = io.Copy(out, rec.Body)
		return err
	}
	if !rec.IsHTTP() {
		_, err = io.Copy(out, rec.Body)
		return err
	}
	m, err := rec.HTTP()
	if err != nil {
		return fmt.Errorf("%s at %d: %w", args[0], opts.Offset, err)
	}
	body := m.Payload()
	if !opts.Decode {
		if body, err = m.Decoded(); err != nil {
			return fmt.Errorf("%s at %d: %w (use --raw for the encoded bytes)", args[0], opts.Offset, err)
		}
	}
	_, err = io.Copy(out, body)
	return err
}
