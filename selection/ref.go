// Package selection reads lists of records to fetch — a CDXJ index
// (warcbox, pywb), Common Crawl's CDX API output (JSON lines), or
// cc-index-table rows as Parquet or CSV — and reads exactly those byte
// ranges of the archive files, one request per run of adjacent records.
package selection

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// Ref is one record to read: a byte range of an archive file.
type Ref struct {
	// File is the archive as the row names it, resolved against the base.
	File string
	// Offset and Length locate the (compressed) record in File.
	Offset, Length int64
	// Row is the row's 1-based line (CDXJ, JSON lines, CSV) or row number
	// (Parquet) in the records file.
	Row int64
	// Digest is the record's payload digest as the row gives it (CDXJ and
	// CDX "digest", cc-index-table's content_digest), "" if it has none.
	Digest string
	// Status is the HTTP status the row gives (0 if none), and Revisit
	// whether it names a revisit record: such rows do not claim their
	// digest for --dedup, since extract may output nothing for them.
	Status  int
	Revisit bool
}

// claims reports whether a row can be the first of its digest: a row
// extract may output nothing for (a revisit whose original is elsewhere,
// a status other than 200 unless allStatuses) must not make later rows
// with the same payload repeats.
func claims(status int, revisit, allStatuses bool) bool {
	return !revisit && (allStatuses || status == 0 || status == 200)
}

// statusOf reads an HTTP status as indexes write it ("200", "-", "").
func statusOf(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// RowError reports a row of a records file that names no readable range;
// the rows after it are still read.
type RowError struct {
	Source string // the records file
	Row    int64
	Err    error
}

func (e *RowError) Error() string {
	return fmt.Sprintf("%s: row %d: %v", e.Source, e.Row, e.Err)
}

func (e *RowError) Unwrap() error { return e.Err }

// Errors a RowError may wrap.
var (
	ErrNoFile   = errors.New("no file name")
	ErrBadRange = errors.New("bad offset or length")
)

// check validates a row's range.
func check(file string, off, n int64) error {
	if file == "" {
		return ErrNoFile
	}
	if off < 0 || n <= 0 {
		return fmt.Errorf("%w: offset %d, length %d", ErrBadRange, off, n)
	}
	if off > maxOffset-n {
		return fmt.Errorf("%w: offset %d + length %d overflows", ErrBadRange, off, n)
	}
	return nil
}

const maxOffset = 1 << 62

// Resolve joins a relative file name to base: a URL prefix
// ("s3://commoncrawl/", "https://mirror/") or a local folder. Absolute
// paths and URLs are kept as they are, as is every name when base is empty.
func Resolve(base, file string) string {
	if base == "" || isAbs(file) {
		return file
	}
	if hasScheme(base) {
		return strings.TrimRight(base, "/") + "/" + strings.TrimLeft(file, "/")
	}
	return filepath.Join(base, filepath.FromSlash(file))
}

func isAbs(name string) bool {
	return hasScheme(name) || filepath.IsAbs(name)
}

// hasScheme reports a URL with a scheme of two letters or more (so that
// "C:\x" is no URL).
func hasScheme(s string) bool {
	i := strings.Index(s, "://")
	if i < 2 {
		return false
	}
	for _, c := range s[:i] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}
