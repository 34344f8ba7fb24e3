package dateparser

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/warcbox/warcbox/third_party/go-dateparser/internal/regexp"
	"github.com/warcbox/warcbox/third_party/go-dateparser/internal/timezone"
	// The packages whose MustCompile patterns are checked, besides those this
	// package imports already.
	_ "github.com/warcbox/warcbox/third_party/go-dateparser/internal/data"
)

// The warcbox patch of internal/regexp compiles a MustCompile pattern on
// first use, so a bad pattern would panic in the middle of a parse instead
// of at start-up. Every pattern the packages register at initialisation
// must compile.
func TestPatchedRegexpPatternsAllCompile(t *testing.T) {
	patterns := regexp.Patterns()
	if len(patterns) < 4575 { // internal/data alone registers 4,575
		t.Fatalf("only %d patterns registered", len(patterns))
	}
	t.Logf("%d patterns", len(patterns))
	if errs := regexp.CompileAll(); len(errs) > 0 {
		for _, err := range errs {
			t.Error(err)
		}
	}
}

// ambiguousZones name two time zones each: the offset found is the first
// of the timezone list's entries that matches.
var ambiguousZones = []string{"9:00 ET/PT", "10:00 EST / 7:00 PST", "12:00 CET (11:00 WET)", "8:00 AEST, 6:00 AWST", "3:00 IST or BST"}

// The warcbox patch of internal/timezone tries the zones in a fixed order.
// Upstream built its list in Go's map order, which changes from one
// process to the next, so a string naming two zones got either offset.
// The test runs itself in 4 processes, each printing what the strings
// above give, and wants the same answers from all (before the patch, "9:00
// ET/PT" alone gave ET -18000 or PT -28800 about half the time each).
func TestPatchedTimezoneOrderSameEveryRun(t *testing.T) {
	if os.Getenv("WARCBOX_TZ_ORDER_CHILD") == "1" {
		for _, s := range ambiguousZones {
			rest, tz := timezone.PopTzOffset(s)
			fmt.Printf("%q -> %q %s %d\n", s, rest, tz.Name, tz.Offset)
		}
		return
	}
	var first string
	for i := 0; i < 4; i++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestPatchedTimezoneOrderSameEveryRun$", "-test.count=1")
		cmd.Env = append(os.Environ(), "WARCBOX_TZ_ORDER_CHILD=1")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("run %d: %v\n%s", i+1, err, out)
		}
		got := string(out)
		if i == 0 {
			first = got
			if !strings.Contains(got, `"9:00 ET/PT" -> "9:00 PT" ET -18000`) {
				t.Errorf("run 1: ET/PT not taken as ET, the first of the list in its order:\n%s", got)
			}
			continue
		}
		if got != first {
			t.Fatalf("run %d answered otherwise than run 1:\n%s\nrun 1:\n%s", i+1, got, first)
		}
	}
	t.Logf("4 runs, the same answers:\n%s", first)
}
