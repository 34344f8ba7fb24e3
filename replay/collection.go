package replay

import (
	"context"
	"encoding/json"
	"io"
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

// fileCache keeps archive files open between requests: local files
// (*os.File.ReadAt is safe for concurrent use) and remote objects, which
// hold no connection, only their size; their blocks are cached by the
// Store, within its bound.
type fileCache struct {
	store func() *storage.Store
	mu    sync.Mutex
	files map[string]*storage.Object
}

// open returns the file for reads made for ctx (a request): they stop
// when it is cancelled. The object is kept for later requests, so it is
// opened with a context that outlives this one; a local file's descriptor
// is pooled (storage.OpenPooled): a collection of 10,000 archives does
// not keep 10,000 files open.
func (fc *fileCache) open(ctx context.Context, p string) (io.ReaderAt, error) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if f, ok := fc.files[p]; ok {
		return ctxio.Bind(ctx, f), nil
	}
	f, err := fc.store().OpenPooled(context.WithoutCancel(ctx), p)
	if err != nil {
		return nil, err
	}
	if fc.files == nil {
		fc.files = map[string]*storage.Object{}
	}
	fc.files[p] = f
	return ctxio.Bind(ctx, f), nil
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
