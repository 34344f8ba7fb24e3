package replay

import (
	"container/list"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"sync"
	"time"

	"github.com/warcbox/warcbox/index"
	"github.com/warcbox/warcbox/internal/ctxio"
	"github.com/warcbox/warcbox/storage"
	"github.com/warcbox/warcbox/warc"
)

// collection is an index.Collection as the server serves it, with the
// page titles the pages list has read.
type collection struct {
	*index.Collection
	name string

	mu sync.Mutex
	// titles remembers the <title>s read for the pages list, by
	// Filename and offset, for captures whose index holds none.
	titles map[string]string
	// facts remembers, by Filename and offset, what the lists read of a
	// record (Server.facts): whether it answers for its URL, whether its
	// body was cut.
	facts map[string]recordFacts
}

// source is what lookups go through.
func (c *collection) source() index.Source { return c.Collection }

// loadCollections opens the collections cfg.Paths name.
func (s *Server) loadCollections(ctx context.Context) error {
	colls, err := index.OpenCollections(ctx, index.CollectionOptions{
		Paths: s.cfg.Paths, Name: s.cfg.Name, CDXServer: s.cfg.CDXServer, Logger: s.log,
		Changed: s.files.forget, Store: s.store(), Indexed: s.addToSearch,
	})
	if err != nil {
		return err
	}
	for name, c := range colls {
		s.colls[name] = &collection{Collection: c, name: name}
	}
	return nil
}

// watch polls for new or grown files until ctx is cancelled: local
// folders every PollInterval, remote ones every RemotePollInterval.
func (s *Server) watch(ctx context.Context) {
	never := make(chan time.Time)
	tick := func(d time.Duration) (<-chan time.Time, func()) {
		if d < 0 {
			return never, func() {}
		}
		t := time.NewTicker(d)
		return t.C, t.Stop
	}
	local, stopLocal := tick(s.cfg.PollInterval)
	defer stopLocal()
	remote, stopRemote := tick(s.cfg.RemotePollInterval)
	defer stopRemote()
	for {
		rescan := (*index.Collection).Rescan
		select {
		case <-ctx.Done():
			return
		case <-local:
		case <-remote:
			rescan = (*index.Collection).RescanRemote
		}
		s.mu.RLock()
		colls := make([]*collection, 0, len(s.colls))
		for _, c := range s.colls {
			colls = append(colls, c)
		}
		s.mu.RUnlock()
		for _, c := range colls {
			if err := rescan(c.Collection, ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("replay: watching for new files", "collection", c.name, "err", err)
			}
		}
	}
}

// DefaultMaxCachedFiles is how many archive files replay keeps open
// between requests when Config.MaxCachedFiles is zero.
const DefaultMaxCachedFiles = 4096

// fileCache keeps archive files open between requests: local files,
// whose descriptors the Store pools (storage.OpenPooled: a collection of
// 10,000 archives does not keep 10,000 files open), and remote objects,
// which hold no connection, only their size; their blocks are cached by
// the Store, within its bound. It keeps at most max files, dropping the
// least recently used, and drops a file that changed or disappeared: a
// local one is checked (one stat) each time it is opened for a request, a
// remote one when a read says it is gone or shorter than it was.
//
// A file dropped while requests read it is closed when the last of them
// ends: the cache holds one reference while it keeps the file, and each
// request (or background job) reading it one more, as index's package
// indexes do. A pooled object is never read after Close, so no read opens
// a descriptor outside the Store's bound (MaxOpenFiles).
type fileCache struct {
	store func() *storage.Store
	max   int // if zero, DefaultMaxCachedFiles
	mu    sync.Mutex
	files map[string]*list.Element // of *cachedFile, by path
	lru   list.List                // most recently used first
	// unheld holds the files read with a context that never ends outside
	// a request or job (no holdFiles): one reference per file, whatever
	// the number of reads, dropped by closeAll. fc.mu.
	unheld map[*cachedFile]bool
}

type cachedFile struct {
	path string
	o    *storage.Object
	refs int // the cache's, while kept, and one per reader holding it; fc.mu
}

// open returns the file for reads made for ctx (a request): they stop
// when it is cancelled. The object is kept for later requests, so it is
// opened with a context that outlives this one. It stays open at least
// until ctx's reads end: the end of the request or job that holds ctx
// (holdFiles), else when ctx is done, else (a ctx that never ends) until
// the server closes.
func (fc *fileCache) open(ctx context.Context, p string) (io.ReaderAt, error) {
	fc.mu.Lock()
	e, ok := fc.files[p]
	var cf *cachedFile
	if ok {
		cf = e.Value.(*cachedFile)
		fc.lru.MoveToFront(e)
		cf.refs++
	}
	fc.mu.Unlock()
	if cf != nil {
		if cf.o.Check() == nil {
			return fc.reader(ctx, cf), nil
		}
		fc.drop(cf) // replaced, grown or removed: open what is there now
		fc.unref(cf)
	}
	// Opened without the lock: a remote object the Store knows nothing
	// of is a request to its server, which must hold up no other request.
	o, err := fc.store().OpenPooled(context.WithoutCancel(ctx), p)
	if err != nil {
		return nil, err
	}
	fc.mu.Lock()
	if e, ok := fc.files[p]; ok { // opened meanwhile by another request
		o.Close()
		cf = e.Value.(*cachedFile)
		cf.refs++
	} else {
		if fc.files == nil {
			fc.files = map[string]*list.Element{}
		}
		cf = &cachedFile{path: p, o: o, refs: 2}
		fc.files[p] = fc.lru.PushFront(cf)
		limit := fc.max
		if limit <= 0 {
			limit = DefaultMaxCachedFiles
		}
		for fc.lru.Len() > limit {
			fc.removeLocked(fc.lru.Back().Value.(*cachedFile))
		}
	}
	fc.mu.Unlock()
	return fc.reader(ctx, cf), nil
}

// reader hands the reference just taken on cf to ctx's holder, and
// returns cf's reader for ctx. fc.mu is not held.
func (fc *fileCache) reader(ctx context.Context, cf *cachedFile) cachedReader {
	if h, ok := ctx.Value(fileHoldsKey{}).(*fileHolds); ok && h.fc == fc {
		h.add(cf)
	} else if ctx.Done() == nil {
		// No end to wait for: an AfterFunc would never run, and each
		// read would keep its reference, and the file, for good.
		// Kept under fc.mu with the reference itself, so that closeAll
		// cannot release the set between a read taking it and adding to it.
		fc.mu.Lock()
		if fc.unheld[cf] {
			fc.unrefLocked(cf)
		} else {
			if fc.unheld == nil {
				fc.unheld = map[*cachedFile]bool{}
			}
			fc.unheld[cf] = true
		}
		fc.mu.Unlock()
	} else {
		context.AfterFunc(ctx, func() { fc.unref(cf) })
	}
	// Each record read is one reader for the object's read-ahead: not
	// widened by another request's, or a search build's, progress.
	return cachedReader{fc, cf, ctxio.WithSequence(ctx)}
}

// unref drops one reference to cf, closing its object with the last.
func (fc *fileCache) unref(cf *cachedFile) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	fc.unrefLocked(cf)
}

func (fc *fileCache) unrefLocked(cf *cachedFile) {
	if cf.refs--; cf.refs == 0 {
		cf.o.Close()
	}
}

// removeLocked drops cf and the cache's reference to it; requests still
// reading it go on, and the last of them closes it. fc.mu is held.
func (fc *fileCache) removeLocked(cf *cachedFile) {
	if e, ok := fc.files[cf.path]; ok && e.Value.(*cachedFile) == cf {
		fc.lru.Remove(e)
		delete(fc.files, cf.path)
		fc.unrefLocked(cf)
	}
}

// drop removes cf unless another object replaced it meanwhile.
func (fc *fileCache) drop(cf *cachedFile) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	fc.removeLocked(cf)
}

// forget drops p's file, if kept: its index was rebuilt (the file grew).
func (fc *fileCache) forget(p string) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if e, ok := fc.files[p]; ok {
		fc.removeLocked(e.Value.(*cachedFile))
	}
}

func (fc *fileCache) closeAll() {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	for _, e := range fc.files {
		fc.removeLocked(e.Value.(*cachedFile))
	}
	for cf := range fc.unheld {
		fc.unrefLocked(cf)
	}
	fc.unheld = nil
}

// len is how many files are kept.
func (fc *fileCache) len() int {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	return len(fc.files)
}

type fileHoldsKey struct{}

// fileHolds are the references a request (or a job's step) holds on the
// files it reads, one per file however often it opens it, all dropped
// when it ends.
type fileHolds struct {
	fc    *fileCache
	mu    sync.Mutex
	files map[*cachedFile]bool
}

// holdFiles returns ctx for a request or job whose reads of cached files
// all end by the time it calls release: the files it opens stay open
// until then, however the cache drops them meanwhile.
func (fc *fileCache) holdFiles(ctx context.Context) (context.Context, func()) {
	h := &fileHolds{fc: fc}
	return context.WithValue(ctx, fileHoldsKey{}, h), h.release
}

// add takes over the reference just taken on cf: the first for this
// holder is kept, a later one dropped at once.
func (h *fileHolds) add(cf *cachedFile) {
	h.mu.Lock()
	held := h.files[cf]
	if !held {
		if h.files == nil {
			h.files = map[*cachedFile]bool{}
		}
		h.files[cf] = true
	}
	h.mu.Unlock()
	if held {
		h.fc.unref(cf)
	}
}

func (h *fileHolds) release() {
	h.mu.Lock()
	files := h.files
	h.files = nil
	h.mu.Unlock()
	for cf := range files {
		h.fc.unref(cf)
	}
}

// cachedReader reads a kept file for one request (ctx), and drops the
// file from the cache when a read says it changed or is gone, so that the
// next request opens what is there now instead of failing the same way.
type cachedReader struct {
	fc  *fileCache
	cf  *cachedFile
	ctx context.Context
}

func (r cachedReader) ReadAt(p []byte, off int64) (int, error) {
	return r.ReadAtContext(r.ctx, p, off)
}

// ReadAtContext reads with ctx, a narrower context; the reads stay this
// reader's for read-ahead (ctxio.KeepSequence) even when ctx does not
// derive from the request's.
func (r cachedReader) ReadAtContext(ctx context.Context, p []byte, off int64) (int, error) {
	n, err := r.cf.o.ReadAtContext(ctxio.KeepSequence(ctx, r.ctx), p, off)
	r.check(err)
	return n, err
}

// Prefetch makes a record whose length the index gives one Range request.
// A length that runs past the end of the object is the index's mistake,
// not a sign that the object changed: what there is is fetched, and the
// record is read as a local archive's is (readRecord falls back to an
// unbounded read). A record that starts past the end is an ErrShort error
// naming both, and the object is kept: no read said it changed. An object
// that did shrink fails the fetch itself, and is dropped.
func (r cachedReader) Prefetch(ctx context.Context, off, n int64) error {
	ctx = ctxio.KeepSequence(ctx, r.ctx)
	size := r.cf.o.Size()
	if off >= size {
		return r.cf.o.Prefetch(ctx, off, n)
	}
	err := r.cf.o.Prefetch(ctx, off, min(n, size-off))
	r.check(err)
	return err
}

func (r cachedReader) check(err error) {
	if err != nil && (errors.Is(err, storage.ErrChanged) || errors.Is(err, fs.ErrNotExist) ||
		errors.Is(err, storage.ErrNotFound) || errors.Is(err, storage.ErrShort)) {
		r.fc.drop(r.cf)
	}
}

// store returns the Store every remote read goes through.
func (s *Server) store() *storage.Store {
	if s.cfg.Store == nil {
		s.cfg.Store = storage.New(storage.Options{Logger: s.log})
		s.ownStore = true
	}
	return s.cfg.Store
}

// prefetch makes reading a record whose length the index knows one Range
// request when ra is a remote object (or a section of one).
func prefetch(ctx context.Context, ra io.ReaderAt, off, length int64) error {
	if p, ok := ra.(warc.Prefetcher); ok && length > 0 {
		return p.Prefetch(ctx, off, length)
	}
	return nil
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
