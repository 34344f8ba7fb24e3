package ui

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/warcbox/warcbox/wacz"
	"github.com/warcbox/warcbox/warc"
)

// VerifyResult is one input as `warcbox verify` reports it: a WARC's
// report, or a WACZ package's (with the reports of its WARCs).
type VerifyResult struct {
	WARC *warc.Report
	WACZ *wacz.Report
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
	}
	return nil
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
	warcs []*warc.Report
}

func (p *verifyJSON) Print(r VerifyResult) error {
	if r.WACZ == nil {
		p.warcs = append(p.warcs, r.WARC)
		return nil
	}
	return p.encode(r.WACZ)
}

func (p *verifyJSON) Close() error { return p.encode(p.warcs) }

func (p *verifyJSON) encode(v any) error {
	enc := json.NewEncoder(p.w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
