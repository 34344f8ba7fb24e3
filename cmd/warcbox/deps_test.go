package main

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/warcbox/warcbox/internal/testneed"
)

// The binary builds with the patched copies in third_party (PATCHES.md
// there): upstream go-dateparser compiles 4,575 regexps at package init
// (~0.4 CPU-s and ~90 MB allocated in every process, `warcbox --version`
// included) and upstream go-htmldate brings it in. They stay in tests and
// benchmarks only, as the peers the patched copies are compared with.
func TestBinaryDepsArePatchedCopies(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		testneed.Missing(t, "go tool not found: %v", err)
	}
	out, err := exec.Command(goTool, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 100 {
		t.Fatalf("go list -deps listed only %d packages", len(deps))
	}
	wantPatched := map[string]bool{}
	for _, d := range deps {
		for _, up := range []string{"github.com/markusmobius/go-dateparser", "github.com/markusmobius/go-htmldate", "github.com/markusmobius/go-trafilatura", "github.com/RadhiFadlillah/whatlanggo"} {
			if d == up || strings.HasPrefix(d, up+"/") {
				t.Errorf("warcbox's binary imports upstream %s (use third_party's patched copy)", d)
			}
		}
		switch d {
		case "github.com/warcbox/warcbox/third_party/go-dateparser", "github.com/warcbox/warcbox/third_party/go-htmldate",
			"github.com/warcbox/warcbox/third_party/go-trafilatura", "github.com/warcbox/warcbox/third_party/whatlanggo":
			wantPatched[d] = true
		}
	}
	if len(wantPatched) != 4 {
		t.Errorf("patched copies in the binary: %v, want go-dateparser, go-htmldate, go-trafilatura and whatlanggo", wantPatched)
	}
}
