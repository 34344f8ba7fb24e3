package main

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/warcbox/warcbox/capture"
	"github.com/warcbox/warcbox/internal/ui"
	"github.com/warcbox/warcbox/report"
	"github.com/warcbox/warcbox/storage"
	"github.com/warcbox/warcbox/tsa"
	"github.com/warcbox/warcbox/wacz"
	"github.com/warcbox/warcbox/warc"
)

type verifyOptions struct {
	Warnings         bool
	TrustedKey       string
	RequireSignature bool
	TSACA            string
	Report           string
}

func (o *verifyOptions) AddFlags(f *pflag.FlagSet) {
	f.BoolVar(&o.Warnings, "warnings", true, "list warnings (findings that do not fail the file)")
	f.StringVar(&o.TrustedKey, "trusted-key", "", "WACZ: the public key (base64, as keygen prints it, or a file holding it) packages must be signed with")
	f.BoolVar(&o.RequireSignature, "require-signature", false, "WACZ: fail packages that are not signed")
	f.StringVar(&o.Report, "report", "", "write a report a person reads for the one WACZ given: FILE.html (self-contained) or FILE.pdf (printed by headless Chromium)")
	f.StringVar(&o.TSACA, "tsa-ca", "", "PEM file of the CA certificates RFC 3161 time-stamping authorities must chain to (tokens beside WARCs as FILE.N.tsr, and in WACZ timestamps/)")
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

RFC 3161 timestamps (capture --tsa) are checked offline: the tokens beside a
WARC (FILE.N.tsr) and those in a WACZ's timestamps/ folder must stamp the
file's SHA-256, carry a good signature, and, with --tsa-ca, chain to those
CA certificates with the timeStamping usage at the attested time, which is
printed. A forged or swapped token fails the file and says why.

With --json each WARC's report also lists, per TLS host, the certificate
chain (subjects, issuers, SHA-256 fingerprints), the Signed Certificate
Timestamps (from the handshake and embedded in the certificate: log id and
time) and the stapled OCSP status the capture recorded.

--report FILE.html or FILE.pdf writes, for one WACZ, a page a person reads:
the verdict first (and, when it fails, each file and check that failed),
the URL, capture and attested times, the screenshot, the TLS chain with
SCTs and OCSP, the DNS answers, every file's hash, the signature and
timestamp results, tool and browser versions, and what each check means.
The PDF is printed by the same headless Chromium as browser capture.

Exit status: 0 when every file passes, 1 when any file has an error finding
or cannot be read, 2 on bad usage.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runVerify(cmd.Context(), opts, g, args) },
	}
	opts.AddFlags(cmd.Flags())
	return cmd
}

func runVerify(ctx context.Context, opts verifyOptions, g *globalOptions, args []string) error {
	trusted, err := readTrustedKey(opts.TrustedKey)
	if err != nil {
		return usageError{err}
	}
	var tsaRoots *x509.CertPool
	if opts.TSACA != "" {
		if tsaRoots, err = tsa.LoadRoots(opts.TSACA); err != nil {
			return usageError{fmt.Errorf("--tsa-ca: %w", err)}
		}
	}
	if opts.Report != "" {
		ext := strings.ToLower(filepath.Ext(opts.Report))
		if len(args) != 1 || !strings.HasSuffix(strings.ToLower(args[0]), ".wacz") || (ext != ".html" && ext != ".pdf") {
			return usageError{errors.New("--report FILE.html|FILE.pdf reports on one WACZ package: give exactly one .wacz")}
		}
	}
	p := ui.NewVerifyPrinter(g.term(), opts.Warnings)
	failed := false
	for _, path := range args {
		var res ui.VerifyResult
		if strings.HasSuffix(strings.ToLower(path), ".wacz") {
			res.WACZ, err = verifyWACZ(ctx, g, opts, path, trusted, tsaRoots)
			if err == nil && opts.Report != "" {
				err = writeReport(ctx, opts.Report, path, res.WACZ)
			}
			if err == nil && g.JSON {
				res.TLS, err = packageTLS(ctx, g, path, res.WACZ)
			}
			failed = failed || (res.WACZ != nil && !res.WACZ.OK())
		} else {
			res.WARC, err = verifyWARC(ctx, g, path)
			if err == nil {
				res.Timestamps = verifySidecars(res.WARC, tsaRoots)
			}
			if err == nil && g.JSON {
				// What each TLS host showed (chain, SCTs, OCSP): a second
				// pass, so only for --json.
				res.TLS, err = capture.ReadTLS(ctx, path)
				if err != nil && ctx.Err() == nil {
					res.WARC.Findings = append(res.WARC.Findings, warc.Finding{Severity: warc.SeverityError, Check: "read", Message: err.Error()})
					err = nil
				}
			}
			failed = failed || (res.WARC != nil && !res.WARC.OK())
		}
		if err != nil {
			return err
		}
		if err := p.Print(res); err != nil {
			return err
		}
	}
	if err := p.Close(); err != nil {
		return err
	}
	if failed {
		return errProblemsFound
	}
	return nil
}

// packageTLS reads what each TLS host showed from the WARCs of a package,
// for --json; a WARC it cannot read is a finding of the package.
func packageTLS(ctx context.Context, g *globalOptions, path string, rep *wacz.Report) ([]capture.HostTLS, error) {
	inputs, err := warc.ExpandContext(ctx, []string{path}, nil, g.warcOptions())
	if err != nil && !errors.Is(err, warc.ErrNoInputs) {
		// The members that could be listed are still read; the ones
		// that could not are findings, not a silently shorter list.
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		rep.Findings = append(rep.Findings, wacz.Finding{Path: storage.Redact(path), Severity: warc.SeverityError, Check: "tls", Message: err.Error()})
	}
	var out []capture.HostTLS
	for _, in := range inputs {
		hosts, err := capture.ReadTLS(ctx, in.Name)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			rep.Findings = append(rep.Findings, wacz.Finding{Path: in.Member, Severity: warc.SeverityError, Check: "tls", Message: err.Error()})
			continue
		}
		out = append(out, hosts...)
	}
	return out, nil
}

// verifyWARC checks one WARC; a file that cannot be read is a report with
// a "read" error. Only a cancelled ctx is an error.
func verifyWARC(ctx context.Context, g *globalOptions, path string) (*warc.Report, error) {
	rep, err := warc.Verify(ctx, path, g.warcOptions())
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if rep == nil {
			rep = &warc.Report{File: storage.Redact(path)}
		}
		rep.Findings = append(rep.Findings, warc.Finding{Severity: warc.SeverityError, Check: "read", Message: err.Error()})
	}
	return rep, nil
}

// writeReport writes the report of a checked package as HTML or PDF.
func writeReport(ctx context.Context, out, pkg string, rep *wacz.Report) error {
	d, err := report.FromWACZ(ctx, pkg, rep, "warcbox "+version)
	if err != nil {
		return err
	}
	if strings.EqualFold(filepath.Ext(out), ".pdf") {
		return report.PrintPDF(ctx, "", d, out, false)
	}
	var b bytes.Buffer
	if err := report.WriteHTML(&b, d); err != nil {
		return err
	}
	if err := os.WriteFile(out, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

// verifySidecars checks the RFC 3161 tokens beside a WARC, adding a
// finding to its report for each bad one (and a warning when no CA was
// given to check whose they are).
func verifySidecars(rep *warc.Report, roots *x509.CertPool) []tsa.Check {
	checks, err := tsa.VerifyFile(rep.File, roots)
	if err != nil {
		rep.Findings = append(rep.Findings, warc.Finding{Severity: warc.SeverityError, Check: "timestamp", Message: err.Error()})
	}
	for _, c := range checks {
		switch {
		case c.Error != "":
			rep.Findings = append(rep.Findings, warc.Finding{Severity: warc.SeverityError, Check: "timestamp", Message: c.Path + ": " + c.Error})
		case roots == nil:
			rep.Findings = append(rep.Findings, warc.Finding{Severity: warc.SeverityWarning, Check: "timestamp",
				Message: c.Path + ": signature good, but whose it is was not checked (give --tsa-ca)"})
		}
	}
	return checks
}

// verifyWACZ checks one package, as verifyWARC a WARC.
func verifyWACZ(ctx context.Context, g *globalOptions, opts verifyOptions, path, trusted string, tsaRoots *x509.CertPool) (*wacz.Report, error) {
	rep, err := wacz.Verify(ctx, path, wacz.VerifyOptions{TrustedKey: trusted, RequireSignature: opts.RequireSignature, TSARoots: tsaRoots, Store: g.storage()})
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		rep = &wacz.Report{File: storage.Redact(path), Findings: []wacz.Finding{{Severity: warc.SeverityError, Check: "read", Message: err.Error()}}}
	}
	return rep, nil
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
