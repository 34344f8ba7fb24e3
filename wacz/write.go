// Package wacz writes and verifies WACZ packages (spec 1.1.1) as
// ReplayWeb.page opens them: the WARCs stored uncompressed under archive/,
// a CDXJ index, the pages with their titles and text, a datapackage.json
// with the sha256 and size of every file, and datapackage-digest.json,
// optionally signed (wacz-auth 0.1.0 anonymous signature).
package wacz

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/index"
	"github.com/warcbox/warcbox/tsa"
	"github.com/warcbox/warcbox/warc"
)

// Version is the WACZ spec version written.
const Version = "1.1.1"

// Page is one entry of pages/pages.jsonl.
type Page struct {
	ID    string `json:"id,omitempty"`
	URL   string `json:"url"`
	TS    string `json:"ts"` // RFC 3339
	Title string `json:"title,omitempty"`
	Text  string `json:"text,omitempty"`
}

// Options describe the package. WARCs is required.
type Options struct {
	WARCs []string
	// Pages lists the pages; if nil, every HTML response with status 200
	// in the WARCs is a page, with its title and text read from it. Pages
	// given without a title or text get them from their response.
	Pages       []Page
	Title       string
	Description string
	// Software names the writer, e.g. "warcbox 0.1.0".
	Software string
	// Created is the package's creation time; if zero, now.
	Created time.Time
	// Key, if set, signs datapackage-digest.json.
	Key *ecdsa.PrivateKey
	// Stamp, if set, is asked for RFC 3161 tokens (DER TimeStampResp, one
	// per authority, nil where one failed) of the SHA-256 digest of
	// datapackage-digest.json; they are stored as
	// timestamps/datapackage-digest.json.N.tsr. The tokens stored beside
	// each WARC (FILE.N.tsr, see package tsa) are packaged as
	// timestamps/archive/FILE.N.tsr.
	Stamp func(ctx context.Context, digest []byte) [][]byte
	// Logger receives malformed records met while indexing; if nil, discarded.
	Logger *slog.Logger
}

// Resource is one file listed in datapackage.json.
type Resource struct {
	Name  string `json:"name"`
	Path  string `json:"path"`
	Hash  string `json:"hash"`
	Bytes int64  `json:"bytes"`
}

// DataPackage is datapackage.json.
type DataPackage struct {
	Profile     string     `json:"profile"`
	WACZVersion string     `json:"wacz_version"`
	Title       string     `json:"title,omitempty"`
	Description string     `json:"description,omitempty"`
	Created     string     `json:"created"`
	Modified    string     `json:"modified,omitempty"`
	Software    string     `json:"software"`
	MainPageURL string     `json:"mainPageURL,omitempty"`
	MainPageTS  string     `json:"mainPageDate,omitempty"`
	Resources   []Resource `json:"resources"`
}

// Digest is datapackage-digest.json.
type Digest struct {
	Path       string      `json:"path"`
	Hash       string      `json:"hash"`
	SignedData *SignedData `json:"signedData,omitempty"`
}

// Write builds the package into w.
func Write(ctx context.Context, w io.Writer, opt Options) error {
	if len(opt.WARCs) == 0 {
		return errors.New("wacz: no WARC files to package")
	}
	created := opt.Created
	if created.IsZero() {
		created = time.Now()
	}
	names := map[string]bool{}
	for _, p := range opt.WARCs {
		n := filepath.Base(p)
		if names[n] {
			return fmt.Errorf("wacz: two WARC files named %s", n)
		}
		names[n] = true
	}
	zw := zip.NewWriter(w)
	var resources []Resource
	// store adds an entry whose bytes fill writes, hashed and counted for
	// datapackage.json.
	store := func(name string, fill func(io.Writer) error) error {
		fh := &zip.FileHeader{Name: name, Method: zip.Store, Modified: created}
		dst, err := zw.CreateHeader(fh)
		if err != nil {
			return fmt.Errorf("wacz: add %s: %w", name, err)
		}
		h := sha256.New()
		cw := &countWriter{w: io.MultiWriter(dst, h)}
		if err := fill(cw); err != nil {
			return fmt.Errorf("wacz: add %s: %w", name, err)
		}
		resources = append(resources, Resource{Name: filepath.Base(name), Path: name, Hash: hashString(h), Bytes: cw.n})
		return nil
	}
	copyOf := func(r io.Reader) func(io.Writer) error {
		return func(w io.Writer) error { _, err := io.Copy(w, r); return err }
	}

	// One sequential pass over each WARC copies it into the package and
	// indexes it on the way (the indexer reads through a tee); the pages
	// are then read at the offsets the index gave, so only HTML responses
	// are read a second time.
	var indexBuf bytes.Buffer
	sw := cdxj.NewSortedWriter(&indexBuf, cdxj.SortOptions{})
	var list pageList
	for _, p := range opt.WARCs {
		if err := ctx.Err(); err != nil {
			return err
		}
		var refs []pageRef
		var st index.Stats
		err := func() error {
			f, err := os.Open(p)
			if err != nil {
				return fmt.Errorf("wacz: %w", err)
			}
			defer f.Close()
			var indexErr error
			err = store("archive/"+filepath.Base(p), func(copyTo io.Writer) error {
				tee := io.TeeReader(f, copyTo)
				r := warc.NewNamedReader(tee, p, warc.Options{Logger: opt.Logger})
				st, indexErr = index.Build(ctx, r, index.Options{Filename: filepath.Base(p), Logger: opt.Logger},
					func(l *cdxj.Line) error {
						if ref, ok := pageRefOf(p, l); ok {
							refs = append(refs, ref)
						}
						return sw.Add(l)
					})
				if indexErr != nil {
					return indexErr
				}
				// What the reader did not need (a trailing partial record).
				_, err := io.Copy(io.Discard, tee)
				return err
			})
			if indexErr != nil {
				return fmt.Errorf("wacz: index %s: %w", p, indexErr)
			}
			return err
		}()
		if err != nil {
			return err
		}
		if st.Unaddressable > 0 {
			err = list.scanPages(ctx, p)
		} else {
			err = list.readPages(ctx, refs)
		}
		if err != nil {
			return err
		}
	}
	if err := sw.Close(); err != nil {
		return err
	}
	pages := opt.Pages
	if pages == nil {
		pages = list.pages
	}
	pages = fillPages(pages, list.rendered, list.pages)
	pagesJSONL, err := encodePages(pages)
	if err != nil {
		return err
	}
	for _, p := range opt.WARCs {
		for _, car := range tsa.Sidecars(p) {
			b, err := os.ReadFile(car)
			if err != nil {
				return fmt.Errorf("wacz: %w", err)
			}
			if err := store("timestamps/archive/"+filepath.Base(car), copyOf(bytes.NewReader(b))); err != nil {
				return err
			}
		}
	}
	if err := store("indexes/index.cdxj", copyOf(&indexBuf)); err != nil {
		return err
	}
	if err := store("pages/pages.jsonl", copyOf(bytes.NewReader(pagesJSONL))); err != nil {
		return err
	}
	dp := DataPackage{Profile: "data-package", WACZVersion: Version, Title: opt.Title, Description: opt.Description,
		Created: created.UTC().Format(time.RFC3339), Software: opt.Software, Resources: resources}
	if len(pages) > 0 {
		dp.MainPageURL, dp.MainPageTS = pages[0].URL, pages[0].TS
	}
	dpJSON, err := json.MarshalIndent(dp, "", "  ")
	if err != nil {
		return err
	}
	if err := writeEntry(zw, "datapackage.json", dpJSON, created); err != nil {
		return err
	}
	sum := sha256.Sum256(dpJSON)
	dg := Digest{Path: "datapackage.json", Hash: "sha256:" + hex.EncodeToString(sum[:])}
	if opt.Key != nil {
		if dg.SignedData, err = Sign(opt.Key, dg.Hash, opt.Software, created); err != nil {
			return err
		}
	}
	dgJSON, err := json.MarshalIndent(dg, "", "  ")
	if err != nil {
		return err
	}
	if err := writeEntry(zw, "datapackage-digest.json", dgJSON, created); err != nil {
		return err
	}
	if opt.Stamp != nil {
		// Stamped last: the digest file stamped is the one in the package,
		// signature included, so the token covers everything.
		sum := sha256.Sum256(dgJSON)
		for i, tok := range opt.Stamp(ctx, sum[:]) {
			if tok == nil {
				continue
			}
			if err := writeEntry(zw, fmt.Sprintf("timestamps/datapackage-digest.json.%d.tsr", i+1), tok, created); err != nil {
				return err
			}
		}
	}
	return zw.Close()
}

// WriteFile builds the package at path, through a temporary file renamed
// into place so a failed run leaves no half package behind.
func WriteFile(ctx context.Context, path string, opt Options) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".wacz-*")
	if err != nil {
		return fmt.Errorf("wacz: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := Write(ctx, tmp, opt); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func writeEntry(zw *zip.Writer, name string, b []byte, t time.Time) error {
	dst, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store, Modified: t})
	if err != nil {
		return fmt.Errorf("wacz: add %s: %w", name, err)
	}
	_, err = dst.Write(b)
	return err
}

func hashString(h hash.Hash) string { return "sha256:" + hex.EncodeToString(h.Sum(nil)) }

func encodePages(pages []Page) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	header := map[string]any{"format": "json-pages-1.0", "id": "pages", "title": "All Pages", "hasText": true}
	if err := enc.Encode(header); err != nil {
		return nil, err
	}
	for i, p := range pages {
		if p.ID == "" {
			p.ID = fmt.Sprintf("page-%d", i+1)
		}
		if err := enc.Encode(p); err != nil {
			return nil, err
		}
	}
	return b.Bytes(), nil
}

// fillPages completes the pages' titles and texts, from the rendered DOM
// where there is one, else from the response as recorded.
func fillPages(pages []Page, sources ...[]Page) []Page {
	out := make([]Page, len(pages))
	copy(out, pages)
	for _, src := range sources {
		byURL := make(map[string]Page, len(src))
		for _, p := range src {
			if _, dup := byURL[p.URL]; !dup {
				byURL[p.URL] = p
			}
		}
		for i := range out {
			f, ok := byURL[out[i].URL]
			if !ok {
				continue
			}
			if out[i].Title == "" {
				out[i].Title = f.Title
			}
			if out[i].Text == "" {
				out[i].Text = f.Text
			}
		}
	}
	return out
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}
