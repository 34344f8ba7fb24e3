package regexp

import (
	stdregex "regexp"
	"slices"
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
