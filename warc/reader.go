package warc

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"os"
	"strconv"
	"strings"

	"github.com/warcbox/warcbox/storage"
)

// Options tune a Reader. The zero value reads leniently and logs nothing.
type Options struct {
	// Strict makes the first malformed record fatal: Next returns its
	// *RecordError and then keeps returning it.
	Strict bool
	// Logger receives warnings about the file as a whole (whole-file gzip).
	// If nil, nothing is logged.
	Logger *slog.Logger
	// Store reaches http(s):// and s3:// names and their WACZ members; if
	// nil, a Store with default options (the AWS environment) is made for
	// the call. Share one to share its block cache and S3 client.
	Store *storage.Store
}

// maxHeaderLine bounds one header line so that a binary file read as WARC
// cannot make the reader buffer without limit.
const maxHeaderLine = 1 << 20

// maxHeader bounds a record's whole header (all its lines), for the same
// reason: real headers are a few hundred bytes.
const maxHeader = 1 << 20

// Reader reads the records of one WARC or ARC file in order.
type Reader struct {
	file   string
	closer io.Closer
	opt    Options
	log    *slog.Logger

	raw *storage.CountingReader
	br  *bufio.Reader // over the file
	gz  *gzipSource   // nil for uncompressed files
	d   *bufio.Reader // the (decompressed) record stream
	pos int64         // bytes of d consumed

	started   bool
	arc       bool
	arcFields int // fields in an ARC header line: 5 (v1) or 10 (v2)

	cur      *Record
	curStart int64 // stream position where cur starts
	body     *bodyReader

	pending  []*RecordError // problems found, to return before the next record
	queued   *Record        // a record held back while pending errors go out
	fatal    error
	warnedWF bool
	single   bool // ReadAt: one record only
	bufSize  int
}

// Open opens a WARC, WARC.gz, ARC or ARC.gz file; compression is detected
// from the content, not the name.
// A WARC inside a WACZ package is opened by its name
// "x.wacz#archive/y.warc.gz" (see SplitMember).
func Open(path string, opt Options) (*Reader, error) {
	return OpenContext(context.Background(), path, opt)
}

// closers closes each in turn.
type closers []io.Closer

func (cs closers) Close() error {
	var first error
	for _, c := range cs {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// NewReader reads records from a stream; offsets count from its start.
func NewReader(rd io.Reader, opt Options) *Reader { return newReader(rd, "", opt) }

// streamBuffer sizes the read buffers for sequential reading: large reads
// keep the decompressor fed. Random access (ReadAt) reads one record and
// uses small ones, so a replay request does not allocate half a megabyte.
const (
	streamBuffer = 256 << 10
	recordBuffer = 16 << 10
)

func newReader(rd io.Reader, file string, opt Options) *Reader {
	size := streamBufferFor(rd)
	r := newReaderSize(rd, file, opt, size)
	// Records decompress to several times their stored size.
	r.bufSize = min(streamBuffer, 4*size)
	return r
}

// streamBufferFor sizes the read buffers of a sequential reader by what it
// reads, when that is known: a small file needs no more than its own size
// (5,000 one-page WARCs cost half a megabyte each to clear and collect,
// which made indexing them 5× slower than the same records in one file).
func streamBufferFor(rd io.Reader) int {
	var size int64
	switch f := rd.(type) {
	case interface{ Stat() (os.FileInfo, error) }:
		fi, err := f.Stat()
		if err != nil || !fi.Mode().IsRegular() {
			return streamBuffer
		}
		size = fi.Size()
	case interface{ Size() int64 }:
		size = f.Size()
	default:
		return streamBuffer
	}
	return int(min(streamBuffer, max(recordBuffer, size)))
}

func newReaderSize(rd io.Reader, file string, opt Options, size int) *Reader {
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	raw := &storage.CountingReader{R: rd}
	return &Reader{file: file, opt: opt, log: log, raw: raw, br: bufio.NewReaderSize(raw, size), bufSize: size}
}

// Close closes the file opened by Open.
func (r *Reader) Close() error {
	if r.closer != nil {
		return r.closer.Close()
	}
	return nil
}

// File returns the path the reader was opened with.
func (r *Reader) File() string { return r.file }

// Records iterates over the records; a non-nil error with a nil record is a
// problem with one record (*RecordError, iteration goes on) or a fatal error
// (iteration ends).
func (r *Reader) Records() iter.Seq2[*Record, error] {
	return func(yield func(*Record, error) bool) {
		for {
			rec, err := r.Next()
			if err == io.EOF {
				return
			}
			if !yield(rec, err) {
				return
			}
			var re *RecordError
			if err != nil && (!errors.As(err, &re) || r.opt.Strict) {
				return
			}
		}
	}
}

// Next returns the next record, io.EOF at the end, or a *RecordError for a
// malformed stretch of the file; after a *RecordError the reader has
// resynchronised and Next may be called again (unless Options.Strict).
func (r *Reader) Next() (*Record, error) {
	if r.fatal != nil {
		return nil, r.fatal
	}
	if len(r.pending) > 0 && (r.queued == nil || r.pending[0].Offset <= r.queued.Offset) {
		return nil, r.popPending()
	}
	if r.queued != nil {
		rec := r.queued
		r.queued = nil
		return rec, nil
	}
	rec, err := r.next()
	r.collectProblems()
	if err != nil && err != io.EOF {
		var re *RecordError
		if errors.As(err, &re) {
			r.pending = append(r.pending, re)
		} else {
			return nil, err
		}
	}
	if rec != nil {
		r.queued = rec
	}
	if len(r.pending) > 0 || r.queued != nil {
		return r.Next()
	}
	return nil, io.EOF
}

func (r *Reader) popPending() error {
	e := r.pending[0]
	r.pending = r.pending[1:]
	// A broken gzip member also leaves bytes that are not a record at the
	// same place: one report is enough.
	for len(r.pending) > 0 && r.pending[0].Offset == e.Offset && errors.Is(r.pending[0].Err, ErrTrailingGarbage) {
		r.pending = r.pending[1:]
	}
	if r.opt.Strict {
		r.fatal = e
	}
	return e
}

func (r *Reader) collectProblems() {
	if r.gz != nil && len(r.gz.problems) > 0 {
		r.pending = append(r.pending, r.gz.problems...)
		r.gz.problems = r.gz.problems[:0]
	}
	// Keep problems in file order: gzip problems are found by read-ahead.
	for i := 1; i < len(r.pending); i++ {
		for j := i; j > 0 && r.pending[j].Offset < r.pending[j-1].Offset; j-- {
			r.pending[j], r.pending[j-1] = r.pending[j-1], r.pending[j]
		}
	}
}

// start detects compression and ARC on the first call.
func (r *Reader) start() {
	r.started = true
	b, _ := r.br.Peek(3)
	if bytes.Equal(b, gzipMagic) {
		r.gz = newGzipSource(r.raw, r.br, r.file)
		if sk, ok := r.raw.R.(io.Seeker); ok {
			if pos, err := sk.Seek(0, io.SeekCurrent); err == nil && pos == r.raw.N {
				r.gz.seeker = sk
			}
		}
		r.d = bufio.NewReaderSize(r.gz, r.bufSize)
	} else {
		r.d = r.br
	}
	head, _ := r.d.Peek(11)
	if bytes.EqualFold(head, []byte("filedesc://")) {
		r.arc = true
		r.arcFields = 5
	}
}

// offsetOf maps a stream position where a record starts to its on-disk
// offset, and says whether that offset can be used for random access.
func (r *Reader) offsetOf(pos int64) (int64, bool) {
	if r.gz == nil {
		return pos, true
	}
	if len(r.gz.members) == 0 {
		return 0, false
	}
	m := r.gz.members[r.gz.memberAt(pos)]
	return m.cstart, m.dstart == pos
}

// sizeOf computes the on-disk size of the current record ending at stream
// position end.
func (r *Reader) sizeOf(rec *Record, start, end int64) int64 {
	if r.gz == nil {
		return end - rec.Offset
	}
	if !rec.Addressable {
		return end - start
	}
	m := r.gz.members[r.gz.memberAt(end-1)]
	if m.cend < 0 {
		return end - start
	}
	return m.cend - rec.Offset
}

// finishCurrent skips what is left of the current record's block and the
// blank lines after it, and fixes the record's size.
func (r *Reader) finishCurrent() error {
	if r.body != nil {
		if err := r.body.drain(); err != nil {
			r.body = nil
			return err
		}
		r.body = nil
	}
	return nil
}

// hasTrailer peeks at the bytes after a block for the record trailer:
// CRLF CRLF in WARC, LF in ARC.
func (r *Reader) hasTrailer() bool {
	if r.cur.Version == "ARC" {
		b, _ := r.d.Peek(1)
		return len(b) == 0 || b[0] == '\n'
	}
	b, _ := r.d.Peek(4)
	return string(b) == "\r\n\r\n"
}

// skipBlank consumes CR and LF bytes (record trailers, blank lines).
func (r *Reader) skipBlank() error {
	for {
		b, err := r.d.Peek(1)
		if err != nil {
			return err
		}
		if b[0] != '\r' && b[0] != '\n' {
			return nil
		}
		_, _ = r.d.Discard(1)
		r.pos++
	}
}

// readLine returns one line without its end, counting consumed bytes.
func (r *Reader) readLine() ([]byte, error) {
	line, err := r.d.ReadSlice('\n')
	r.pos += int64(len(line))
	if err == bufio.ErrBufferFull {
		buf := append([]byte(nil), line...)
		for err == bufio.ErrBufferFull {
			line, err = r.d.ReadSlice('\n')
			r.pos += int64(len(line))
			buf = append(buf, line...)
			if len(buf) > maxHeaderLine {
				return nil, fmt.Errorf("%w: a line longer than %d bytes", ErrHeaderTooLong, maxHeaderLine)
			}
		}
		line = buf
	}
	if err == io.EOF && len(line) > 0 {
		err = nil
	}
	return trimEOL(line), err
}

func (r *Reader) next() (*Record, error) {
	if !r.started {
		r.start()
	}
	if r.cur != nil && r.single {
		return nil, io.EOF
	}
	var cutErr error
	blockEnd := int64(-1)
	if r.cur != nil {
		cutErr = r.finishCurrent()
		blockEnd = r.pos
		if cutErr == nil {
			r.cur.MissingTrailer = !r.hasTrailer()
		}
	}
	err := r.skipBlank()
	for errors.Is(err, errStreamBreak) {
		err = r.skipBlank()
	}
	if r.cur != nil {
		prev := r.cur
		end := r.pos
		if r.gz == nil {
			// In uncompressed files warcio.js and pywb count a record
			// without the blank lines after its block.
			end = blockEnd
		}
		prev.Size = r.sizeOf(prev, r.curStart, end)
		r.cur = nil
		if r.gz != nil {
			r.gz.prune(r.pos)
		}
		if cutErr != nil {
			r.pending = append(r.pending, &RecordError{File: r.file, Offset: prev.Offset, Err: cutErr,
				Warning: prev.Version == "ARC" && err == io.EOF && errors.Is(cutErr, ErrTruncated)})
		}
	}
	if err == io.EOF {
		return nil, io.EOF
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", r.file, err)
	}

	start := r.pos
	line, err := r.readLine()
	if err != nil && !errors.Is(err, errStreamBreak) {
		if err == io.EOF {
			return nil, io.EOF
		}
		return nil, r.recordErr(start, err)
	}
	if r.single && !hasWARCPrefix(line) {
		// A record read at an offset may be an ARC record: no filedesc
		// line says which ARC version, so readARC guesses from the fields.
		r.arc = true
	}
	if r.arc && !hasWARCPrefix(line) {
		return r.readARC(start, line)
	}
	if !hasWARCPrefix(line) {
		garbageOff, _ := r.offsetOf(start)
		start, line, err = r.resync()
		skipErr := &RecordError{File: r.file, Offset: garbageOff, Err: fmt.Errorf("%w: skipped to the next record", ErrTrailingGarbage)}
		if err != nil {
			return nil, skipErr
		}
		r.pending = append(r.pending, skipErr)
	}
	return r.readWARC(start, line)
}

func hasWARCPrefix(line []byte) bool {
	return len(line) >= 5 && bytes.EqualFold(line[:5], []byte("WARC/"))
}

// resync reads lines until one starts a WARC record, returning its position.
func (r *Reader) resync() (int64, []byte, error) {
	for {
		if err := r.skipBlank(); err != nil && !errors.Is(err, errStreamBreak) {
			return 0, nil, err
		}
		start := r.pos
		line, err := r.readLine()
		if hasWARCPrefix(line) {
			return start, line, nil
		}
		if err != nil && !errors.Is(err, errStreamBreak) {
			return 0, nil, err
		}
	}
}

func (r *Reader) recordErr(start int64, err error) *RecordError {
	off, _ := r.offsetOf(start)
	return &RecordError{File: r.file, Offset: off, Err: err}
}

// readHeader reads header fields up to the blank line, unfolding
// continuation lines.
func (r *Reader) readHeader() (Header, error) {
	var h Header
	headerStart := r.pos
	for {
		line, err := r.readLine()
		if err == nil && r.pos-headerStart > maxHeader {
			return h, fmt.Errorf("%w: header longer than %d bytes", ErrHeaderTooLong, maxHeader)
		}
		if err != nil {
			if err == io.EOF || errors.Is(err, errStreamBreak) {
				return h, fmt.Errorf("%w: header not terminated", ErrTruncated)
			}
			return h, err
		}
		if len(line) == 0 {
			return h, nil
		}
		if (line[0] == ' ' || line[0] == '\t') && len(h) > 0 {
			if v := &h[len(h)-1].Value; *v == "" {
				*v = string(bytes.TrimSpace(line))
			} else {
				*v += " " + string(bytes.TrimSpace(line))
			}
			continue
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			// Not a field: keep it visible for verify rather than dropping it.
			h = append(h, Field{Name: string(bytes.TrimSpace(line))})
			continue
		}
		h = append(h, Field{Name: string(bytes.TrimSpace(name)), Value: string(bytes.TrimSpace(value))})
	}
}

func (r *Reader) readWARC(start int64, versionLine []byte) (*Record, error) {
	off, addressable := r.offsetOf(start)
	// versionLine may be a slice of the read buffer, which reading the
	// header reuses: a header longer than the buffer used to overwrite it.
	version := string(bytes.TrimSpace(versionLine))
	h, err := r.readHeader()
	if err != nil {
		return nil, &RecordError{File: r.file, Offset: off, Err: fmt.Errorf("read header: %w", err)}
	}
	clText := h.Get(FieldContentLength)
	cl, perr := strconv.ParseInt(strings.TrimSpace(clText), 10, 64)
	if perr != nil || cl < 0 {
		// Without a length the block cannot be delimited. The header is
		// still worth having (jwat's header-only records): yield it with an
		// empty block, report the problem, and let the next call resync.
		r.pending = append(r.pending, &RecordError{File: r.file, Offset: off,
			Err: fmt.Errorf("%w: %q (block read as empty)", ErrBadContentLength, clText)})
		cl = 0
	}
	if !addressable && !r.warnedWF {
		r.warnedWF = true
		r.log.Warn("gzip members hold several records (whole-file gzip): offsets cannot be used for random access",
			"file", r.file)
	}
	rec := &Record{File: r.file, Offset: off, Addressable: addressable, Version: version,
		Header: h, ContentLength: cl}
	r.attachBody(rec, start, cl)
	return rec, nil
}

func (r *Reader) attachBody(rec *Record, start, n int64) {
	r.cur = rec
	r.curStart = start
	r.body = &bodyReader{r: r, remaining: n}
	rec.Body = r.body
}

// bodyReader streams a record block out of the record stream.
type bodyReader struct {
	r         *Reader
	remaining int64
	err       error
}

func (b *bodyReader) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if b.remaining <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > b.remaining {
		p = p[:b.remaining]
	}
	n, err := b.r.d.Read(p)
	b.r.pos += int64(n)
	b.remaining -= int64(n)
	if err != nil && b.remaining > 0 {
		if err == io.EOF || errors.Is(err, errStreamBreak) {
			err = fmt.Errorf("%w: %d bytes of the block missing", ErrTruncated, b.remaining)
		}
		b.err = err
		if n > 0 {
			return n, nil
		}
		return 0, err
	}
	return n, nil
}

// drain skips the unread rest of the block.
func (b *bodyReader) drain() error {
	for b.remaining > 0 && b.err == nil {
		n, err := b.r.d.Discard(int(min(b.remaining, 1<<30)))
		b.r.pos += int64(n)
		b.remaining -= int64(n)
		if err != nil {
			if err == io.EOF || errors.Is(err, errStreamBreak) {
				err = fmt.Errorf("%w: %d bytes of the block missing", ErrTruncated, b.remaining)
			}
			b.err = err
		}
	}
	if b.err != nil && b.err != io.EOF {
		return b.err
	}
	return nil
}

// NewNamedReader reads records from a stream that has a name to report
// (a WARC inside a WACZ, say); offsets count from the stream's start.
func NewNamedReader(rd io.Reader, name string, opt Options) *Reader { return newReader(rd, name, opt) }
