package index

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/internal/htmlpage"
	"github.com/warcbox/warcbox/storage"
	"github.com/warcbox/warcbox/warc"
)

// maxTitles bounds how many pages per file get their <title> read for the
// pages list (each costs a random read of the record).
const maxTitles = 5000

// ReadCaptures indexes a WARC or ARC file with BuildFile (captures exactly
// as warcio.js cdx-index and pywb see them: POST bodies folded into keys,
// revisits, resources) and reads the titles of its HTML pages. Malformed
// records are logged and skipped (fatal with Strict).
func ReadCaptures(ctx context.Context, path string, opt Options) ([]Capture, error) {
	var caps []Capture
	_, err := BuildFile(ctx, path, opt, func(l *cdxj.Line) error {
		caps = append(caps, FromLine(*l))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("index %s: %w", storage.Redact(path), err)
	}
	if storage.IsRemote(path) {
		// A title costs a Range request per page: remote files go without.
		return caps, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("index %s: %w", path, err)
	}
	defer f.Close()
	addTitles(f, caps)
	return caps, nil
}

// readCapturesAt is ReadCaptures over a WARC held in ra (a WARC stored
// inside a WACZ): offsets are relative to ra; opt.Filename names the
// captures' file.
func readCapturesAt(ctx context.Context, ra io.ReaderAt, size int64, opt Options) ([]Capture, error) {
	r := warc.NewReader(io.NewSectionReader(ra, 0, size), warc.Options{Strict: opt.Strict, Logger: opt.Logger})
	defer r.Close()
	var caps []Capture
	_, err := Build(ctx, r, opt, func(l *cdxj.Line) error {
		caps = append(caps, FromLine(*l))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("index %s: %w", opt.Filename, err)
	}
	addTitles(ra, caps)
	return caps, nil
}

// addTitles reads the <title> of the HTML 200 pages among caps.
func addTitles(ra io.ReaderAt, caps []Capture) {
	n := 0
	for i := range caps {
		c := &caps[i]
		if c.Status != "200" || (c.Mime != "text/html" && c.Mime != "application/xhtml+xml") {
			continue
		}
		if n++; n > maxTitles {
			return
		}
		rec, err := warc.ReadAt(ra, c.Offset)
		if err != nil {
			continue
		}
		m, err := rec.HTTP()
		if err != nil || m.IsRequest {
			continue
		}
		if body, err := m.Decoded(); err == nil {
			// The title sits in <head>: 32 KiB is plenty and bounds the
			// work on pages that have none.
			c.Title, _ = htmlpage.Summary(io.LimitReader(body, 32<<10), m.Header.Get("Content-Type"), 0)
		}
	}
}
