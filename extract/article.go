// Package extract turns an archived HTML page into an Article: its metadata
// (title, authors, dates, publisher, …) read from every source a page may
// carry, the article text, and for every field the place it came from.
//
// The package never prints: it returns values and errors, and takes a
// *slog.Logger (discarding by default) for the few things worth logging.
package extract

import "time"

// SchemaVersion names the version of the Article schema documented in
// docs/extract-schema.md. It changes whenever a field is added, renamed or
// changes meaning, so downstream users can tell outputs apart.
const SchemaVersion = "1"

// Page is one HTML document to extract from.
type Page struct {
	// HTML holds the raw payload bytes as served (any charset; Content-Encoding
	// already removed).
	HTML []byte
	// ContentType is the HTTP Content-Type header, used for the charset; may be empty.
	ContentType string
	// URL is the address the page was captured from; used to resolve relative
	// links and as a date source.
	URL string
	// CaptureDate bounds every date: a page cannot be published after it was
	// captured. If zero, dates are bounded by the current time.
	CaptureDate time.Time
}

// Publisher is the organisation (or person) that published the page.
type Publisher struct {
	Name      string `json:"name" parquet:"name"`
	URL       string `json:"url" parquet:"url"`
	Logo      string `json:"logo" parquet:"logo"`
	Email     string `json:"email" parquet:"email"`
	Telephone string `json:"telephone" parquet:"telephone"`
}

// Image is a picture with its size in pixels when the page states it (0 if not).
type Image struct {
	URL    string `json:"url" parquet:"url"`
	Width  int    `json:"width" parquet:"width"`
	Height int    `json:"height" parquet:"height"`
}

// Article is one output record. Every field is always present in JSON (empty
// strings, empty lists, null for an unknown boolean) so the schema is stable.
// Dates are RFC 3339 strings keeping the page's own time zone; a page that
// gives only a day yields "YYYY-MM-DD", one that gives a time without a zone
// yields "YYYY-MM-DDTHH:MM:SS" (no offset is invented).
type Article struct {
	// Provenance: where the record came from (filled by the record loop).
	WARCFile      string `json:"warc_file" parquet:"warc_file"`
	WARCOffset    int64  `json:"warc_offset" parquet:"warc_offset"`
	WARCRecordID  string `json:"warc_record_id" parquet:"warc_record_id"`
	WARCDate      string `json:"warc_date" parquet:"warc_date"`
	URL           string `json:"url" parquet:"url"`
	Status        int    `json:"status" parquet:"status"`
	ContentType   string `json:"content_type" parquet:"content_type"`
	PayloadDigest string `json:"payload_digest" parquet:"payload_digest"`

	Title       string   `json:"title" parquet:"title"`
	Description string   `json:"description" parquet:"description"`
	Authors     []string `json:"authors" parquet:"authors,list"`
	Published   string   `json:"published" parquet:"published"`
	Modified    string   `json:"modified" parquet:"modified"`
	Created     string   `json:"created" parquet:"created"`

	Keywords            []string  `json:"keywords" parquet:"keywords,list"`
	Section             string    `json:"section" parquet:"section"`
	Language            string    `json:"language" parquet:"language"`
	SiteName            string    `json:"site_name" parquet:"site_name"`
	Publisher           Publisher `json:"publisher" parquet:"publisher"`
	Image               Image     `json:"image" parquet:"image"`
	Images              []Image   `json:"images" parquet:"images,list"`
	CanonicalURL        string    `json:"canonical_url" parquet:"canonical_url"`
	PageType            string    `json:"page_type" parquet:"page_type"`
	License             string    `json:"license" parquet:"license"`
	IsAccessibleForFree *bool     `json:"is_accessible_for_free" parquet:"is_accessible_for_free,optional"`

	Body      string `json:"body" parquet:"body"`
	WordCount int    `json:"word_count" parquet:"word_count"`

	// Sources maps each filled field (dotted for nested ones, e.g.
	// "publisher.logo") to where its value was read: an XPath into the page,
	// "json-ld <Type>.<property>", "url" or "htmldate <how>".
	Sources map[string]string `json:"sources" parquet:"sources"`

	// Error says why a record is incomplete (not HTML, truncated, …); empty if fine.
	Error string `json:"error" parquet:"error"`

	// Explain is filled only when Options.Explain is set (warcbox extract
	// --explain, JSON lines only): per field, every candidate value, its
	// source path and why it lost.
	Explain map[string][]Explained `json:"explain,omitempty" parquet:"-"`
}

// normalize replaces nil slices and maps by empty ones so that JSON output
// always has the same shape.
func (a *Article) normalize() {
	if a.Authors == nil {
		a.Authors = []string{}
	}
	if a.Keywords == nil {
		a.Keywords = []string{}
	}
	if a.Images == nil {
		a.Images = []Image{}
	}
	if a.Sources == nil {
		a.Sources = map[string]string{}
	}
}
