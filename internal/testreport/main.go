// Command testreport runs `go test -json -count=1` over the packages given
// and prints what `go test` prints (a line per package, the output of
// failing tests), then why tests were skipped, grouped by reason, and one
// closing line "tests: N passed, N failed, N skipped".
//
// It exists because a plain `go test ./...` prints "ok" for packages whose
// tests all skipped for want of ../shared or chromium, and Go's test cache
// replays those skips after the data appears (files outside the module are
// not rechecked); -count=1 turns the cache off.
//
//	go run ./internal/testreport ./...
//	go run ./internal/testreport -run TestX ./replay
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strings"
)

type event struct {
	Action     string
	Package    string
	ImportPath string
	Test       string
	Elapsed    float64
	Output     string
}

// testState holds one test's output until it ends: printed if it fails,
// its last message kept as the reason if it skips.
type testState struct {
	out []string
}

type report struct {
	w                       io.Writer
	tests                   map[string]*testState // package + " " + test
	pkgOut                  map[string][]string   // package-level output (build errors, panics outside tests)
	passed, failed, skipped int
	reasons                 map[string]int
	failedIn                map[string]bool // packages with a failed test
}

var fileLine = regexp.MustCompile(`^\s*[\w./-]+\.go:\d+: `)

func (r *report) handle(e event) {
	key := e.Package + " " + e.Test
	switch e.Action {
	case "build-output":
		fmt.Fprint(r.w, e.Output)
	case "output":
		if e.Test == "" {
			r.pkgOut[e.Package] = append(r.pkgOut[e.Package], e.Output)
			return
		}
		st := r.tests[key]
		if st == nil {
			st = &testState{}
			r.tests[key] = st
		}
		st.out = append(st.out, e.Output)
	case "pass", "fail", "skip":
		if e.Test == "" {
			r.endPackage(e)
			return
		}
		st := r.tests[key]
		delete(r.tests, key)
		switch e.Action {
		case "pass":
			r.passed++
		case "fail":
			r.failed++
			r.failedIn[e.Package] = true
			if st != nil {
				for _, l := range st.out {
					fmt.Fprint(r.w, l)
				}
			}
		case "skip":
			r.skipped++
			r.reasons[skipReason(st)]++
		}
	}
}

func (r *report) endPackage(e event) {
	out := r.pkgOut[e.Package]
	delete(r.pkgOut, e.Package)
	switch e.Action {
	case "pass":
		fmt.Fprintf(r.w, "ok  \t%s\t%.3fs\n", e.Package, e.Elapsed)
	case "skip":
		fmt.Fprintf(r.w, "?   \t%s\t[no test files]\n", e.Package)
	case "fail":
		for _, l := range out {
			if !strings.HasPrefix(l, "FAIL") && !strings.HasPrefix(l, "ok ") {
				fmt.Fprint(r.w, l)
			}
		}
		fmt.Fprintf(r.w, "FAIL\t%s\t%.3fs\n", e.Package, e.Elapsed)
		// A package that fails without a failed test (it did not build,
		// or panicked outside a test) counts as one failure, so the
		// closing line never says 0 failed for a failed run.
		if !r.failedIn[e.Package] {
			r.failed++
		}
	}
}

// skipReason is the message a skipped test gave (its last line before
// "--- SKIP"), without the file:line prefix.
func skipReason(st *testState) string {
	if st == nil {
		return "(no reason given)"
	}
	for i := len(st.out) - 1; i >= 0; i-- {
		l := strings.TrimSpace(st.out[i])
		if l == "" || strings.HasPrefix(l, "--- SKIP") || strings.HasPrefix(l, "=== ") {
			continue
		}
		return strings.TrimSpace(fileLine.ReplaceAllString(st.out[i], ""))
	}
	return "(no reason given)"
}

func (r *report) summary() {
	if r.skipped > 0 {
		type reason struct {
			text string
			n    int
		}
		var rs []reason
		for t, n := range r.reasons {
			rs = append(rs, reason{t, n})
		}
		sort.Slice(rs, func(i, j int) bool { return rs[i].n > rs[j].n || rs[i].n == rs[j].n && rs[i].text < rs[j].text })
		fmt.Fprintf(r.w, "\n%d tests skipped:\n", r.skipped)
		for _, x := range rs {
			fmt.Fprintf(r.w, "  %4d  %s\n", x.n, x.text)
		}
		fmt.Fprintln(r.w, "(tests read real data from ../shared next to the clone; .ci/run installs chromium, wget, warcio.js, ReplayWeb.page, versitygw and Dask; under CI=true a missing part fails instead of skipping)")
	}
	fmt.Fprintf(r.w, "tests: %d passed, %d failed, %d skipped\n", r.passed, r.failed, r.skipped)
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	cmd := exec.Command("go", append([]string{"test", "-json", "-count=1"}, args...)...)
	cmd.Stderr = stderr
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(stderr, "testreport:", err)
		return 2
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(stderr, "testreport:", err)
		return 2
	}
	r := &report{w: stdout, tests: map[string]*testState{}, pkgOut: map[string][]string{}, reasons: map[string]int{}, failedIn: map[string]bool{}}
	sc := bufio.NewScanner(pipe)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			// go test prints some lines (vet, build errors) as plain text.
			fmt.Fprintln(stdout, sc.Text())
			continue
		}
		r.handle(e)
	}
	werr := cmd.Wait()
	r.summary()
	var ee *exec.ExitError
	switch {
	case werr == nil && r.failed == 0:
		return 0
	case errors.As(werr, &ee):
		return ee.ExitCode()
	default:
		return 1
	}
}
