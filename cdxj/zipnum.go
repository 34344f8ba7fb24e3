package cdxj

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
	"sync"

	"github.com/warcbox/warcbox/internal/ctxio"
)

// ZipNum searches a ZipNum index as pywb and WACZ write it: sorted CDX or
// CDXJ lines cut into blocks, each block one gzip member of a part file
// (*.cdx.gz), and a sorted secondary index (*.idx) with one line per block
// naming its first key and where it lies. Two secondary forms exist:
//
//	com,example)/ 20140127171200<TAB>part<TAB>offset<TAB>length<TAB>lineno   (pywb)
//	com,example)/ 20201007212236 {"offset": 0, "length": 194}                 (WACZ)
//
// the second after a `!meta 0 {"format": "cdxj-gzip-1.0", "filename": …}`
// line that names the part when a line does not. The secondary index is
// bisected as a File is (nothing is read at open), and a lookup reads only
// the blocks its keys can be in, each with one ReadAt of the part.
type ZipNum struct {
	Name string // used in errors

	idx  *File
	open func(ctx context.Context, part string) (io.ReaderAt, error)

	// Readers reused across block reads: a gzip.Reader holds a 32 KiB
	// window.
	gzipReaders, blockReaders sync.Pool

	metaMu   sync.Mutex // the !meta line, read once it reads well
	metaDone bool
	defPart  string
}

// Bounds on one block: a block larger than maxZipBlock, or inflating to
// more than maxZipInflated, is an error naming it (pywb's blocks are about
// 3,000 lines, some hundreds of KiB inflated).
const (
	maxZipBlock    = 16 << 20
	maxZipInflated = 64 << 20
)

// OpenZipNum prepares the secondary index in idx (size bytes long), called
// name in errors.
// open returns the part file a block names (as written in the index; the
// caller resolves it, e.g. through a .loc file, and confines it).
func OpenZipNum(idx io.ReaderAt, size int64, name string, open func(ctx context.Context, part string) (io.ReaderAt, error)) (*ZipNum, error) {
	f, err := OpenFile(idx, size)
	if err != nil {
		return nil, err
	}
	f.Name = name
	return &ZipNum{Name: name, idx: f, open: open}, nil
}

// zipBlock is one secondary index line: the block's first key and
// timestamp, and where it lies.
type zipBlock struct {
	prefix         string // "key timestamp"
	part           string
	offset, length int64
	at             int64 // offset of the line in the secondary index
}

// parseBlock reads one secondary index line; defPart is the part a
// CDXJ-form line without "filename" is in.
func parseBlock(text []byte, at int64, defPart string) (zipBlock, error) {
	if i := bytes.IndexByte(text, '\t'); i >= 0 {
		f := strings.Split(string(text), "\t")
		if len(f) < 4 {
			return zipBlock{}, fmt.Errorf("%w: %d tab-separated fields, want at least 4", ErrSyntax, len(f))
		}
		off, err1 := strconv.ParseInt(f[2], 10, 64)
		n, err2 := strconv.ParseInt(f[3], 10, 64)
		if err1 != nil || err2 != nil || off < 0 || n <= 0 {
			return zipBlock{}, fmt.Errorf("%w: bad block offset %q or length %q", ErrSyntax, f[2], f[3])
		}
		return zipBlock{prefix: f[0], part: f[1], offset: off, length: n, at: at}, nil
	}
	i := bytes.Index(text, []byte(" {"))
	if i < 0 {
		return zipBlock{}, fmt.Errorf("%w: neither tab-separated nor CDXJ", ErrSyntax)
	}
	var v struct {
		Offset   json.Number `json:"offset"`
		Length   json.Number `json:"length"`
		Filename string      `json:"filename"`
	}
	if err := json.Unmarshal(text[i+1:], &v); err != nil {
		return zipBlock{}, fmt.Errorf("%w: %v", ErrSyntax, err)
	}
	off, err1 := strconv.ParseInt(strings.Trim(string(v.Offset), `"`), 10, 64)
	n, err2 := strconv.ParseInt(strings.Trim(string(v.Length), `"`), 10, 64)
	if err1 != nil || err2 != nil || off < 0 || n <= 0 {
		return zipBlock{}, fmt.Errorf("%w: bad block offset %q or length %q", ErrSyntax, v.Offset, v.Length)
	}
	part := v.Filename
	if part == "" {
		part = defPart
	}
	if part == "" {
		return zipBlock{}, fmt.Errorf("%w: no filename, and no !meta line names one", ErrSyntax)
	}
	return zipBlock{prefix: string(text[:i]), part: part, offset: off, length: n, at: at}, nil
}

// defaultPart reads the !meta line that opens a CDXJ-form secondary index,
// if any, for the part its lines are in.
func (z *ZipNum) defaultPart(ctx context.Context) (string, error) {
	buf := make([]byte, probeSize)
	head, _, err := z.idx.readHead(ctxio.Bind(ctx, z.idx.ra), 0, buf)
	if err != nil {
		return "", err
	}
	if !strings.HasPrefix(head, "!meta") {
		return "", nil
	}
	i := strings.Index(head, "{")
	if i < 0 {
		return "", nil
	}
	var meta struct {
		Format   string `json:"format"`
		Filename string `json:"filename"`
	}
	if err := json.Unmarshal([]byte(head[i:]), &meta); err != nil {
		return "", &LineError{File: z.Name, Offset: 0, Err: fmt.Errorf("!meta line: %w", err)}
	}
	return meta.Filename, nil
}

// metaPart is defaultPart, remembered once read (a failed read, such as
// a remote index out of reach for a moment, is tried again next lookup).
func (z *ZipNum) metaPart(ctx context.Context) (string, error) {
	z.metaMu.Lock()
	defer z.metaMu.Unlock()
	if z.metaDone {
		return z.defPart, nil
	}
	p, err := z.defaultPart(ctx)
	if err != nil {
		return "", err
	}
	z.defPart, z.metaDone = p, true
	return p, nil
}

// Lookup is LookupBetween without time bounds.
func (z *ZipNum) Lookup(ctx context.Context, key string, match MatchType) iter.Seq2[Line, error] {
	return z.LookupBetween(ctx, key, match, "", "")
}

// LookupBetween yields the lines matching key under match, captured
// from..to (as File.LookupBetween). A secondary index line that does not
// parse, or a block that cannot be read or inflated, is yielded as a
// *LineError naming the file and offset, and the lookup goes on with the
// next block; a cancelled ctx is yielded last.
func (z *ZipNum) LookupBetween(ctx context.Context, key string, match MatchType, from, to string) iter.Seq2[Line, error] {
	return z.lookup(ctx, key, match, from, to, nil)
}

// Scan yields every line whose bytes keep accepts, block by block (as
// File.Scan).
func (z *ZipNum) Scan(ctx context.Context, keep func(line []byte) bool) iter.Seq2[Line, error] {
	return z.lookup(ctx, "", MatchPrefix, "", "", keep)
}

func (z *ZipNum) lookup(ctx context.Context, key string, match MatchType, from, to string, raw func([]byte) bool) iter.Seq2[Line, error] {
	return func(yield func(Line, error) bool) {
		m, err := newMatcher(key, match, from, to)
		if err != nil {
			yield(Line{}, err)
			return
		}
		m.raw = raw
		start, err := z.idx.startOffset(ctx, m.lo)
		if err != nil {
			yield(Line{}, fmt.Errorf("cdxj: lookup %q: %w", key, err))
			return
		}
		defPart := ""
		metaRead := false
		br := bufio.NewReaderSize(io.NewSectionReader(ctxio.Bind(ctx, z.idx.ra), start, z.idx.size-start), z.idx.bufSize)
		off := start
		var long []byte
		// The block a lookup starts in is the last one whose first line
		// sorts before lo: lines from lo on may be inside it.
		var prev *zipBlock
		for {
			if err := ctx.Err(); err != nil {
				yield(Line{}, fmt.Errorf("cdxj: lookup %q: %w", key, err))
				return
			}
			line, rerr := readLine(br, &long)
			if rerr != nil && rerr != io.EOF {
				yield(Line{}, z.idx.errorf(off, "read: %w", rerr))
				return
			}
			if len(line) == 0 {
				break
			}
			at := off
			off += int64(len(line))
			text := bytes.TrimRight(line, "\r\n")
			if len(text) == 0 || text[0] == '!' {
				continue
			}
			if !metaRead && bytes.IndexByte(text, '\t') < 0 {
				metaRead = true
				if defPart, err = z.metaPart(ctx); err != nil {
					yield(Line{}, err)
					return
				}
			}
			b, perr := parseBlock(text, at, defPart)
			if perr != nil {
				if !yield(Line{}, &LineError{File: z.Name, Offset: at, Err: perr}) {
					return
				}
				continue
			}
			if b.prefix < m.lo {
				prev = &b
				continue
			}
			if prev != nil {
				if !z.block(ctx, *prev, m, yield) {
					return
				}
				prev = nil
			}
			if m.hi != "" && b.prefix >= m.hi {
				return
			}
			if !z.block(ctx, b, m, yield) {
				return
			}
			if rerr == io.EOF {
				break
			}
		}
		if prev != nil {
			z.block(ctx, *prev, m, yield)
		}
	}
}

// block yields the matching lines of one block, and reports whether the
// lookup goes on to the next one.
func (z *ZipNum) block(ctx context.Context, b zipBlock, m *matcher, yield func(Line, error) bool) bool {
	fail := func(err error) bool {
		return yield(Line{}, &LineError{File: b.part, Offset: b.offset, Err: fmt.Errorf("block of %d bytes (%s line at %d): %w", b.length, z.Name, b.at, err)})
	}
	if b.length > maxZipBlock {
		return fail(fmt.Errorf("block larger than %d bytes", maxZipBlock))
	}
	ra, err := z.open(ctx, b.part)
	if err != nil {
		return fail(err)
	}
	buf := make([]byte, b.length)
	n, err := ctxio.Bind(ctx, ra).ReadAt(buf, b.offset)
	if n < len(buf) {
		if err == nil || err == io.EOF {
			err = fmt.Errorf("the part ends %d bytes into the block", n)
		}
		return fail(err)
	}
	zr, _ := z.gzipReaders.Get().(*gzip.Reader)
	if zr == nil {
		zr = new(gzip.Reader)
	}
	defer z.gzipReaders.Put(zr)
	if err := zr.Reset(bytes.NewReader(buf)); err != nil {
		return fail(err)
	}
	// Inflated as it is scanned: an exact lookup stops at its last line,
	// half-way through the block on average.
	lr := &io.LimitedReader{R: zr, N: maxZipInflated}
	// A block that breaks off while it is inflated (corrupt deflate data,
	// a bad checksum) fails as a whole, naming the index: the lookup goes
	// on with the next block.
	rec := &readFailure{r: lr}
	br, _ := z.blockReaders.Get().(*bufio.Reader)
	if br == nil {
		br = bufio.NewReaderSize(rec, 64<<10)
	} else {
		br.Reset(rec)
	}
	defer func() {
		br.Reset(nil)
		z.blockReaders.Put(br)
	}()
	// Lines are named by the block they are in: an offset into inflated
	// data would point nowhere in the part.
	ok := true
	broken := false
	goOn := m.scan(ctx, br, b.part, b.offset, func(l Line, err error) bool {
		if err != nil && rec.err != nil {
			broken = true
			ok = fail(rec.err)
			return false
		}
		var le *LineError
		if errors.As(err, &le) {
			le.Offset = b.offset
		}
		ok = yield(l, err)
		return ok
	})
	if broken {
		return ok
	}
	if ok && goOn && lr.N <= 0 {
		return fail(fmt.Errorf("inflates to more than %d bytes", maxZipInflated))
	}
	return goOn && ok
}

// readFailure remembers the error, other than EOF, that a read ended with.
type readFailure struct {
	r   io.Reader
	err error
}

func (f *readFailure) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err != nil && err != io.EOF {
		f.err = err
	}
	return n, err
}

// ZipNumWriter writes sorted lines as a ZipNum index: blocks of up to
// BlockLines lines, each one gzip member of the part, and one secondary
// index line per block in the WACZ form (a !meta line naming Part first).
type ZipNumWriter struct {
	part, idx  io.Writer
	Part       string // the part's file name, as the !meta line names it
	BlockLines int    // lines per block; if zero, 3000 as pywb

	buf    bytes.Buffer
	first  []byte
	n      int
	offset int64
	meta   bool
}

// NewZipNumWriter writes blocks to part and the secondary index to idx.
func NewZipNumWriter(part, idx io.Writer, partName string) *ZipNumWriter {
	return &ZipNumWriter{part: part, idx: idx, Part: partName}
}

// WriteLine adds one line (without newline); lines must come sorted.
func (w *ZipNumWriter) WriteLine(line []byte) error {
	if w.n == 0 {
		w.first = append(w.first[:0], line...)
	}
	w.buf.Write(line)
	w.buf.WriteByte('\n')
	w.n++
	if w.n >= cmp.Or(w.BlockLines, 3000) {
		return w.flush()
	}
	return nil
}

func (w *ZipNumWriter) flush() error {
	if !w.meta {
		w.meta = true
		m, _ := json.Marshal(map[string]string{"format": "cdxj-gzip-1.0", "filename": w.Part})
		if _, err := fmt.Fprintf(w.idx, "!meta 0 %s\n", m); err != nil {
			return err
		}
	}
	if w.n == 0 {
		return nil
	}
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(w.buf.Bytes())
	if err := zw.Close(); err != nil {
		return err
	}
	if _, err := w.part.Write(z.Bytes()); err != nil {
		return err
	}
	// The block's first key and timestamp: the line up to its third field.
	prefix := w.first
	if i := bytes.IndexByte(prefix, ' '); i >= 0 {
		if j := bytes.IndexByte(prefix[i+1:], ' '); j >= 0 {
			prefix = prefix[:i+1+j]
		}
	}
	if _, err := fmt.Fprintf(w.idx, "%s {\"offset\": %d, \"length\": %d}\n", prefix, w.offset, z.Len()); err != nil {
		return err
	}
	w.offset += int64(z.Len())
	w.buf.Reset()
	w.n = 0
	return nil
}

// Close writes the last block.
func (w *ZipNumWriter) Close() error { return w.flush() }
