// Package evalset reads ../shared/extract-eval, the public extraction sets
// with ground truth that bench/extract-eval scores and bench/records/evaldump
// dumps: one home for where the sets live and how a page is stored.
package evalset

import (
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// DefaultDir finds ../shared/extract-eval from the repository root or from
// a package folder below it (go test runs in the package's folder). It looks
// only beside the checkout, never at a path of one machine: a clone elsewhere
// must not score against sets that are not its own.
func DefaultDir() string {
	for _, d := range []string{"../shared/extract-eval", "../../shared/extract-eval", "../../../shared/extract-eval"} {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d
		}
	}
	return "../shared/extract-eval"
}

// ReadPage returns the HTML of a set's page file. The sets keep pages
// gzipped under tests/eval, tests/cache or tests/test_set, depending on the
// set and its age.
func ReadPage(setDir, file string) ([]byte, error) {
	var lastErr error
	for _, sub := range []string{"eval", "cache", "test_set"} {
		f, err := os.Open(filepath.Join(setDir, "tests", sub, file+".gz"))
		if err != nil {
			lastErr = err
			continue
		}
		defer f.Close()
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", f.Name(), err)
		}
		b, err := io.ReadAll(zr)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", f.Name(), err)
		}
		return b, nil
	}
	return nil, fmt.Errorf("read page %s of %s: %w", file, setDir, lastErr)
}
