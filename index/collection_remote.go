package index

import (
	"context"
	"fmt"
	"path"
	"strings"

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
// Remote collections are listed once, not watched for new files.

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
	indexed := false
	listed := map[string]bool{}
	for _, i := range list {
		listed[i.Name] = true
	}
	for _, i := range list {
		rel := strings.TrimPrefix(i.Name, base)
		if strings.HasPrefix(rel, "indexes/") && IsZipNumIndex(rel) {
			z, err := OpenZipNum(ctx, st, i.Name, func(n string) bool { return listed[n] })
			if err != nil {
				c.log.Warn("replay: index not usable, skipped", "file", storage.Redact(i.Name), "err", err)
				continue
			}
			c.sources = append(c.sources, z)
			indexed = true
			continue
		}
		if !strings.HasPrefix(rel, "indexes/") || !(strings.HasSuffix(rel, ".cdxj") || strings.HasSuffix(rel, ".cdx")) {
			continue
		}
		obj, err := st.Open(ctx, i.Name)
		if err == nil {
			var src *CDXJFile
			if src, err = NewCDXJFile(obj, obj.Size(), storage.Redact(i.Name)); err == nil {
				c.sources = append(c.sources, src)
				indexed = true
				continue
			}
		}
		c.log.Warn("replay: index not usable, skipped", "file", storage.Redact(i.Name), "err", err)
	}
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
		if indexed && !isWACZ {
			c.seen[i.Name] = stamp // covered by the collection's indexes
			continue
		}
		jobs = append(jobs, indexJob{i.Name, rel, stamp})
	}
	c.sources = append(c.sources, c.mem)
	o.colls[c.Name] = c
	return false, c.indexAll(ctx, jobs)
}

// resolveRemote maps a capture's Filename to an object under a remote
// archive/ folder, confined to it.
func resolveRemote(archiveDir, name string) string {
	clean := path.Clean("/" + strings.ReplaceAll(name, "\\", "/"))
	return archiveDir + strings.TrimPrefix(clean, "/")
}

// scanRemoteRoot lists a remote loose root once and returns the files to
// index.
func (c *Collection) scanRemoteRoot(ctx context.Context, root string) ([]indexJob, error) {
	c.mu.Lock()
	done := c.scannedRemote[root]
	c.mu.Unlock()
	if done {
		return nil, nil
	}
	infos, err := remoteFiles(ctx, c.store, root)
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	var jobs []indexJob
	for _, i := range infos {
		stamp := fileStamp{i.Size, i.ModTime}
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
