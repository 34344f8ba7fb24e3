package index

import (
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/storage"
)

// MergeInputs lists the sorted CDXJ files that names give to a merge: a
// file or object as it is; a local folder, an s3:// prefix ("s3://b/p/")
// or an http(s) folder listing for the *.cdxj in it (not below it), in
// name order. Hidden names are parts still being written (`index -o DIR/`
// writes ".NAME.*.tmp" first) and are left out.
func MergeInputs(ctx context.Context, st *storage.Store, names []string) ([]string, error) {
	var out []string
	isPart := func(base string) bool {
		return strings.HasSuffix(base, ".cdxj") && !strings.HasPrefix(base, ".")
	}
	for _, a := range names {
		if storage.IsRemote(a) {
			if !storage.IsFolder(a) {
				out = append(out, a)
				continue
			}
			list, err := st.List(ctx, a)
			if err != nil {
				return nil, fmt.Errorf("index: merge: %w", err)
			}
			prefix := strings.TrimSuffix(a, "/") + "/"
			var found []string
			for _, i := range list {
				rel := strings.TrimPrefix(i.Name, prefix)
				if !strings.Contains(rel, "/") && isPart(path.Base(i.Name)) {
					found = append(found, i.Name)
				}
			}
			sort.Strings(found)
			out = append(out, found...)
			continue
		}
		fi, err := os.Stat(a)
		if err != nil {
			return nil, fmt.Errorf("index: merge: %w", err)
		}
		if !fi.IsDir() {
			out = append(out, a)
			continue
		}
		ents, err := os.ReadDir(a)
		if err != nil {
			return nil, fmt.Errorf("index: merge: %w", err)
		}
		var found []string
		for _, e := range ents {
			if !e.IsDir() && isPart(e.Name()) {
				found = append(found, filepath.Join(a, e.Name()))
			}
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

// mergeReadAhead is what each remote input of a merge fetches ahead: with
// 64 inputs open at once, 64 MiB in all, whatever their sizes.
const mergeReadAhead = 1 << 20

// Merge merges sorted CDXJ files and objects (local, http(s)://, s3://)
// into one sorted stream on w, as cdxj.Merge does: each remote input is
// streamed from its start with a bounded read-ahead (resumed by Range
// where a connection breaks), so memory stays flat whatever the inputs'
// sizes. Names in errors are redacted.
func Merge(ctx context.Context, st *storage.Store, w io.Writer, names []string, tempDir string) error {
	return cdxj.Merge(ctx, w, names, cdxj.MergeOptions{
		TempDir: tempDir,
		Show:    storage.Redact,
		Open: func(ctx context.Context, name string) (io.ReadCloser, error) {
			if !storage.IsRemote(name) {
				return os.Open(name)
			}
			return st.NewReaderAhead(ctx, name, 0, mergeReadAhead)
		},
	})
}
