package index

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"path"
	"strings"
	"sync"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/storage"
)

// ZipNumFile is a Source over a ZipNum index (pywb's or a WACZ's: a
// secondary *.idx and gzip-block *.cdx.gz parts), local or remote. Its
// parts are found in the folder of the .idx: through a .loc file of the
// same name (pywb: "part<TAB>path" lines) when there is one, else by the
// part's name, or that name with ".cdx.gz" added. Every part stays inside
// that folder: an index read from a bucket cannot make replay open a local
// file. For a remote index every block is one Range through the Store's
// block cache.
type ZipNumFile struct {
	name string // redacted
	idx  *storage.Object
	z    *cdxj.ZipNum

	st  *storage.Store
	dir string // the .idx's folder, with its trailing separator
	loc map[string]string

	mu    sync.Mutex
	parts map[string]*storage.Object
}

var _ Source = (*ZipNumFile)(nil)

// IsZipNumIndex reports whether name is the secondary index of a ZipNum
// index, by its extension (pywb's .idx and .summary).
func IsZipNumIndex(name string) bool {
	n := strings.ToLower(name)
	return strings.HasSuffix(n, ".idx") || strings.HasSuffix(n, ".summary")
}

// maxLoc bounds a .loc file.
const maxLoc = 1 << 20

// OpenZipNum opens the ZipNum index whose secondary index is name (a local
// path, http(s):// or s3:// URL), reached through st. It reads the .loc
// file beside it if there is one, and nothing else until a lookup. listed,
// if not nil, tells which names exist (from a listing just made), so that
// looking for a .loc that is not there costs no request.
func OpenZipNum(ctx context.Context, st *storage.Store, name string, listed func(name string) bool) (*ZipNumFile, error) {
	shown := storage.Redact(name)
	obj, err := st.Open(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("index: %s: %w", shown, err)
	}
	cut := strings.LastIndex(name, "/")
	if !storage.IsRemote(name) {
		cut = max(cut, strings.LastIndex(name, string([]byte{'\\'})))
	}
	z := &ZipNumFile{name: shown, idx: obj, st: st, dir: name[:cut+1], parts: map[string]*storage.Object{}}
	locName := strings.TrimSuffix(name, path.Ext(name)) + ".loc"
	if listed != nil && !listed(locName) {
		// no .loc: parts are found by name
	} else if loc, err := st.Open(ctx, locName); err == nil {
		z.loc, err = readLoc(io.NewSectionReader(loc, 0, min(loc.Size(), maxLoc)))
		loc.Close()
		if err != nil {
			obj.Close()
			return nil, fmt.Errorf("index: %s: %w", storage.Redact(locName), err)
		}
	}
	z.z, err = cdxj.OpenZipNum(obj, obj.Size(), shown, z.part)
	if err != nil {
		obj.Close()
		return nil, fmt.Errorf("index: %s: %w", shown, err)
	}
	return z, nil
}

// readLoc reads pywb's .loc lines: a part name, a tab, its path (the
// first path is used).
func readLoc(r io.Reader) (map[string]string, error) {
	m := map[string]string{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		f := strings.Split(strings.TrimRight(sc.Text(), "\r"), "\t")
		if len(f) == 1 && f[0] == "" {
			continue
		}
		if len(f) < 2 || f[0] == "" || f[1] == "" {
			return nil, fmt.Errorf("line %d: want \"part<TAB>path\"", n)
		}
		m[f[0]] = f[1]
	}
	return m, sc.Err()
}

// inside resolves a relative name against the index's folder, or reports
// that it would leave it.
func (z *ZipNumFile) inside(rel string) (string, error) {
	if strings.Contains(rel, "://") || strings.HasPrefix(rel, "/") || strings.Contains(rel, "\\") {
		return "", fmt.Errorf("part %q is not a name inside the index's folder", rel)
	}
	clean := path.Clean(rel)
	if clean == ".." || strings.HasPrefix(clean, "../") || clean == "." {
		return "", fmt.Errorf("part %q is not a name inside the index's folder", rel)
	}
	return z.dir + clean, nil
}

// part opens (once) the part file a block names.
func (z *ZipNumFile) part(ctx context.Context, name string) (io.ReaderAt, error) {
	z.mu.Lock()
	o, ok := z.parts[name]
	z.mu.Unlock()
	if ok {
		return o, nil
	}
	rel := name
	if p, ok := z.loc[name]; ok {
		rel = p
	}
	full, err := z.inside(rel)
	if err != nil {
		return nil, err
	}
	// Kept for later lookups: the Object's own context must outlive this
	// lookup's (a request's, cancelled when it is served). Each lookup
	// reads it with its own context (cdxj binds it per read).
	octx := context.WithoutCancel(ctx)
	o, err = z.st.Open(octx, full)
	if err != nil && z.loc == nil && !strings.HasSuffix(strings.ToLower(rel), ".gz") {
		var err2 error
		if o, err2 = z.st.Open(octx, full+".cdx.gz"); err2 == nil {
			err = nil
		}
	}
	if err != nil {
		return nil, fmt.Errorf("part %s: %w", storage.Redact(full), err)
	}
	z.mu.Lock()
	if prev, ok := z.parts[name]; ok {
		o.Close()
		o = prev
	} else {
		z.parts[name] = o
	}
	z.mu.Unlock()
	return o, nil
}

// Close releases the index and its parts.
func (z *ZipNumFile) Close() error {
	err := z.idx.Close()
	z.mu.Lock()
	defer z.mu.Unlock()
	for _, o := range z.parts {
		err = errors.Join(err, o.Close())
	}
	return err
}

// Name is the index's name, redacted.
func (z *ZipNumFile) Name() string { return z.name }

// Lookup yields the captures matching q; a block or line that cannot be
// read is yielded as an error naming the file and offset, and the lookup
// goes on.
func (z *ZipNumFile) Lookup(ctx context.Context, q Query) iter.Seq2[Capture, error] {
	return sortedLookup(ctx, q, z.z)
}
