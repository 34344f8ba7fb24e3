package wacz

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"time"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/internal/htmlpage"
	"github.com/warcbox/warcbox/warc"
)

// maxPageText bounds the text kept per page in pages.jsonl.
const maxPageText = 100 << 10

// maxPageRead bounds how much of a page is read for its title and text.
const maxPageRead = 8 << 20

// pageRef is a page candidate where the index met it: an HTML response
// with status 200, or the rendered DOM a browser capture stored as a
// resource record urn:dom:<url>.
type pageRef struct {
	path   string
	offset int64
}

// pageRefOf returns the page candidate a CDXJ line describes, if any. The
// record itself decides (pageList.add): the line only saves reading the
// others.
func pageRefOf(path string, l *cdxj.Line) (pageRef, bool) {
	if strings.HasPrefix(l.URL, "urn:dom:") || (l.Status == "200" && strings.EqualFold(l.Mime, "text/html")) {
		return pageRef{path: path, offset: l.Offset}, true
	}
	return pageRef{}, false
}

// pageList collects pages in file order, the first capture of each URL.
type pageList struct {
	pages, rendered []Page
	seen            map[string]bool
}

// add reads a record as a page: an HTML 200 response (its title and text
// as recorded), kept for the first capture of its URL only, or a rendered
// DOM (urn:dom:<url>, whose text is what the reader saw, scripts' output
// included). Duplicates are recognised before their text is read.
func (l *pageList) add(rec *warc.Record) {
	if rec.Type() == "resource" && strings.HasPrefix(rec.TargetURI(), "urn:dom:") {
		title, text := htmlpage.Summary(io.LimitReader(rec.Body, maxPageRead), rec.ContentType(), maxPageText)
		l.rendered = append(l.rendered, Page{URL: strings.TrimPrefix(rec.TargetURI(), "urn:dom:"), Title: title, Text: text})
		return
	}
	if rec.Type() != "response" || !rec.IsHTTP() || l.seen[rec.TargetURI()] {
		return
	}
	m, err := rec.HTTP()
	if err != nil || m.StatusCode != 200 || m.ContentType() != "text/html" {
		return
	}
	if l.seen == nil {
		l.seen = map[string]bool{}
	}
	l.seen[rec.TargetURI()] = true
	body, err := m.Decoded()
	if err != nil {
		body = m.Payload()
	}
	title, text := htmlpage.Summary(io.LimitReader(body, maxPageRead), m.Header.Get("Content-Type"), maxPageText)
	l.pages = append(l.pages, Page{URL: rec.TargetURI(), TS: rec.Date().Format(time.RFC3339), Title: title, Text: text})
}

// readPages reads the page candidates at their offsets.
func (l *pageList) readPages(ctx context.Context, refs []pageRef) error {
	files := map[string]*os.File{}
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	for _, ref := range refs {
		if err := ctx.Err(); err != nil {
			return err
		}
		f := files[ref.path]
		if f == nil {
			var err error
			if f, err = os.Open(ref.path); err != nil {
				return err
			}
			files[ref.path] = f
		}
		rec, err := warc.ReadAtFile(f, ref.offset, ref.path)
		if err != nil {
			continue // reported when the WARCs were indexed
		}
		l.add(rec)
	}
	return nil
}

// scanPages reads a whole WARC for its pages: for files whose records the
// index cannot address (whole-file gzip), so no offset reaches them.
func (l *pageList) scanPages(ctx context.Context, path string) error {
	r, err := warc.Open(path, warc.Options{})
	if err != nil {
		return err
	}
	defer r.Close()
	for rec, err := range r.Records() {
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if err != nil {
			var re *warc.RecordError
			if errors.As(err, &re) {
				continue // reported when the WARCs were indexed
			}
			return err
		}
		l.add(rec)
	}
	return nil
}
