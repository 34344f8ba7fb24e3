package wacz

import (
	"context"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/warcbox/warcbox/internal/htmlpage"
	"github.com/warcbox/warcbox/warc"
)

// maxPageText bounds the text kept per page in pages.jsonl.
const maxPageText = 100 << 10

// findPages lists the HTML responses with status 200 of the WARCs, with
// their titles and visible text, in file order; and, apart, the rendered
// DOMs that browser captures hold (resource records urn:dom:<url>).
func findPages(ctx context.Context, warcs []string) (pages, rendered []Page, err error) {
	seen := map[string]bool{}
	for _, p := range warcs {
		r, err := warc.Open(p, warc.Options{})
		if err != nil {
			return nil, nil, err
		}
		for rec, err := range r.Records() {
			if cerr := ctx.Err(); cerr != nil {
				r.Close()
				return nil, nil, cerr
			}
			if err != nil {
				var re *warc.RecordError
				if errors.As(err, &re) {
					continue // reported when the WARCs are verified or indexed
				}
				r.Close()
				return nil, nil, err
			}
			if rec.Type() == "resource" && strings.HasPrefix(rec.TargetURI(), "urn:dom:") {
				// The rendered DOM of a browser capture: its text is what
				// the reader saw, scripts' output included.
				title, text := htmlpage.Summary(io.LimitReader(rec.Body, 8<<20), rec.ContentType(), maxPageText)
				rendered = append(rendered, Page{URL: strings.TrimPrefix(rec.TargetURI(), "urn:dom:"), Title: title, Text: text})
				continue
			}
			if rec.Type() != "response" || !rec.IsHTTP() {
				continue
			}
			m, err := rec.HTTP()
			if err != nil || m.StatusCode != 200 || m.ContentType() != "text/html" {
				continue
			}
			u := rec.TargetURI()
			if seen[u] {
				continue
			}
			seen[u] = true
			body, err := m.Decoded()
			if err != nil {
				body = m.Payload()
			}
			title, text := htmlpage.Summary(io.LimitReader(body, 8<<20), m.Header.Get("Content-Type"), maxPageText)
			pages = append(pages, Page{URL: u, TS: rec.Date().Format(time.RFC3339), Title: title, Text: text})
		}
		r.Close()
	}
	return pages, rendered, nil
}
