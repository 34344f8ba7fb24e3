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

// Peak counts the descriptors open on files inside dir over and over, in
// a goroutine of its own, until the returned stop is called; stop returns
// the most counted at once. Without /proc the test is skipped (failed
// under CI=true) here, in the test's goroutine. /proc/self/fd is not
// listed at one instant, but Linux gives a new descriptor the lowest free
// number: one opened after another closed takes a number at or below it,
// already passed by the listing, so a count exceeds what was open at once
// only where an open came before the close that made room for it.
func Peak(t testing.TB, dir string) (stop func() int) {
	t.Helper()
	Under(t, dir)
	done, peak := make(chan struct{}), make(chan int, 1)
	go func() {
		m := 0
		// Sent however the goroutine ends: a listing that fails later
		// ends it in Skipf or Fatalf (runtime.Goexit), and stop would
		// otherwise wait for good.
		defer func() { peak <- m }()
		for {
			select {
			case <-done:
				return
			default:
			}
			m = max(m, Under(t, dir))
		}
	}()
	return func() int {
		close(done)
		return <-peak
	}
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
// Descriptors closed between listing and reading are left out. The
// listing's own descriptor stays open until every link is read: closed
// earlier, its number could be taken by a file opened meanwhile and
// counted though that file was not open when the listing was made.
func targets(t testing.TB, dir string) []string {
	t.Helper()
	d, err := os.Open(dir)
	var names []string
	if err == nil {
		defer d.Close()
		names, err = d.Readdirnames(-1)
	}
	if err != nil {
		testneed.Missing(t, "fdcount: cannot list open descriptors in %s: %v", dir, err)
		return nil
	}
	out := make([]string, 0, len(names))
	for _, n := range names {
		if l, err := os.Readlink(filepath.Join(dir, n)); err == nil {
			out = append(out, l)
		}
	}
	return out
}
