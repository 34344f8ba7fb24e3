package index

import (
	"context"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/warcbox/warcbox/storage"
	"github.com/warcbox/warcbox/warc"
)

// Remote collections: a CollectionOptions path may be an http(s):// or
// s3:// name.
//   - a .wacz URL is one package; its zip directory, own index and pages
//     lists are read by Range, never the whole package;
//   - a folder (s3://bucket/coll/, an https listing) holding archive/ is a
//     pywb collection named after the folder: its indexes/*.cdxj and *.cdx,
//     and ZipNum indexes (*.idx with their *.cdx.gz blocks), are searched
//     in place (binary search, each probe or block a Range through the
//     Store's block cache); its WARCs are indexed by streaming them only
//     when the collection has no index at all;
//   - any other folder or file URL joins the loose collection.
// Remote collections are listed again by RescanRemote (replay polls it
// every --poll-remote), not by Rescan, which local folders get every few
// seconds: a listing is a request.

// remoteFiles lists the archives a remote root names: itself, or the WARC,
// ARC and WACZ objects under a folder.
func remoteFiles(ctx context.Context, st *storage.Store, root string) ([]storage.Info, error) {
	if !storage.IsFolder(root) && warc.IsPackageFile(root) {
		// Its size comes with its end, which is read first anyway.
		obj, err := st.OpenTail(ctx, root, warc.PackageTail)
		if err != nil {
			return nil, err
		}
		return []storage.Info{{Name: root, Size: obj.Size(), ModTime: obj.ModTime()}}, nil
	}
	if !storage.IsFolder(root) {
		info, err := st.Stat(ctx, root)
		if err != nil {
			return nil, err
		}
		info.Name = root
		return []storage.Info{info}, nil
	}
	list, err := st.List(ctx, root)
	if err != nil {
		return nil, err
	}
	var out []storage.Info
	for _, i := range list {
		if b := path.Base(i.Name); warc.IsArchiveFile(b) || warc.IsPackageFile(b) {
			out = append(out, i)
		}
	}
	return out, nil
}

// loadRemote adds the pywb collection a remote folder holds, or reports
// that p is loose files.
func (o *opener) loadRemote(ctx context.Context, p string) (loose bool, err error) {
	if !storage.IsFolder(p) {
		return true, nil
	}
	st := o.opt.Store
	base := strings.TrimSuffix(p, "/") + "/"
	list, err := st.List(ctx, base)
	if err != nil {
		return false, fmt.Errorf("replay: %w", err)
	}
	layout := false
	for _, i := range list {
		if strings.HasPrefix(i.Name, base+"archive/") {
			layout = true
			break
		}
	}
	if !layout {
		return true, nil
	}
	name := path.Base(strings.TrimSuffix(base, "/"))
	if !ValidCollectionName(name) {
		name = o.opt.Name
	}
	c := o.newCollection(name)
	c.archiveDir = base + "archive/"
	c.remoteDir = true
	c.sources = []Source{c.mem}
	o.colls[c.Name] = c
	return false, c.scanRemoteLayout(ctx, list, true)
}

// remoteIndex is an index file of a remote pywb collection, as opened.
type remoteIndex struct {
	stamp fileStamp
	src   Source
}

// scanRemoteLayout opens the index files of a remote pywb collection that
// are new or changed in list (a listing of the collection's folder), and
// indexes its archives that no index covers: at start-up every WARC is
// taken as covered when the collection has an index at all; on a later
// poll, a new WARC is covered when an index was written after it,
// and is otherwise indexed into memory (a WACZ always is).
func (c *Collection) scanRemoteLayout(ctx context.Context, list []storage.Info, startup bool) error {
	st := c.store
	base := strings.TrimSuffix(c.archiveDir, "archive/")
	listed := map[string]bool{}
	for _, i := range list {
		listed[i.Name] = true
	}
	var newest time.Time
	for _, i := range list {
		rel := strings.TrimPrefix(i.Name, base)
		b := path.Base(rel)
		zipnum := IsZipNumIndex(b)
		if !strings.HasPrefix(rel, "indexes/") || strings.HasPrefix(b, ".") ||
			!(zipnum || strings.HasSuffix(b, ".cdxj") || strings.HasSuffix(b, ".cdx")) {
			continue
		}
		stamp := fileStamp{i.Size, i.ModTime}
		c.mu.Lock()
		old, known := c.remoteIdx[i.Name]
		c.mu.Unlock()
		if known && old.stamp == stamp {
			newest = later(newest, i.ModTime)
			continue
		}
		if known {
			st.Forget(i.Name, true) // rewritten in place: its cached blocks are stale
		}
		var src Source
		var err error
		if zipnum {
			src, err = OpenZipNum(ctx, st, i.Name, func(n string) bool { return listed[n] })
		} else {
			var obj *storage.Object
			if obj, err = st.Open(ctx, i.Name); err == nil {
				src, err = NewCDXJFile(obj, obj.Size(), storage.Redact(i.Name))
			}
		}
		if err != nil {
			c.log.Warn("replay: index not usable, skipped", "file", storage.Redact(i.Name), "err", err)
			continue
		}
		newest = later(newest, i.ModTime)
		c.mu.Lock()
		if c.remoteIdx == nil {
			c.remoteIdx = map[string]remoteIndex{}
		}
		// The indexes first, in listing order, the in-memory one last.
		srcs := make([]Source, 0, len(c.sources)+1)
		for _, s := range c.sources {
			if s != old.src && s != c.mem {
				srcs = append(srcs, s)
			}
		}
		c.sources = append(srcs, src, c.mem)
		c.remoteIdx[i.Name] = remoteIndex{stamp, src}
		c.mu.Unlock()
		if !startup {
			c.log.Info("replay: new index", "collection", c.Name, "file", storage.Redact(i.Name))
		}
	}
	c.mu.Lock()
	indexed := len(c.remoteIdx) > 0
	c.mu.Unlock()
	var jobs []indexJob
	for _, i := range list {
		if !strings.HasPrefix(i.Name, c.archiveDir) {
			continue
		}
		rel := strings.TrimPrefix(i.Name, c.archiveDir)
		b := path.Base(rel)
		isWACZ := warc.IsPackageFile(b)
		if !isWACZ && !warc.IsArchiveFile(b) {
			continue
		}
		stamp := fileStamp{i.Size, i.ModTime}
		c.mu.Lock()
		old, known := c.seen[i.Name]
		c.mu.Unlock()
		if known && old == stamp {
			continue
		}
		// Listings tell times to the second: a WARC from the same second
		// as the newest index may be newer, and is indexed (a capture
		// indexed twice is served once).
		covered := !isWACZ && indexed && (startup || newest.After(i.ModTime))
		if covered {
			c.mu.Lock()
			c.seen[i.Name] = stamp
			c.mu.Unlock()
			continue
		}
		jobs = append(jobs, indexJob{i.Name, rel, stamp})
	}
	return c.indexAll(ctx, jobs)
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// RescanRemote lists the collection's remote folders again (a pywb layout
// in a bucket, or remote loose roots) and takes in what appeared or
// changed since: new index files are opened, new archives no index covers
// are indexed. Each call costs one listing per remote folder, so callers
// poll it far less often than local folders (replay: --poll-remote).
func (c *Collection) RescanRemote(ctx context.Context) error {
	if c.remoteDir {
		base := strings.TrimSuffix(c.archiveDir, "archive/")
		list, err := c.store.List(ctx, base)
		if err != nil {
			return fmt.Errorf("replay: %w", err)
		}
		return c.scanRemoteLayout(ctx, list, false)
	}
	var jobs []indexJob
	for _, root := range c.roots {
		if !storage.IsRemote(root) {
			continue
		}
		j, err := c.scanRemoteRoot(ctx, root, true)
		if err != nil {
			return err
		}
		jobs = append(jobs, j...)
	}
	return c.indexAll(ctx, jobs)
}

// resolveRemote maps a capture's Filename to an object under a remote
// archive/ folder, confined to it.
func resolveRemote(archiveDir, name string) string {
	clean := path.Clean("/" + strings.ReplaceAll(name, "\\", "/"))
	return archiveDir + strings.TrimPrefix(clean, "/")
}

// scanRemoteRoot lists a remote loose root (once, unless again) and
// returns the files to index: new ones, and ones whose size or time
// changed.
func (c *Collection) scanRemoteRoot(ctx context.Context, root string, again bool) ([]indexJob, error) {
	c.mu.Lock()
	done := c.scannedRemote[root]
	c.mu.Unlock()
	if done && !again {
		return nil, nil
	}
	infos, err := remoteFiles(ctx, c.store, root)
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	var jobs []indexJob
	for _, i := range infos {
		stamp := fileStamp{i.Size, i.ModTime}
		c.mu.Lock()
		old, known := c.seen[i.Name]
		c.mu.Unlock()
		if known && old == stamp {
			continue
		}
		name := uniqueName(c, i.Name)
		c.mu.Lock()
		if c.remote != nil && !warc.IsPackageFile(i.Name) {
			// The CDX server has the index: only learn where the file is.
			c.files[name], c.seen[i.Name] = i.Name, stamp
			c.mu.Unlock()
			continue
		}
		c.files[name] = i.Name
		c.mu.Unlock()
		jobs = append(jobs, indexJob{i.Name, name, stamp})
	}
	c.mu.Lock()
	if c.scannedRemote == nil {
		c.scannedRemote = map[string]bool{}
	}
	c.scannedRemote[root] = true
	c.mu.Unlock()
	return jobs, nil
}
