package testneed

import (
	"fmt"
	"testing"
)

// recorder notes a skip or a failure instead of ending the test.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper()                           {}
func (r *recorder) Skipf(format string, args ...any)  { r.skipped = fmt.Sprintf(format, args...) }
func (r *recorder) Fatalf(format string, args ...any) { r.failed = fmt.Sprintf(format, args...) }

func TestMissingSkipsOrFailsUnderCI(t *testing.T) {
	for _, ci := range []string{"", "false", "true"} {
		t.Setenv("CI", ci)
		r := &recorder{TB: t}
		Missing(r, "no %s", "chromium")
		if ci == "true" && (r.failed != "no chromium" || r.skipped != "") {
			t.Errorf("CI=true: failed %q, skipped %q; want a failure", r.failed, r.skipped)
		}
		if ci != "true" && (r.skipped != "no chromium" || r.failed != "") {
			t.Errorf("CI=%q: failed %q, skipped %q; want a skip", ci, r.failed, r.skipped)
		}
	}
}
