package index

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"mime"
	"strings"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/warc"
)

// IndexOptions tunes IndexWARC.
type IndexOptions struct {
	// Name is written as each capture's Filename; if empty, the path.
	Name   string
	Strict bool
	// Logger receives skipped records; if nil, they are not reported.
	Logger *slog.Logger
}

// IndexWARC reads a WARC or ARC file and returns a capture for each
// response, revisit and resource record, with POST captures keyed by
// their request body (pywb's scheme) and HTML pages' titles. Malformed
// records are logged and skipped (fatal with Strict).
func IndexWARC(ctx context.Context, path string, opt IndexOptions) ([]Capture, error) {
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	name := opt.Name
	if name == "" {
		name = path
	}
	r, err := warc.Open(path, warc.Options{Strict: opt.Strict, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("index %s: %w", path, err)
	}
	defer r.Close()
	return indexRecords(ctx, r, path, name, opt.Strict, log)
}

// IndexReader is IndexWARC over a stream (a WARC inside a WACZ): offsets
// are relative to the start of rd; opt.Name names the captures' file.
func IndexReader(ctx context.Context, rd io.Reader, opt IndexOptions) ([]Capture, error) {
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := warc.NewReader(rd, warc.Options{Strict: opt.Strict, Logger: log})
	defer r.Close()
	return indexRecords(ctx, r, opt.Name, opt.Name, opt.Strict, log)
}

func indexRecords(ctx context.Context, r *warc.Reader, path, name string, strict bool, log *slog.Logger) ([]Capture, error) {
	opt := struct{ Strict bool }{strict}
	var caps []Capture
	type pending struct {
		rec *warc.Record
		i   int // index in caps, or -1
	}
	var prev pending
	finish := func() {
		if prev.rec != nil && prev.i >= 0 {
			caps[prev.i].Length = prev.rec.Size
		}
	}
	byID := map[string]int{}             // response record ID → caps index
	requests := map[string]requestInfo{} // response record ID → its request
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rec, err := r.Next()
		finish()
		prev = pending{}
		if errors.Is(err, io.EOF) {
			break
		}
		var re *warc.RecordError
		if errors.As(err, &re) && !opt.Strict {
			log.Warn("skipping malformed record", "file", path, "offset", re.Offset, "err", re.Err)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("index %s: %w", path, err)
		}
		typ := rec.Type()
		if typ == "request" {
			if ri, ok := readRequest(rec); ok {
				requests[rec.ID()] = ri
				for _, id := range rec.Header.Values("WARC-Concurrent-To") {
					requests[id] = ri
				}
			}
			continue
		}
		if typ != "response" && typ != "revisit" && typ != "resource" {
			continue
		}
		if !rec.Addressable {
			log.Warn("record not addressable (several records in one gzip member): not indexed", "file", path, "offset", rec.Offset)
			continue
		}
		c, ok := captureOf(rec, typ)
		if !ok {
			continue
		}
		c.Filename = name
		caps = append(caps, c)
		prev = pending{rec, len(caps) - 1}
		byID[rec.ID()] = len(caps) - 1
		for _, id := range rec.Header.Values("WARC-Concurrent-To") {
			byID[id] = len(caps) - 1 // the request may name us, or we it
		}
	}
	for id, ri := range requests {
		i, ok := byID[id]
		if !ok || ri.method == "" || strings.EqualFold(ri.method, "GET") {
			continue
		}
		rb, query, ok := cdxj.RequestQuery(ri.method, ri.contentType, ri.body, maxPostKeyBody)
		if !ok {
			continue
		}
		c := &caps[i]
		c.Method = strings.ToUpper(ri.method)
		c.RequestBody = rb
		c.URLKey = Key(cdxj.AppendMethodQuery(c.URL, ri.method, query))
	}
	return caps, nil
}

type requestInfo struct {
	method, contentType string
	body                []byte
}

func readRequest(rec *warc.Record) (requestInfo, bool) {
	m, err := rec.HTTP()
	if err != nil || !m.IsRequest {
		return requestInfo{}, false
	}
	ri := requestInfo{method: m.Method, contentType: m.Header.Get("Content-Type")}
	if !strings.EqualFold(m.Method, "GET") {
		if d, err := m.Decoded(); err == nil {
			ri.body, _ = io.ReadAll(io.LimitReader(d, maxPostKeyBody))
		}
	}
	return ri, true
}

func captureOf(rec *warc.Record, typ string) (Capture, bool) {
	u := rec.TargetURI()
	d := rec.Date()
	if u == "" || d.IsZero() {
		return Capture{}, false
	}
	c := Capture{
		URL:       u,
		URLKey:    Key(u),
		Timestamp: cdxj.Timestamp(d),
		Offset:    rec.Offset,
		Length:    rec.Size,
		Digest:    strings.TrimPrefix(rec.Header.Get("WARC-Payload-Digest"), "sha1:"),
	}
	switch typ {
	case "resource":
		c.Status = "200"
		c.Mime = mediaType(rec.Header.Get("Content-Type"))
		return c, true
	case "revisit":
		c.Mime = "warc/revisit"
		if m, err := rec.HTTP(); err == nil && !m.IsRequest {
			c.Status = fmt.Sprint(m.StatusCode)
		}
		return c, true
	}
	m, err := rec.HTTP()
	if err != nil || m.IsRequest {
		// not HTTP (e.g. dns: records): keep it as a resource-like capture
		c.Status = "200"
		c.Mime = mediaType(rec.Header.Get("Content-Type"))
		return c, true
	}
	c.Status = fmt.Sprint(m.StatusCode)
	c.Mime = mediaType(m.Header.Get("Content-Type"))
	if c.Mime == "" {
		c.Mime = "unk"
	}
	if m.StatusCode == 200 && (c.Mime == "text/html" || c.Mime == "application/xhtml+xml") {
		if body, err := m.Decoded(); err == nil {
			c.Title = findTitle(body)
		}
	}
	return c, true
}

func mediaType(ct string) string {
	if ct == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt, _, _ = strings.Cut(ct, ";")
	}
	return strings.ToLower(strings.TrimSpace(mt))
}

// findTitle returns the text of the first <title> within the first 32 KiB.
func findTitle(r io.Reader) string {
	b, _ := io.ReadAll(io.LimitReader(r, 32<<10))
	lb := bytes.ToLower(b)
	i := bytes.Index(lb, []byte("<title"))
	if i < 0 {
		return ""
	}
	j := bytes.IndexByte(lb[i:], '>')
	if j < 0 {
		return ""
	}
	start := i + j + 1
	end := bytes.Index(lb[start:], []byte("</title"))
	if end < 0 {
		return ""
	}
	t := strings.Join(strings.Fields(html.UnescapeString(string(b[start:start+end]))), " ")
	if len(t) > 300 {
		t = t[:300]
	}
	return t
}
