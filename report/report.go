// Package report writes what `warcbox verify --report` gives a person: one
// self-contained HTML page per WACZ package (the verdict first, then what
// was captured, when, from which server, and every check with what it
// means in plain words), and the same page printed to PDF by headless
// Chromium.
package report

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/warcbox/warcbox/capture"
	"github.com/warcbox/warcbox/wacz"
	"github.com/warcbox/warcbox/warc"
)

// File is one file of the package with its check.
type File struct {
	Path    string
	Hash    string
	Bytes   int64
	Problem string // "" when it matches datapackage.json
}

// Data is what the page shows.
type Data struct {
	Package   string
	OK        bool
	Problems  []string // the error findings, each naming its file
	URL       string   // the main page
	Title     string
	Created   string
	Software  string
	Signed    bool
	Signature string // what the signature check found
	Files     []File
	Stamps    []wacz.TimestampCheck
	TLS       []capture.HostTLS
	DNS       []string
	Shot      template.URL // data: URL of the first screenshot, if any
	Tool      string       // the verifying tool
	Browser   string       // the browser that made the capture, if known
	Checked   string       // when this report was made
}

// maxShot bounds the screenshot embedded in the page.
const maxShot = 32 << 20

// FromWACZ gathers the report of the package at path, checked as rep says.
func FromWACZ(ctx context.Context, path string, rep *wacz.Report, tool string) (*Data, error) {
	d := &Data{Package: path, OK: rep.OK(), Signed: rep.Signed, Stamps: rep.Timestamps, Tool: tool,
		Checked: time.Now().UTC().Format(time.RFC3339)}
	problems := map[string]string{}
	for _, f := range rep.Findings {
		if f.Severity != warc.SeverityError {
			continue
		}
		name := f.Path
		if name == "" {
			name = filepath.Base(path)
		}
		d.Problems = append(d.Problems, fmt.Sprintf("%s: %s: %s", name, f.Check, f.Message))
		if f.Check == "hash" || f.Check == "size" || f.Check == "missing" {
			problems[f.Path] = f.Message
		}
		if f.Check == "signature" || f.Check == "key" || f.Check == "digest" {
			d.Signature = f.Message
		}
	}
	for _, w := range rep.WARCs {
		for _, f := range w.Findings {
			if f.Severity == warc.SeverityError {
				d.Problems = append(d.Problems, fmt.Sprintf("%s: offset %d: %s: %s", w.File, f.Offset, f.Check, f.Message))
			}
		}
	}
	switch {
	case d.Signature != "":
	case rep.Signed:
		d.Signature = "valid: datapackage.json is unchanged since it was signed"
	default:
		d.Signature = "not signed"
	}
	if dp := rep.Package; dp != nil {
		d.URL, d.Title, d.Created, d.Software = dp.MainPageURL, dp.Title, dp.Created, dp.Software
		for _, r := range dp.Resources {
			d.Files = append(d.Files, File{Path: r.Path, Hash: r.Hash, Bytes: r.Bytes, Problem: problems[r.Path]})
			if !strings.HasPrefix(r.Path, "archive/") {
				continue
			}
			member := path + "#" + r.Path
			if hosts, err := capture.ReadTLS(ctx, member); err == nil {
				d.TLS = append(d.TLS, hosts...)
			}
			scanRecords(member, d)
		}
	}
	return d, nil
}

// scanRecords takes the first screenshot, the DNS answers and the browser
// named in warcinfo from one WARC of the package.
func scanRecords(member string, d *Data) {
	r, err := warc.Open(member, warc.Options{})
	if err != nil {
		return
	}
	defer r.Close()
	for rec, err := range r.Records() {
		if err != nil {
			continue
		}
		uri := rec.TargetURI()
		switch {
		case rec.Type() == "resource" && strings.HasPrefix(uri, "urn:screenshot:") && d.Shot == "":
			b, err := io.ReadAll(io.LimitReader(rec.Body, maxShot))
			if err == nil {
				d.Shot = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(b))
			}
		case rec.Type() == "resource" && strings.HasPrefix(uri, "dns:"):
			b, _ := io.ReadAll(io.LimitReader(rec.Body, 64<<10))
			for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
				if strings.Contains(line, "\tIN\t") {
					d.DNS = append(d.DNS, strings.TrimSpace(line))
				}
			}
		case rec.Type() == "warcinfo" && d.Browser == "":
			b, _ := io.ReadAll(io.LimitReader(rec.Body, 64<<10))
			for _, line := range strings.Split(string(b), "\n") {
				if v, ok := strings.CutPrefix(strings.TrimSpace(line), "browser: "); ok {
					d.Browser = v
				}
			}
		}
	}
}

// WriteHTML writes the page.
func WriteHTML(w io.Writer, d *Data) error {
	return pageTmpl.Execute(w, d)
}

// PrintPDF prints the page to a PDF file with headless Chromium (chromium
// is the binary; noSandbox for containers and root).
func PrintPDF(ctx context.Context, chromium string, d *Data, out string, noSandbox bool) error {
	var html bytes.Buffer
	if err := WriteHTML(&html, d); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "warcbox-report-*")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "report.html")
	if err := os.WriteFile(in, html.Bytes(), 0o600); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if chromium == "" {
		chromium = "/usr/bin/chromium"
		if _, err := os.Stat(chromium); err != nil {
			if p, err := exec.LookPath("chromium"); err == nil {
				chromium = p
			}
		}
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.Flag("disable-gpu", true))
	if noSandbox || os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	actx, cancel := chromedp.NewExecAllocator(ctx, opts...)
	defer cancel()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	if err := chromedp.Do(bctx, chromedp.Navigate("file://"+in)); err != nil {
		return fmt.Errorf("report: print %s with %s: %w", out, chromium, err)
	}
	pdf, err := chromedp.Run(bctx, chromedp.Action[[]byte](func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		r, err := cdp.Call(ctx, t, page.PrintToPDF, page.PrintToPDFParams{PrintBackground: new(true)})
		return r.Data, err
	}))
	if err != nil {
		return fmt.Errorf("report: print %s with %s: %w", out, chromium, err)
	}
	if err := os.WriteFile(out, pdf, 0o644); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}
