// Package testcorpus finds the shared corpus of real WARC files
// (../shared/corpus beside the repository) for tests.
package testcorpus

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/warcbox/warcbox/internal/testneed"
)

// Dir returns the corpus folder. When it is missing the test is skipped,
// except under CI=true, where it fails: CI always has it.
func Dir(t testing.TB) string {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(here), "..", "..", "..", "shared", "corpus")
	if _, err := os.Stat(dir); err != nil {
		testneed.Missing(t, "corpus missing at %s: %v", dir, err)
	}
	return dir
}

// File returns the path of a corpus file, given relative to the corpus.
func File(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(Dir(t), rel)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("corpus file missing: %v", err)
	}
	return p
}
