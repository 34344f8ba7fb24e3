package extract

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"
)

// Writer writes Articles in one output format. Close flushes (and, for
// Parquet, writes the footer); it does not close the underlying io.Writer.
type Writer interface {
	Write(Article) error
	Close() error
}

// Formats lists the output formats NewWriter accepts.
var Formats = []string{"jsonl", "csv", "parquet"}

// NewWriter returns a writer for format "jsonl" (one JSON object a line),
// "csv" (one row per article, CSVHeader columns) or "parquet".
func NewWriter(w io.Writer, format string) (Writer, error) {
	switch strings.ToLower(format) {
	case "", "jsonl", "json", "ndjson":
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return &jsonlWriter{enc: enc}, nil
	case "csv":
		return &csvWriter{w: csv.NewWriter(w)}, nil
	case "parquet":
		return &parquetWriter{w: parquet.NewGenericWriter[Article](w, parquet.Compression(&parquet.Zstd))}, nil
	}
	return nil, fmt.Errorf("extract: unknown format %q (want %s)", format, strings.Join(Formats, ", "))
}

type jsonlWriter struct{ enc *json.Encoder }

func (j *jsonlWriter) Write(a Article) error {
	a.normalize()
	if err := j.enc.Encode(a); err != nil {
		return fmt.Errorf("write jsonl: %w", err)
	}
	return nil
}

func (j *jsonlWriter) Close() error { return nil }

// CSVHeader names the CSV columns: nested fields are flattened with "_"
// (publisher_name, image_url), lists are joined with "; ", images holds
// their URLs, sources is a JSON object.
var CSVHeader = []string{
	"warc_file", "warc_offset", "warc_record_id", "warc_date", "url", "status", "content_type", "payload_digest",
	"title", "description", "authors", "published", "modified", "created", "keywords", "section", "language",
	"site_name", "publisher_name", "publisher_url", "publisher_logo", "publisher_email", "publisher_telephone",
	"image_url", "image_width", "image_height", "images", "canonical_url", "page_type", "license",
	"is_accessible_for_free", "body", "word_count", "sources", "error",
}

type csvWriter struct {
	w       *csv.Writer
	started bool
}

func (c *csvWriter) Write(a Article) error {
	if !c.started {
		c.started = true
		if err := c.w.Write(CSVHeader); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
	}
	a.normalize()
	free := ""
	if a.IsAccessibleForFree != nil {
		free = strconv.FormatBool(*a.IsAccessibleForFree)
	}
	var imgs []string
	for _, im := range a.Images {
		imgs = append(imgs, im.URL)
	}
	src, _ := json.Marshal(a.Sources)
	itoa := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	row := []string{
		a.WARCFile, strconv.FormatInt(a.WARCOffset, 10), a.WARCRecordID, a.WARCDate, a.URL, strconv.Itoa(a.Status), a.ContentType, a.PayloadDigest,
		a.Title, a.Description, strings.Join(a.Authors, "; "), a.Published, a.Modified, a.Created, strings.Join(a.Keywords, "; "), a.Section, a.Language,
		a.SiteName, a.Publisher.Name, a.Publisher.URL, a.Publisher.Logo, a.Publisher.Email, a.Publisher.Telephone,
		a.Image.URL, itoa(a.Image.Width), itoa(a.Image.Height), strings.Join(imgs, "; "), a.CanonicalURL, a.PageType, a.License,
		free, a.Body, strconv.Itoa(a.WordCount), string(src), a.Error,
	}
	if err := c.w.Write(row); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

func (c *csvWriter) Close() error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

type parquetWriter struct {
	w   *parquet.GenericWriter[Article]
	buf []Article
}

// Rows are buffered and written in row groups so the file stays readable
// with bounded memory.
func (p *parquetWriter) Write(a Article) error {
	a.normalize()
	p.buf = append(p.buf, a)
	if len(p.buf) >= 1024 {
		return p.flush()
	}
	return nil
}

func (p *parquetWriter) flush() error {
	if len(p.buf) == 0 {
		return nil
	}
	if _, err := p.w.Write(p.buf); err != nil {
		return fmt.Errorf("write parquet: %w", err)
	}
	p.buf = p.buf[:0]
	return nil
}

func (p *parquetWriter) Close() error {
	if err := p.flush(); err != nil {
		return err
	}
	if err := p.w.Close(); err != nil {
		return fmt.Errorf("write parquet: %w", err)
	}
	return nil
}
