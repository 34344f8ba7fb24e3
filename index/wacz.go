package index

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"unicode/utf8"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/storage"
	"github.com/warcbox/warcbox/warc"
)

// section is where a WARC stored inside a WACZ lies in the zip file.
type section struct {
	path      string // the .wacz file
	off, size int64
}

// indexWACZ indexes the WARC files stored in a WACZ package. WACZ stores
// them uncompressed in the zip (the spec requires STORE), so each is a
// byte range of the .wacz that records can be read from directly; their
// captures are named "<wacz name>#<entry>". The package's own index
// (indexes/*.cdxj, *.cdx or ZipNum *.cdx.gz) is used when it is readable
// and names only WARCs the package holds, with titles from pages/*.jsonl;
// otherwise, or for a package without one, the WARCs are indexed here.
func indexWACZ(ctx context.Context, p, name string, log *slog.Logger) ([]Capture, map[string]section, error) {
	return indexWACZIn(ctx, storage.New(storage.Options{Logger: log}), p, name, log)
}

// indexWACZIn is indexWACZ for a package reached through st: local, or
// read by Range over http(s) or from s3 (its zip directory, own index and
// pages lists only, never the whole package).
func indexWACZIn(ctx context.Context, st *storage.Store, p, name string, log *slog.Logger) ([]Capture, map[string]section, error) {
	f, err := st.OpenTail(ctx, p, warc.PackageTail)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	zr, err := zip.NewReader(f, f.Size())
	if err != nil {
		return nil, nil, fmt.Errorf("%s: not a WACZ (zip) file: %w", storage.Redact(p), err)
	}
	members := warc.ZipMembers(zr)
	secs := map[string]section{}
	var entries []string
	for _, m := range members {
		if !m.Stored {
			log.Warn("replay: WARC compressed inside the WACZ, not addressable: skipped", "file", p, "entry", m.Name)
			continue
		}
		secs[name+warc.MemberSep+m.Name] = section{path: p, off: m.Offset, size: m.Size}
		entries = append(entries, m.Name)
	}
	caps, err := embeddedIndex(ctx, zr, name, secs)
	if err == nil {
		return caps, secs, nil
	}
	if ctx.Err() != nil {
		return nil, nil, ctx.Err()
	}
	if !errors.Is(err, errNoEmbeddedIndex) {
		log.Warn("replay: the WACZ's own index is not usable; indexing its WARCs", "file", p, "err", err)
	}
	caps = nil
	for _, e := range entries {
		entryName := name + warc.MemberSep + e
		sec := secs[entryName]
		c, err := readCapturesAt(ctx, io.NewSectionReader(f, sec.off, sec.size), sec.size, Options{Filename: entryName, Logger: log})
		if err != nil {
			log.Warn("replay: WACZ entry not indexed", "file", p, "entry", e, "err", err)
			delete(secs, entryName)
			continue
		}
		caps = append(caps, c...)
	}
	return caps, secs, nil
}

var errNoEmbeddedIndex = errors.New("no index in the package")

// embeddedIndex reads the captures of a WACZ's own index files. A line that
// does not parse, or one naming a WARC the package does not hold (as a
// stored entry), makes the whole index untrusted: a partial index would hide
// captures without a word.
func embeddedIndex(ctx context.Context, zr *zip.Reader, name string, secs map[string]section) ([]Capture, error) {
	var caps []Capture
	found := false
	for _, e := range zr.File {
		if !strings.HasPrefix(e.Name, "indexes/") {
			continue
		}
		lower := strings.ToLower(e.Name)
		gz := strings.HasSuffix(lower, ".cdx.gz") || strings.HasSuffix(lower, ".cdxj.gz")
		if !gz && !strings.HasSuffix(lower, ".cdxj") && !strings.HasSuffix(lower, ".cdx") {
			continue // ZipNum's .idx summary, or something else
		}
		found = true
		rc, err := e.Open()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name, err)
		}
		var r io.Reader = rc
		if gz {
			// ZipNum: gzip members of sorted lines, read here end to end.
			zr, err := gzip.NewReader(rc)
			if err != nil {
				rc.Close()
				return nil, fmt.Errorf("%s: %w", e.Name, err)
			}
			r = zr
		}
		caps, err = appendIndexLines(ctx, caps, r, e.Name, name, secs)
		rc.Close()
		if err != nil {
			return nil, err
		}
	}
	if !found {
		return nil, errNoEmbeddedIndex
	}
	addPageTitles(zr, caps)
	return caps, nil
}

func appendIndexLines(ctx context.Context, caps []Capture, r io.Reader, entry, name string, secs map[string]section) ([]Capture, error) {
	for l, err := range cdxj.Lines(ctx, r, entry) {
		if err != nil {
			return nil, err
		}
		c := FromLine(l)
		file := name + warc.MemberSep + "archive/" + strings.TrimPrefix(c.Filename, "archive/")
		if _, ok := secs[file]; !ok {
			return nil, fmt.Errorf("%s: line for %s names %q, which the package does not hold as a stored WARC", entry, c.URL, c.Filename)
		}
		c.Filename = file
		if c.Method == "" || c.Method == "GET" {
			// Keyed as warcbox keys lookups, whatever tool wrote the line.
			c.Key = cdxj.Key(c.URL)
		}
		caps = append(caps, c)
	}
	return caps, nil
}

// Bounds on what is read from a package's pages lists: a title is cut at
// maxPageTitle bytes, a longer line than maxPagesLine is skipped without
// being held, and no more than maxPagesBytes (decoded, all pages/*.jsonl
// together) is read. A WACZ whose pages.jsonl inflates to gigabytes costs
// at most that much reading and a line's worth of memory.
const (
	maxPageTitle  = 1 << 10
	maxPagesLine  = 64 << 10
	maxPagesBytes = 64 << 20
)

// addPageTitles fills the titles of HTML 200 captures from the package's
// pages lists (WACZ pages.jsonl: a header line, then one JSON object per
// page with url and title), streamed line by line within the bounds above.
func addPageTitles(zr *zip.Reader, caps []Capture) {
	titles := map[string]string{}
	budget := int64(maxPagesBytes)
	for _, e := range zr.File {
		if !strings.HasPrefix(e.Name, "pages/") || !strings.HasSuffix(e.Name, ".jsonl") || budget <= 0 {
			continue
		}
		rc, err := e.Open()
		if err != nil {
			continue
		}
		lr := &io.LimitedReader{R: rc, N: budget}
		readPageTitles(lr, titles)
		budget = lr.N
		rc.Close()
	}
	for i := range caps {
		if caps[i].Title == "" && caps[i].Status == "200" {
			caps[i].Title = titles[caps[i].URL]
		}
	}
}

// readPageTitles reads pages.jsonl lines into titles (first title per URL
// wins), skipping lines longer than maxPagesLine.
func readPageTitles(r io.Reader, titles map[string]string) {
	br := bufio.NewReaderSize(r, maxPagesLine)
	for {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = br.ReadSlice('\n') // the rest of an overlong line, dropped
			}
			if err != nil {
				return
			}
			continue
		}
		if len(bytes.TrimSpace(line)) > 0 {
			var pg struct{ URL, Title string }
			if json.Unmarshal(line, &pg) == nil && pg.URL != "" && pg.Title != "" && titles[pg.URL] == "" {
				titles[pg.URL] = truncateUTF8(pg.Title, maxPageTitle)
			}
		}
		if err != nil {
			return
		}
	}
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
