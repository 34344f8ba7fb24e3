package extract

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// caseOfX parses page and returns the computed text-transform of the
// element with id="x".
func caseOfX(t *testing.T, page string) textCase {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var x *html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && attr(n, "id") == "x" {
			x = n
		}
		for c := n.FirstChild; c != nil && x == nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if x == nil {
		t.Fatal("no element with id=x")
	}
	return readPageCase(doc).of(x.FirstChild)
}

func TestPageCaseCascade(t *testing.T) {
	const name = `<span id=x>Bob Fischer</span>`
	for _, tc := range []struct {
		name, page string
		want       textCase
	}{
		{"class rule", `<style>.by{text-transform:uppercase}</style><p class=by>` + name, caseUpper},
		{"no rule", `<style>.by{color:red}</style><p class=by>` + name, caseAsWritten},
		{"inherited from an ancestor", `<style>.meta { text-transform: uppercase }</style><div class=meta><p><a>` + name + `</a></p></div>`, caseUpper},
		{"a later none", `<style>.by{text-transform:uppercase}</style><style>.by{text-transform:none}</style><p class=by>` + name, caseAsWritten},
		{"an earlier but more specific none", `<style>div p.by{text-transform:none} .by{text-transform:uppercase}</style><div><p class=by>` + name, caseAsWritten},
		{"none on the child stops the inherited value", `<style>.meta{text-transform:uppercase} .meta span{text-transform:none}</style><div class=meta>` + name, caseAsWritten},
		{"lowercase on the child", `<style>.meta{text-transform:uppercase} #x{text-transform:lowercase}</style><div class=meta>` + name, caseLower},
		{"capitalize inherited", `<style>body{text-transform:capitalize}</style>` + name, caseCapitalize},
		{"inherit keeps the parent's", `<style>.meta{text-transform:uppercase} span{text-transform:inherit}</style><div class=meta>` + name, caseUpper},
		{"!important over a more specific rule", `<style>.by{text-transform:uppercase !important} #x{text-transform:none}</style><p class=by><span id=x class=by>Bob</span>`, caseUpper},
		{"! important with a space", `<style>.by span{text-transform:uppercase ! important} #x{text-transform:none}</style><p class=by>` + name, caseUpper},
		{"@media print is not a screen", `<style>@media print{.by{text-transform:uppercase}}</style><p class=by>` + name, caseAsWritten},
		{"<style media=print>", `<style media="print">.by{text-transform:uppercase}</style><p class=by>` + name, caseAsWritten},
		{"@media screen", `<style>@media screen and (min-width: 768px){.by{text-transform:uppercase}}</style><p class=by>` + name, caseUpper},
		{"@media all inside @supports", `<style>@supports (display:grid){@media all{.by{text-transform:uppercase}}}</style><p class=by>` + name, caseUpper},
		{"@media for a phone", `<style>@media (max-width:600px){.by{text-transform:uppercase}}</style><p class=by>` + name, caseAsWritten},
		{"@media not print", `<style>@media not print{.by{text-transform:uppercase}}</style><p class=by>` + name, caseUpper},
		{"a rule after a skipped @font-face and @media print", `<style>@font-face{font-family:x;src:url(a.woff)}@media print{.by{text-transform:none}}.by{text-transform:uppercase}</style><p class=by>` + name, caseUpper},
		{"commented out", `<style>/* .by{text-transform:uppercase} */</style><p class=by>` + name, caseAsWritten},
		{"comments inside the declaration", `<style>.by{/* a */text-transform:/* b */uppercase}</style><p class=by>` + name, caseUpper},
		{"a brace in a string", `<style>.q::after{content:"}"} .by{text-transform:uppercase}</style><p class=by>` + name, caseUpper},
		{"::first-letter styles a part", `<style>.by::first-letter{text-transform:uppercase}</style><p class=by>` + name, caseAsWritten},
		{":hover is not the page at rest", `<style>.by:hover{text-transform:uppercase}</style><p class=by>` + name, caseAsWritten},
		{"an unreadable selector drops its rule", `<style>.by, .a::-moz-selection{text-transform:uppercase}</style><p class=by>` + name, caseAsWritten},
		{"var() is not known before run time", `<style>.by{text-transform:var(--t)}</style><p class=by>` + name, caseAsWritten},
		{"style attribute", `<p><span id=x style="color:red; text-transform: uppercase">Bob</span>`, caseUpper},
		{"style attribute over an id rule", `<style>#x{text-transform:none}</style><span id=x style="text-transform:capitalize">bob</span>`, caseCapitalize},
		{"an !important rule over the style attribute", `<style>span{text-transform:uppercase!important}</style><span id=x style="text-transform:none">Bob</span>`, caseUpper},
		{"style attribute on an ancestor", `<div style="text-transform:uppercase"><p>` + name, caseUpper},
		{"nested rule not read as a declaration", `<style>.by{color:red; & .q{text-transform:none} text-transform:uppercase}</style><p class=by>` + name, caseUpper},
		{"child combinator", `<style>.meta > p > span{text-transform:uppercase}</style><div class=meta><p>` + name, caseUpper},
		{"child combinator, not a grandchild", `<style>.meta > span{text-transform:uppercase}</style><div class=meta><p>` + name, caseAsWritten},
		{"adjacent sibling", `<style>.by + span{text-transform:uppercase}</style><p><b class=by>By</b>` + name, caseUpper},
		{"general sibling", `<style>.by ~ span{text-transform:uppercase}</style><p><b class=by>By</b><i>x</i>` + name, caseUpper},
		{"sibling before is not after", `<style>span ~ .by{text-transform:uppercase}</style><p>` + name + `<b class=by>By</b>`, caseAsWritten},
		{":not of a compound", `<style>p span:not(.q){text-transform:uppercase}</style><p>` + name, caseUpper},
		{":nth-child", `<style>p span:nth-child(2n + 1){text-transform:uppercase}</style><p>` + name, caseUpper},
		{"template styles are not rendered", `<template><style>.by{text-transform:uppercase}</style></template><p class=by>` + name, caseAsWritten},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := caseOfX(t, tc.page); got != tc.want {
				t.Errorf("computed %d, want %d", got, tc.want)
			}
		})
	}
}

func TestTextCaseRender(t *testing.T) {
	for _, tc := range []struct {
		c        textCase
		in, want string
	}{
		{caseUpper, "Bob Fischer", "BOB FISCHER"},
		{caseUpper, "Víctor Castellanos", "VÍCTOR CASTELLANOS"},
		{caseUpper, "Jürgen Straße", "JÜRGEN STRASSE"}, // full case map, as browsers show ß
		{caseLower, "Bob FISCHER", "bob fischer"},
		{caseCapitalize, "jean o'neil de la rue", "Jean O'neil De La Rue"},
		{caseCapitalize, "r.c. baker", "R.C. Baker"},
		{caseAsWritten, "bob", "bob"},
	} {
		if got := tc.c.render(tc.in); got != tc.want {
			t.Errorf("%d.render(%q) = %q, want %q", tc.c, tc.in, got, tc.want)
		}
	}
}

func TestMediaApplies(t *testing.T) {
	for q, want := range map[string]bool{
		"":                                  true,
		"screen":                            true,
		"all":                               true,
		"print":                             false,
		"speech":                            false,
		"screen, print":                     true,
		"only screen and (min-width: 64em)": true,
		"(min-width: 1440px)":               false,
		"(max-width: 767px)":                false,
		"(width >= 768px)":                  true,
		"(width < 600px)":                   false,
		"(min-width: 1440px) or (orientation: landscape)": true,
		"not all and (monochrome)":                        false,
		"not print":                                       true,
		"(prefers-color-scheme: dark)":                    true,
	} {
		if got := mediaApplies(q); got != want {
			t.Errorf("mediaApplies(%q) = %v, want %v", q, got, want)
		}
	}
}

// extractRendered extracts page's metadata with Options.RenderedCase on.
func extractRendered(t *testing.T, page string) Article {
	t.Helper()
	a, err := New(Options{SkipBody: true, RenderedCase: true}).Extract(Page{HTML: []byte(page), URL: "https://ex.org/story", CaptureDate: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// A reader of the page sees the name as the page's own CSS renders it: the
// byline's class sets it in capitals in a <style> of the page, so with
// RenderedCase the name is given in capitals whichever source (JSON-LD
// here) it was chosen from. Without it, as the HTML writes it.
func TestAuthorAsRenderedByPageCSS(t *testing.T) {
	head := `<html><head><title>Story</title>
	<script type="application/ld+json">{"@type":"NewsArticle","headline":"Story","author":{"@type":"Person","name":"Bob Fischer"}}</script>`
	body := `</head><body><article><h1>Story</h1>
	<div class="meta"><span class="by">Von <a href="/author/bob">Bob Fischer</a></span></div>
	<p>` + strings.Repeat("Text of the story. ", 20) + `</p>
	<div class="bio"><h3>Über Bob Fischer</h3></div></article></body></html>`
	for _, tc := range []struct {
		name, style string
		want        string
	}{
		{"class rule", `<style>.meta .by a{text-transform:uppercase}</style>`, "BOB FISCHER"},
		// CSS property names are ASCII case-insensitive.
		{"property in mixed case", `<style>.meta .by a{Text-transform:uppercase}</style>`, "BOB FISCHER"},
		{"inherited from the byline's box", `<style>.meta{text-transform:uppercase;font-size:12px}</style>`, "BOB FISCHER"},
		{"overridden by a more specific none", `<style>.meta{text-transform:uppercase} .meta .by a{text-transform:none}</style>`, "Bob Fischer"},
		{"print only", `<style>@media print{.meta{text-transform:uppercase}}</style>`, "Bob Fischer"},
		// The rule sits in a stylesheet the page links to: not in the page,
		// so not seen.
		{"external stylesheet", `<link rel="stylesheet" href="/site.css">`, "Bob Fischer"},
		// Only the author box at the end is in capitals: the name was
		// read from the byline, which shows it as written.
		{"another element only", `<style>.bio{text-transform:uppercase}</style>`, "Bob Fischer"},
	} {
		page := head + tc.style + body
		if a := extractRendered(t, page); !slices.Equal(a.Authors, []string{tc.want}) {
			t.Errorf("%s: authors %q (from %s), want %q", tc.name, a.Authors, a.Sources["authors"], tc.want)
		}
	}
	// Where the page's CSS changes nothing of the name, the option gives
	// what the default gives (the HTML's case is asWritten's to judge).
	lower := head + `<style>.nav{text-transform:uppercase}</style>` + strings.Replace(strings.Replace(body, `>Bob Fischer</a>`, `>bob fischer</a>`, 1), `Über Bob Fischer`, `Über uns`, 1)
	if a, d := extractRendered(t, lower), extractMeta(t, lower, "https://ex.org/story"); !slices.Equal(a.Authors, d.Authors) {
		t.Errorf("no CSS on the byline: authors %q with the option, %q without", a.Authors, d.Authors)
	}
	// The default spells the name as the HTML writes it.
	checkAuthors(t, "default", head+`<style>.meta{text-transform:uppercase}</style>`+body, "https://ex.org/story", []string{"Bob Fischer"})

	// A style attribute on a byline that is itself the chosen source.
	page := `<html><head><title>Story</title></head><body><article><h1>Story</h1>
	<p class="byline">By <span style="text-transform: uppercase">Jane Doe</span></p>
	<p>` + strings.Repeat("Text of the story. ", 20) + `</p></article></body></html>`
	if a := extractRendered(t, page); !slices.Equal(a.Authors, []string{"JANE DOE"}) {
		t.Errorf("style attribute: authors %q (from %s), want JANE DOE", a.Authors, a.Sources["authors"])
	}
}

// A headline title is spelt as its <h1> shows it when all of its text has
// one computed text-transform; mixed transforms keep it as written.
func TestTitleAsRenderedByPageCSS(t *testing.T) {
	for _, tc := range []struct {
		name, page, want string
	}{
		{"h1 rule", `<style>article h1{text-transform:uppercase}</style><article><h1>Straße nach Rom</h1>`, "STRASSE NACH ROM"},
		{"capitalize", `<style>.t{text-transform:capitalize}</style><article><h1 class=t>the road to rome</h1>`, "The Road To Rome"},
		{"part of it only", `<style>.k{text-transform:uppercase}</style><article><h1><span class=k>Rom:</span> die Straße</h1>`, "Rom: die Straße"},
		{"no rule", `<article><h1>Straße nach Rom</h1>`, "Straße nach Rom"},
	} {
		page := `<html><head><title>x</title></head><body>` + tc.page + `<p>` + strings.Repeat("Text of the story. ", 20) + `</p></article></body></html>`
		if a := extractRendered(t, page); a.Title != tc.want {
			t.Errorf("%s: title %q (from %s), want %q", tc.name, a.Title, a.Sources["title"], tc.want)
		}
	}
}

func TestSplitCompounds(t *testing.T) {
	for sel, want := range map[string]string{
		"div":                    "div",
		"div p.a  span":          "div| |p.a| |span",
		"div > p.a>span":         "div|>|p.a|>|span",
		"a + b ~ c":              "a|+|b|~|c",
		`a[title="x > y"] b`:     `a[title="x > y"]| |b`,
		"li:nth-child(2n + 1) a": "li:nth-child(2n + 1)| |a",
		"> a":                    "",
		"a >":                    "",
		"a > > b":                "",
		`.x\ y z`:                `.x\ y| |z`,
	} {
		parts, combs := splitCompounds(sel)
		var got []string
		for i, p := range parts {
			if i > 0 {
				got = append(got, string(combs[i-1]))
			}
			got = append(got, p)
		}
		if g := strings.Join(got, "|"); g != want {
			t.Errorf("splitCompounds(%q) = %q, want %q", sel, g, want)
		}
	}
}

// A page may pair a deep tree with selectors that a matcher trying every
// ancestor at every step takes exponential time on ("span div div …" on
// divs alone); the memo and the work budget keep it bounded, and once
// the budget is spent the page is taken as written.
func TestPageCaseHostileSelectors(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("<style>")
	for i := range maxCaseRules + 10 {
		sb.WriteString("span div div div div div div div div div div div div .c" + strconv.Itoa(i) + " div div div div div div div{text-transform:uppercase}\n")
	}
	sb.WriteString("</style>")
	sb.WriteString(strings.Repeat("<div>", 500)) // x/net/html allows 512 open elements
	sb.WriteString(`<b id=x>deep</b>`)
	c := caseOfX(t, sb.String())
	if c != caseAsWritten {
		t.Errorf("computed %d, want as written (no rule matches)", c)
	}
	doc, _ := html.Parse(strings.NewReader(sb.String()))
	if pc := readPageCase(doc); len(pc.decls) != maxCaseRules {
		t.Errorf("%d rules kept, want the bound %d", len(pc.decls), maxCaseRules)
	}
}

// TestPageCaseSelectorsCascadiaWalks: a compound that cascadia matches by
// walking more than the element must not cost one unit of the budget. A
// complex selector inside any :not() (the second one, or one written with
// a newline) is refused as the first :not() is; :lang() walks the
// ancestors and :empty the children, and the budget is charged for them.
func TestPageCaseSelectorsCascadiaWalks(t *testing.T) {
	for _, sel := range []string{
		".q:not(.a):not(span div)",
		".q:not(span\ndiv)",
		".q:not(span\tdiv)",
		`.q:\6eot(span div)`,
	} {
		if _, ok := compileSelectors(sel); ok {
			t.Errorf("%q compiled: cascadia would match it unbounded", sel)
		}
	}
	if _, ok := compileSelectors(".q:not(.a):not(.b) span"); !ok {
		t.Errorf(".q:not(.a):not(.b) span refused")
	}

	spent := func(t *testing.T, page string) int {
		t.Helper()
		doc, err := html.Parse(strings.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		pc := readPageCase(doc)
		if len(pc.decls) == 0 {
			t.Fatal("no rule read")
		}
		var deepest *html.Node
		for n := doc; n != nil; n = n.LastChild {
			if n.Type == html.ElementNode {
				deepest = n
			}
		}
		pc.of(deepest)
		return maxMatchWork - pc.work
	}
	const depth = 200
	page := "<style>div:lang(xx){text-transform:uppercase}</style><body>" + strings.Repeat("<div>", depth) + "<b>x</b>"
	// cascadia walks every ancestor of each div it tries: depth²/2 steps.
	if got := spent(t, page); got < depth*depth/2 {
		t.Errorf(":lang: %d work charged, want at least the %d ancestors cascadia walks", got, depth*depth/2)
	}
	const kids = 5000
	page = "<style>p:empty{text-transform:uppercase}</style><body><p>" + strings.Repeat("<!---->", kids) + "</p>"
	if got := spent(t, page); got < kids {
		t.Errorf(":empty: %d work charged, want at least the %d children cascadia walks", got, kids)
	}
}

// TestPageCaseMemoBounded: a chain of child combinators stores a memo
// entry per step of its walk; within the work budget that was 940,000
// entries (110 MB) for one page. The memo stops growing at its bound.
func TestPageCaseMemoBounded(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("<style>")
	for i := range maxCaseRules {
		sb.WriteString(".c" + strconv.Itoa(i) + " > * > * > * > * > * > * > * > *{text-transform:uppercase}\n")
	}
	sb.WriteString("</style>" + strings.Repeat("<div>", 500) + "<b id=x>deep</b>")
	doc, err := html.Parse(strings.NewReader(sb.String()))
	if err != nil {
		t.Fatal(err)
	}
	pc := readPageCase(doc)
	var deepest *html.Node
	for n := doc; n != nil; n = n.LastChild {
		if n.Type == html.ElementNode {
			deepest = n
		}
	}
	if c := pc.of(deepest); c != caseAsWritten {
		t.Errorf("computed %d, want as written (no rule matches)", c)
	}
	if len(pc.matched) > maxMatchMemo {
		t.Errorf("%d memo entries, want at most %d", len(pc.matched), maxMatchMemo)
	}
}
