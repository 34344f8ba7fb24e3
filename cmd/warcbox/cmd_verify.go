package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/warcbox/warcbox/wacz"
	"github.com/warcbox/warcbox/warc"
)

type verifyOptions struct {
	Warnings         bool
	TrustedKey       string
	RequireSignature bool
}

func (o *verifyOptions) AddFlags(f *pflag.FlagSet) {
	f.BoolVar(&o.Warnings, "warnings", true, "list warnings (findings that do not fail the file)")
	f.StringVar(&o.TrustedKey, "trusted-key", "", "WACZ: the public key (base64, as keygen prints it, or a file holding it) packages must be signed with")
	f.BoolVar(&o.RequireSignature, "require-signature", false, "WACZ: fail packages that are not signed")
}

func newVerifyCommand(g *globalOptions) *cobra.Command {
	var opts verifyOptions
	cmd := &cobra.Command{
		Use:   "verify FILE…",
		Short: "Check WARC files: structure, required fields, block and payload digests, request/response pairing",
		Long: `Verify reads every record of each file and reports, per file and per problem:
framing (truncated records, bytes between records, corrupt gzip members,
whole-file gzip), required fields and their syntax, WARC-Block-Digest,
WARC-Payload-Digest (computed over the de-chunked HTTP entity, as the IIPC
clarification of WARC 1.1 says), and WARC-Concurrent-To references.

A .wacz file is checked as a package: every file's sha256 and size against
datapackage.json, files missing or not listed, datapackage-digest.json's hash
of datapackage.json, the signature (and with --trusted-key, whose it is),
the index's references, and every WARC inside as above.

Exit status: 0 when every file passes, 1 when any file has an error finding
or cannot be read, 2 on bad usage.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runVerify(cmd.Context(), opts, g, args) },
	}
	opts.AddFlags(cmd.Flags())
	return cmd
}

func runVerify(ctx context.Context, opts verifyOptions, g *globalOptions, args []string) error {
	failed := false
	var reports []*warc.Report
	trusted, err := readTrustedKey(opts.TrustedKey)
	if err != nil {
		return usageError{err}
	}
	for _, path := range args {
		if strings.HasSuffix(strings.ToLower(path), ".wacz") {
			ok, err := verifyWACZ(ctx, opts, g, path, trusted)
			if err != nil {
				return err
			}
			failed = failed || !ok
			continue
		}
		rep, err := warc.Verify(ctx, path, g.warcOptions())
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			failed = true
			if rep == nil {
				rep = &warc.Report{File: path}
			}
			rep.Findings = append(rep.Findings, warc.Finding{Severity: warc.SeverityError, Check: "read", Message: err.Error()})
		}
		if !rep.OK() {
			failed = true
		}
		reports = append(reports, rep)
		if !g.JSON {
			printVerifyReport(g, opts, rep)
		}
	}
	if g.JSON {
		enc := json.NewEncoder(g.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(reports); err != nil {
			return err
		}
	}
	if failed {
		return errProblemsFound
	}
	return nil
}

func printVerifyReport(g *globalOptions, opts verifyOptions, rep *warc.Report) {
	status := "OK"
	if !rep.OK() {
		status = "FAIL"
	}
	warnings := len(rep.Findings) - rep.Errors()
	fmt.Fprintf(g.stdout, "%s\t%s\t%d records, %d errors, %d warnings\n", status, rep.File, rep.Records, rep.Errors(), warnings)
	for _, f := range rep.Findings {
		if f.Severity == warc.SeverityWarning && !opts.Warnings {
			continue
		}
		id := f.RecordID
		if id == "" {
			id = "-"
		}
		fmt.Fprintf(g.stdout, "  %s\toffset %d\t%s\t%s\t%s: %s\n", f.Severity, f.Offset, id, orDash(f.Type), f.Check, f.Message)
	}
}

func verifyWACZ(ctx context.Context, opts verifyOptions, g *globalOptions, path, trusted string) (bool, error) {
	rep, err := wacz.Verify(ctx, path, wacz.VerifyOptions{TrustedKey: trusted, RequireSignature: opts.RequireSignature})
	if err != nil {
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		rep = &wacz.Report{File: path, Findings: []wacz.Finding{{Severity: warc.SeverityError, Check: "read", Message: err.Error()}}}
	}
	if g.JSON {
		enc := json.NewEncoder(g.stdout)
		enc.SetIndent("", "  ")
		return rep.OK(), enc.Encode(rep)
	}
	status := "OK"
	if !rep.OK() {
		status = "FAIL"
	}
	signed := "unsigned"
	if rep.Signed {
		signed = "signed"
	}
	fmt.Fprintf(g.stdout, "%s\t%s\tWACZ, %d files, %s, %d WARCs\n", status, rep.File, rep.Files, signed, len(rep.WARCs))
	for _, f := range rep.Findings {
		if f.Severity == warc.SeverityWarning && !opts.Warnings {
			continue
		}
		fmt.Fprintf(g.stdout, "  %s\t%s\t%s: %s\n", f.Severity, orDash(f.Path), f.Check, f.Message)
	}
	for _, w := range rep.WARCs {
		printVerifyReport(g, opts, w)
	}
	return rep.OK(), nil
}

// readTrustedKey accepts the key itself or a file holding it.
func readTrustedKey(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	if b, err := os.ReadFile(s); err == nil {
		s = string(b)
	}
	s = strings.TrimSpace(s)
	if _, err := base64.StdEncoding.DecodeString(s); err != nil {
		return "", fmt.Errorf("--trusted-key: not a base64 public key or a file holding one")
	}
	return s, nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
