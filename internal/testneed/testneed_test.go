package testneed

import (
	"testing"
)

func TestMissingSkipsOrFailsUnderCI(t *testing.T) {
	for _, ci := range []string{"", "false", "true"} {
		t.Setenv("CI", ci)
		r := &Recorder{TB: t}
		Missing(r, "no %s", "chromium")
		if ci == "true" && (r.FatalMsg != "no chromium" || r.SkipMsg != "") {
			t.Errorf("CI=true: failed %q, skipped %q; want a failure", r.FatalMsg, r.SkipMsg)
		}
		if ci != "true" && (r.SkipMsg != "no chromium" || r.FatalMsg != "") {
			t.Errorf("CI=%q: failed %q, skipped %q; want a skip", ci, r.FatalMsg, r.SkipMsg)
		}
	}
}
