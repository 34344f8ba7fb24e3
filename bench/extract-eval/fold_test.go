package main

import "testing"

// Case and list separators fold; names, their order and their spelling do
// not.
func TestFoldAuthors(t *testing.T) {
	for _, tc := range []struct {
		label, got string
		same       bool
	}{
		{"BOB FISCHER", "Bob Fischer", true},
		{"David Brand and Ramsey Khalifeh", "David Brand; Ramsey Khalifeh", true},
		{"CLARA LÖW, SIDDHARTH PRAKASH & KLAUS JACOB", "Clara Löw; Siddharth Prakash; Klaus Jacob", true},
		{"Rudolf Fischer, Simon Kohler", "Simon Kohler; Rudolf Fischer", false},
		{"Alexandra Illina", "Alexandra Ilina", false},
		{"Grant Tinsley", "Grant Tinsley, PhD", false},
		{"Sandra Anderson", "Sandra; erson", false},
	} {
		if got := foldAuthors(tc.label) == foldAuthors(tc.got); got != tc.same {
			t.Errorf("fold(%q) == fold(%q): %v, want %v", tc.label, tc.got, got, tc.same)
		}
	}
}
