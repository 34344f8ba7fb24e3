// Package testneed stops a test that lacks a real part it needs (a
// browser, a server, a tool, the shared data): skipped on a developer's
// machine, failed under CI=true, where .ci/run installs every part, so a
// missing one means the test went unchecked.
package testneed

import (
	"fmt"
	"os"
	"testing"
)

// Missing skips the test, or fails it under CI=true, saying what is
// missing.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf(format, args...)
		return
	}
	t.Skipf(format, args...)
}

// Recorder is a testing.TB that notes Skipf and Fatalf instead of ending
// the test: a package's own test of its Missing call (no /proc, no tool)
// sees which one it chose under each CI setting.
type Recorder struct {
	testing.TB
	SkipMsg, FatalMsg string
}

func (r *Recorder) Helper()                           {}
func (r *Recorder) Skipf(format string, args ...any)  { r.SkipMsg = fmt.Sprintf(format, args...) }
func (r *Recorder) Fatalf(format string, args ...any) { r.FatalMsg = fmt.Sprintf(format, args...) }
