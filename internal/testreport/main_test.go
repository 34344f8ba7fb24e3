package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestReportGroupsSkipsAndPrintsFailures(t *testing.T) {
	evs := []event{
		{Action: "run", Package: "p", Test: "TestA"},
		{Action: "output", Package: "p", Test: "TestA", Output: "    a_test.go:12: corpus missing at /x/shared/corpus\n"},
		{Action: "output", Package: "p", Test: "TestA", Output: "--- SKIP: TestA (0.00s)\n"},
		{Action: "skip", Package: "p", Test: "TestA"},
		{Action: "output", Package: "p", Test: "TestB", Output: "    b_test.go:3: corpus missing at /x/shared/corpus\n"},
		{Action: "skip", Package: "p", Test: "TestB"},
		{Action: "output", Package: "p", Test: "TestC", Output: "    c_test.go:9: chromium is not installed\n"},
		{Action: "skip", Package: "p", Test: "TestC"},
		{Action: "output", Package: "p", Test: "TestD", Output: "    d_test.go:1: got 2, want 3\n"},
		{Action: "fail", Package: "p", Test: "TestD"},
		{Action: "output", Package: "p", Test: "TestE", Output: "quiet\n"},
		{Action: "pass", Package: "p", Test: "TestE"},
		{Action: "fail", Package: "p", Elapsed: 1.5},
		{Action: "pass", Package: "q", Elapsed: 0.25},
		{Action: "output", Package: "r", Output: "r_test.go:1:1: undefined: x\n"},
		{Action: "fail", Package: "r"},
	}
	var b strings.Builder
	r := &report{w: &b, tests: map[string]*testState{}, pkgOut: map[string][]string{}, reasons: map[string]int{}, failedIn: map[string]bool{}}
	for _, e := range evs {
		// Round-trip through JSON as go test -json would give them.
		raw, _ := json.Marshal(e)
		var back event
		if err := json.Unmarshal(raw, &back); err != nil {
			t.Fatal(err)
		}
		r.handle(back)
	}
	r.summary()
	out := b.String()
	for _, want := range []string{
		"got 2, want 3", "FAIL\tp\t1.500s", "ok  \tq\t0.250s",
		"3 tests skipped:", "     2  corpus missing at /x/shared/corpus", "     1  chromium is not installed",
		"undefined: x", "FAIL\tr", "tests: 1 passed, 2 failed, 3 skipped\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "quiet") {
		t.Errorf("a passing test's output was printed:\n%s", out)
	}
}
