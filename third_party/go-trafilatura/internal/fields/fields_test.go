// warcbox patch (see PATCHES.md): fields.Join and Counter held to the
// standard library's strings.Join(strings.Fields(s), " ").
package fields

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzJoin(f *testing.F) {
	for _, s := range []string{"", " ", "a", " a", "a ", "a b", "a  b", "a\tb", "a\u00a0b", "\u2003a\u3000", "\xe2\x82", "a\xc2", "\xc2\xa0x", "x\u0085"} {
		f.Add(s, "b c")
	}
	f.Fuzz(func(t *testing.T, s, s2 string) {
		want := strings.Join(strings.Fields(s), " ")
		if got := Join(s); got != want {
			t.Fatalf("Join(%q) = %q, want %q", s, got, want)
		}
		if Normal(s) != (want == s) {
			t.Fatalf("Normal(%q) = %v", s, Normal(s))
		}
		var c Counter
		ok := c.Add(s) && c.Add(s2)
		if ok != (utf8.ValidString(s) && utf8.ValidString(s2)) {
			t.Fatalf("Add(%q, %q) = %v", s, s2, ok)
		}
		if ok {
			if want := utf8.RuneCountInString(strings.Join(strings.Fields(s+s2), " ")); c.Len() != want {
				t.Fatalf("Counter(%q, %q) = %d, want %d", s, s2, c.Len(), want)
			}
		}
	})
}
