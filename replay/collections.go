package replay

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/warcbox/warcbox/index"
	"github.com/warcbox/warcbox/warc"
	"golang.org/x/sync/errgroup"
)

// collection is one named set of archives and the indexes over them.
type collection struct {
	name string
	// archiveDir is collections/<name>/archive for pywb-layout collections
	// ("" for loose files); indexDir is where new indexes are written
	// ("" when they stay in memory).
	archiveDir, indexDir string
	// roots are the folders and files watched for loose collections.
	roots []string

	mem     *index.Memory
	remote  index.Source
	sources []index.Source // CDXJ indexes read from disk, mem last

	mu    sync.Mutex
	files map[string]string    // index Filename → path on disk (loose files)
	secs  map[string]section   // index Filename → WARC inside a WACZ
	seen  map[string]fileStamp // path → what was indexed
	// titles remembers the <title>s read for the pages list, by
	// Filename and offset, for captures whose index holds none.
	titles map[string]string
}

type fileStamp struct {
	size  int64
	mtime time.Time
}

// source is what lookups go through: the remote CDX server if configured,
// else every local index merged.
func (c *collection) source() index.Source {
	if c.remote != nil {
		return c.remote
	}
	return index.NewMulti(c.sources...)
}

// resolve maps a capture's Filename to a path that is inside the
// collection: a path in archiveDir (with .. and absolute names confined
// to it) or one of the loose files given on the command line.
func (c *collection) resolve(name string) (string, error) {
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
		return "", fmt.Errorf("replay: %s: not a file of collection %s", name, c.name)
	}
	clean := filepath.Clean("/" + filepath.ToSlash(name))
	p = filepath.Join(c.archiveDir, clean)
	if rel, err := filepath.Rel(c.archiveDir, p); err != nil || strings.HasPrefix(rel, "..") {
		return "", fmt.Errorf("replay: %s: outside the collection", name)
	}
	return p, nil
}

// loadCollections turns cfg.Paths into collections.
func (s *Server) loadCollections(ctx context.Context) error {
	var loose []string
	for _, p := range s.cfg.Paths {
		st, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("replay: %w", err)
		}
		if !st.IsDir() {
			loose = append(loose, p)
			continue
		}
		if dir, ok := collectionsFolder(p); ok {
			if err := s.loadPywbLayout(ctx, dir); err != nil {
				return err
			}
			continue
		}
		loose = append(loose, p)
	}
	if len(loose) == 0 && s.cfg.CDXServer == "" {
		if len(s.colls) == 0 {
			return fmt.Errorf("replay: no collections or WARC files in %s", strings.Join(s.cfg.Paths, ", "))
		}
		return nil
	}
	c := &collection{name: s.cfg.Name, roots: loose, mem: index.NewMemory(nil),
		files: map[string]string{}, seen: map[string]fileStamp{}}
	c.sources = []index.Source{c.mem}
	if s.cfg.CDXServer != "" {
		r, err := index.NewRemote(s.cfg.CDXServer, nil)
		if err != nil {
			return fmt.Errorf("replay: --cdx-server: %w", err)
		}
		c.remote = r
	}
	if existing, ok := s.colls[c.name]; ok {
		// A pywb collection of the same name: loose files join it.
		existing.roots = append(existing.roots, loose...)
		existing.remote = c.remote
		c = existing
	} else {
		s.colls[c.name] = c
	}
	return s.scanLoose(ctx, c)
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

func (s *Server) loadPywbLayout(ctx context.Context, dir string) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	for _, e := range ents {
		if !e.IsDir() || !collNameRE.MatchString(e.Name()) {
			continue
		}
		base := filepath.Join(dir, e.Name())
		c := &collection{
			name:       e.Name(),
			archiveDir: filepath.Join(base, "archive"),
			indexDir:   filepath.Join(base, "indexes"),
			mem:        index.NewMemory(nil),
			files:      map[string]string{},
			seen:       map[string]fileStamp{},
		}
		if err := s.loadIndexes(c); err != nil {
			return err
		}
		c.sources = append(c.sources, c.mem)
		s.colls[c.name] = c
		if err := s.scanArchive(ctx, c); err != nil {
			return err
		}
	}
	return nil
}

// loadIndexes opens every CDXJ file in the collection's indexes folder.
func (s *Server) loadIndexes(c *collection) error {
	ents, err := os.ReadDir(c.indexDir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	for _, e := range ents {
		n := e.Name()
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
		src, err := index.OpenCDXJ(filepath.Join(c.indexDir, n))
		if err != nil {
			s.log.Warn("replay: index not usable, skipped", "file", filepath.Join(c.indexDir, n), "err", err)
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
		if strings.HasSuffix(n, ".cdxj") || strings.HasSuffix(n, ".cdx") {
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
func (s *Server) scanArchive(ctx context.Context, c *collection) error {
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
	return s.indexAll(ctx, c, jobs)
}

// scanLoose indexes loose WARC files and folders into memory.
func (s *Server) scanLoose(ctx context.Context, c *collection) error {
	var jobs []indexJob
	for _, root := range c.roots {
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
	return s.indexAll(ctx, c, jobs)
}

// indexJob is one file to index under a name.
type indexJob struct {
	path, name string
	stamp      fileStamp
}

// indexAll indexes files on every core and adds the new files' captures
// to the in-memory index in one merge (file by file would copy the whole
// index once per file).
func (s *Server) indexAll(ctx context.Context, c *collection, jobs []indexJob) error {
	if len(jobs) == 0 {
		return nil
	}
	batches := make([][]index.Capture, len(jobs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, j := range jobs {
		g.Go(func() error { return s.indexFile(gctx, c, j.path, j.name, j.stamp, &batches[i]) })
	}
	err := g.Wait()
	var all []index.Capture
	for _, b := range batches {
		all = append(all, b...)
	}
	c.mem.Add(all)
	return err
}

// uniqueName picks the Filename a loose file is indexed under: its base
// name, or its path when two files share a base name.
func uniqueName(c *collection, p string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	for name, q := range c.files {
		if q == p {
			return name
		}
	}
	name := filepath.Base(p)
	if _, clash := c.files[name]; clash {
		name = p
	}
	return name
}

// indexFile indexes one file. New files' captures are appended to batch
// (when not nil) for the caller to add in one go: adding file by file
// would copy the whole in-memory index once per file.
func (s *Server) indexFile(ctx context.Context, c *collection, p, name string, stamp fileStamp, batch *[]index.Capture) error {
	start := time.Now()
	var caps []index.Capture
	var err error
	var secs map[string]section
	if strings.HasSuffix(strings.ToLower(p), ".wacz") {
		caps, secs, err = indexWACZ(ctx, p, name, s.log)
	} else {
		caps, err = index.ReadCaptures(ctx, p, index.Options{Filename: name, Logger: s.log})
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		s.log.Warn("replay: cannot index, skipped", "file", p, "err", err)
		return nil
	}
	if c.indexDir != "" && len(secs) == 0 { // WACZ entries are re-read at start-up: cheap, and their sections must be known
		if err := writeSidecar(c.indexDir, name, caps); err != nil {
			s.log.Debug("replay: index kept in memory only", "dir", c.indexDir, "err", err)
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
	c.mu.Unlock()
	if batch != nil && !known {
		*batch = append(*batch, caps...)
	} else if len(secs) > 0 {
		for n := range secs {
			var part []index.Capture
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
	s.files.forget(p) // the file may have grown: reopen on next read
	s.log.Info("replay: indexed", "collection", c.name, "file", p, "captures", len(caps), "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// writeSidecar writes indexes/<name>.cdxj so the next start-up need not
// read the WARC again. It is written to a temporary file and renamed, so a
// crash never leaves half an index.
func writeSidecar(dir, name string, caps []index.Capture) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	sorted := append([]index.Capture(nil), caps...)
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
		if err := index.WriteCDXJ(w, c); err != nil {
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

// watch polls for new or grown files until ctx is cancelled.
func (s *Server) watch(ctx context.Context) {
	t := time.NewTicker(s.cfg.PollInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s.mu.RLock()
		colls := make([]*collection, 0, len(s.colls))
		for _, c := range s.colls {
			colls = append(colls, c)
		}
		s.mu.RUnlock()
		for _, c := range colls {
			var err error
			if c.archiveDir != "" {
				err = s.scanArchive(ctx, c)
			}
			if err == nil && len(c.roots) > 0 {
				err = s.scanLoose(ctx, c)
			}
			if err != nil && ctx.Err() == nil {
				s.log.Warn("replay: watching for new files", "collection", c.name, "err", err)
			}
		}
	}
}

// fileCache keeps archive files open between requests; *os.File.ReadAt is
// safe for concurrent use.
type fileCache struct {
	mu    sync.Mutex
	files map[string]*os.File
}

func (fc *fileCache) open(p string) (io.ReaderAt, error) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if f, ok := fc.files[p]; ok {
		return f, nil
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	if fc.files == nil {
		fc.files = map[string]*os.File{}
	}
	fc.files[p] = f
	return f, nil
}

func (fc *fileCache) forget(p string) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if f, ok := fc.files[p]; ok {
		f.Close()
		delete(fc.files, p)
	}
}

func (fc *fileCache) closeAll() {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	for p, f := range fc.files {
		f.Close()
		delete(fc.files, p)
	}
}

// jsonLine is used by the CDX API and TimeMaps.
func jsonLine(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}
