package rewrite

import (
	"fmt"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

// Conformance with wabac.js test/rewriteJS.ts (wabac.js at its stored
// HEAD, cited by input) and the edge cases issue 13 found. wabac.js
// wraps scripts in a block that shadows window, document, location…;
// warcbox renames references to the window's location instead (see
// js.go), so each case states what must (or must not) be renamed and
// what an import resolves to. Every rewritten script must still parse:
// assertParse runs goja's parser and V8 over all of them.
func TestWabacRewriteJS(t *testing.T) {
	const p = "/prefix/20201226101010js_/"
	u := func() *URLRewriter {
		return NewURLRewriter("/prefix/", "20201226101010", "mp_", "https://example.com/some/path/index.html")
	}
	cases := []struct {
		in      string
		module  bool
		has     []string // substrings the output must hold
		hasNot  []string // and must not
		unmoved bool     // output must equal input
		// invalidInput: the suite's input is not a valid module itself
		// (exports an undeclared name), so its output is not parse-checked.
		invalidInput bool
	}{
		// wabac.js: this.location is rewritten
		{in: "a = 5\nthis.location = x;", has: []string{"this.WB_wombat_location = x"}},
		{in: "a = 5\n(this.location = x);", has: []string{"(this.WB_wombat_location = x)"}},
		{in: "function f() { return this.location }", has: []string{"return this.WB_wombat_location"}},
		{in: `location = "http://example.com/"`, has: []string{`WB_wombat_location = "http://example.com/"`}},
		{in: `function f() { const location = "http://example.com/" }`},
		{in: `function f() { let location = "http://example.com/"; }`},
		{in: "const location = foo.location", has: []string{"foo.WB_wombat_location"}},
		{in: "let location = window.location", has: []string{"window.WB_wombat_location"}},
		{in: "function f() { const location = this.location; }", has: []string{"this.WB_wombat_location"}},
		{in: "\n  class A {}\n  const B = 5;\n  let C = 4;\n  var D = 3;\n  location = \"http://example.com/2\"", has: []string{`WB_wombat_location = "http://example.com/2"`}},
		{in: "a = this.location.href; exports.Foo = Foo; /* export className */", has: []string{"this.WB_wombat_location.href"}},
		{in: "let a = document.location.href; var b = 5; const foo = 4", has: []string{"document.WB_wombat_location.href"}},
		{in: "let a = document.location.href, b = 1, c = 2;\nconst foo = 4, bar = 5", has: []string{"document.WB_wombat_location.href"}},
		{in: "\nconst y = document.location;\ndocument.write(x);", has: []string{"document.WB_wombat_location;"}},
		// wabac.js: imports
		{in: "import \"foo\";\na = this.location", module: true, has: []string{`import "foo"`, "this.WB_wombat_location"}},
		{in: "a = this.location\nexport { a };\n", module: true, invalidInput: true, has: []string{"this.WB_wombat_location", "export { a }"}},
		{in: "import{A, B} from \"https://example.com/\";import{C, D} from \"https://example.org\"\n", module: true,
			has: []string{`from "` + p + `https://example.com/"`, `from "` + p + `https://example.org"`}},
		{in: "import{A, B} from \"https://example.com/\";export{C, D} from \"/some/path/to/file\"\n", module: true,
			has: []string{`from "` + p + `https://example.com/"`, `export{C, D} from "` + p + `https://example.com/some/path/to/file"`}},
		{in: `import "https://example.com/file.js"`, module: true, has: []string{`import "` + p + `https://example.com/file.js"`}},
		{in: "\nimport {A, B}\n from\n \"https://example.com/file.js\"", module: true, has: []string{`"` + p + `https://example.com/file.js"`}},
		{in: "\nimport * as N from \"https://example.com/file.js\"\nimport A from \"http://example.com/path/file2.js\";\nimport {C, D} from \"./abc.js\";\nimport {X, Y} from \"../parent.js\";\nimport {E, F, G} from \"/path.js\";\nimport { Z } from \"../../../path.js\";\nB = await import(somefile);\n", module: true,
			has: []string{`"` + p + `https://example.com/file.js"`, `"` + p + `http://example.com/path/file2.js"`, `"` + p + `https://example.com/some/path/abc.js"`,
				`"` + p + `https://example.com/some/parent.js"`, `{E, F, G} from "` + p + `https://example.com/path.js"`, `{ Z } from "` + p + `https://example.com/path.js"`}},
		// wabac.js: not rewritten
		{in: "(function() { return \"export class foo\"; })\n", unmoved: true},
		{in: "import\"import.js\";import{A, B, C} from\"test.js\";(function() { frames[0].href = \"/abc\"; })", module: true, unmoved: true},
		{in: "\nfunction blah() {\n  const text = \"text: import a from B.js\";\n}\n", unmoved: true},
		{in: "\nfunction blah() {\n  const text = `\nimport a from \"https://example.com/B.js\"\n`;\n}\n", unmoved: true},
		{in: "a = location\nexport{ a, $ as b };\n", module: true, invalidInput: true, has: []string{"a = WB_wombat_location", "export{ a, $ as b }"}},
		{in: "\"use strict\";(function() {\n    const text = `\nexport { a };\n`;\n  })\n", unmoved: true},
		// issue 13: rewritten into syntax errors before
		{in: "import { location } from './x.js';\nlocation.reload();\nwindow.location.href = 'a';", module: true,
			has: []string{"import { location } from", "\nlocation.reload()", "window.WB_wombat_location.href"}, hasNot: []string{"location: WB_wombat_location"}},
		{in: "import { a as location, b } from './x.js'; location.go();", module: true, has: []string{"{ a as location, b }", " location.go()"}},
		{in: "import location from './x.js'; location.go();", module: true, has: []string{"import location from", " location.go()"}},
		{in: "import * as location from './x.js'; location.go();", module: true, has: []string{"* as location from", " location.go()"}},
		{in: "const location = 1;\nexport { location };", module: true, has: []string{"const WB_wombat_location = 1", "export { WB_wombat_location as location }"}},
		{in: "let location = 1, x = 2;\nexport { location as loc, x as location };", module: true, has: []string{"export { WB_wombat_location as loc, x as location }"}},
		{in: "export { location as loc } from './x.js';\nexport * as location from './y.js';", module: true, has: []string{"{ location as loc }", "* as location from"}},
		{in: "export default { location };", module: true, has: []string{"{ location: WB_wombat_location }"}},
		{in: "location: for (;;) { for (;;) { break location; } continue location; }", has: []string{"location: for", "break location;", "continue location;"}},
		{in: "location:\nwhile (a) { if (b) break location; location = '/x'; }", has: []string{"break location;", "WB_wombat_location = '/x'"}},
		{in: "while (a) { break\nlocation = '/x' }", has: []string{"WB_wombat_location = '/x'"}},
		{in: "var o = { location, other: location.href, location: 1, get location() { return 1 } };", has: []string{"{ location: WB_wombat_location,", "WB_wombat_location.href", "location: 1", "get location()"}},
		{in: "const { location } = window; ({ location = '/' } = obj);", has: []string{"{ location: WB_wombat_location }", "{ location: WB_wombat_location = '/' }"}},
		{in: "class A { location = 1; static location() {} get location() { return x?.location } }", has: []string{"x?.WB_wombat_location"}},
		{in: "a = b ? location : c; switch (x) { case location: break; }", has: []string{"? WB_wombat_location :", "case WB_wombat_location:"}},
		{in: "const s = `${location.href}/${'location'}`; /location/.test(s);", has: []string{"${WB_wombat_location.href}", "'location'", "/location/.test"}},
		{in: "export function f(a, {location}) { return location; }", module: true},
		// (a module only because goja's parser lacks dynamic import)
		{in: "import(\"./dyn.js\").then(m => m.location);", module: true, has: []string{`import("` + p + `https://example.com/some/path/dyn.js")`, "m.WB_wombat_location"}},
	}
	var srcs []jsSource
	for i, c := range cases {
		out := string(u().JS([]byte(c.in)))
		if c.unmoved && out != c.in {
			t.Errorf("%q was rewritten:\n%s", c.in, out)
		}
		for _, h := range c.has {
			if !strings.Contains(out, h) {
				t.Errorf("%q → %q lacks %q", c.in, out, h)
			}
		}
		for _, h := range c.hasNot {
			if strings.Contains(out, h) {
				t.Errorf("%q → %q holds %q", c.in, out, h)
			}
		}
		if c.invalidInput {
			continue
		}
		srcs = append(srcs, jsSource{Name: fmt.Sprintf("case %d", i), Src: out, Module: c.module})
	}
	assertParse(t, srcs)
}

// TestGoldenScriptsParse parses the rewritten golden scripts: app.js (a
// module) and the scripts of the rewritten HTML pages.
func TestGoldenScriptsParse(t *testing.T) {
	var srcs []jsSource
	b, err := osReadFile("testdata/golden/app.js.golden")
	if err != nil {
		t.Fatal(err)
	}
	srcs = append(srcs, jsSource{Name: "app.js.golden", Src: string(b), Module: true})
	for _, page := range []string{"page.html.golden", "nohead.html.golden", "latin1.html.golden"} {
		b, err := osReadFile("testdata/golden/" + page)
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range inlineScripts(string(b)) {
			srcs = append(srcs, jsSource{Name: fmt.Sprintf("%s script %d", page, i), Src: s.src, Module: s.module})
		}
	}
	assertParse(t, srcs)
}

type inlineScript struct {
	src    string
	module bool
}

// inlineScripts returns the text of a page's JavaScript <script>s.
func inlineScripts(page string) []inlineScript {
	var out []inlineScript
	z := xhtml.NewTokenizer(strings.NewReader(page))
	typ, in := "", false
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return out
		case xhtml.StartTagToken:
			tok := z.Token()
			in, typ = tok.Data == "script", ""
			for _, a := range tok.Attr {
				if a.Key == "type" {
					typ = strings.ToLower(a.Val)
				}
			}
		case xhtml.TextToken:
			if in && (scriptTypeIsJS(typ)) {
				out = append(out, inlineScript{string(z.Text()), typ == "module"})
			}
		default:
			in = false
		}
	}
}
