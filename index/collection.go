package index

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/storage"
	"github.com/warcbox/warcbox/warc"
)

// Collection is one named set of archives and the indexes over them, as
// replay serves it: a pywb-layout collection (collections/<name>/archive,
// with its indexes/), or loose WARC and WACZ files and folders. It is a
// Source over every index it has (or over a remote CDX server), and it
// knows where each capture's file is (Locate). Files without an up-to-date
// index are indexed when the collection is opened and by Rescan.
type Collection struct {
	// Name is the collection's name, as in /<name>/<timestamp>/<url>.
	Name string
	log  *slog.Logger
	// changed is called with a file indexed again (it grew).
	changed func(path string)
	// indexed is CollectionOptions.Indexed.
	indexed func(ctx context.Context, c *Collection, caps func(context.Context) iter.Seq[Capture], size int64, mtime time.Time)

	// archiveDir is collections/<name>/archive for pywb-layout collections
	// ("" for loose files); indexDir is where new indexes are written
	// ("" when they stay in memory).
	archiveDir, indexDir string
	// roots are the folders and files watched for loose collections.
	roots []string
	// store reaches remote files; remoteDir: archiveDir is a remote folder
	// (s3://…/archive/), not watched; scannedRemote marks remote roots
	// already listed (remote roots are listed once).
	store         *storage.Store
	remoteDir     bool
	scannedRemote map[string]bool
	remoteIdx     map[string]remoteIndex // index files of a remote layout

	mem     *Memory
	remote  Source
	sources []Source // CDXJ indexes read from disk, mem last; c.mu

	mu    sync.Mutex
	files map[string]string  // index Filename → path on disk (loose files)
	secs  map[string]section // index Filename → WARC inside a WACZ
	// pkgIdx: a WACZ's own indexes searched in place, by package path
	pkgIdx map[string][]*PackageIndex
	seen   map[string]fileStamp // path → what was indexed
	// digests remembers ByDigest's scans of pkgIdx, for the pkgGen'th
	// set of them (counted up when a package is indexed again).
	digests map[string]digestAnswer
	pkgGen  int
	// filters are ByDigest's digest side indexes, by index file; all of
	// them share filterRoom (maxFilterTotal fingerprints).
	filters    map[Source]*digestFilter
	filterRoom *filterBudget
}

var _ Source = (*Collection)(nil)

type fileStamp struct {
	size  int64
	mtime time.Time
}

// IndexDir is the folder the collection's index files are written to, ""
// for loose files (indexes kept in memory).
func (c *Collection) IndexDir() string { return c.indexDir }

// Lookup asks the remote CDX server if the collection has one, else every
// local index merged. The indexes are those of the collection when the
// lookup begins; a package re-indexed meanwhile keeps its old indexes
// open until the lookup ends.
func (c *Collection) Lookup(ctx context.Context, q Query) iter.Seq2[Capture, error] {
	if c.remote != nil {
		return c.remote.Lookup(ctx, q)
	}
	return func(yield func(Capture, error) bool) {
		src, release := c.holdSources()
		defer release()
		for cp, err := range src.Lookup(ctx, q) {
			if !yield(cp, err) {
				return
			}
		}
	}
}

// holdSources is every local index merged, with the packages of those
// searched in place held open until release is called.
func (c *Collection) holdSources() (src Source, release func()) {
	srcs, release := c.heldSources()
	return NewMulti(srcs...), release
}

// heldSources are the collection's local indexes, with the packages of
// those searched in place held open until release is called.
func (c *Collection) heldSources() (srcs []Source, release func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var releases []func()
	srcs = make([]Source, 0, len(c.sources))
	for _, s := range c.sources {
		if x, ok := s.(*PackageIndex); ok {
			// Sources are replaced under c.mu before their indexes are
			// closed: one listed here is still open, and is read even if
			// it is closed before the lookup reaches it.
			if r, ok := x.hold(); ok {
				releases = append(releases, r)
				s = heldPackage{x}
			}
		}
		srcs = append(srcs, s)
	}
	return srcs, func() {
		for _, r := range releases {
			r()
		}
	}
}

// Len is the number of captures indexed in memory (files indexed when the
// collection was opened or since, not those of index files on disk).
func (c *Collection) Len() int { return c.mem.Len() }

// Indexed yields the captures indexed in memory, in key order.
func (c *Collection) Indexed() iter.Seq[Capture] { return c.mem.All() }

// IndexFiles are the index files searched in place: those of the
// collection's indexes folder, sorted CDXJ or CDX (*CDXJFile) and ZipNum
// (*ZipNumFile), and WACZ packages' own (*PackageIndex).
func (c *Collection) IndexFiles() []Source {
	var out []Source
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.sources {
		switch s.(type) {
		case *CDXJFile, *ZipNumFile, *PackageIndex:
			out = append(out, s)
		}
	}
	return out
}

// Captures yields every capture of the collection's local indexes, index
// by index: those in memory, then each index file streamed (a package's
// own index block by block), so listing a collection holds one block,
// not its whole index. A capture in two indexes (a file indexed again)
// may come twice; a block that cannot be read is yielded as an error and
// the listing goes on. A collection answered by a CDX server yields
// nothing: its captures cannot be listed.
func (c *Collection) Captures(ctx context.Context) iter.Seq2[Capture, error] {
	return func(yield func(Capture, error) bool) {
		if c.remote != nil {
			return
		}
		for cp := range c.mem.All() {
			if !yield(cp, nil) {
				return
			}
		}
		srcs, release := c.heldSources()
		defer release()
		for _, src := range srcs {
			if src == Source(c.mem) {
				continue
			}
			for cp, err := range src.Lookup(ctx, Query{MatchType: cdxj.MatchPrefix}) {
				if !yield(cp, err) {
					return
				}
			}
		}
	}
}

// heldPackage is a PackageIndex whose package the lookup holds open.
type heldPackage struct{ x *PackageIndex }

func (h heldPackage) Lookup(ctx context.Context, q Query) iter.Seq2[Capture, error] {
	return func(yield func(Capture, error) bool) { h.x.lookup(ctx, q, yield) }
}

// ByDigest returns a non-revisit capture with payload digest d, if any:
// the last resort for resolving a revisit that names no original. The
// captures in memory are looked up in a map; then the indexes of
// packages searched in place, and the collection's index files on disk
// (a pywb collection's indexes/, warcbox's per-WARC indexes from an
// earlier start-up: searched, never loaded into memory), are scanned,
// streamed block by block, parsing only the lines that hold the digest;
// the scan is bounded by ctx. The first scan that reads an index file
// whole also builds its digest filter (digestFilter: 4 bytes a capture,
// at most 256 MiB for all of a collection's index files; past that an
// index is scanned), after which a digest the file lacks costs a binary
// search, not a scan.
// An answer found by a scan, or the absence of one, is remembered (a few
// thousand digests) until a package is indexed again (index files are
// opened with the collection only).
//
// A line or block a scan cannot read is reported in err (each error names
// the index file and offset, at most maxDigestErrors of them) and the
// scan goes on with the rest: the answer is what the readable parts gave.
// An absence found despite such errors is not remembered, so the next
// call tries (and reports) again.
func (c *Collection) ByDigest(ctx context.Context, d string) (cp Capture, ok bool, err error) {
	if cp, ok := c.mem.ByDigest(d); ok || d == "" {
		return cp, ok, nil
	}
	c.mu.Lock()
	r, known := c.digests[d]
	gen := c.pkgGen
	c.mu.Unlock()
	if known {
		return r.cp, r.ok, nil
	}
	srcs, release := c.heldSources()
	defer release()
	// Only lines holding the digest's bytes are parsed (an index may
	// write it with its "sha1:" label or without).
	want := d
	if _, v, ok := strings.Cut(d, ":"); ok {
		want = v
	}
	var found digestAnswer
	var errs []error
	dropped := 0
	for _, s := range srcs {
		if _, ok := s.(*Memory); ok {
			continue
		}
		f := c.digestFilter(s)
		skip, b := f.begin(d)
		if skip {
			continue
		}
		for cp, err := range digestScan(ctx, s, want, b) {
			if err != nil {
				if ctx.Err() != nil {
					if b != nil {
						f.abort(b)
					}
					return Capture{}, false, ctx.Err() // not remembered: the scan did not end
				}
				if len(errs) < maxDigestErrors {
					errs = append(errs, fmt.Errorf("by digest %s: %w", d, err))
				} else {
					dropped++
				}
				continue
			}
			if !found.ok && cp.Digest == d && !cp.IsRevisit() {
				found = digestAnswer{cp, true}
				if b == nil {
					break
				}
				// Building: read on to the end, for the filter.
			}
		}
		if b != nil {
			if b.failed || ctx.Err() != nil {
				f.abort(b)
			} else {
				f.finish(b)
			}
		}
		if found.ok {
			break
		}
	}
	if dropped > 0 {
		errs = append(errs, fmt.Errorf("by digest %s: %d more errors", d, dropped))
	}
	c.mu.Lock()
	if c.pkgGen == gen && (found.ok || len(errs) == 0) {
		if c.digests == nil || len(c.digests) >= maxDigestAnswers {
			c.digests = map[string]digestAnswer{}
		}
		c.digests[d] = found
	}
	c.mu.Unlock()
	return found.cp, found.ok, errors.Join(errs...)
}

// digestFilter returns the digest filter of index s (a package held for
// a lookup stands for its PackageIndex), made empty the first time;
// filters of indexes the collection no longer has are dropped.
func (c *Collection) digestFilter(s Source) *digestFilter {
	if h, ok := s.(heldPackage); ok {
		s = h.x
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if f, ok := c.filters[s]; ok {
		return f
	}
	if c.filters == nil {
		c.filters = map[Source]*digestFilter{}
		c.filterRoom = &filterBudget{free: maxFilterTotal}
	}
	if len(c.filters) >= len(c.sources) {
		for k, f := range c.filters {
			if !slices.Contains(c.sources, k) {
				f.drop()
				delete(c.filters, k)
			}
		}
	}
	f := &digestFilter{budget: c.filterRoom}
	c.filters[s] = f
	return f
}

// digestAnswer is what a scan of the indexes found for a digest.
type digestAnswer struct {
	cp Capture
	ok bool
}

// maxDigestAnswers bounds the digests whose scans are remembered.
const maxDigestAnswers = 4096

// maxDigestErrors bounds the errors one ByDigest reports; the rest are
// counted.
const maxDigestErrors = 10

// Location is where the records of a capture's Filename are: a file on
// disk, or, for a WARC stored in a WACZ, the byte range of the package
// that holds it (record offsets count from Offset).
type Location struct {
	Path   string
	Member bool // a WARC inside a package: Offset and Size are its range
	Offset int64
	Size   int64
}

// Locate maps a capture's Filename to where its records are, confined to
// the collection: a WARC inside one of its WACZ packages, a path in its
// archive folder (with .. and absolute names kept inside), or one of the
// loose files it was opened with.
func (c *Collection) Locate(name string) (Location, error) {
	c.mu.Lock()
	sec, ok := c.secs[name]
	c.mu.Unlock()
	if ok {
		return Location{Path: sec.path, Member: true, Offset: sec.off, Size: sec.size}, nil
	}
	p, err := c.resolve(name)
	if err != nil {
		return Location{}, err
	}
	return Location{Path: p}, nil
}

// resolve maps a capture's Filename to a path that is inside the
// collection: a path in archiveDir (with .. and absolute names confined
// to it) or one of the loose files given on the command line.
func (c *Collection) resolve(name string) (string, error) {
	c.mu.Lock()
	p, ok := c.files[name]
	if !ok {
		p, ok = c.files[filepath.Base(name)]
	}
	c.mu.Unlock()
	if ok {
		return p, nil
	}
	if c.archiveDir == "" {
		return "", fmt.Errorf("replay: %s: not a file of collection %s", name, c.Name)
	}
	if c.remoteDir {
		return resolveRemote(c.archiveDir, name), nil
	}
	clean := filepath.Clean("/" + filepath.ToSlash(name))
	p = filepath.Join(c.archiveDir, clean)
	if rel, err := filepath.Rel(c.archiveDir, p); err != nil || strings.HasPrefix(rel, "..") {
		return "", fmt.Errorf("replay: %s: outside the collection", name)
	}
	return p, nil
}

// collNameRE is what a collection name may look like: it cannot be "_",
// ".." or contain a slash, so names never escape the collections folder
// and never clash with /_/ (the replay server's own files).
var collNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$`)

// ValidCollectionName reports whether name can name a collection.
func ValidCollectionName(name string) bool { return collNameRE.MatchString(name) }

// CollectionOptions tune OpenCollections.
type CollectionOptions struct {
	// Paths are pywb collections folders (collections/<name>/archive,
	// collections/<name>/indexes) or WARC/WACZ files and folders of them,
	// which then form one collection named Name.
	Paths []string
	// Name is the collection formed by loose files.
	Name string
	// CDXServer, if set, is the URL of a pywb/OutbackCDX-compatible CDX
	// server answering lookups for collection Name instead of local indexes.
	CDXServer string
	// Logger receives files skipped or indexed; if nil, discarded.
	Logger *slog.Logger
	// Changed, if set, is called with the path of a file indexed again
	// because it grew: whoever holds it open should reopen it.
	Changed func(path string)
	// Store reaches http(s):// and s3:// paths (remote WACZ packages, pywb
	// collections in a bucket); if nil, one with default options.
	Store *storage.Store
	// Indexed, if set, is called after a file was indexed, with its
	// captures and the size and modification time it had (replay builds
	// the collection's full-text search index from it). The captures of
	// a package searched in place are read from its index as caps(ctx) is
	// iterated (block by block, possibly later, under that ctx: never
	// iterated, nothing is read).
	Indexed func(ctx context.Context, c *Collection, caps func(context.Context) iter.Seq[Capture], size int64, mtime time.Time)
}

// OpenCollections finds the collections opt.Paths name, opens their index
// files and indexes the archives no index covers yet: a pywb-layout
// collection gets indexes/<warc>.cdxj written beside its other indexes
// (kept in memory if the folder is read-only); loose files are indexed in
// memory.
func OpenCollections(ctx context.Context, opt CollectionOptions) (map[string]*Collection, error) {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Store == nil {
		opt.Store = storage.New(storage.Options{Logger: opt.Logger})
	}
	o := &opener{opt: opt, colls: map[string]*Collection{}}
	if err := o.load(ctx); err != nil {
		return nil, err
	}
	return o.colls, nil
}

type opener struct {
	opt   CollectionOptions
	colls map[string]*Collection
}

func (o *opener) newCollection(name string) *Collection {
	return &Collection{Name: name, log: o.opt.Logger, changed: o.opt.Changed, indexed: o.opt.Indexed, mem: NewMemory(nil),
		files: map[string]string{}, seen: map[string]fileStamp{}, store: o.opt.Store}
}

func (o *opener) load(ctx context.Context) error {
	var loose []string
	for _, p := range o.opt.Paths {
		if storage.IsRemote(p) {
			isLoose, err := o.loadRemote(ctx, p)
			if err != nil {
				return err
			}
			if isLoose {
				loose = append(loose, p)
			}
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("replay: %w", err)
		}
		if !st.IsDir() {
			loose = append(loose, p)
			continue
		}
		if dir, ok := collectionsFolder(p); ok {
			if err := o.loadPywbLayout(ctx, dir); err != nil {
				return err
			}
			continue
		}
		loose = append(loose, p)
	}
	if len(loose) == 0 && o.opt.CDXServer == "" {
		if len(o.colls) == 0 {
			return fmt.Errorf("replay: no collections or WARC files in %s", strings.Join(o.opt.Paths, ", "))
		}
		return nil
	}
	c := o.newCollection(o.opt.Name)
	c.roots = loose
	c.sources = []Source{c.mem}
	if o.opt.CDXServer != "" {
		r, err := NewRemote(o.opt.CDXServer, nil)
		if err != nil {
			return fmt.Errorf("replay: --cdx-server: %w", err)
		}
		c.remote = r
	}
	if existing, ok := o.colls[c.Name]; ok {
		// A pywb collection of the same name: loose files join it.
		existing.roots = append(existing.roots, loose...)
		existing.remote = c.remote
		c = existing
	} else {
		o.colls[c.Name] = c
	}
	return c.scanLoose(ctx)
}

// collectionsFolder reports whether p is (or contains) a pywb collections
// folder: subfolders holding archive/.
func collectionsFolder(p string) (string, bool) {
	if st, err := os.Stat(filepath.Join(p, "collections")); err == nil && st.IsDir() {
		return filepath.Join(p, "collections"), true
	}
	ents, err := os.ReadDir(p)
	if err != nil {
		return "", false
	}
	for _, e := range ents {
		if e.IsDir() {
			if st, err := os.Stat(filepath.Join(p, e.Name(), "archive")); err == nil && st.IsDir() {
				return p, true
			}
		}
	}
	return "", false
}

func (o *opener) loadPywbLayout(ctx context.Context, dir string) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	for _, e := range ents {
		if !e.IsDir() || !collNameRE.MatchString(e.Name()) {
			continue
		}
		base := filepath.Join(dir, e.Name())
		c := o.newCollection(e.Name())
		c.archiveDir = filepath.Join(base, "archive")
		c.indexDir = filepath.Join(base, "indexes")
		if err := c.loadIndexes(); err != nil {
			return err
		}
		c.sources = append(c.sources, c.mem)
		o.colls[c.Name] = c
		if err := c.scanArchive(ctx); err != nil {
			return err
		}
	}
	return nil
}

// loadIndexes opens every CDXJ file in the collection's indexes folder.
func (c *Collection) loadIndexes() error {
	ents, err := os.ReadDir(c.indexDir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	for _, e := range ents {
		n := e.Name()
		if !e.IsDir() && IsZipNumIndex(n) {
			z, err := OpenZipNum(context.Background(), c.store, filepath.Join(c.indexDir, n), nil)
			if err != nil {
				c.log.Warn("replay: index not usable, skipped", "file", filepath.Join(c.indexDir, n), "err", err)
				continue
			}
			c.sources = append(c.sources, z)
			continue
		}
		if e.IsDir() || !(strings.HasSuffix(n, ".cdxj") || strings.HasSuffix(n, ".cdx")) {
			continue
		}
		if warcName := strings.TrimSuffix(n, ".cdxj"); warc.IsArchiveFile(warcName) {
			// our own index of one WARC: stale if the WARC changed since,
			// and then the WARC is indexed again instead
			wi, werr := os.Stat(filepath.Join(c.archiveDir, warcName))
			ii, ierr := e.Info()
			if werr == nil && ierr == nil && wi.ModTime().After(ii.ModTime()) {
				continue
			}
		}
		src, err := OpenCDXJ(filepath.Join(c.indexDir, n))
		if err != nil {
			c.log.Warn("replay: index not usable, skipped", "file", filepath.Join(c.indexDir, n), "err", err)
			continue
		}
		c.sources = append(c.sources, src)
	}
	return nil
}

// newestIndex returns the newest modification time of the collection's
// index files other than warcbox's own per-WARC ones: at start-up, WARCs older than that are taken as indexed
// (pywb's wb-manager writes one index.cdxj for the whole collection).
func newestIndex(dir string) time.Time {
	var newest time.Time
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		n := e.Name()
		if strings.HasPrefix(n, ".") || warc.IsArchiveFile(strings.TrimSuffix(n, ".cdxj")) {
			continue // temporary files and our own per-WARC indexes
		}
		if strings.HasSuffix(n, ".cdxj") || strings.HasSuffix(n, ".cdx") || IsZipNumIndex(n) {
			if fi, err := e.Info(); err == nil && fi.ModTime().After(newest) {
				newest = fi.ModTime()
			}
		}
	}
	return newest
}

// scanArchive indexes the WARCs of a pywb-layout collection that no index
// covers yet, writing indexes/<warc>.cdxj next to the others (kept in
// memory if the folder is read-only).
func (c *Collection) scanArchive(ctx context.Context) error {
	var jobs []indexJob
	ents, err := os.ReadDir(c.archiveDir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	c.mu.Lock()
	startup := len(c.seen) == 0
	c.mu.Unlock()
	newest := time.Time{}
	if startup {
		newest = newestIndex(c.indexDir)
	}
	for _, e := range ents {
		if e.IsDir() || !(warc.IsArchiveFile(e.Name()) || strings.HasSuffix(strings.ToLower(e.Name()), ".wacz")) {
			continue
		}
		p := filepath.Join(c.archiveDir, e.Name())
		fi, err := e.Info()
		if err != nil {
			continue
		}
		stamp := fileStamp{fi.Size(), fi.ModTime()}
		c.mu.Lock()
		old, known := c.seen[p]
		c.mu.Unlock()
		if known && old == stamp {
			continue
		}
		isWACZ := strings.HasSuffix(strings.ToLower(e.Name()), ".wacz")
		covered := !isWACZ && !newest.IsZero() && !fi.ModTime().After(newest)
		if sc, err := os.Stat(filepath.Join(c.indexDir, e.Name()+".cdxj")); err == nil && !isWACZ && !sc.ModTime().Before(fi.ModTime()) {
			covered = true // our own index of this file, written after it
		}
		if !known && covered {
			c.mu.Lock()
			c.seen[p] = stamp // covered by an existing index
			c.mu.Unlock()
			continue
		}
		jobs = append(jobs, indexJob{p, e.Name(), stamp})
	}
	return c.indexAll(ctx, jobs)
}

// scanLoose indexes loose WARC files and folders into memory.
func (c *Collection) scanLoose(ctx context.Context) error {
	var jobs []indexJob
	for _, root := range c.roots {
		if storage.IsRemote(root) {
			j, err := c.scanRemoteRoot(ctx, root, false)
			if err != nil {
				return err
			}
			jobs = append(jobs, j...)
			continue
		}
		err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || !(warc.IsArchiveFile(p) || strings.HasSuffix(strings.ToLower(p), ".wacz")) {
				return nil
			}
			fi, err := d.Info()
			if err != nil {
				return nil
			}
			stamp := fileStamp{fi.Size(), fi.ModTime()}
			c.mu.Lock()
			old, known := c.seen[p]
			c.mu.Unlock()
			if known && old == stamp {
				return nil
			}
			if c.remote != nil && !strings.HasSuffix(strings.ToLower(p), ".wacz") {
				// The CDX server has the index: only learn where the file is.
				name := uniqueName(c, p)
				c.mu.Lock()
				c.files[name], c.seen[p] = p, stamp
				c.mu.Unlock()
				return nil
			}
			name := uniqueName(c, p)
			c.mu.Lock()
			c.files[name] = p // reserve the name before the next file picks one
			c.mu.Unlock()
			jobs = append(jobs, indexJob{p, name, stamp})
			return nil
		})
		if err != nil {
			return fmt.Errorf("replay: %w", err)
		}
	}
	return c.indexAll(ctx, jobs)
}

// indexJob is one file to index under a name.
type indexJob struct {
	path, name string
	stamp      fileStamp
}

// indexAll indexes files on every core and adds the new files' captures
// to the in-memory index in one merge (file by file would copy the whole
// index once per file).
func (c *Collection) indexAll(ctx context.Context, jobs []indexJob) error {
	if len(jobs) == 0 {
		return nil
	}
	start := time.Now()
	batches := make([][]Capture, len(jobs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, j := range jobs {
		g.Go(func() error { return c.indexFile(gctx, j.path, j.name, j.stamp, &batches[i]) })
	}
	err := g.Wait()
	n := 0
	for _, b := range batches {
		n += len(b)
	}
	all := make([]Capture, 0, n)
	for i, b := range batches {
		all = append(all, b...)
		batches[i] = nil
	}
	c.mem.Add(all)
	// One line for the lot (each file is logged at debug level): 5,000
	// small WARCs made 5,000 lines at start-up.
	c.log.Info("replay: indexed", "collection", c.Name, "files", len(jobs), "captures", n, "took", time.Since(start).Round(time.Millisecond))
	return err
}

// uniqueName picks the Filename a loose file is indexed under: its base
// name, or its path when two files share a base name.
func uniqueName(c *Collection, p string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	// A file is named by its base name or, on a clash, its path: two
	// lookups, not a walk over every file (5,000 files made that 12.5M
	// comparisons at start-up).
	name := filepath.Base(p)
	if c.files[name] == p {
		return name
	}
	if c.files[p] == p {
		return p
	}
	if _, clash := c.files[name]; clash {
		name = p
	}
	return name
}

// indexFile indexes one file. New files' captures are appended to batch
// (when not nil) for the caller to add in one go: adding file by file
// would copy the whole in-memory index once per file.
func (c *Collection) indexFile(ctx context.Context, p, name string, stamp fileStamp, batch *[]Capture) error {
	start := time.Now()
	c.mu.Lock()
	prev, seen := c.seen[p]
	c.mu.Unlock()
	if seen && prev != stamp && storage.IsRemote(p) {
		// Rewritten in place: blocks cached from the old version (a
		// WACZ's zip directory and index) must not be read as the new.
		c.store.Forget(p, true)
	}
	var caps []Capture
	var err error
	var secs map[string]section
	var pkgSrcs []*PackageIndex
	if strings.HasSuffix(strings.ToLower(p), ".wacz") {
		var pk packageIndexes
		pk, err = indexWACZIn(ctx, c.store, p, name, c.log)
		caps, secs, pkgSrcs = pk.caps, pk.secs, pk.srcs
	} else {
		caps, err = ReadCaptures(ctx, p, Options{Filename: name, Logger: c.log, Store: c.store})
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		c.log.Warn("replay: cannot index, skipped", "file", storage.Redact(p), "err", err)
		return nil
	}
	if c.indexDir != "" && len(secs) == 0 { // WACZ entries are re-read at start-up: cheap, and their sections must be known
		if err := writeSidecar(c.indexDir, name, caps); err != nil {
			c.log.Debug("replay: index kept in memory only", "dir", c.indexDir, "err", err)
		}
	}
	c.mu.Lock()
	if c.archiveDir == "" {
		c.files[name] = p
	}
	for n, sec := range secs {
		if c.secs == nil {
			c.secs = map[string]section{}
		}
		c.secs[n] = sec
	}
	_, known := c.seen[p]
	c.seen[p] = stamp
	old := c.setPackageSources(p, pkgSrcs)
	c.mu.Unlock()
	closeAll(old)
	if len(pkgSrcs) > 0 {
		c.log.Debug("replay: the WACZ's own index is searched in place (not in full-text search)", "file", storage.Redact(p))
	}
	if batch != nil && !known {
		*batch = append(*batch, caps...)
	} else if len(secs) > 0 {
		for n := range secs {
			var part []Capture
			for _, cp := range caps {
				if cp.Filename == n {
					part = append(part, cp)
				}
			}
			c.mem.ReplaceFile(n, part)
		}
	} else {
		c.mem.ReplaceFile(name, caps)
	}
	if c.changed != nil {
		c.changed(p) // the file may have grown: reopen on next read
	}
	if c.indexed != nil {
		c.indexed(ctx, c, indexedCaptures(caps, pkgSrcs), stamp.size, stamp.mtime)
	}
	c.log.Debug("replay: indexed", "collection", c.Name, "file", storage.Redact(p), "captures", len(caps), "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// indexedCaptures yields caps, then the captures of the package indexes
// srcs, streamed under the ctx it is given (a block that cannot be read,
// or an index closed since, is skipped: search is not the record of the
// collection).
func indexedCaptures(caps []Capture, srcs []*PackageIndex) func(context.Context) iter.Seq[Capture] {
	return func(ctx context.Context) iter.Seq[Capture] {
		return func(yield func(Capture) bool) {
			for _, cp := range caps {
				if !yield(cp) {
					return
				}
			}
			for _, s := range srcs {
				for cp, err := range s.Lookup(ctx, Query{MatchType: cdxj.MatchPrefix}) {
					if err == nil && !yield(cp) {
						return
					}
				}
			}
		}
	}
}

// setPackageSources puts the in-place indexes of package p among the
// collection's sources, before the in-memory index, in place of those
// it had (returned, to be closed). c.mu is held.
func (c *Collection) setPackageSources(p string, srcs []*PackageIndex) []*PackageIndex {
	old := c.pkgIdx[p]
	if len(old) == 0 && len(srcs) == 0 {
		return nil
	}
	drop := map[Source]bool{}
	for _, s := range old {
		drop[s] = true
	}
	keep := make([]Source, 0, len(c.sources)+len(srcs))
	for _, s := range c.sources {
		if !drop[s] && s != c.mem {
			keep = append(keep, s)
		}
	}
	for _, s := range srcs {
		keep = append(keep, s)
	}
	c.sources = append(keep, c.mem)
	c.digests = nil
	c.pkgGen++
	if c.pkgIdx == nil {
		c.pkgIdx = map[string][]*PackageIndex{}
	}
	c.pkgIdx[p] = srcs
	return old
}

// writeSidecar writes indexes/<name>.cdxj so the next start-up need not
// read the WARC again. It is written to a temporary file and renamed, so a
// crash never leaves half an index.
func writeSidecar(dir, name string, caps []Capture) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	sorted := append([]Capture(nil), caps...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].Key != sorted[j].Key {
			return sorted[i].Key < sorted[j].Key
		}
		return sorted[i].Timestamp < sorted[j].Timestamp
	})
	tmp, err := os.CreateTemp(dir, ".tmp-*.cdxj")
	if err != nil {
		return err
	}
	w := bufio.NewWriter(tmp)
	for _, c := range sorted {
		if err := WriteCDXJ(w, c); err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			return err
		}
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, filepath.Base(name)+".cdxj"))
}

// Rescan indexes the files that appeared or grew since the last scan.
func (c *Collection) Rescan(ctx context.Context) error {
	var err error
	if c.archiveDir != "" && !c.remoteDir {
		err = c.scanArchive(ctx)
	}
	if err == nil && len(c.roots) > 0 {
		err = c.scanLoose(ctx)
	}
	return err
}
