package main

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warcbox/warcbox/capture"
	"github.com/warcbox/warcbox/internal/testbrowser"
	"github.com/warcbox/warcbox/internal/testct"
	"github.com/warcbox/warcbox/internal/testneed"
	"github.com/warcbox/warcbox/internal/testtsa"
	"github.com/warcbox/warcbox/wacz"
	"github.com/warcbox/warcbox/warc"
)

// TestCaptureTimestamps captures with two real time-stamping authorities
// (OpenSSL, throwaway CAs) into a signed WACZ: every token is accepted by
// `openssl ts -verify` and by `warcbox verify --tsa-ca`, which prints the
// attested times; a swapped token fails and says why.
func TestCaptureTimestamps(t *testing.T) {
	a, b := testtsa.Start(t, "first"), testtsa.Start(t, "second")
	s := captureSite(t)
	dir := t.TempDir()
	key := filepath.Join(dir, "k.pem")
	if code, _, _ := runCmd(t, "keygen", "-o", key); code != 0 {
		t.Fatal("keygen failed")
	}
	pkg := filepath.Join(dir, "c.wacz")
	code, out, stderr := runCmd(t, "capture", "-q", "-o", filepath.Join(dir, "archive"), "--wacz", pkg, "--sign-key", key,
		"--tsa", a.URL, "--tsa", b.URL, s.URL+"/")
	if code != 0 {
		t.Fatalf("capture: exit %d\n%s%s", code, out, stderr)
	}
	warcs, _ := filepath.Glob(filepath.Join(dir, "archive", "*.warc.gz"))
	if len(warcs) == 0 {
		t.Fatal("no WARC")
	}
	for _, w := range warcs {
		data, _ := os.ReadFile(w)
		for i, ca := range []string{a.CAFile, b.CAFile} {
			tok, err := os.ReadFile(w + "." + string(rune('1'+i)) + ".tsr")
			if err != nil {
				t.Fatal(err)
			}
			if err := testtsa.VerifyWithOpenSSL(t, tok, data, ca); err != nil {
				t.Errorf("%s token %d: %v", w, i+1, err)
			}
		}
	}
	// The package holds the WARCs' tokens and those of its digest file.
	entries := zipEntries(t, pkg)
	for i, ca := range []string{a.CAFile, b.CAFile} {
		n := string(rune('1' + i))
		tok := entries["timestamps/datapackage-digest.json."+n+".tsr"]
		if err := testtsa.VerifyWithOpenSSL(t, tok, entries["datapackage-digest.json"], ca); err != nil {
			t.Errorf("package token %s: %v", n, err)
		}
		warcTok := entries["timestamps/archive/"+filepath.Base(warcs[0])+"."+n+".tsr"]
		if err := testtsa.VerifyWithOpenSSL(t, warcTok, entries["archive/"+filepath.Base(warcs[0])], ca); err != nil {
			t.Errorf("packaged WARC token %s: %v", n, err)
		}
	}
	cas := filepath.Join(dir, "cas.pem")
	ca1, _ := os.ReadFile(a.CAFile)
	ca2, _ := os.ReadFile(b.CAFile)
	os.WriteFile(cas, append(ca1, ca2...), 0o644)
	for _, f := range []string{warcs[0], pkg} {
		code, out, _ := runCmd(t, "verify", "--tsa-ca", cas, f)
		if code != 0 || strings.Count(out, "by CN=first test TSA (chain checked: true)") < 1 || !strings.Contains(out, "by CN=second test TSA (chain checked: true)") {
			t.Errorf("verify %s: exit %d\n%s", f, code, out)
		}
	}
	// Only one authority's CA trusted: the other's tokens fail.
	if code, out, _ := runCmd(t, "verify", "--tsa-ca", a.CAFile, warcs[0]); code != 1 || !strings.Contains(out, "does not chain") {
		t.Errorf("verify with one CA: exit %d\n%s", code, out)
	}
	// A token swapped in from another file is rejected, and named.
	os.WriteFile(warcs[0]+".1.tsr", entries["timestamps/datapackage-digest.json.1.tsr"], 0o644)
	if code, out, _ := runCmd(t, "verify", "--tsa-ca", cas, warcs[0]); code != 1 || !strings.Contains(out, ".1.tsr: tsa: the token stamps another digest") {
		t.Errorf("verify with a swapped token: exit %d\n%s", code, out)
	}
	swapped := filepath.Join(dir, "swapped.wacz")
	entries["timestamps/datapackage-digest.json.2.tsr"] = entries["timestamps/archive/"+filepath.Base(warcs[0])+".2.tsr"]
	writeZip(t, swapped, pkg, entries)
	if code, out, _ := runCmd(t, "verify", "--tsa-ca", cas, swapped); code != 1 || !strings.Contains(out, "timestamps/datapackage-digest.json.2.tsr\ttimestamp: datapackage-digest.json: tsa: the token stamps another digest") {
		t.Errorf("verify a package with a swapped token: exit %d\n%s", code, out)
	}
}

// TestCaptureTimestampFailures: an authority down and one that stamps
// another digest leave the capture complete, exit status 3, and a line
// per missing token saying why.
func TestCaptureTimestampFailures(t *testing.T) {
	good, bad := testtsa.Start(t, "good"), testtsa.Start(t, "bad")
	bad.WrongDigest = true
	s := captureSite(t)
	dir := t.TempDir()
	code, out, stderr := runCmd(t, "capture", "-q", "-o", filepath.Join(dir, "archive"), "--wacz", filepath.Join(dir, "c.wacz"),
		"--tsa", good.URL, "--tsa", bad.URL, "--tsa", "http://127.0.0.1:1/tsa", s.URL+"/")
	if code != 3 || !strings.Contains(stderr, "captured, not fully attested") {
		t.Fatalf("exit %d, want 3\n%s%s", code, out, stderr)
	}
	if !strings.Contains(out, "from "+bad.URL+": tsa "+bad.URL+": tsa: the token stamps another digest") ||
		!strings.Contains(out, "from http://127.0.0.1:1/tsa: tsa http://127.0.0.1:1/tsa: Post") || !strings.Contains(out, "wacz:") {
		t.Errorf("summary:\n%s", out)
	}
	warcs, _ := filepath.Glob(filepath.Join(dir, "archive", "*.warc.gz"))
	for _, w := range warcs {
		if _, err := os.Stat(w + ".1.tsr"); err != nil {
			t.Errorf("the good authority's token is missing: %v", err)
		}
		if _, err := os.Stat(w + ".2.tsr"); err == nil {
			t.Errorf("a token for another digest was kept")
		}
	}
}

func zipEntries(t *testing.T, path string) map[string][]byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		out[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return out
}

// writeZip writes entries in the order of the package at like.
func writeZip(t *testing.T, path, like string, entries map[string][]byte) {
	t.Helper()
	zr, err := zip.OpenReader(like)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Store})
		w.Write(entries[f.Name])
	}
	zw.Close()
	os.WriteFile(path, buf.Bytes(), 0o644)
}

// TestVerifyJSONListsTLS: verify --json lists, per TLS host, the chain,
// the SCTs and the OCSP status a capture recorded.
func TestVerifyJSONListsTLS(t *testing.T) {
	site := testct.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello") }))
	dir := t.TempDir()
	ca := writeCA(t, dir, site.CA)
	if code, out, stderr := runCmd(t, "capture", "-q", "--ignore-robots", "--ca-file", ca, "-o", filepath.Join(dir, "archive"), site.URL+"/"); code != 0 {
		t.Fatalf("capture: %d %s %s", code, out, stderr)
	}
	warcs, _ := filepath.Glob(filepath.Join(dir, "archive", "*.warc.gz"))
	code, out, _ := runCmd(t, "--json", "verify", warcs[0])
	var reps []struct {
		TLS []capture.HostTLS `json:"tls"`
	}
	if err := json.Unmarshal([]byte(out), &reps); code != 0 || err != nil || len(reps) != 1 || len(reps[0].TLS) != 1 {
		t.Fatalf("verify --json: exit %d, %v\n%s", code, err, out)
	}
	h := reps[0].TLS[0]
	if h.Host != strings.TrimPrefix(site.URL, "https://") || len(h.Chain) != 2 || len(h.SCTs) != 2 || h.OCSP == nil || h.OCSP.Status != "good" {
		t.Errorf("tls %+v", h)
	}
	// The same for the WARCs of a package.
	pkg := filepath.Join(dir, "c.wacz")
	if code, out, stderr := runCmd(t, "capture", "-q", "--ignore-robots", "--ca-file", ca, "-o", filepath.Join(dir, "archive2"), "--wacz", pkg, site.URL+"/"); code != 0 {
		t.Fatalf("capture --wacz: %d %s %s", code, out, stderr)
	}
	code, out, _ = runCmd(t, "--json", "verify", pkg)
	var prep struct {
		TLS []capture.HostTLS `json:"tls"`
	}
	if err := json.Unmarshal([]byte(out), &prep); code != 0 || err != nil || len(prep.TLS) != 1 {
		t.Fatalf("verify --json of a package: exit %d, %v\n%s", code, err, out)
	}
	if h := prep.TLS[0]; len(h.Chain) != 2 || len(h.SCTs) != 2 || h.OCSP == nil || h.OCSP.Status != "good" {
		t.Errorf("package tls %+v", h)
	}
}

// pdfText runs pdftotext (Debian poppler-utils) on a PDF.
func pdfText(t *testing.T, pdf string) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		testneed.Missing(t, "pdftotext (poppler-utils) not installed")
	}
	out, err := exec.Command(bin, pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", pdf, err)
	}
	return string(out)
}

// signedTimestampedCapture captures a TLS page (from a test CA that embeds
// SCTs) into a signed WACZ time-stamped by one local authority.
func signedTimestampedCapture(t *testing.T) (*testtsa.TSA, *testct.Site, string, string) {
	t.Helper()
	testbrowser.Path(t)
	a := testtsa.Start(t, "first")
	site := testct.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<title>Evidence</title><p>the page</p>")
	}))
	dir := t.TempDir()
	ca := writeCA(t, dir, site.CA)
	key := filepath.Join(dir, "k.pem")
	runCmd(t, "keygen", "-o", key)
	pkg := filepath.Join(dir, "c.wacz")
	if code, out, stderr := runCmd(t, "capture", "-q", "--ignore-robots", "--ca-file", ca, "-o", filepath.Join(dir, "archive"),
		"--wacz", pkg, "--sign-key", key, "--tsa", a.URL, site.URL+"/"); code != 0 {
		t.Fatalf("capture: %d %s %s", code, out, stderr)
	}
	return a, site, dir, pkg
}

// TestVerifyReport: a signed, time-stamped capture of a TLS site whose
// certificate carries SCTs gives a PDF report (printed by Chromium) whose
// text, as pdftotext reads it, has the verdict, the URL, the files'
// hashes, the attested time's authority and the SCT log; a package with
// one changed byte gives a report whose banner fails and names the file.
func TestVerifyReport(t *testing.T) {
	a, site, dir, pkg := signedTimestampedCapture(t)
	html := filepath.Join(dir, "r.html")
	if code, out, stderr := runCmd(t, "verify", "--tsa-ca", a.CAFile, "--report", html, pkg); code != 0 {
		t.Fatalf("verify --report html: %d %s %s", code, out, stderr)
	}
	if b, _ := os.ReadFile(html); !bytes.Contains(b, []byte("Verdict: PASS")) || !bytes.Contains(b, []byte(base64.StdEncoding.EncodeToString(site.EmbeddedLog))) {
		t.Errorf("HTML report lacks the verdict or the SCT's log")
	}
	pdf := filepath.Join(dir, "r.pdf")
	if code, out, stderr := runCmd(t, "verify", "--tsa-ca", a.CAFile, "--report", pdf, pkg); code != 0 {
		t.Fatalf("verify --report pdf: %d %s %s", code, out, stderr)
	}
	text := pdfText(t, pdf)
	flat := strings.Join(strings.Fields(text), "")
	entries := zipEntries(t, pkg)
	var dp wacz.DataPackage
	json.Unmarshal(entries["datapackage.json"], &dp)
	for _, want := range []string{"Verdict:PASS", site.URL + "/", "CN=firsttestTSA", "test CA with CT"} {
		if !strings.Contains(flat, strings.ReplaceAll(want, " ", "")) {
			t.Errorf("PDF text lacks %q:\n%s", want, text)
		}
	}
	for _, r := range dp.Resources {
		if !strings.Contains(flat, strings.TrimPrefix(r.Hash, "sha256:")) {
			t.Errorf("PDF text lacks the hash of %s (%s)", r.Path, r.Hash)
		}
	}
	// One byte of a WARC changed.
	var warcName string
	for name := range entries {
		if strings.HasPrefix(name, "archive/") {
			warcName = name
		}
	}
	entries[warcName][len(entries[warcName])/2] ^= 1
	bad := filepath.Join(dir, "bad.wacz")
	writeZip(t, bad, pkg, entries)
	badPDF := filepath.Join(dir, "bad.pdf")
	if code, out, _ := runCmd(t, "verify", "--tsa-ca", a.CAFile, "--report", badPDF, bad); code != 1 {
		t.Fatalf("verify a tampered package: exit %d, want 1\n%s", code, out)
	}
	badText := strings.Join(strings.Fields(pdfText(t, badPDF)), "")
	if !strings.Contains(badText, "Verdict:FAIL") || !strings.Contains(badText, warcName+":hash:") {
		t.Errorf("report of a tampered package:\n%s", pdfText(t, badPDF))
	}
}

// TestVerifyReportBrowserCapture is the end to end: capture
// --browser --wacz --sign-key --tsa (two authorities) of a page served
// over TLS from a test CA that embeds SCTs gives a package whose report
// shows the screenshot, the chain with SCTs, the OCSP status, both
// attested times and a pass verdict.
func TestVerifyReportBrowserCapture(t *testing.T) {
	testbrowser.Path(t)
	a, b := testtsa.Start(t, "first"), testtsa.Start(t, "second")
	site := testct.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<!doctype html><title>Evidence</title><h1>the page</h1>")
	}))
	dir := t.TempDir()
	ca := writeCA(t, dir, site.CA)
	key := filepath.Join(dir, "k.pem")
	runCmd(t, "keygen", "-o", key)
	pkg := filepath.Join(dir, "c.wacz")
	if code, out, stderr := runCmd(t, "capture", "--browser", "--ignore-robots", "--timeout", "60s", "--ca-file", ca, "-o", filepath.Join(dir, "archive"),
		"--wacz", pkg, "--sign-key", key, "--tsa", a.URL, "--tsa", b.URL, site.URL+"/"); code != 0 {
		t.Fatalf("capture --browser: %d %s %s", code, out, stderr)
	}
	cas := filepath.Join(dir, "cas.pem")
	ca1, _ := os.ReadFile(a.CAFile)
	ca2, _ := os.ReadFile(b.CAFile)
	os.WriteFile(cas, append(ca1, ca2...), 0o644)
	html := filepath.Join(dir, "r.html")
	if code, out, stderr := runCmd(t, "verify", "--tsa-ca", cas, "--report", html, pkg); code != 0 {
		t.Fatalf("verify --report: %d %s %s", code, out, stderr)
	}
	page, _ := os.ReadFile(html)
	for _, want := range []string{"Verdict: PASS", `src="data:image/png;base64,`, "CN=first test TSA", "CN=second test TSA",
		base64.StdEncoding.EncodeToString(site.HandshakeLog), "OCSP: good", "browser Chrome"} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("report lacks %q", want)
		}
	}
	pdf := filepath.Join(dir, "r.pdf")
	if code, out, stderr := runCmd(t, "verify", "--tsa-ca", cas, "--report", pdf, pkg); code != 0 {
		t.Fatalf("verify --report pdf: %d %s %s", code, out, stderr)
	}
	if text := strings.Join(strings.Fields(pdfText(t, pdf)), ""); !strings.Contains(text, "Verdict:PASS") || !strings.Contains(text, site.URL+"/") {
		t.Errorf("PDF text:\n%s", pdfText(t, pdf))
	}
}

// TestVerifyReportNamesEachTampering: each way of tampering with an
// evidence package the issue names (a byte of a WARC, a certificate
// record, the datapackage, a time-stamp token) turns the report's verdict
// to FAIL and names what failed.
func TestVerifyReportNamesEachTampering(t *testing.T) {
	a, _, dir, pkg := signedTimestampedCapture(t)
	report := func(name string, entries map[string][]byte) (int, string) {
		bad := filepath.Join(dir, name+".wacz")
		writeZip(t, bad, pkg, entries)
		html := filepath.Join(dir, name+".html")
		code, _, _ := runCmd(t, "verify", "--tsa-ca", a.CAFile, "--report", html, bad)
		b, _ := os.ReadFile(html)
		return code, string(b)
	}
	if code, page := report("intact", zipEntries(t, pkg)); code != 0 || !strings.Contains(page, "Verdict: PASS") {
		t.Fatalf("intact package: exit %d", code)
	}
	var warcName, tokenName string
	for name := range zipEntries(t, pkg) {
		switch {
		case strings.HasPrefix(name, "archive/"):
			warcName = name
		case strings.HasPrefix(name, "timestamps/"):
			tokenName = name
		}
	}
	if warcName == "" || tokenName == "" {
		t.Fatalf("package lacks a WARC or a token")
	}
	// Where the certificate record starts in the WARC (its gzip member).
	certAt := int64(-1)
	r := warc.NewReader(bytes.NewReader(zipEntries(t, pkg)[warcName]), warc.Options{})
	for rec, err := range r.Records() {
		if err == nil && rec.ContentType() == "application/x-pem-file" {
			certAt = rec.Offset
		}
	}
	if certAt < 0 {
		t.Fatal("no certificate record in the WARC")
	}
	for _, tc := range []struct {
		name   string
		tamper func(map[string][]byte)
		cause  string
	}{
		{"warc-byte", func(e map[string][]byte) { e[warcName][len(e[warcName])/2] ^= 1 }, warcName},
		{"certificate-record", func(e map[string][]byte) { e[warcName][certAt+20] ^= 1 }, warcName},
		{"datapackage", func(e map[string][]byte) {
			e["datapackage.json"] = bytes.Replace(e["datapackage.json"], []byte(`"title"`), []byte(`"title" `), 1)
		}, "datapackage"},
		{"token", func(e map[string][]byte) { e[tokenName][len(e[tokenName])-10] ^= 1 }, tokenName},
	} {
		e := zipEntries(t, pkg)
		tc.tamper(e)
		code, page := report(tc.name, e)
		if code != 1 || !strings.Contains(page, "Verdict: FAIL") || !strings.Contains(page, tc.cause) {
			t.Errorf("%s: exit %d, report verdict or cause (%q) missing", tc.name, code, tc.cause)
		}
	}
}
