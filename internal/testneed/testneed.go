// Package testneed stops a test that lacks a real part it needs (a
// browser, a server, a tool, the shared data): skipped on a developer's
// machine, failed under CI=true, where .ci/run installs every part, so a
// missing one means the test went unchecked.
package testneed

import (
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
