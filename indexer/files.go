package indexer

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/warcbox/warcbox/warc"
)

// archiveSuffixes are the names of files that hold records.
var archiveSuffixes = []string{".warc", ".warc.gz", ".arc", ".arc.gz", ".warc.open", ".warc.gz.open"}

// IsArchiveName reports whether a file name looks like a WARC or ARC file.
func IsArchiveName(name string) bool {
	name = strings.ToLower(name)
	for _, s := range archiveSuffixes {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	return false
}

// ExpandPaths turns files and folders into the archive files they name,
// folders walked recursively and sorted so output is deterministic. Files
// named explicitly are kept whatever their name; a WACZ package becomes the
// WARC files in it ("x.wacz#archive/y.warc.gz", see warc.SplitMember).
func ExpandPaths(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			out = append(out, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && (IsArchiveName(d.Name()) || strings.HasSuffix(strings.ToLower(d.Name()), ".wacz")) {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	if len(out) == 0 {
		return nil, ErrNoFiles
	}
	// A WACZ package stands for the WARC files in it.
	return warc.ExpandWACZ(out)
}
