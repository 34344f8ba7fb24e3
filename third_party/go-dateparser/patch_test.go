package dateparser

import (
	"testing"

	"github.com/warcbox/warcbox/third_party/go-dateparser/internal/regexp"
	// The packages whose MustCompile patterns are checked, besides those this
	// package imports already.
	_ "github.com/warcbox/warcbox/third_party/go-dateparser/internal/data"
	_ "github.com/warcbox/warcbox/third_party/go-dateparser/internal/timezone"
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
