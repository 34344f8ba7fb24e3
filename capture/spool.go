package capture

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Responses larger than fetch's memory limit are spooled to files while
// they are recorded. They go to a folder of the run beside the WARC files,
// not to /tmp: a capture killed with -9 leaves the folder behind where the
// next capture into that folder, or `warcbox repair`, finds it and removes
// it. A lock held for the run's lifetime (released by the kernel when the
// process dies, however it dies) tells a live run's folder from a dead
// one's.

// spoolPrefix starts the name of every run's spool folder.
const spoolPrefix = ".warcbox-spool-"

// spoolLock is the lock file inside a run's spool folder.
const spoolLock = "lock"

// runSpool is the spool folder of a running capture.
type runSpool struct {
	dir  string
	lock *os.File
}

// openRunSpool makes the run's spool folder in dir and locks it.
func openRunSpool(dir string) (*runSpool, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	d, err := os.MkdirTemp(dir, spoolPrefix+"*")
	if err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(d, spoolLock), os.O_CREATE|os.O_RDWR, 0o644)
	if err == nil {
		var ok bool
		if ok, err = tryLock(f); err == nil && !ok {
			err = errors.New("lock held by another process")
		}
		if err != nil {
			f.Close()
		}
	}
	if err != nil {
		os.RemoveAll(d)
		return nil, fmt.Errorf("spool %s: %w", d, err)
	}
	return &runSpool{dir: d, lock: f}, nil
}

// Close removes the folder (what is left in it: nothing, when every
// exchange was closed) and releases the lock.
func (s *runSpool) Close() error {
	if s == nil {
		return nil
	}
	err := os.RemoveAll(s.dir)
	s.lock.Close()
	if err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	return nil
}

// RemovedSpool is a spool folder left by a capture that did not finish.
type RemovedSpool struct {
	Path  string `json:"removed"`
	Files int    `json:"files"` // spooled responses in it
	Bytes int64  `json:"bytes"`
}

// RemoveStaleSpools removes the spool folders in dir that no running
// capture holds (left by a kill -9, a crash or a power cut) and returns
// what it removed; with dryRun it only returns what it would remove.
func RemoveStaleSpools(dir string, dryRun bool) ([]RemovedSpool, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("stale spools in %s: %w", dir, err)
	}
	var out []RemovedSpool
	var errs []error
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), spoolPrefix) {
			continue
		}
		p := filepath.Join(dir, e.Name())
		stale, err := spoolStale(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !stale {
			continue
		}
		r := RemovedSpool{Path: p}
		files, _ := os.ReadDir(p)
		for _, f := range files {
			if f.Name() == spoolLock {
				continue
			}
			r.Files++
			if fi, err := f.Info(); err == nil {
				r.Bytes += fi.Size()
			}
		}
		if !dryRun {
			if err := os.RemoveAll(p); err != nil {
				errs = append(errs, fmt.Errorf("remove stale spool: %w", err))
				continue
			}
		}
		out = append(out, r)
	}
	return out, errors.Join(errs...)
}

// spoolStale reports whether no live capture holds the folder p.
func spoolStale(p string) (bool, error) {
	f, err := os.OpenFile(filepath.Join(p, spoolLock), os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		// Killed between making the folder and its lock: stale once it is
		// older than any such gap could be.
		fi, serr := os.Stat(p)
		return serr == nil && time.Since(fi.ModTime()) > time.Minute, nil
	}
	if err != nil {
		return false, fmt.Errorf("stale spool %s: %w", p, err)
	}
	defer f.Close() // closing releases the lock we may take
	ok, err := tryLock(f)
	if err != nil {
		return false, fmt.Errorf("stale spool %s: %w", p, err)
	}
	return ok, nil
}
