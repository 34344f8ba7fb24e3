package indexer

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
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
// named explicitly are kept whatever their name.
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
			if !d.IsDir() && IsArchiveName(d.Name()) {
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
	return out, nil
}
