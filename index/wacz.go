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
	"iter"
	"log/slog"
	"path"
	"sort"
	"strings"
	"sync"
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

// packageIndexes is what indexing a WACZ gives: captures read into
// memory, the package's own indexes searched in place, and where each
// stored WARC lies.
type packageIndexes struct {
	caps []Capture
	srcs []*PackageIndex
	secs map[string]section
}

// indexWACZ indexes the WARC files stored in a WACZ package. WACZ stores
// them uncompressed in the zip (the spec requires STORE), so each is a
// byte range of the .wacz that records can be read from directly; their
// captures are named "<wacz name>#<entry>". The package's own index is
// used when it is readable: a ZipNum index (indexes/*.idx with its
// *.cdx.gz blocks) or a large CDXJ stored uncompressed is searched in
// place (see PackageIndex), a small CDXJ is read into memory with titles
// from pages/*.jsonl; a package without one has its WARCs indexed here.
func indexWACZ(ctx context.Context, p, name string, log *slog.Logger) ([]Capture, map[string]section, error) {
	pk, err := indexWACZIn(ctx, storage.New(storage.Options{Logger: log}), p, name, log)
	if err != nil {
		return nil, nil, err
	}
	for _, s := range pk.srcs {
		for c, err := range s.Lookup(ctx, Query{Key: "", MatchType: cdxj.MatchPrefix}) {
			if err != nil {
				return nil, nil, err
			}
			pk.caps = append(pk.caps, c)
		}
		s.Close()
	}
	return pk.caps, pk.secs, nil
}

// indexWACZIn is indexWACZ for a package reached through st: local, or
// read by Range over http(s) or from s3 (its zip directory, own index and
// pages lists only, never the whole package). The PackageIndexes it
// returns hold the package open until closed.
func indexWACZIn(ctx context.Context, st *storage.Store, p, name string, log *slog.Logger) (packageIndexes, error) {
	// The object outlives this call when the package's own index is
	// searched in place. Its own context bounds only the reads made here
	// and those without one (the zip directory, pages lists): not the
	// caller's (an errgroup's, a request's), which is cancelled when it
	// returns. Lookups read it with their own context (storage.Section,
	// cdxj's bound readers). A local package's descriptor is pooled:
	// 10,000 packages do not hold 10,000 files open.
	octx := context.WithoutCancel(ctx)
	var f *storage.Object
	var err error
	if storage.KindOf(p) == storage.Local {
		f, err = st.OpenPooled(octx, p)
	} else {
		f, err = st.OpenTail(octx, p, warc.PackageTail)
	}
	if err != nil {
		return packageIndexes{}, err
	}
	keep := false
	defer func() {
		if !keep {
			f.Close()
		}
	}()
	zr, err := zip.NewReader(f, f.Size())
	if err != nil {
		return packageIndexes{}, fmt.Errorf("%s: not a WACZ (zip) file: %w", storage.Redact(p), err)
	}
	members := warc.ZipMembers(zr)
	secs := map[string]section{}
	var entries []string
	for _, m := range members {
		if !m.Stored {
			log.Warn("replay: WARC compressed inside the WACZ, not addressable: skipped", "file", storage.Redact(p), "entry", m.Name)
			continue
		}
		secs[name+warc.MemberSep+m.Name] = section{path: p, off: m.Offset, size: m.Size}
		entries = append(entries, m.Name)
	}
	whole := int64(maxWholeIndex)
	if f.Remote() {
		whole = maxWholeIndexRemote
	}
	pk, err := embeddedIndex(ctx, f, zr, p, name, secs, whole, log)
	if err == nil {
		keep = len(pk.srcs) > 0
		pk.secs = secs
		return pk, nil
	}
	if ctx.Err() != nil {
		return packageIndexes{}, ctx.Err()
	}
	if !errors.Is(err, errNoEmbeddedIndex) {
		log.Warn("replay: the WACZ's own index is not usable; indexing its WARCs", "file", storage.Redact(p), "err", err)
	}
	var caps []Capture
	for _, e := range entries {
		entryName := name + warc.MemberSep + e
		sec := secs[entryName]
		c, err := readCapturesAt(ctx, io.NewSectionReader(f, sec.off, sec.size), sec.size, Options{Filename: entryName, Logger: log})
		if err != nil {
			log.Warn("replay: WACZ entry not indexed", "file", storage.Redact(p), "entry", e, "err", err)
			delete(secs, entryName)
			continue
		}
		caps = append(caps, c...)
	}
	return packageIndexes{caps: caps, secs: secs}, nil
}

var errNoEmbeddedIndex = errors.New("no index in the package")

// Bounds on a package's own index: a CDXJ member stored uncompressed and
// larger than maxWholeIndex (maxWholeIndexRemote for a remote package,
// what its first request fetches with the zip directory: beyond that,
// reading it whole costs requests at open) is searched in place rather
// than read into memory; a ZipNum secondary index (*.idx) compressed in the zip is
// inflated into memory up to maxPackageIdx (one line per block of about
// 3,000 captures: 64 MiB is some 10^9 captures).
const (
	maxWholeIndex       = 4 << 20
	maxWholeIndexRemote = warc.PackageTail
	maxPackageIdx       = 64 << 20
)

// embeddedIndex reads or opens a WACZ's own index files (in ra, the
// package). A ZipNum index whose blocks are stored uncompressed, and a
// large CDXJ stored uncompressed, are searched in place: each lookup reads
// one block (or a few bisection probes) of the member by ReadAt, a Range
// request for a remote package. Other index members are read whole: a
// line that does not parse, or one naming a WARC the package does not
// hold (as a stored entry), makes the whole index untrusted, since a
// partial index would hide captures without a word.
func embeddedIndex(ctx context.Context, ra io.ReaderAt, zr *zip.Reader, p, name string, secs map[string]section, whole int64, log *slog.Logger) (packageIndexes, error) {
	var pk packageIndexes
	found := false
	held := map[string]bool{}
	for n := range secs {
		held[n] = true
	}
	byName := map[string]*zip.File{}
	for _, e := range zr.File {
		byName[e.Name] = e
	}
	// ZipNum blocks are read in place when the secondary index names
	// them and they are stored; a compressed part is read whole below.
	zipnumParts := map[string]bool{}
	for _, e := range zr.File {
		if !strings.HasPrefix(e.Name, "indexes/") || !IsZipNumIndex(e.Name) {
			continue
		}
		found = true
		src, parts, err := openPackageZipNum(ctx, ra, zr, byName, e, p, name, held)
		if err != nil {
			closeAll(pk.srcs)
			return packageIndexes{}, fmt.Errorf("%s: %w", e.Name, err)
		}
		if src == nil {
			log.Info("replay: the WACZ's ZipNum index is compressed inside the zip; read whole", "file", storage.Redact(p), "entry", e.Name)
			continue
		}
		for _, pt := range parts {
			zipnumParts[pt] = true
		}
		pk.srcs = append(pk.srcs, src)
	}
	for _, e := range zr.File {
		if !strings.HasPrefix(e.Name, "indexes/") || zipnumParts[e.Name] {
			continue
		}
		lower := strings.ToLower(e.Name)
		gz := strings.HasSuffix(lower, ".cdx.gz") || strings.HasSuffix(lower, ".cdxj.gz")
		if !gz && !strings.HasSuffix(lower, ".cdxj") && !strings.HasSuffix(lower, ".cdx") {
			continue // something else
		}
		found = true
		if !gz && e.Method == zip.Store && int64(e.UncompressedSize64) > whole {
			if off, err := e.DataOffset(); err == nil {
				sr := storage.NewSection(ra, off, int64(e.UncompressedSize64))
				f, err := cdxj.OpenFile(sr, sr.Size())
				if err != nil {
					closeAll(pk.srcs)
					return packageIndexes{}, fmt.Errorf("%s: %w", e.Name, err)
				}
				f.Name = storage.Redact(p) + warc.MemberSep + e.Name
				pk.srcs = append(pk.srcs, newPackageIndex(f, f.Name, name, held))
				continue
			}
		}
		rc, err := e.Open()
		if err != nil {
			closeAll(pk.srcs)
			return packageIndexes{}, fmt.Errorf("%s: %w", e.Name, err)
		}
		var r io.Reader = rc
		if gz {
			// gzip members of sorted lines (a ZipNum part without its
			// secondary index, or one compressed in the zip), read end
			// to end.
			zr, err := gzip.NewReader(rc)
			if err != nil {
				rc.Close()
				closeAll(pk.srcs)
				return packageIndexes{}, fmt.Errorf("%s: %w", e.Name, err)
			}
			r = zr
		}
		pk.caps, err = appendIndexLines(ctx, pk.caps, r, e.Name, name, secs)
		rc.Close()
		if err != nil {
			closeAll(pk.srcs)
			return packageIndexes{}, err
		}
	}
	if !found {
		return packageIndexes{}, errNoEmbeddedIndex
	}
	budget := int64(maxPagesBytes)
	if len(pk.srcs) > 0 {
		budget = maxPagesInPlace
		if whole < maxWholeIndex {
			budget = maxPagesRemote // remote: no more than the first request's worth
		}
	}
	titles := pageTitles(zr, budget)
	for i := range pk.caps {
		if pk.caps[i].Title == "" && pk.caps[i].Status == "200" {
			pk.caps[i].Title = titles[pk.caps[i].URL]
		}
	}
	var shared *sharedCloser
	if c, ok := ra.(io.Closer); ok && len(pk.srcs) > 0 {
		shared = &sharedCloser{c: c, n: len(pk.srcs)}
	}
	for _, s := range pk.srcs {
		s.titles = titles
		s.closer = shared
	}
	return pk, nil
}

// sharedCloser closes the package once nobody uses it: each
// PackageIndex over it holds a reference until closed, and each lookup
// in progress holds one while it reads (a WACZ re-indexed while replay
// serves it has its old indexes closed under lookups still reading them).
type sharedCloser struct {
	mu sync.Mutex
	n  int
	c  io.Closer
}

// acquire takes one more reference; the caller already holds one.
func (s *sharedCloser) acquire() {
	s.mu.Lock()
	s.n++
	s.mu.Unlock()
}

// Close drops one reference, and closes the package with the last.
func (s *sharedCloser) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.n--; s.n == 0 {
		return s.c.Close()
	}
	return nil
}

func closeAll(srcs []*PackageIndex) {
	for _, s := range srcs {
		s.Close()
	}
}

// openPackageZipNum opens a ZipNum index inside a package for searching in
// place, and names the members its blocks are in. It returns nil when
// that cannot be done (the secondary index or a part compressed in the
// zip): the parts are then read whole.
func openPackageZipNum(ctx context.Context, ra io.ReaderAt, zr *zip.Reader, byName map[string]*zip.File, idx *zip.File,
	p, name string, held map[string]bool) (*PackageIndex, []string, error) {
	var idxRA io.ReaderAt
	var idxSize int64
	if off, err := idx.DataOffset(); err == nil && idx.Method == zip.Store {
		idxRA, idxSize = storage.NewSection(ra, off, int64(idx.UncompressedSize64)), int64(idx.UncompressedSize64)
	} else {
		// A compressed secondary index is small: read whole, bounded.
		rc, err := idx.Open()
		if err != nil {
			return nil, nil, err
		}
		b, err := io.ReadAll(io.LimitReader(rc, maxPackageIdx+1))
		rc.Close()
		if err != nil {
			return nil, nil, err
		}
		if len(b) > maxPackageIdx {
			return nil, nil, fmt.Errorf("secondary index inflates to more than %d bytes", maxPackageIdx)
		}
		idxRA, idxSize = bytes.NewReader(b), int64(len(b))
	}
	dir := path.Dir(idx.Name) + "/"
	// The parts: every gzip index member beside the .idx (pywb names
	// them in a .loc file, WACZ in the !meta line or each line; either
	// way they are members of the same folder).
	var parts []string
	for n, e := range byName {
		l := strings.ToLower(n)
		if path.Dir(n)+"/" != dir || !(strings.HasSuffix(l, ".cdx.gz") || strings.HasSuffix(l, ".cdxj.gz") || strings.HasSuffix(l, ".gz")) {
			continue
		}
		if e.Method != zip.Store {
			return nil, nil, nil
		}
		parts = append(parts, n)
	}
	// Where each part's data starts, read now (a local header each): the
	// zip reader reads it with the package's own context, which a lookup
	// could not cancel.
	dataAt := make(map[string]int64, len(parts))
	for _, n := range parts {
		off, err := byName[n].DataOffset()
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", n, err)
		}
		dataAt[n] = off
	}
	sort.Strings(parts)
	shown := storage.Redact(p) + warc.MemberSep + idx.Name
	open := func(_ context.Context, part string) (io.ReaderAt, error) {
		if part == "" || strings.ContainsAny(part, "/\\") || part == ".." {
			return nil, fmt.Errorf("part %q is not a member beside %s in the package", part, idx.Name)
		}
		member := dir + part
		e, ok := byName[member]
		if !ok {
			member = dir + part + ".cdx.gz"
			e, ok = byName[member]
		}
		if !ok {
			return nil, fmt.Errorf("part %q is not a member beside %s in the package", part, idx.Name)
		}
		off, ok := dataAt[member]
		if !ok || e.Method != zip.Store {
			return nil, fmt.Errorf("part %q is not stored uncompressed in the package", part)
		}
		return storage.NewSection(ra, off, int64(e.UncompressedSize64)), nil
	}
	z, err := cdxj.OpenZipNum(idxRA, idxSize, shown, open)
	if err != nil {
		return nil, nil, err
	}
	return newPackageIndex(z, shown, name, held), parts, nil
}

// PackageIndex is a Source over a WACZ's own index searched in place: a
// ZipNum index whose blocks are read one at a time, or a sorted CDXJ
// member bisected, by ReadAt on the package (for a remote package, Range
// requests through the Store's block cache), so memory stays flat
// whatever the size of the package. Captures are named
// "<package>#archive/<warc>" as for the package's other captures, and get
// their titles from its pages lists. A line naming a WARC the package
// does not hold is yielded as an error naming the index and the line's
// URL, and the lookup goes on. Lookups go by the keys the index holds, as
// pywb and ReplayWeb.page search it.
type PackageIndex struct {
	shown  string // "<package>#indexes/…", redacted
	pkg    string // the package's name as captures name it
	idx    lineLookup
	held   map[string]bool
	titles map[string]string

	mu     sync.Mutex
	closed bool
	closer *sharedCloser // nil when the package needs no closing
}

var _ Source = (*PackageIndex)(nil)

// ErrIndexClosed is what a lookup in a PackageIndex closed before the
// lookup began yields (a package re-indexed since it was listed).
var ErrIndexClosed = errors.New("index: package index closed")

func newPackageIndex(idx lineLookup, shown, pkg string, held map[string]bool) *PackageIndex {
	return &PackageIndex{shown: shown, pkg: pkg, idx: idx, held: held}
}

// Name is the index member, "<package>#indexes/…" (redacted).
func (x *PackageIndex) Name() string { return x.shown }

// Close releases the package, at once or, when lookups are still reading
// it, when the last of them ends.
func (x *PackageIndex) Close() error {
	x.mu.Lock()
	c := x.closer
	x.closer, x.closed = nil, true
	x.mu.Unlock()
	if c == nil {
		return nil
	}
	return c.Close()
}

// hold keeps the package open until release is called; ok is false when
// the index is already closed.
func (x *PackageIndex) hold() (release func(), ok bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed {
		return nil, false
	}
	c := x.closer
	if c == nil {
		return func() {}, true
	}
	c.acquire()
	return func() { c.Close() }, true
}

// Lookup yields the captures matching q, as sortedLookup does. The
// package stays open while the lookup runs, even if the index is closed
// meanwhile.
func (x *PackageIndex) Lookup(ctx context.Context, q Query) iter.Seq2[Capture, error] {
	return func(yield func(Capture, error) bool) {
		release, ok := x.hold()
		if !ok {
			yield(Capture{}, fmt.Errorf("%w: %s", ErrIndexClosed, x.shown))
			return
		}
		defer release()
		x.lookup(ctx, q, yield)
	}
}

func (x *PackageIndex) lookup(ctx context.Context, q Query, yield func(Capture, error) bool) {
	x.captures(sortedLookup(ctx, q, x.idx), yield)
}

// rawScanner is what cdxj.File and cdxj.ZipNum offer besides lookups: a
// scan of every line that skips, unparsed, those keep refuses.
type rawScanner interface {
	Scan(ctx context.Context, keep func(line []byte) bool) iter.Seq2[cdxj.Line, error]
}

// captures names the captures of the package's index lines as the
// package holds them, and gives them their titles.
func (x *PackageIndex) captures(caps iter.Seq2[Capture, error], yield func(Capture, error) bool) {
	for c, err := range caps {
		if err != nil {
			if !yield(Capture{}, err) {
				return
			}
			continue
		}
		file := x.pkg + warc.MemberSep + "archive/" + strings.TrimPrefix(c.Filename, "archive/")
		if !x.held[file] {
			if !yield(Capture{}, fmt.Errorf("index: %s: line for %s names %q, which the package does not hold as a stored WARC", x.shown, c.URL, c.Filename)) {
				return
			}
			continue
		}
		c.Filename = file
		if c.Title == "" && c.Status == "200" {
			c.Title = x.titles[c.URL]
		}
		if !yield(c, nil) {
			return
		}
	}
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

	maxPagesInPlace = 4 << 20
	maxPagesRemote  = warc.PackageTail
)

// pageTitles reads the titles of the package's pages lists (WACZ
// pages.jsonl: a header line, then one JSON object per page with url and
// title), streamed line by line within the bounds above, at most budget
// bytes: maxPagesBytes, or for a package whose index is searched in place
// (its titles are held while it is served) maxPagesInPlace, and
// maxPagesRemote for a remote one (what its first request fetches).
func pageTitles(zr *zip.Reader, budget int64) map[string]string {
	titles := map[string]string{}
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
	return titles
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
