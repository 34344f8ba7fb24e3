package warc

import (
	"context"
	"errors"
	"fmt"
	"hash"
	"io"
	"net"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Severity says whether a finding makes a file fail verification.
type Severity string

const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// Finding is one problem found by Verify.
type Finding struct {
	Offset   int64    `json:"offset"`
	RecordID string   `json:"record_id,omitempty"`
	Type     string   `json:"type,omitempty"`
	Severity Severity `json:"severity"`
	Check    string   `json:"check"`
	Message  string   `json:"message"`
}

// Report is the verification result for one file.
type Report struct {
	File     string    `json:"file"`
	Records  int       `json:"records"`
	Findings []Finding `json:"findings"`
}

// OK reports whether the file has no error findings.
func (r *Report) OK() bool {
	for _, f := range r.Findings {
		if f.Severity == SeverityError {
			return false
		}
	}
	return true
}

// Errors counts the error findings.
func (r *Report) Errors() int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == SeverityError {
			n++
		}
	}
	return n
}

// warcDate is the WARC-Date form WARC 1.0 and 1.1 require (1.1 allows a
// fraction of a second); case is not checked, as jwat does not.
var warcDate = regexp.MustCompile(`(?i)^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$`)

// knownTypes are the WARC 1.1 record types.
var knownTypes = map[string]bool{"warcinfo": true, "response": true, "resource": true, "request": true,
	"metadata": true, "revisit": true, "conversion": true, "continuation": true}

// repeatable fields may appear more than once in a record header.
var repeatable = map[string]bool{"warc-concurrent-to": true, "warc-protocol": true}

// targetRequired lists the types that must carry WARC-Target-URI.
var targetRequired = map[string]bool{"response": true, "resource": true, "request": true, "revisit": true,
	"conversion": true, "continuation": true}

// VerifyReader checks every record of r: framing, required fields and their
// syntax, block digests, payload digests over the de-chunked HTTP entity
// (the IIPC clarification of WARC 1.1), and that WARC-Concurrent-To points
// at a record of the same file.
func VerifyReader(ctx context.Context, r *Reader) (*Report, error) {
	rep := &Report{File: r.File()}
	ids := map[string]bool{}
	type ref struct {
		off  int64
		id   string
		to   string
		kind string
	}
	var refs []ref
	var prev *Record
	add := func(rec *Record, sev Severity, check, format string, args ...any) {
		f := Finding{Severity: sev, Check: check, Message: fmt.Sprintf(format, args...)}
		if rec != nil {
			f.Offset, f.RecordID, f.Type = rec.Offset, rec.ID(), rec.Type()
		}
		rep.Findings = append(rep.Findings, f)
	}
	trailer := func(rec *Record) {
		if rec != nil && rec.MissingTrailer {
			add(rec, SeverityWarning, "trailer", "block is not followed by CRLF CRLF")
		}
	}
	for {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		rec, err := r.Next()
		trailer(prev)
		prev = nil
		if err == io.EOF {
			break
		}
		if err != nil {
			var re *RecordError
			if !errors.As(err, &re) {
				return rep, err
			}
			sev := SeverityError
			if re.Warning {
				sev = SeverityWarning
			}
			rep.Findings = append(rep.Findings, Finding{Offset: re.Offset, Severity: sev, Check: "structure", Message: re.Err.Error()})
			if r.opt.Strict {
				break
			}
			continue
		}
		rep.Records++
		prev = rec
		verifyHeader(rec, add)
		if id := rec.ID(); id != "" {
			ids[id] = true
		}
		for _, to := range rec.Header.Values(FieldConcurrentTo) {
			refs = append(refs, ref{off: rec.Offset, id: rec.ID(), to: to, kind: rec.Type()})
		}
		// A cut block is reported by the reader when it moves on.
		if err := verifyBlock(rec, add); err != nil && !errors.Is(err, ErrTruncated) {
			add(rec, SeverityError, "structure", "%v", err)
		}
	}
	if rep.Records == 0 && len(rep.Findings) == 0 {
		rep.Findings = append(rep.Findings, Finding{Severity: SeverityWarning, Check: "empty", Message: "the file holds no records"})
	}
	for _, rf := range refs {
		if !ids[rf.to] {
			rep.Findings = append(rep.Findings, Finding{Offset: rf.off, RecordID: rf.id, Type: rf.kind, Severity: SeverityWarning,
				Check: "concurrent-to", Message: fmt.Sprintf("WARC-Concurrent-To %s is not in this file", rf.to)})
		}
	}
	return rep, nil
}

// Verify opens path and verifies it.
func Verify(ctx context.Context, path string, opt Options) (*Report, error) {
	r, err := OpenContext(ctx, path, opt)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return VerifyReader(ctx, r)
}

type addFunc func(rec *Record, sev Severity, check, format string, args ...any)

func verifyHeader(rec *Record, add addFunc) {
	if rec.Version == "ARC" {
		return
	}
	if !rec.Addressable {
		add(rec, SeverityError, "gzip", "record does not start a gzip member of its own (whole-file gzip or misaligned members): its offset cannot be used for random access")
	}
	switch rec.Version {
	case "WARC/1.0", "WARC/1.1":
	case "WARC/0.17", "WARC/0.18":
		add(rec, SeverityWarning, "version", "pre-standard version %s", rec.Version)
	default:
		add(rec, SeverityWarning, "version", "version line %q is not WARC/1.0 or WARC/1.1", rec.Version)
	}
	seen := map[string]int{}
	for _, f := range rec.Header {
		lname := strings.ToLower(f.Name)
		seen[lname]++
		standard := strings.HasPrefix(lname, "warc-") || lname == "content-length" || lname == "content-type"
		if seen[lname] == 2 && standard && !repeatable[lname] {
			add(rec, SeverityError, "field", "field %s appears more than once", f.Name)
		}
		if !utf8.ValidString(f.Value) || !utf8.ValidString(f.Name) {
			add(rec, SeverityError, "field", "field %s is not valid UTF-8", f.Name)
		}
		if f.Value == "" {
			add(rec, SeverityError, "field", "field %s is empty", f.Name)
		}
	}
	typ := rec.Type()
	for _, name := range []string{FieldRecordID, FieldContentLength, FieldDate, FieldType} {
		if !rec.Header.Has(name) {
			add(rec, SeverityError, "required", "missing required field %s", name)
		}
	}
	if typ != "" && !knownTypes[typ] {
		add(rec, SeverityError, "type", "unknown WARC-Type %q", typ)
	}
	if targetRequired[typ] && !rec.Header.Has(FieldTargetURI) {
		add(rec, SeverityError, "required", "%s record without WARC-Target-URI", typ)
	}
	if typ == "revisit" && !rec.Header.Has(FieldProfile) {
		add(rec, SeverityError, "required", "revisit record without WARC-Profile")
	}
	if typ == "continuation" {
		for _, name := range []string{FieldSegmentOriginID, FieldSegmentNumber} {
			if !rec.Header.Has(name) {
				add(rec, SeverityError, "required", "continuation record without %s", name)
			}
		}
	}
	if v := rec.Header.Get(FieldSegmentNumber); v != "" {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil || n < 1:
			add(rec, SeverityError, "field", "WARC-Segment-Number %q is not a positive integer", v)
		case typ == "continuation" && n < 2:
			add(rec, SeverityError, "field", "continuation record with WARC-Segment-Number %d (must be 2 or more)", n)
		case typ != "continuation" && n != 1:
			add(rec, SeverityError, "field", "%s record with WARC-Segment-Number %d (only continuations go past 1)", typ, n)
		}
	}
	if v := rec.Header.Get(FieldDate); v != "" {
		if !warcDate.MatchString(v) {
			add(rec, SeverityError, "field", "WARC-Date %q is not YYYY-MM-DDThh:mm:ss[.fraction]Z", v)
		}
	}
	if v := rec.Header.Get(FieldIPAddress); v != "" && net.ParseIP(v) == nil {
		add(rec, SeverityError, "field", "WARC-IP-Address %q is not an IP address", v)
	}
	if v := rec.ID(); v != "" && !(strings.HasPrefix(v, "<") && strings.HasSuffix(v, ">") && strings.Contains(v, ":")) {
		add(rec, SeverityError, "field", "WARC-Record-ID %q is not a <uri>", v)
	}
	for _, name := range []string{FieldBlockDigest, FieldPayloadDigest} {
		if v := rec.Header.Get(name); v != "" {
			if _, err := ParseDigest(v); err != nil {
				add(rec, SeverityError, "digest", "%s: %v", name, err)
			}
		}
	}
	if rec.ContentLength > 0 && typ != "continuation" && !rec.Header.Has(FieldContentType) {
		add(rec, SeverityWarning, "content-type", "%s record with a block but no Content-Type", typ)
	}
	if typ == "warcinfo" && rec.Header.Has(FieldContentType) && !strings.HasPrefix(strings.ToLower(rec.ContentType()), "application/warc-fields") {
		add(rec, SeverityWarning, "content-type", "warcinfo Content-Type %q is not application/warc-fields", rec.ContentType())
	}
}

// verifyBlock reads the block once, hashing it for the block digest and,
// for HTTP records, hashing the de-chunked entity for the payload digest.
func verifyBlock(rec *Record, add addFunc) error {
	var blockHash hash.Hash
	var blockDigest Digest
	if v := rec.Header.Get(FieldBlockDigest); v != "" {
		if d, err := ParseDigest(v); err == nil {
			blockDigest, blockHash = d, d.Hash()
		}
	}
	var payloadDigest Digest
	var payloadHash hash.Hash
	typ := rec.Type()
	// A revisit's payload digest is the original's; a segment's covers the
	// reassembled payload, which one record cannot check.
	segmented := typ == "continuation" || rec.Header.Has(FieldSegmentNumber)
	if v := rec.Header.Get(FieldPayloadDigest); v != "" && typ != "revisit" && !segmented {
		if d, err := ParseDigest(v); err == nil {
			payloadDigest, payloadHash = d, d.Hash()
		}
	}
	body := rec.Body
	if blockHash != nil {
		body = io.TeeReader(body, blockHash)
	}
	httpOK := true
	switch {
	case rec.IsHTTP() && (typ == "response" || typ == "request" || typ == "revisit" || rec.Version == "ARC"):
		m, err := ParseHTTP(body)
		if err != nil {
			if rec.ContentLength > 0 {
				add(rec, SeverityError, "http", "%v", err)
			}
			httpOK = false
			if _, err := io.Copy(io.Discard, body); err != nil {
				return err
			}
			break
		}
		// Hash the entity both as recorded and de-chunked: writers that
		// digest the chunked framing (wget, warcprox, gowarc) are then told
		// apart from a payload that does not match at all.
		var rawHash hash.Hash
		entity := m.Body
		if payloadHash != nil && isChunked(m.Header) {
			rawHash = payloadDigest.Hash()
			entity = io.TeeReader(entity, rawHash)
		}
		m.Body = entity
		payload := m.Payload()
		dst := io.Discard
		if payloadHash != nil {
			dst = payloadHash
		}
		if _, err := io.Copy(dst, payload); err != nil {
			return err
		}
		if dc, ok := payload.(*dechunker); ok {
			switch {
			case dc.Malformed:
				add(rec, SeverityError, "http", "chunked body with broken chunk framing")
			case dc.Broken:
				// pywb's own writer stored de-chunked bodies under this header.
				add(rec, SeverityWarning, "http", "Transfer-Encoding: chunked but the body is not chunked; read as it is")
			}
		}
		if _, err := io.Copy(io.Discard, entity); err != nil {
			return err
		}
		if rawHash != nil && !payloadDigest.Matches(payloadHash) && payloadDigest.Matches(rawHash) {
			add(rec, SeverityWarning, "payload-digest", "WARC-Payload-Digest covers the chunked transfer encoding, not the de-chunked payload (a known writer bug)")
			payloadHash = nil
		}
	default:
		dst := io.Discard
		if payloadHash != nil {
			dst = payloadHash
		}
		if _, err := io.Copy(dst, body); err != nil {
			return err
		}
	}
	if blockHash != nil && !blockDigest.Matches(blockHash) {
		add(rec, SeverityError, "block-digest", "WARC-Block-Digest %s does not match the block (%s:%s)",
			rec.Header.Get(FieldBlockDigest), blockDigest.Algorithm, encodeB32(blockHash.Sum(nil)))
	}
	if payloadHash != nil && httpOK && !payloadDigest.Matches(payloadHash) {
		add(rec, SeverityError, "payload-digest", "WARC-Payload-Digest %s does not match the payload (%s:%s)",
			rec.Header.Get(FieldPayloadDigest), payloadDigest.Algorithm, encodeB32(payloadHash.Sum(nil)))
	}
	return nil
}
