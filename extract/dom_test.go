package extract

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestWalkLines: the one walker of lines gives, for the body's paragraphs
// and the rights-line reader alike, each line's text, the element holding
// its first text and its block, by the flow each caller sets.
func TestWalkLines(t *testing.T) {
	page := `<html><head><title>T</title></head><body>` +
		`<div id=a>One <b>two</b><br>three</div>` +
		`<p id=b> </p>` +
		`<table><tr><td>c1</td><td>c2</td></tr></table>` +
		`<figure><figcaption>Photo: X</figcaption></figure>` +
		`<section id=c><span>© 2019 Jane Doe</span><script>var x</script></section></body></html>`
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	show := func(ls []textLine) []string {
		var out []string
		seen := map[int]int{} // blocks numbered as they come: 0, 1, 2…
		for _, l := range ls {
			if _, ok := seen[l.block]; !ok {
				seen[l.block] = len(seen)
			}
			id := ""
			if l.n != nil {
				id = l.n.Data + "#" + attr(l.n, "id")
			}
			out = append(out, fmt.Sprintf("%d %s %q", seen[l.block], id, l.s))
		}
		return out
	}
	var body []textLine
	walkLines(doc, lineWalk{flow: blockFlow, skip: func(n *html.Node) bool { return unrendered(n) }}, func(l textLine) { body = append(body, l) })
	// blockFlow: <title>'s text runs into the head's block; cells are set
	// apart by a space, not broken; the figure is a block of its own.
	want := []string{`0 title# "T"`, `1 div#a "One two"`, `1 div#a "three"`, `2 td# "c1 c2"`,
		`3 figcaption# "Photo: X"`, `4 span# "© 2019 Jane Doe"`}
	if got := show(body); !slices.Equal(got, want) {
		t.Errorf("blockFlow lines\n%q\nwant\n%q", got, want)
	}
	if got, want := blockTexts(doc, nil), []string{"T", "One two\nthree", "c1 c2", "Photo: X", "© 2019 Jane Doe"}; !slices.Equal(got, want) {
		t.Errorf("blockTexts %q, want %q", got, want)
	}
	// everyBlock: every cell is a block; figures are not read.
	got := show(visibleLines(doc))
	want = []string{`0 div#a "One two"`, `0 div#a "three"`, `1 td# "c1"`, `2 td# "c2"`, `3 span# "© 2019 Jane Doe"`}
	if !slices.Equal(got, want) {
		t.Errorf("visibleLines\n%q\nwant\n%q", got, want)
	}
}
