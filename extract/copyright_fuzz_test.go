package extract

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzRightsHolder holds rightsHolder (631ffce), a reader of arbitrary
// footer text, to what its callers assume: no panic, and a holder that is
// a run of the line's own words, trimmed as collapseSpace trims, never more than the line.
func FuzzRightsHolder(f *testing.F) {
	for _, s := range []string{"© 2019 Jane Doe", "Copyright (c) 2012- Jane Doe.", "2006-2008 by Jane Doe",
		"© Jane Q. Doe | Impressum", "(c)(c) copyright 2020 — ", "Copyright", "© 2020 Example GmbH. All rights reserved.",
		"1999 by ", "©\u00a02021\u2009J. Doe – Kontakt"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // the page's text is decoded to UTF-8 before it is read
		}
		h, _ := rightsHolder(s)
		if h == "" {
			return
		}
		if h != collapseSpace(h) || len(h) > len(s) {
			t.Fatalf("rightsHolder(%q) = %q: untrimmed or longer than the line", s, h)
		}
		if !strings.Contains(collapseSpace(s), h) {
			t.Fatalf("rightsHolder(%q) = %q: not a run of the line's words", s, h)
		}
	})
}
