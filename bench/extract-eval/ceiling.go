package main

import (
	"fmt"
	"strings"

	"github.com/warcbox/warcbox/extract"
)

// ceiling counts, per half, the labelled pages where at least one candidate
// of a field already carries the label exactly as it is scored. It bounds
// what a better choice among candidates alone can reach; the pages beyond it
// need a better reader.
type ceiling struct {
	offered, labelled map[string]int // half → pages
}

func newCeiling() *ceiling {
	return &ceiling{offered: map[string]int{}, labelled: map[string]int{}}
}

// add counts one labelled page; value reads a candidate as the field is
// scored (authors: the names joined "; ").
func (c *ceiling) add(half, want string, cands []extract.Candidate, value func(extract.Candidate) string) {
	want = ws(want)
	if want == "" {
		return
	}
	c.labelled[half]++
	for _, cand := range cands {
		if ws(value(cand)) == want {
			c.offered[half]++
			return
		}
	}
}

func (c *ceiling) String() string {
	var b strings.Builder
	for i, h := range halves {
		if i > 0 {
			b.WriteString("  ")
		}
		fmt.Fprintf(&b, "%c %d/%d", strings.ToUpper(h[:1])[0], c.offered[h], c.labelled[h])
	}
	return b.String()
}
