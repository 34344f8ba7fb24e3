package main

import (
	"strings"
	"testing"

	"github.com/warcbox/warcbox/extract"
)

// A page counts when any candidate, not only the first, equals the label as
// scored (names joined "; ", spaces folded); a near miss, a subset of the
// label or an unlabelled page does not count.
func TestCeilingCountsPagesWhereACandidateOffersTheLabel(t *testing.T) {
	join := func(c extract.Candidate) string { return strings.Join(c.Values, "; ") }
	c := newCeiling()
	c.add(tuning, "Jane Doe; John Roe", []extract.Candidate{
		{Kind: extract.KindMeta, Values: []string{"Example News"}},
		{Kind: extract.KindByline, Values: []string{"Jane  Doe", "John Roe"}},
	}, join)
	c.add(tuning, "Jane Doe; John Roe", []extract.Candidate{{Values: []string{"Jane Doe"}}}, join)
	c.add(tuning, "", []extract.Candidate{{Values: []string{"Jane Doe"}}}, join)
	c.add(validation, "Sven Schreivogel", []extract.Candidate{{Values: []string{"Sven Schreivogel"}}}, join)
	c.add(validation, "Sven Schreivogel", []extract.Candidate{{Values: []string{"sven schreivogel"}}}, join)
	c.add(validation, "Gregory Szorc", nil, join)

	if c.offered[tuning] != 1 || c.labelled[tuning] != 2 {
		t.Errorf("tuning: %d/%d, want 1/2", c.offered[tuning], c.labelled[tuning])
	}
	if c.offered[validation] != 1 || c.labelled[validation] != 3 {
		t.Errorf("validation: %d/%d, want 1/3", c.offered[validation], c.labelled[validation])
	}
	if got, want := c.String(), "T 1/2  V 1/3"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}
