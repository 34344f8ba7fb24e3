// Package indexer turns WARC and ARC records into CDXJ lines exactly as
// warcio.js `cdx-index` writes them (and pywb reads them): which records are
// indexed, how requests pair with responses, how POST/PUT bodies fold into
// keys, and every field's value.
package indexer

import (
	"context"
	"crypto/sha1"
	"encoding/base32"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/warc"
)

// Options tune Index. The zero value indexes as warcio.js does.
type Options struct {
	// Filename is written in every line; if empty, the file's base name.
	Filename string
	// Strict makes the first malformed record fatal.
	Strict bool
	// Logger receives malformed records and records left out; if nil,
	// they are not logged (but still counted in Stats).
	Logger *slog.Logger
}

// Stats counts what Index saw.
type Stats struct {
	Records int // records read
	Lines   int // lines emitted
	// Problems counts malformed stretches reported by the reader.
	Problems int
	// Unaddressable counts records left out because they share a gzip
	// member with others (whole-file gzip): no offset can reach them.
	Unaddressable int
	// NoTarget counts records left out because they name no target URI.
	NoTarget int
}

// maxRequestBody bounds how much of a request body is kept for its key:
// more than the 4096 characters warcio.js keeps once converted.
const maxRequestBody = 64 << 10

// recordInfo is what indexing needs of a record, read while the record is
// current so the reader can move on.
type recordInfo struct {
	rec        *warc.Record
	typ        string
	target     string
	date       string
	warcCT     string
	digest     string
	hasHTTP    bool
	status     int
	httpCT     string
	method     string
	reqCT      string
	body       []byte
	arcPayload string // computed sha1 for ARC records, which carry none
}

// IndexFile indexes one file.
func IndexFile(ctx context.Context, path string, opt Options, emit func(*cdxj.Line) error) (Stats, error) {
	r, err := warc.Open(path, warc.Options{Strict: opt.Strict, Logger: opt.Logger})
	if err != nil {
		return Stats{}, err
	}
	defer r.Close()
	if opt.Filename == "" {
		opt.Filename = filepath.Base(path)
	}
	return Index(ctx, r, opt, emit)
}

// Index reads every record of r and calls emit with each CDXJ line, in file
// order. The line is reused after emit returns.
func Index(ctx context.Context, r *warc.Reader, opt Options, emit func(*cdxj.Line) error) (Stats, error) {
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var st Stats
	var last *recordInfo // warcio.js's _lastRecord
	var queue []pendingLine
	var line cdxj.Line
	// Lines wait until the reader has moved past their record, when its
	// on-disk length is known.
	flush := func(current *warc.Record) error {
		n := 0
		for _, p := range queue {
			if p.info.rec == current {
				queue[n] = p
				n++
				continue
			}
			p.fill(&line, opt.Filename)
			st.Lines++
			if err := emit(&line); err != nil {
				return err
			}
		}
		queue = queue[:n]
		return nil
	}
	index := func(resp, req *recordInfo) {
		if resp.target == "" {
			// No URI, nothing to look up by: warcio.js writes the key
			// "undefined"; such a line only pollutes the index.
			if keep(resp) {
				st.NoTarget++
				log.Warn("record without WARC-Target-URI left out of the index", "file", resp.rec.File, "offset", resp.rec.Offset)
			}
			return
		}
		if resp.rec.Addressable || resp.rec.Version == "ARC" {
			if keep(resp) {
				queue = append(queue, pendingLine{info: resp, req: req})
			}
			return
		}
		if keep(resp) {
			st.Unaddressable++
		}
	}
	for {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			var re *warc.RecordError
			if !errors.As(err, &re) || opt.Strict {
				return st, err
			}
			st.Problems++
			log.Warn("malformed record skipped", "file", re.File, "offset", re.Offset, "err", re.Err)
			if ferr := flush(nil); ferr != nil {
				return st, ferr
			}
			continue
		}
		st.Records++
		if err := flush(rec); err != nil {
			return st, err
		}
		cur := readInfo(rec)
		// warcio.js pairs a request with the response (or revisit) next to
		// it when both name the same URI; anything else is indexed alone.
		prev := last
		last = cur
		if prev == nil {
			continue
		}
		switch {
		case prev.target != cur.target:
			index(prev, nil)
		case cur.typ == "request" && (prev.typ == "response" || prev.typ == "revisit"):
			last = nil
			index(prev, cur)
		case (cur.typ == "response" || cur.typ == "revisit") && prev.typ == "request":
			last = nil
			index(cur, prev)
		default:
			index(prev, nil)
		}
	}
	if last != nil {
		index(last, nil)
	}
	if err := flush(nil); err != nil {
		return st, err
	}
	if st.Unaddressable > 0 {
		log.Warn("records share gzip members (whole-file gzip) and were left out of the index: recompress the file",
			"file", r.File(), "records", st.Unaddressable)
	}
	return st, nil
}

// keep is warcio.js's filter: no requests, warcinfo, or warc-fields
// metadata and resource records.
func keep(in *recordInfo) bool {
	switch in.typ {
	case "request", "warcinfo":
		return false
	case "metadata", "resource":
		return in.warcCT != "application/warc-fields"
	}
	return true
}

func readInfo(rec *warc.Record) *recordInfo {
	in := &recordInfo{
		rec:    rec,
		typ:    rec.Type(),
		target: warcTarget(rec),
		date:   rec.Header.Get(warc.FieldDate),
		warcCT: rec.ContentType(),
	}
	if d := rec.Header.Get(warc.FieldPayloadDigest); d != "" {
		if _, v, ok := strings.Cut(d, ":"); ok {
			in.digest = v
		}
	}
	// warcio.js reads an HTTP head from every response and request, and
	// from revisits with a block, whatever their Content-Type says.
	switch {
	case in.typ == "response" || in.typ == "request":
	case in.typ == "revisit" && rec.ContentLength > 0:
	default:
		return in
	}
	m, err := warc.ParseHTTPLoose(rec.Body)
	if err != nil {
		return in
	}
	in.hasHTTP = true
	if m.IsRequest {
		in.method = m.Method
		in.reqCT = m.Header.Get("Content-Type")
		if in.method != "GET" {
			in.body, _ = io.ReadAll(io.LimitReader(m.Body, maxRequestBody))
		}
		return in
	}
	in.status = m.StatusCode
	in.httpCT = m.Header.Get("Content-Type")
	if rec.Version == "ARC" && in.typ == "response" {
		// ARC records carry no digest; pywb indexes the payload's sha1.
		h := sha1.New()
		if _, err := io.Copy(h, m.Payload()); err == nil {
			in.arcPayload = base32.StdEncoding.EncodeToString(h.Sum(nil))
		}
	}
	return in
}

// warcTarget is the target URI as warcio.js reads it: wget's <…> removed,
// nothing else changed.
func warcTarget(rec *warc.Record) string {
	return cdxj.TrimAngleBrackets(strings.TrimSpace(rec.Header.Get(warc.FieldTargetURI)))
}

type pendingLine struct {
	info *recordInfo
	req  *recordInfo
}

func (p pendingLine) fill(l *cdxj.Line, filename string) {
	in := p.info
	*l = cdxj.Line{
		URL:       in.target,
		Timestamp: timestamp(in.date),
		Offset:    in.rec.Offset,
		Length:    in.rec.Size,
		Filename:  filename,
	}
	keyURL := in.target
	if req := p.req; req != nil && req.hasHTTP && req.method != "GET" {
		if body, query, ok := cdxj.RequestQuery(req.method, req.reqCT, req.body, cdxj.MaxRequestQuery); ok {
			l.Method = req.method
			l.RequestBody = body
			keyURL = cdxj.AppendMethodQuery(in.target, req.method, query)
		}
	}
	l.Key = cdxj.Key(keyURL)
	switch in.typ {
	case "revisit":
		l.Mime = "warc/revisit"
	case "response", "request":
		if in.hasHTTP {
			ct, _, _ := strings.Cut(in.httpCT, ";")
			l.Mime = strings.TrimSpace(ct)
		}
		if in.rec.Version == "ARC" && l.Mime == "" {
			l.Mime = in.warcCT
		}
	default:
		l.Mime = in.warcCT
	}
	if in.hasHTTP && (in.typ == "response" || in.typ == "revisit") {
		if in.status > 0 {
			l.Status = strconv.Itoa(in.status)
		} else {
			l.SetEmptyStatus()
		}
	}
	l.Digest = in.digest
	if l.Digest == "" {
		l.Digest = in.arcPayload
	}
}

// timestamp takes the digits of a WARC-Date, as warcio.js does.
func timestamp(date string) string {
	var b strings.Builder
	for i := 0; i < len(date) && b.Len() < 14; i++ {
		if c := date[i]; c != '-' && c != ':' && c != 'T' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// ErrNoFiles is returned when the paths name no WARC or ARC files.
var ErrNoFiles = fmt.Errorf("indexer: no WARC or ARC files found")
