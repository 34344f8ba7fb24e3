// Package fdcount counts this process's open file descriptors by the file
// each one is open on, read from /proc/self/fd, for tests that prove a
// descriptor bound or that a replaced file was closed.
package fdcount

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warcbox/warcbox/internal/testneed"
)

// procFD lists this process's descriptors as symlinks to their files.
const procFD = "/proc/self/fd"

// Under counts the descriptors open on files inside dir (at any depth).
func Under(t testing.TB, dir string) int {
	t.Helper()
	prefix := strings.TrimSuffix(dir, string(filepath.Separator)) + string(filepath.Separator)
	n := 0
	for _, l := range targets(t, procFD) {
		if strings.HasPrefix(l, prefix) {
			n++
		}
	}
	return n
}

// On counts the descriptors open on path as it is now (current) and on a
// file that was at path and has been replaced or removed since it was
// opened (deleted: Linux names it "path (deleted)").
func On(t testing.TB, path string) (current, deleted int) {
	t.Helper()
	for _, l := range targets(t, procFD) {
		switch l {
		case path:
			current++
		case path + " (deleted)":
			deleted++
		}
	}
	return current, deleted
}

// targets reads where each descriptor listed in dir points. Without
// /proc the test is skipped, except under CI=true, where it fails: CI runs
// on Linux, so a missing /proc there means the bound went unchecked.
// Descriptors closed between listing and reading are left out.
func targets(t testing.TB, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		testneed.Missing(t, "fdcount: cannot list open descriptors in %s: %v", dir, err)
		return nil
	}
	out := make([]string, 0, len(ents))
	for _, e := range ents {
		if l, err := os.Readlink(filepath.Join(dir, e.Name())); err == nil {
			out = append(out, l)
		}
	}
	return out
}
