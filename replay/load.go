package replay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/index"
	"github.com/warcbox/warcbox/storage"
	"github.com/warcbox/warcbox/warc"
)

// loaded is a capture ready to serve: status, archived headers and payload.
type loaded struct {
	cap    index.Capture // the capture asked for (a revisit stays a revisit here)
	status int
	header http.Header
	body   io.Reader
	// encoded is true when body still carries the recorded
	// Content-Encoding (id_ replay, or an encoding we cannot decode).
	encoded bool
	// resource is true for WARC resource records (no HTTP headers).
	resource bool
	// contentLocation, if set, is the memento served in place of the one
	// asked for (an embed's closest capture).
	contentLocation string
	// payloadLen is the length of the payload the record holds (when
	// known: not chunked), which is what is sent: the archived
	// Content-Length may say otherwise (a body cut by a reset or by
	// --max-size, or a forged header).
	payloadLen int64
	sized      bool
	// truncated is the record's WARC-Truncated reason, if any.
	truncated string
}

var errNoOriginal = errors.New("replay: revisit whose original is not in the collection")

// errNotCapture is a record that answers no request for its URL (a
// metadata record indexed under the URL it describes).
var errNotCapture = errors.New("replay: not a capture")

// load reads a capture's record. Revisits are resolved to their original
// payload: by WARC-Refers-To-Target-URI and -Date when present, else the
// same URL with the same digest, else any capture with that digest.
// raw keeps the Content-Encoding (id_).
func (s *Server) load(ctx context.Context, c *collection, cp index.Capture, raw bool) (*loaded, error) {
	rec, err := s.readRecord(ctx, c, cp)
	if err != nil {
		return nil, err
	}
	switch typ := rec.Type(); {
	case !recordAnswers(rec):
		return nil, fmt.Errorf("%w: a %s record of %d bytes", errNotCapture, typ, rec.ContentLength)
	case typ == "resource":
		return &loaded{cap: cp, status: 200, resource: true,
			header: http.Header{"Content-Type": {rec.Header.Get("Content-Type")}}, body: rec.Body}, nil
	case typ == "revisit":
		return s.loadRevisit(ctx, c, cp, rec, raw)
	}
	m, err := rec.HTTP()
	if err != nil || m.IsRequest {
		// not an HTTP response block: serve the block as a resource
		return &loaded{cap: cp, status: 200, resource: true,
			header: http.Header{"Content-Type": {"application/octet-stream"}}, body: rec.Body}, nil
	}
	ld := fromHTTP(cp, m, raw)
	ld.truncated = rec.Header.Get("WARC-Truncated")
	if n := rec.ContentLength - int64(len(m.RawHeader)); n >= 0 && rec.ContentLength > 0 && m.Header.Get("Transfer-Encoding") == "" {
		ld.payloadLen, ld.sized = n, true
	}
	return ld, nil
}

func fromHTTP(cp index.Capture, m *warc.HTTPMessage, raw bool) *loaded {
	ld := &loaded{cap: cp, status: m.StatusCode, header: m.Header}
	if raw {
		ld.body, ld.encoded = m.Payload(), m.Header.Get("Content-Encoding") != ""
		return ld
	}
	if d, err := m.Decoded(); err == nil {
		ld.body = d
	} else {
		ld.body, ld.encoded = m.Payload(), m.Header.Get("Content-Encoding") != ""
	}
	return ld
}

// locator finds the file a capture's Filename names (an
// *index.Collection, or a collection embedding one).
type locator interface {
	Locate(name string) (index.Location, error)
}

func (s *Server) readRecord(ctx context.Context, c locator, cp index.Capture) (*warc.Record, error) {
	loc, err := c.Locate(cp.Filename)
	if err != nil {
		return nil, err
	}
	if loc.Member {
		ra, err := s.files.open(ctx, loc.Path)
		if err != nil {
			return nil, errf("%w", err)
		}
		if err := prefetch(ctx, ra, loc.Offset+cp.Offset, cp.Length); err != nil {
			return nil, errf("%s at offset %d: %w", cp.Filename, cp.Offset, err)
		}
		rec, err := warc.ReadAtFile(io.NewSectionReader(ra, loc.Offset, loc.Size), cp.Offset, cp.Filename)
		if err != nil {
			return nil, errf("%s at offset %d: %w", cp.Filename, cp.Offset, err)
		}
		return rec, nil
	}
	p := loc.Path
	ra, err := s.files.open(ctx, p)
	if err != nil {
		return nil, errf("%w", err)
	}
	if err := prefetch(ctx, ra, cp.Offset, cp.Length); err != nil {
		return nil, errf("%s at offset %d: %w", storage.Redact(p), cp.Offset, err)
	}
	if cp.Length > 0 {
		// Bound the reads to the record: the reader's buffers would
		// otherwise read ahead far past a small record.
		if rec, err := warc.ReadAtFile(io.NewSectionReader(ra, cp.Offset, cp.Length), 0, p); err == nil {
			rec.Offset = cp.Offset
			return rec, nil
		}
		// a wrong length in a foreign index: read unbounded
	}
	rec, err := warc.ReadAtFile(ra, cp.Offset, p)
	if err != nil {
		return nil, errf("%s at offset %d: %w", p, cp.Offset, err)
	}
	return rec, nil
}

func (s *Server) loadRevisit(ctx context.Context, c *collection, cp index.Capture, rec *warc.Record, raw bool) (*loaded, error) {
	refURI := rec.Header.Get("WARC-Refers-To-Target-URI")
	if refURI == "" {
		refURI = cp.URL
	}
	refURI = warc.CleanURI(refURI)
	refTS := ""
	if d := rec.Header.Get("WARC-Refers-To-Date"); d != "" {
		if t, err := warc.ParseDate(d); err == nil {
			refTS = fmtTS(t)
		}
	}
	// The index holds digests without their algorithm label, as warcio.js
	// writes them: "sha1:ABC…" and "sha256:abc…" alike (only "sha1:" was
	// dropped, so no sha256 revisit, warcbox's default, found its original).
	digest := rec.Header.Get("WARC-Payload-Digest")
	if _, v, ok := strings.Cut(digest, ":"); ok {
		digest = v
	}
	if digest == "" {
		digest = cp.Digest
	}
	// The revisit's own HTTP headers (WARC 1.1 identical-payload revisits
	// record them); a 304 or header-less revisit takes the original's.
	var revHTTP *warc.HTTPMessage
	if m, err := rec.HTTP(); err == nil && !m.IsRequest && m.StatusCode != 0 && m.StatusCode != 304 {
		revHTTP = m
	}

	orig, err := s.findOriginal(ctx, c, refURI, refTS, digest, cp.Timestamp)
	if err != nil {
		return nil, err
	}
	orec, err := s.readRecord(ctx, c, orig)
	if err != nil {
		return nil, err
	}
	var ld *loaded
	if orec.Type() == "resource" {
		ld = &loaded{status: 200, resource: true, header: http.Header{"Content-Type": {orec.Header.Get("Content-Type")}}, body: orec.Body}
	} else {
		om, err := orec.HTTP()
		if err != nil {
			return nil, errf("original of revisit %s: %w", cp.URL, err)
		}
		ld = fromHTTP(orig, om, raw)
	}
	ld.cap = cp
	if revHTTP != nil {
		h := revHTTP.Header.Clone()
		for _, k := range []string{"Content-Type", "Content-Encoding", "Content-Length", "Transfer-Encoding"} {
			if v, ok := ld.header[k]; ok {
				h[k] = v
			} else {
				delete(h, k)
			}
		}
		ld.header, ld.status = h, revHTTP.StatusCode
	}
	return ld, nil
}

// findOriginal picks the capture a revisit refers to.
func (s *Server) findOriginal(ctx context.Context, c *collection, refURI, refTS, digest, revTS string) (index.Capture, error) {
	caps, err := index.Collect(ctx, c.source(), index.Query{Key: cdxj.Key(refURI), URL: refURI})
	if err != nil {
		return index.Capture{}, err
	}
	var best *index.Capture
	for i := range caps {
		cp := &caps[i]
		if cp.IsRevisit() {
			continue
		}
		if refTS != "" && cp.Timestamp == refTS && (digest == "" || cp.Digest == "" || cp.Digest == digest) {
			return *cp, nil
		}
		if digest != "" && cp.Digest != digest {
			continue
		}
		// the latest matching capture not after the revisit, else the earliest after it
		if best == nil || (cp.Timestamp <= revTS && (best.Timestamp > revTS || cp.Timestamp > best.Timestamp)) {
			best = cp
		}
	}
	if best != nil {
		return *best, nil
	}
	if digest != "" {
		cp, ok, err := c.ByDigest(ctx, digest)
		if err != nil && ctx.Err() == nil {
			// Parts of an index could not be read: said, and the rest
			// still answers.
			s.log.Warn("replay: index unreadable in part while finding a revisit's original", "collection", c.name, "err", err)
		}
		if ok {
			return cp, nil
		}
	}
	return index.Capture{}, errNoOriginal
}
