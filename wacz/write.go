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
	"github.com/warcbox/warcbox/indexer"
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
	index, err := buildIndex(ctx, opt)
	if err != nil {
		return err
	}
	found, rendered, err := findPages(ctx, opt.WARCs)
	if err != nil {
		return err
	}
	pages := opt.Pages
	if pages == nil {
		pages = found
	}
	pages = fillPages(pages, rendered, found)
	pagesJSONL, err := encodePages(pages)
	if err != nil {
		return err
	}

	zw := zip.NewWriter(w)
	var resources []Resource
	store := func(name string, src io.Reader) error {
		fh := &zip.FileHeader{Name: name, Method: zip.Store, Modified: created}
		dst, err := zw.CreateHeader(fh)
		if err != nil {
			return fmt.Errorf("wacz: add %s: %w", name, err)
		}
		h := sha256.New()
		n, err := io.Copy(io.MultiWriter(dst, h), src)
		if err != nil {
			return fmt.Errorf("wacz: add %s: %w", name, err)
		}
		resources = append(resources, Resource{Name: filepath.Base(name), Path: name, Hash: hashString(h), Bytes: n})
		return nil
	}
	for _, p := range opt.WARCs {
		if err := ctx.Err(); err != nil {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return fmt.Errorf("wacz: %w", err)
		}
		err = store("archive/"+filepath.Base(p), f)
		f.Close()
		if err != nil {
			return err
		}
	}
	if err := store("indexes/index.cdxj", bytes.NewReader(index)); err != nil {
		return err
	}
	if err := store("pages/pages.jsonl", bytes.NewReader(pagesJSONL)); err != nil {
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

// buildIndex indexes the WARCs as `warcbox index` does, with the names
// they have inside the package.
func buildIndex(ctx context.Context, opt Options) ([]byte, error) {
	var buf bytes.Buffer
	sw := cdxj.NewSortedWriter(&buf, cdxj.SortOptions{})
	for _, p := range opt.WARCs {
		_, err := indexer.IndexFile(ctx, p, indexer.Options{Filename: filepath.Base(p), Logger: opt.Logger},
			func(l *cdxj.Line) error { return sw.Add(l) })
		if err != nil {
			return nil, fmt.Errorf("wacz: index %s: %w", p, err)
		}
	}
	if err := sw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

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
