package main

// The held-out sets are scored as a new user would run warcbox: every page
// wrapped as a WARC response record and read back by `warcbox extract
// --format jsonl`. -warc scores that path instead of Extractor.Extract on
// the raw bytes: the record reader (HTTP head, chunked framing,
// Content-Encoding, the header's charset, WARC-Target-URI, WARC-Date) and
// the JSON lines writer, whose output is decoded again and scored.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"time"

	"github.com/klauspost/compress/gzip"

	"github.com/warcbox/warcbox/bench/evalset"
	"github.com/warcbox/warcbox/extract"
	"github.com/warcbox/warcbox/warc"
)

// serving is how a server sent a page: the charset its Content-Type names,
// and the encodings applied to the body.
type serving struct {
	name string
	// charset is the Content-Type's charset parameter: "" for none, ownCharset
	// for the one the page declares in its <meta> (utf-8 if none), or a name.
	charset string
	gzip    bool
	chunked bool
	// stale keeps the gzip and chunked headers but sends the body as it is
	// (a tool that stored the decoded body with the server's headers).
	stale bool
}

const ownCharset = "own"

// servings are the ways -warc serves pages, taken in turn page by page: a
// server that names the page's own charset, one that names none, one that
// names UTF-8 whatever the page is (a framework's default), and one that
// names ISO-8859-1 (Apache's old AddDefaultCharset), with and without gzip
// and chunked framing, and a record that kept the server's gzip and chunked
// headers over the body stored as it is.
var servings = []serving{
	{name: "own-charset", charset: ownCharset},
	{name: "no-charset+gzip", gzip: true},
	{name: "utf-8+chunked", charset: "UTF-8", chunked: true},
	{name: "iso-8859-1+gzip+chunked", charset: "ISO-8859-1", gzip: true, chunked: true},
	{name: "stale-gzip+chunked-headers", charset: ownCharset, gzip: true, chunked: true, stale: true},
}

func servingNamed(name string) (serving, bool) {
	for _, s := range servings {
		if s.name == name {
			return s, true
		}
	}
	return serving{}, false
}

var metaCharsetRe = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-:.]+)`)

// contentType is the Content-Type header s sends for page b.
func (s serving) contentType(b []byte) string {
	cs := s.charset
	if cs == ownCharset {
		cs = "utf-8"
		head := b[:min(len(b), 64<<10)]
		if m := metaCharsetRe.FindSubmatch(head); m != nil {
			cs = string(m[1])
		}
	}
	if cs == "" {
		return "text/html"
	}
	return "text/html; charset=" + cs
}

// httpResponse is the HTTP response block a server sends page b in.
func (s serving) httpResponse(b []byte, date time.Time) ([]byte, error) {
	body := b
	if s.gzip && !s.stale {
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		if _, err := zw.Write(b); err != nil {
			return nil, err
		}
		if err := zw.Close(); err != nil {
			return nil, err
		}
		body = z.Bytes()
	}
	var out bytes.Buffer
	out.WriteString("HTTP/1.1 200 OK\r\n")
	out.WriteString("Date: " + date.UTC().Format(httpTimeFormat) + "\r\n")
	out.WriteString("Server: nginx\r\n")
	out.WriteString("Content-Type: " + s.contentType(b) + "\r\n")
	if s.gzip {
		out.WriteString("Content-Encoding: gzip\r\nVary: Accept-Encoding\r\n")
	}
	if s.chunked {
		out.WriteString("Transfer-Encoding: chunked\r\n")
	}
	if !s.chunked || s.stale {
		out.WriteString("Content-Length: " + strconv.Itoa(len(body)) + "\r\n")
	}
	out.WriteString("Connection: close\r\n\r\n")
	if !s.chunked || s.stale {
		out.Write(body)
		return out.Bytes(), nil
	}
	for len(body) > 0 {
		n := min(len(body), 8192)
		fmt.Fprintf(&out, "%x\r\n", n)
		out.Write(body[:n])
		out.WriteString("\r\n")
		body = body[n:]
	}
	out.WriteString("0\r\n\r\n")
	return out.Bytes(), nil
}

const httpTimeFormat = "Mon, 02 Jan 2006 15:04:05 GMT"

// warcPage is one page to wrap.
type warcPage struct {
	URL   string
	HTML  []byte
	Serve serving
}

// warcSet is a temporary WARC file of pages and the record ID of each.
type warcSet struct {
	dir   string
	files []string
	ids   []string // per page, in the order added
	w     *warc.Writer
	now   time.Time
}

func newWARCSet() (*warcSet, error) {
	dir, err := os.MkdirTemp("", "extract-eval-warc-")
	if err != nil {
		return nil, fmt.Errorf("warc set: %w", err)
	}
	now := time.Now()
	w, err := warc.NewWriter(warc.WriterOptions{Dir: dir, Prefix: "eval", Hostname: "eval", Now: func() time.Time { return now }})
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("warc set: %w", err)
	}
	return &warcSet{dir: dir, w: w, now: now}, nil
}

// add writes p as a response record dated now, as a user wrapping pages
// today would.
func (s *warcSet) add(p warcPage) error {
	block, err := p.Serve.httpResponse(p.HTML, s.now)
	if err != nil {
		return fmt.Errorf("warc set: %s: %w", p.URL, err)
	}
	id := warc.NewRecordID()
	_, err = s.w.WriteGroup([]*warc.OutRecord{{
		Type: "response",
		ID:   id,
		Fields: warc.Header{
			{Name: "WARC-Date", Value: warc.FormatDate(s.now)},
			{Name: "WARC-Target-URI", Value: p.URL},
			{Name: "Content-Type", Value: "application/http; msgtype=response"},
		},
		Body:   bytes.NewReader(block),
		Length: int64(len(block)),
	}})
	if err != nil {
		return fmt.Errorf("warc set: %s: %w", p.URL, err)
	}
	s.ids = append(s.ids, id)
	return nil
}

func (s *warcSet) close() error {
	err := s.w.Close()
	s.files = s.w.Files()
	return err
}

func (s *warcSet) remove() { os.RemoveAll(s.dir) }

// extractJSONL runs `warcbox extract --format jsonl`'s path over the set:
// extract.Run with ex, every Article through the JSON lines writer, and
// returns the decoded lines per page in the order added (a page with no
// line gets an Article whose Error says so).
func (s *warcSet) extractJSONL(ctx context.Context, ex *extract.Extractor, workers int) ([]extract.Article, error) {
	inputs, err := warc.Expand(s.files, nil)
	if err != nil {
		return nil, fmt.Errorf("warc set: %w", err)
	}
	var out bytes.Buffer
	w, err := extract.NewWriter(&out, "jsonl")
	if err != nil {
		return nil, err
	}
	if err := extract.Run(ctx, inputs, extract.RunOptions{Extractor: ex, Workers: workers}, w.Write); err != nil {
		return nil, fmt.Errorf("warc set: extract: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	byID := map[string]extract.Article{}
	dec := json.NewDecoder(&out)
	for {
		var a extract.Article
		if err := dec.Decode(&a); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("warc set: read jsonl: %w", err)
		}
		byID[a.WARCRecordID] = a
	}
	arts := make([]extract.Article, len(s.ids))
	for i, id := range s.ids {
		a, ok := byID[id]
		if !ok {
			a.Error = "no line for record " + id
		}
		arts[i] = a
	}
	return arts, nil
}

// viaWARC wraps every page (read by page(i)) and extracts them through the
// user's path; serve(i) says how page i is sent.
func viaWARC(ctx context.Context, ex *extract.Extractor, n, workers int, page func(i int) (string, []byte, error),
	serve func(i int) serving) ([]extract.Article, error) {
	set, err := newWARCSet()
	if err != nil {
		return nil, err
	}
	defer set.remove()
	for i := range n {
		u, b, err := page(i)
		if err != nil {
			b = nil // written empty: its line says it is not HTML, as the direct path's read error does
		}
		if err := set.add(warcPage{URL: u, HTML: b, Serve: serve(i)}); err != nil {
			set.close()
			return nil, err
		}
	}
	if err := set.close(); err != nil {
		return nil, err
	}
	return set.extractJSONL(ctx, ex, workers)
}

// pathDiff is a field whose value differs between Extract on a page's
// bytes and the JSON lines of the page served as a WARC record.
type pathDiff struct {
	URL, Serving, Field string
	Direct, Wrapped     string
}

// comparedFields are the fields the held-out sets score.
var comparedFields = []struct {
	name string
	get  func(extract.Article) string
}{
	{"title", func(a extract.Article) string { return a.Title }},
	{"authors", func(a extract.Article) string { return fmt.Sprintf("%q", a.Authors) }},
	{"published", func(a extract.Article) string { return a.Published }},
	{"description", func(a extract.Article) string { return a.Description }},
	{"body", func(a extract.Article) string { return a.Body }},
}

// diffPaths extracts every page directly and once per serving through the
// user's path, and returns the fields that differ.
func diffPaths(ctx context.Context, ex *extract.Extractor, urls []string, pages [][]byte, with []serving, workers int) ([]pathDiff, error) {
	direct := make([]extract.Article, len(pages))
	for i, b := range pages {
		direct[i], _ = ex.Extract(extract.Page{HTML: b, URL: urls[i]})
	}
	n := len(pages)
	wrapped, err := viaWARC(ctx, ex, n*len(with), workers, func(i int) (string, []byte, error) {
		return urls[i%n], pages[i%n], nil
	}, func(i int) serving { return with[i/n] })
	if err != nil {
		return nil, err
	}
	var diffs []pathDiff
	for i, a := range wrapped {
		d := direct[i%n]
		if a.Error != "" && a.Error != d.Error {
			diffs = append(diffs, pathDiff{urls[i%n], with[i/n].name, "error", d.Error, a.Error})
		}
		for _, f := range comparedFields {
			if x, y := f.get(d), f.get(a); x != y {
				diffs = append(diffs, pathDiff{urls[i%n], with[i/n].name, f.name, x, y})
			}
		}
	}
	return diffs, nil
}

// printPathDiffs is -warc-diff: every page of a set served each way, the
// fields where the user's path differs from Extract, in batches of 100
// pages to bound memory. It returns the number of differences.
func printPathDiffs(ctx context.Context, ex *extract.Extractor, set, dir string, urls, files []string, workers int) (int, error) {
	total, unreadable := 0, 0
	for lo := 0; lo < len(urls); lo += 100 {
		hi := min(lo+100, len(urls))
		var us []string
		var pages [][]byte
		for i := lo; i < hi; i++ {
			b, err := evalset.ReadPage(dir, files[i])
			if err != nil {
				// Not compared: said, so that "0 fields differ" is not
				// read as covering it.
				fmt.Fprintf(os.Stderr, "\n%s set: %s: %v\n", set, files[i], err)
				unreadable++
				continue
			}
			us = append(us, urls[i])
			pages = append(pages, b)
		}
		diffs, err := diffPaths(ctx, ex, us, pages, servings, workers)
		if err != nil {
			return total, err
		}
		for _, d := range diffs {
			fmt.Printf("%s %s [%s] %s\n  direct  %q\n  wrapped %q\n", set, d.URL, d.Serving, d.Field,
				truncate(d.Direct, 300), truncate(d.Wrapped, 300))
		}
		total += len(diffs)
		fmt.Fprintf(os.Stderr, "\r%s set: %d/%d pages compared", set, hi, len(urls))
	}
	fmt.Fprintln(os.Stderr)
	fmt.Printf("%s set: %d fields differ between Extract and the WARC/jsonl path (%d pages × %d servings; %d pages unreadable, not compared)\n",
		set, total, len(urls)-unreadable, len(servings), unreadable)
	return total, nil
}
