package wacz

import (
	"context"
	"errors"
	"io"
	"strings"
	"time"

	"golang.org/x/net/html"

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
				title, text := titleAndText(io.LimitReader(rec.Body, 8<<20))
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
			title, text := titleAndText(io.LimitReader(body, 8<<20))
			pages = append(pages, Page{URL: u, TS: rec.Date().Format(time.RFC3339), Title: title, Text: text})
		}
		r.Close()
	}
	return pages, rendered, nil
}

// titleAndText reads an HTML page's <title> and its visible text.
func titleAndText(r io.Reader) (string, string) {
	z := html.NewTokenizer(r)
	var title, text strings.Builder
	skip := 0
	inTitle := false
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.TrimSpace(title.String()), strings.TrimSpace(text.String())
		case html.StartTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style", "noscript", "template", "svg":
				skip++
			case "title":
				inTitle = true
			case "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article":
				text.WriteByte('\n')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style", "noscript", "template", "svg":
				if skip > 0 {
					skip--
				}
			case "title":
				inTitle = false
			}
		case html.TextToken:
			t := strings.Join(strings.Fields(string(z.Text())), " ")
			if t == "" {
				continue
			}
			if inTitle {
				title.WriteString(t)
				continue
			}
			if skip == 0 && text.Len() < maxPageText {
				if text.Len() > 0 {
					text.WriteByte(' ')
				}
				text.WriteString(t)
			}
		}
	}
}
