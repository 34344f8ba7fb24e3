package selection

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/parquet-go/parquet-go"

	"github.com/warcbox/warcbox/cdxj"
)

// Format is the kind of records file.
type Format int

const (
	// FormatLines is a CDXJ or classic CDX index (warcbox, pywb, Common
	// Crawl's cdx-*.gz) or JSON lines as Common Crawl's CDX API serves them
	// (output=json): one record a line, with filename, offset and length.
	FormatLines Format = iota
	// FormatCSV is CSV with a header naming warc_filename,
	// warc_record_offset and warc_record_length (cc-index-table's columns;
	// filename, offset and length are accepted too).
	FormatCSV
	// FormatParquet is a Parquet file with those columns, as cc-index-table
	// and DuckDB's COPY … TO 'x.parquet' write them.
	FormatParquet
)

func (f Format) String() string {
	switch f {
	case FormatCSV:
		return "csv"
	case FormatParquet:
		return "parquet"
	}
	return "cdxj"
}

// DetectFormat tells the format from the file's first bytes ("PAR1" is
// Parquet) and its name (".csv", ".csv.gz" is CSV); anything else is read
// as lines.
func DetectFormat(name string, head []byte) Format {
	if bytes.HasPrefix(head, []byte("PAR1")) {
		return FormatParquet
	}
	low := strings.ToLower(name)
	if strings.HasSuffix(low, ".csv") || strings.HasSuffix(low, ".csv.gz") {
		return FormatCSV
	}
	return FormatLines
}

// Read reads the refs of a records file of any format, resolving file
// names against base (see Resolve). Bad rows come as *RowError and reading
// goes on; any other error ends the sequence.
func Read(ra io.ReaderAt, size int64, source, base string) iter.Seq2[Ref, error] {
	head := make([]byte, 4)
	n, _ := ra.ReadAt(head, 0)
	switch DetectFormat(source, head[:n]) {
	case FormatParquet:
		return Parquet(ra, size, source, base)
	case FormatCSV:
		return CSV(io.NewSectionReader(ra, 0, size), source, base)
	}
	return Lines(io.NewSectionReader(ra, 0, size), source, base)
}

// maxLine bounds one line of a lines or CSV records file.
const maxLine = 1 << 20

// MaybeGunzip decompresses gzip input (cdx-00000.gz, records.csv.gz),
// known by its magic bytes, not its name; other input is passed through.
func MaybeGunzip(r io.Reader) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, _ := br.Peek(2); len(b) == 2 && b[0] == 0x1f && b[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, err
		}
		return zr, nil
	}
	return br, nil
}

// Lines reads a CDXJ or classic CDX index, or JSON lines, one record a
// line. Blank lines and CDX header lines are skipped.
func Lines(r io.Reader, source, base string) iter.Seq2[Ref, error] {
	return func(yield func(Ref, error) bool) {
		in, err := MaybeGunzip(r)
		if err != nil {
			yield(Ref{}, fmt.Errorf("read %s: %w", source, err))
			return
		}
		br := bufio.NewReaderSize(in, 64<<10)
		var row int64
		var long []byte
		for {
			line, tooLong, err := readLine(br, &long)
			if len(line) > 0 || tooLong || err == nil {
				row++
			}
			if tooLong {
				if !yield(Ref{Row: row}, &RowError{Source: source, Row: row, Err: fmt.Errorf("line longer than %d bytes", maxLine)}) {
					return
				}
			} else if l := bytes.TrimSpace(line); len(l) > 0 {
				ref, skip, perr := parseLine(l)
				ref.Row = row
				ref.File = Resolve(base, ref.File)
				switch {
				case perr != nil:
					if !yield(ref, &RowError{Source: source, Row: row, Err: perr}) {
						return
					}
				case !skip:
					if !yield(ref, nil) {
						return
					}
				}
			}
			if err == io.EOF {
				return
			}
			if err != nil {
				yield(Ref{}, fmt.Errorf("read %s: %w", source, err))
				return
			}
		}
	}
}

// readLine returns the next line without its newline; a line longer than
// maxLine is skipped whole and reported with tooLong.
func readLine(br *bufio.Reader, long *[]byte) (line []byte, tooLong bool, err error) {
	*long = (*long)[:0]
	for {
		frag, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			if len(*long)+len(frag) > maxLine {
				tooLong = true
			}
			if !tooLong {
				*long = append(*long, frag...)
			}
			continue
		}
		if tooLong {
			return nil, true, err
		}
		if len(*long) > 0 {
			*long = append(*long, frag...)
			frag = *long
		}
		if len(frag) > maxLine {
			return nil, true, err
		}
		return bytes.TrimSuffix(frag, []byte("\n")), false, err
	}
}

// parseLine reads one non-blank line; skip is set for CDX header lines.
func parseLine(l []byte) (ref Ref, skip bool, err error) {
	if l[0] == '{' {
		return parseJSONLine(l)
	}
	if bytes.HasPrefix(l, []byte("CDX ")) {
		return Ref{}, true, nil // classic CDX header, its leading space trimmed
	}
	cl, err := cdxj.Parse(l)
	if errors.Is(err, cdxj.ErrHeader) {
		return Ref{}, true, nil
	}
	if err != nil {
		return Ref{}, false, err
	}
	if cl.Length == 0 {
		return Ref{File: cl.Filename, Offset: cl.Offset}, false, fmt.Errorf("%w: no length (a record is read by its byte range)", ErrBadRange)
	}
	return Ref{File: cl.Filename, Offset: cl.Offset, Length: cl.Length, Digest: cl.Digest,
		Status: statusOf(cl.Status), Revisit: cl.Mime == "warc/revisit"}, false, check(cl.Filename, cl.Offset, cl.Length)
}

// parseJSONLine reads a JSON object with filename, offset and length, which
// Common Crawl's index server gives as strings and others as numbers.
func parseJSONLine(l []byte) (Ref, bool, error) {
	var v struct {
		Filename       json.RawMessage `json:"filename"`
		Offset, Length json.RawMessage
		Digest         json.RawMessage `json:"digest"`
		Status         json.RawMessage `json:"status"`
		Mime           string          `json:"mime"`
	}
	if err := json.Unmarshal(l, &v); err != nil {
		return Ref{}, false, fmt.Errorf("json: %w", err)
	}
	var ref Ref
	if err := json.Unmarshal(v.Filename, &ref.File); err != nil && len(v.Filename) > 0 {
		return ref, false, fmt.Errorf("filename: %w", err)
	}
	var err error
	if ref.Offset, err = jsonInt(v.Offset, "offset"); err != nil {
		return ref, false, err
	}
	if ref.Length, err = jsonInt(v.Length, "length"); err != nil {
		return ref, false, err
	}
	if len(v.Digest) > 0 && v.Digest[0] == '"' {
		json.Unmarshal(v.Digest, &ref.Digest)
	}
	if len(v.Status) > 0 {
		s := string(v.Status)
		json.Unmarshal(v.Status, &s) // a string, or a number as written
		ref.Status = statusOf(s)
	}
	ref.Revisit = v.Mime == "warc/revisit"
	return ref, false, check(ref.File, ref.Offset, ref.Length)
}

func jsonInt(raw json.RawMessage, name string) (int64, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, fmt.Errorf("%w: no %s", ErrBadRange, name)
	}
	s := string(raw)
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, fmt.Errorf("%s: %w", name, err)
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: %s %.40q is not an integer", ErrBadRange, name, s)
	}
	return n, nil
}

// Column names, cc-index-table's first.
var (
	fileColumns   = []string{"warc_filename", "filename"}
	offsetColumns = []string{"warc_record_offset", "offset"}
	lengthColumns = []string{"warc_record_length", "length"}
	digestColumns = []string{"content_digest", "digest"}
	statusColumns = []string{"fetch_status", "status"}
	mimeColumns   = []string{"content_mime_type", "mime"}
)

// CSV reads CSV rows under a header naming the file, offset and length
// columns (see FormatCSV). Row numbers count the header as row 1.
func CSV(r io.Reader, source, base string) iter.Seq2[Ref, error] {
	return func(yield func(Ref, error) bool) {
		in, err := MaybeGunzip(r)
		if err != nil {
			yield(Ref{}, fmt.Errorf("read %s: %w", source, err))
			return
		}
		cr := csv.NewReader(&lineLimiter{r: in})
		cr.FieldsPerRecord = -1
		cr.ReuseRecord = true
		head, err := cr.Read()
		if err != nil {
			yield(Ref{}, fmt.Errorf("read %s: header: %w", source, err))
			return
		}
		find := func(names []string) int {
			for _, n := range names {
				for i, h := range head {
					if strings.EqualFold(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")), n) {
						return i
					}
				}
			}
			return -1
		}
		fi, oi, li := find(fileColumns), find(offsetColumns), find(lengthColumns)
		di := find(digestColumns) // optional
		si, mi := find(statusColumns), find(mimeColumns)
		if fi < 0 || oi < 0 || li < 0 {
			yield(Ref{}, fmt.Errorf("read %s: header %q lacks a %s, %s or %s column", source, strings.Join(head, ","),
				fileColumns[0], offsetColumns[0], lengthColumns[0]))
			return
		}
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				return
			}
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				if !yield(Ref{Row: int64(pe.StartLine)}, &RowError{Source: source, Row: int64(pe.StartLine), Err: pe.Err}) {
					return
				}
				continue
			}
			if err != nil {
				yield(Ref{}, fmt.Errorf("read %s: %w", source, err))
				return
			}
			line, _ := cr.FieldPos(0)
			row := int64(line)
			if len(rec) <= max(fi, oi, li) {
				if !yield(Ref{Row: row}, &RowError{Source: source, Row: row, Err: fmt.Errorf("%d fields, want %d", len(rec), len(head))}) {
					return
				}
				continue
			}
			ref := Ref{File: Resolve(base, rec[fi]), Row: row}
			if di >= 0 && di < len(rec) {
				ref.Digest = strings.TrimSpace(rec[di])
			}
			if si >= 0 && si < len(rec) {
				ref.Status = statusOf(rec[si])
			}
			if mi >= 0 && mi < len(rec) {
				ref.Revisit = strings.TrimSpace(rec[mi]) == "warc/revisit"
			}
			var perr error
			if ref.Offset, perr = strconv.ParseInt(strings.TrimSpace(rec[oi]), 10, 64); perr != nil {
				perr = fmt.Errorf("%w: offset %.40q is not an integer", ErrBadRange, rec[oi])
			} else if ref.Length, perr = strconv.ParseInt(strings.TrimSpace(rec[li]), 10, 64); perr != nil {
				perr = fmt.Errorf("%w: length %.40q is not an integer", ErrBadRange, rec[li])
			} else {
				perr = check(rec[fi], ref.Offset, ref.Length)
			}
			if perr != nil {
				if !yield(ref, &RowError{Source: source, Row: row, Err: perr}) {
					return
				}
				continue
			}
			if !yield(ref, nil) {
				return
			}
		}
	}
}

// lineLimiter fails a read once maxLine bytes pass without a newline, so a
// CSV field cannot grow without bound.
type lineLimiter struct {
	r   io.Reader
	run int
}

func (l *lineLimiter) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for _, c := range p[:n] {
		if c == '\n' {
			l.run = 0
		} else if l.run++; l.run > maxLine {
			return 0, fmt.Errorf("a line or field longer than %d bytes", maxLine)
		}
	}
	return n, err
}

// parquetRow holds the columns read; parquet-go converts cc-index-table's
// INT32 offsets and lengths (and DuckDB's INT64) to int64 and leaves the
// other columns unread.
type parquetRow struct {
	File   string `parquet:"warc_filename,optional"`
	Offset int64  `parquet:"warc_record_offset,optional"`
	Length int64  `parquet:"warc_record_length,optional"`
	Digest string `parquet:"content_digest,optional"`
	Status int64  `parquet:"fetch_status,optional"`
	Mime   string `parquet:"content_mime_type,optional"`
}

// Parquet reads cc-index-table rows (see FormatParquet).
func Parquet(ra io.ReaderAt, size int64, source, base string) iter.Seq2[Ref, error] {
	return func(yield func(Ref, error) bool) {
		f, err := openParquet(ra, size)
		if err != nil {
			yield(Ref{}, fmt.Errorf("read %s: parquet: %w", source, err))
			return
		}
		for _, col := range []string{fileColumns[0], offsetColumns[0], lengthColumns[0]} {
			if _, ok := f.Schema().Lookup(col); !ok {
				yield(Ref{}, fmt.Errorf("read %s: parquet: no %s column", source, col))
				return
			}
		}
		pr := parquet.NewGenericReader[parquetRow](f)
		defer pr.Close()
		buf := make([]parquetRow, 1024)
		var row int64
		for {
			n, err := readParquet(pr, buf)
			for _, r := range buf[:n] {
				row++
				ref := Ref{File: Resolve(base, r.File), Offset: r.Offset, Length: r.Length, Row: row, Digest: r.Digest,
					Status: int(max(0, min(r.Status, 999))), Revisit: r.Mime == "warc/revisit"}
				if cerr := check(r.File, r.Offset, r.Length); cerr != nil {
					if !yield(ref, &RowError{Source: source, Row: row, Err: cerr}) {
						return
					}
					continue
				}
				if !yield(ref, nil) {
					return
				}
			}
			if err == io.EOF {
				return
			}
			if err != nil {
				yield(Ref{}, fmt.Errorf("read %s: parquet row %d: %w", source, row+1, err))
				return
			}
		}
	}
}

// openParquet and readParquet turn a panic of parquet-go on a malformed
// file into an error: a bad records file must not crash the run.
func openParquet(ra io.ReaderAt, size int64) (f *parquet.File, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("malformed file: %v", p)
		}
	}()
	return parquet.OpenFile(ra, size)
}

func readParquet(pr *parquet.GenericReader[parquetRow], buf []parquetRow) (n int, err error) {
	defer func() {
		if p := recover(); p != nil {
			n, err = 0, fmt.Errorf("malformed file: %v", p)
		}
	}()
	return pr.Read(buf)
}
