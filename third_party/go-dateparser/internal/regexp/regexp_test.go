package regexp

import (
	stdregex "regexp"
	"slices"
	"sync"
	"testing"
)

// A lazy Regexp answers as the standard library's, and a bad pattern
// panics at first use, as MustCompile did at once.
func TestPatchedRegexpLazy(t *testing.T) {
	const pat = `(?i)(\A|[^\pL\pM\d_])(\d+)\s*mons?(\z|[^\pL\pM\d_])`
	lazy, std := MustCompile(pat), stdregex.MustCompile(pat)
	if lazy.String() != pat {
		t.Errorf("String() = %q", lazy.String())
	}
	for _, s := range []string{"3 mons ago", "12mon", "no month", "7 MONS"} {
		if g, w := lazy.ReplaceAllString(s, "${1}${2} month${3}"), std.ReplaceAllString(s, "${1}${2} month${3}"); g != w {
			t.Errorf("%q: lazy %q, std %q", s, g, w)
		}
		if g, w := lazy.FindStringSubmatchIndex(s), std.FindStringSubmatchIndex(s); !slices.Equal(g, w) {
			t.Errorf("%q: lazy %v, std %v", s, g, w)
		}
	}
	bad := MustCompile(`(unclosed`) // no panic yet
	defer func() {
		if recover() == nil {
			t.Error("a bad pattern did not panic at first use")
		}
	}()
	bad.MatchString("x")
}

// An Extractor's workers parse dates at once, so a Regexp's first use (the
// compile) happens in several goroutines together: each gets the compiled
// expression, the same answers (run with -race).
func TestPatchedRegexpLazyConcurrentFirstUse(t *testing.T) {
	const pat = `(?i)(\d{1,2})\.\s*(jan|feb|mär|apr)\w*\s+(\d{4})`
	std := stdregex.MustCompile(pat)
	inputs := []string{"4. Februar 2022", "12. jan 2020", "kein Datum", "1.Apr 1999"}
	for round := range 20 {
		lazy := MustCompile(pat) // fresh: not compiled yet
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Go(func() {
				s := inputs[(w+round)%len(inputs)]
				if g, want := lazy.FindStringSubmatch(s), std.FindStringSubmatch(s); !slices.Equal(g, want) {
					t.Errorf("round %d, %q: lazy %q, std %q", round, s, g, want)
				}
			})
		}
		wg.Wait()
	}
}
