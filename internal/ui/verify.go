package ui

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/warcbox/warcbox/capture"
	"github.com/warcbox/warcbox/tsa"
	"github.com/warcbox/warcbox/wacz"
	"github.com/warcbox/warcbox/warc"
)

// VerifyResult is one input as `warcbox verify` reports it: a WARC's
// report, or a WACZ package's (with the reports of its WARCs).
type VerifyResult struct {
	WARC *warc.Report
	WACZ *wacz.Report
	// Timestamps are the RFC 3161 tokens beside the WARC, checked (a
	// package's are in its report).
	Timestamps []tsa.Check
	// TLS is what each TLS host showed (chain, SCTs, stapled OCSP), read
	// for --json.
	TLS []capture.HostTLS
}

// NewVerifyPrinter returns verify's printer; warnings lists warnings in
// text as well as errors (JSON always has both).
func NewVerifyPrinter(t Term, warnings bool) Printer[VerifyResult] {
	if t.JSON {
		return &verifyJSON{w: t.Out}
	}
	return verifyText{w: t.Out, warnings: warnings}
}

type verifyText struct {
	w        io.Writer
	warnings bool
}

func (p verifyText) Print(r VerifyResult) error {
	if r.WACZ != nil {
		p.wacz(r.WACZ)
	} else {
		p.warc(r.WARC)
		for _, c := range r.Timestamps {
			if c.Error == "" {
				p.timestamp(c.Path, c.Token)
			}
		}
	}
	return nil
}

// timestamp prints a good token's attested time (bad ones are findings).
func (p verifyText) timestamp(path string, t *tsa.Token) {
	fmt.Fprintf(p.w, "  timestamp\t%s\t%s by %s (chain checked: %v)\n", path, t.Time.Format(time.RFC3339), t.Signer, t.Chained)
}

func (verifyText) Close() error { return nil }

func status(ok bool) string {
	if ok {
		return "OK"
	}
	return "FAIL"
}

func (p verifyText) warc(rep *warc.Report) {
	warnings := len(rep.Findings) - rep.Errors()
	fmt.Fprintf(p.w, "%s\t%s\t%d records, %d errors, %d warnings\n", status(rep.OK()), rep.File, rep.Records, rep.Errors(), warnings)
	for _, f := range rep.Findings {
		if f.Severity == warc.SeverityWarning && !p.warnings {
			continue
		}
		fmt.Fprintf(p.w, "  %s\toffset %d\t%s\t%s\t%s: %s\n", f.Severity, f.Offset, orDash(f.RecordID), orDash(f.Type), f.Check, f.Message)
	}
}

func (p verifyText) wacz(rep *wacz.Report) {
	signed := "unsigned"
	if rep.Signed {
		signed = "signed"
	}
	fmt.Fprintf(p.w, "%s\t%s\tWACZ, %d files, %s, %d WARCs\n", status(rep.OK()), rep.File, rep.Files, signed, len(rep.WARCs))
	for _, c := range rep.Timestamps {
		if c.Error == "" {
			p.timestamp(c.Path, c.Token)
		}
	}
	for _, f := range rep.Findings {
		if f.Severity == warc.SeverityWarning && !p.warnings {
			continue
		}
		fmt.Fprintf(p.w, "  %s\t%s\t%s: %s\n", f.Severity, orDash(f.Path), f.Check, f.Message)
	}
	for _, w := range rep.WARCs {
		p.warc(w)
	}
}

// verifyJSON writes each package's report as it comes, and the WARCs'
// reports together as one array at the end.
type verifyJSON struct {
	w     io.Writer
	warcs []warcJSON
	packs int // packages printed
}

// warcJSON is a WARC's report with its timestamps.
type warcJSON struct {
	*warc.Report
	Timestamps []tsa.Check       `json:"timestamps,omitempty"`
	TLS        []capture.HostTLS `json:"tls,omitempty"`
}

// waczJSON is a package's report with what each TLS host showed in its
// WARCs.
type waczJSON struct {
	*wacz.Report
	TLS []capture.HostTLS `json:"tls,omitempty"`
}

func (p *verifyJSON) Print(r VerifyResult) error {
	if r.WACZ == nil {
		p.warcs = append(p.warcs, warcJSON{r.WARC, r.Timestamps, r.TLS})
		return nil
	}
	p.packs++
	return p.encode(waczJSON{r.WACZ, r.TLS})
}

// Close writes the WARCs' array; packages alone are not followed by an
// empty one (a "null" after the report broke readers of one JSON value).
func (p *verifyJSON) Close() error {
	if p.packs > 0 && len(p.warcs) == 0 {
		return nil
	}
	if p.warcs == nil {
		p.warcs = []warcJSON{}
	}
	return p.encode(p.warcs)
}

func (p *verifyJSON) encode(v any) error {
	enc := json.NewEncoder(p.w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
