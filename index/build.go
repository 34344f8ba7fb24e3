package index

import (
	"context"
	"crypto/sha1"
	"encoding/base32"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/storage"
	"github.com/warcbox/warcbox/warc"
)

// Options tune Build and the functions over it. The zero value indexes as
// warcio.js does.
type Options struct {
	// Filename is written in every line; if empty, the file's base name.
	Filename string
	// Strict makes the first malformed record fatal.
	Strict bool
	// Logger receives malformed records and records left out; if nil,
	// they are not logged (but still counted in Stats).
	Logger *slog.Logger
	// Store reaches http(s):// and s3:// names; if nil, one with default
	// options.
	Store *storage.Store
}

// Stats counts what Build saw.
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

// BuildFile indexes one file.
func BuildFile(ctx context.Context, path string, opt Options, emit func(*cdxj.Line) error) (Stats, error) {
	r, err := warc.OpenContext(ctx, path, warc.Options{Strict: opt.Strict, Logger: opt.Logger, Store: opt.Store})
	if err != nil {
		return Stats{}, err
	}
	defer r.Close()
	if opt.Filename == "" {
		opt.Filename = filepath.Base(path)
	}
	return Build(ctx, r, opt, emit)
}

// Build reads every record of r and calls emit with each CDXJ line, in file
// order. The line is reused after emit returns.
func Build(ctx context.Context, r *warc.Reader, opt Options, emit func(*cdxj.Line) error) (Stats, error) {
	lm := newLineMaker(opt, emit)
	for {
		if err := ctx.Err(); err != nil {
			return lm.st, err
		}
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			var re *warc.RecordError
			if !errors.As(err, &re) || opt.Strict {
				return lm.st, err
			}
			lm.problem(re)
			if ferr := lm.flush(nil); ferr != nil {
				return lm.st, ferr
			}
			continue
		}
		lm.st.Records++
		// Lines wait until the reader has moved past their record, when
		// its on-disk length is known.
		if err := lm.flush(rec); err != nil {
			return lm.st, err
		}
		lm.add(readInfo(rec))
	}
	return lm.finish(r.File())
}

// lineMaker is warcio.js's indexing state machine over record infos: it
// pairs requests with responses and queues the lines to write.
type lineMaker struct {
	opt   Options
	log   *slog.Logger
	emit  func(*cdxj.Line) error
	st    Stats
	last  *recordInfo // warcio.js's _lastRecord
	queue []pendingLine
	line  cdxj.Line
}

func newLineMaker(opt Options, emit func(*cdxj.Line) error) *lineMaker {
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &lineMaker{opt: opt, log: log, emit: emit}
}

func (m *lineMaker) problem(re *warc.RecordError) {
	m.st.Problems++
	m.log.Warn("malformed record skipped", "file", re.File, "offset", re.Offset, "err", re.Err)
}

// flush writes the queued lines, except the one of the current record.
func (m *lineMaker) flush(current *warc.Record) error {
	n := 0
	for _, p := range m.queue {
		if p.info.rec == current {
			m.queue[n] = p
			n++
			continue
		}
		p.fill(&m.line, m.opt.Filename)
		m.st.Lines++
		if err := m.emit(&m.line); err != nil {
			return err
		}
	}
	m.queue = m.queue[:n]
	return nil
}

// add takes the next record: warcio.js pairs a request with the response
// (or revisit) next to it when both name the same URI; anything else is
// indexed alone.
func (m *lineMaker) add(cur *recordInfo) {
	prev := m.last
	m.last = cur
	if prev == nil {
		return
	}
	switch {
	case prev.target != cur.target:
		m.index(prev, nil)
	case cur.typ == "request" && (prev.typ == "response" || prev.typ == "revisit"):
		m.last = nil
		m.index(prev, cur)
	case (cur.typ == "response" || cur.typ == "revisit") && prev.typ == "request":
		m.last = nil
		m.index(cur, prev)
	default:
		m.index(prev, nil)
	}
}

func (m *lineMaker) index(resp, req *recordInfo) {
	if !keep(resp) {
		return
	}
	switch {
	case resp.target == "":
		// No URI, nothing to look up by: warcio.js writes the key
		// "undefined"; such a line only pollutes the index.
		m.st.NoTarget++
		m.log.Warn("record without WARC-Target-URI left out of the index", "file", resp.rec.File, "offset", resp.rec.Offset)
	case resp.rec.Addressable || resp.rec.Version == "ARC":
		m.queue = append(m.queue, pendingLine{info: resp, req: req})
	default:
		m.st.Unaddressable++
	}
}

// finish indexes the last record and writes what is queued.
func (m *lineMaker) finish(file string) (Stats, error) {
	if m.last != nil {
		m.index(m.last, nil)
		m.last = nil
	}
	if err := m.flush(nil); err != nil {
		return m.st, err
	}
	if m.st.Unaddressable > 0 {
		m.log.Warn("records share gzip members (whole-file gzip) and were left out of the index: recompress the file",
			"file", file, "records", m.st.Unaddressable)
	}
	return m.st, nil
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
