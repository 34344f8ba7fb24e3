package wacz

import (
	"archive/zip"
	"bufio"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/storage"
	"github.com/warcbox/warcbox/tsa"
	"github.com/warcbox/warcbox/warc"
)

// Finding is one problem with a package.
type Finding struct {
	Path     string        `json:"path"` // file inside the package, "" for the package itself
	Severity warc.Severity `json:"severity"`
	Check    string        `json:"check"`
	Message  string        `json:"message"`
}

// Report is the verification result for one package.
type Report struct {
	File     string         `json:"file"`
	Files    int            `json:"files"`
	Signed   bool           `json:"signed"`
	Findings []Finding      `json:"findings"`
	WARCs    []*warc.Report `json:"warcs"`
	// Timestamps are the RFC 3161 tokens in timestamps/, each checked
	// against the file it stamps.
	Timestamps []TimestampCheck `json:"timestamps"`
	// Package is datapackage.json as read (nil when it could not be).
	Package *DataPackage `json:"package,omitempty"`
}

// TimestampCheck is one stored token checked.
type TimestampCheck struct {
	Path   string     `json:"path"`   // timestamps/….N.tsr
	Target string     `json:"target"` // the package file it stamps
	Token  *tsa.Token `json:"token,omitempty"`
	Error  string     `json:"error,omitempty"`
}

// OK reports whether the package and every WARC inside it passed.
func (r *Report) OK() bool {
	for _, f := range r.Findings {
		if f.Severity == warc.SeverityError {
			return false
		}
	}
	for _, w := range r.WARCs {
		if !w.OK() {
			return false
		}
	}
	return true
}

// VerifyOptions tune Verify.
type VerifyOptions struct {
	// TrustedKey, if set, is the base64 SPKI public key the signature must
	// have been made with: without it any key that matches its own
	// signature passes, which proves integrity but not authorship.
	TrustedKey string
	// RequireSignature makes an unsigned package fail.
	RequireSignature bool
	// TSARoots, if set, are the CA certificates time-stamping authorities
	// must chain to; without them a token's signature is checked but not
	// whose it is (a warning).
	TSARoots *x509.CertPool
	// Store reaches an http(s):// or s3:// package (read by Range, ahead
	// of the hashing); if nil, one with default options.
	Store *storage.Store
}

// Verify checks a WACZ file: every file's hash and size against
// datapackage.json, files missing or not listed, datapackage-digest.json's
// hash of datapackage.json, the signature, the index's references, and
// every WARC inside as `warcbox verify` checks WARCs.
func Verify(ctx context.Context, path string, opt VerifyOptions) (*Report, error) {
	store := opt.Store
	if store == nil {
		store = storage.New(storage.Options{})
	}
	f, err := store.OpenTail(ctx, path, warc.PackageTail)
	if err != nil {
		return nil, fmt.Errorf("wacz: %w", err)
	}
	defer f.Close()
	rep := &Report{File: storage.Redact(path)}
	add := func(p string, sev warc.Severity, check, format string, args ...any) {
		rep.Findings = append(rep.Findings, Finding{Path: p, Severity: sev, Check: check, Message: fmt.Sprintf(format, args...)})
	}
	zr, err := zip.NewReader(f, f.Size())
	if err != nil {
		add("", warc.SeverityError, "zip", "not a readable zip file: %v", err)
		return rep, nil
	}
	files := map[string]*zip.File{}
	for _, zf := range zr.File {
		files[zf.Name] = zf
	}
	rep.Files = len(files)

	dpFile := files["datapackage.json"]
	if dpFile == nil {
		add("datapackage.json", warc.SeverityError, "missing", "datapackage.json is missing")
		return rep, nil
	}
	dpBytes, err := readAll(dpFile)
	if err != nil {
		add("datapackage.json", warc.SeverityError, "read", "%v", err)
		return rep, nil
	}
	var dp DataPackage
	if err := json.Unmarshal(dpBytes, &dp); err != nil {
		add("datapackage.json", warc.SeverityError, "json", "not valid JSON: %v", err)
		return rep, nil
	}
	rep.Package = &dp
	dpSum := sha256.Sum256(dpBytes)
	dpHash := "sha256:" + hex.EncodeToString(dpSum[:])

	listed := map[string]bool{"datapackage.json": true, "datapackage-digest.json": true}
	for _, res := range dp.Resources {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		listed[res.Path] = true
		zf := files[res.Path]
		if zf == nil {
			add(res.Path, warc.SeverityError, "missing", "listed in datapackage.json but not in the package")
			continue
		}
		if strings.HasPrefix(res.Path, "archive/") && zf.Method != zip.Store {
			add(res.Path, warc.SeverityWarning, "compression", "WARC is compressed in the zip (the spec asks for STORE): it cannot be read by range")
		}
		sum, n, err := hashEntry(zf)
		if err != nil {
			add(res.Path, warc.SeverityError, "read", "%v", err)
			continue
		}
		if n != res.Bytes {
			add(res.Path, warc.SeverityError, "size", "%d bytes, datapackage.json says %d", n, res.Bytes)
		}
		if !strings.EqualFold(sum, res.Hash) {
			add(res.Path, warc.SeverityError, "hash", "%s, datapackage.json says %s", sum, res.Hash)
		}
	}
	var extra []string
	for name := range files {
		// The tokens of datapackage-digest.json are made after it: they
		// cannot be listed, and are checked below instead.
		if strings.HasPrefix(name, "timestamps/datapackage-digest.json.") {
			continue
		}
		if !listed[name] && !strings.HasSuffix(name, "/") {
			extra = append(extra, name)
		}
	}
	sort.Strings(extra)
	for _, name := range extra {
		add(name, warc.SeverityError, "unlisted", "in the package but not in datapackage.json")
	}

	verifyDigest(files["datapackage-digest.json"], dpHash, opt, rep, add)
	verifyIndex(files, add)
	verifyTimestamps(files, opt, rep, add)

	for _, res := range dp.Resources {
		zf := files[res.Path]
		if zf == nil || !strings.HasPrefix(res.Path, "archive/") {
			continue
		}
		rc, err := openEntry(zf)
		if err != nil {
			add(res.Path, warc.SeverityError, "read", "%v", err)
			continue
		}
		wr, err := warc.VerifyReader(ctx, warc.NewNamedReader(rc, path+"#"+res.Path, warc.Options{}))
		rc.Close()
		if err != nil {
			return rep, err
		}
		rep.WARCs = append(rep.WARCs, wr)
	}
	return rep, nil
}

func verifyDigest(zf *zip.File, dpHash string, opt VerifyOptions, rep *Report, add func(string, warc.Severity, string, string, ...any)) {
	const name = "datapackage-digest.json"
	if zf == nil {
		sev := warc.SeverityWarning
		if opt.RequireSignature {
			sev = warc.SeverityError
		}
		add(name, sev, "missing", "no datapackage-digest.json: the package is not signed")
		return
	}
	b, err := readAll(zf)
	if err != nil {
		add(name, warc.SeverityError, "read", "%v", err)
		return
	}
	var dg Digest
	if err := json.Unmarshal(b, &dg); err != nil {
		add(name, warc.SeverityError, "json", "not valid JSON: %v", err)
		return
	}
	if dg.Path != "datapackage.json" {
		add(name, warc.SeverityError, "digest", "path is %q, not datapackage.json", dg.Path)
	}
	if !strings.EqualFold(dg.Hash, dpHash) {
		add(name, warc.SeverityError, "digest", "hash %s does not match datapackage.json (%s)", dg.Hash, dpHash)
	}
	if dg.SignedData == nil {
		if opt.RequireSignature {
			add(name, warc.SeverityError, "signature", "the package is not signed")
		}
		return
	}
	rep.Signed = true
	sd := dg.SignedData
	if sd.Hash != dg.Hash {
		add(name, warc.SeverityError, "signature", "signedData.hash %s is not the digest's hash %s", sd.Hash, dg.Hash)
	}
	if sd.PublicKey == "" {
		add(name, warc.SeverityError, "signature", "signedData has no publicKey (domain-certificate signatures are not checked by warcbox)")
		return
	}
	if err := VerifySignature(sd); err != nil {
		add(name, warc.SeverityError, "signature", "%v", err)
	}
	if opt.TrustedKey != "" && sd.PublicKey != opt.TrustedKey {
		add(name, warc.SeverityError, "key", "signed with publicKey %s…, not the trusted key", truncate(sd.PublicKey, 24))
	}
}

// verifyTimestamps checks each token in timestamps/ against the digest of
// the file it names: timestamps/<path>.N.tsr stamps <path>.
func verifyTimestamps(files map[string]*zip.File, opt VerifyOptions, rep *Report, add func(string, warc.Severity, string, string, ...any)) {
	var names []string
	for name := range files {
		if strings.HasPrefix(name, "timestamps/") && strings.HasSuffix(name, ".tsr") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		target := strings.TrimSuffix(strings.TrimPrefix(name, "timestamps/"), ".tsr")
		if i := strings.LastIndexByte(target, '.'); i > 0 {
			target = target[:i] // the authority's number
		}
		c := TimestampCheck{Path: name, Target: target}
		fail := func(format string, args ...any) {
			c.Error = fmt.Sprintf(format, args...)
			add(name, warc.SeverityError, "timestamp", "%s", c.Error)
		}
		tf := files[target]
		tok, err := readAll(files[name])
		switch {
		case tf == nil:
			fail("stamps %s, which is not in the package", target)
		case err != nil:
			fail("%v", err)
		default:
			h := sha256.New()
			rc, err := openEntry(tf)
			if err == nil {
				_, err = io.Copy(h, rc)
				rc.Close()
			}
			if err != nil {
				fail("read %s: %v", target, err)
				break
			}
			c.Token, err = tsa.Verify(tok, h.Sum(nil), opt.TSARoots)
			if err != nil {
				fail("%s: %v", target, err)
			} else if opt.TSARoots == nil {
				add(name, warc.SeverityWarning, "timestamp", "signature good, but whose it is was not checked (give the authority's CA)")
			}
		}
		rep.Timestamps = append(rep.Timestamps, c)
	}
}

// verifyIndex checks that every index line names a WARC in the package.
func verifyIndex(files map[string]*zip.File, add func(string, warc.Severity, string, string, ...any)) {
	for name, zf := range files {
		if !strings.HasPrefix(name, "indexes/") || !strings.HasSuffix(name, ".cdxj") {
			continue
		}
		rc, err := openEntry(zf)
		if err != nil {
			add(name, warc.SeverityError, "read", "%v", err)
			continue
		}
		sc := bufio.NewScanner(rc)
		sc.Buffer(nil, 4<<20)
		missing := map[string]int{}
		n := 0
		for sc.Scan() {
			n++
			l, err := cdxj.Parse(sc.Bytes())
			if err != nil {
				add(name, warc.SeverityError, "index", "line %d: %v", n, err)
				continue
			}
			if files["archive/"+l.Filename] == nil {
				missing[l.Filename]++
			}
		}
		rc.Close()
		for fn, c := range missing {
			add(name, warc.SeverityError, "index", "%d lines refer to %s, which is not in archive/", c, fn)
		}
	}
}

// openEntry opens an entry's bytes. Stored entries are read raw, so a
// changed byte shows as a hash mismatch against datapackage.json (what the
// user needs to know) rather than as the zip's own CRC error.
func openEntry(zf *zip.File) (io.ReadCloser, error) {
	if zf.Method == zip.Store {
		r, err := zf.OpenRaw()
		if err != nil {
			return nil, err
		}
		return io.NopCloser(r), nil
	}
	return zf.Open()
}

func readAll(zf *zip.File) ([]byte, error) {
	rc, err := openEntry(zf)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, 256<<20))
}

func hashEntry(zf *zip.File) (string, int64, error) {
	rc, err := openEntry(zf)
	if err != nil {
		return "", 0, err
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(h, rc)
	if err != nil {
		return "", n, err
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), n, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
