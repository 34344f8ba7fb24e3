package extract

import (
	"slices"
	"testing"
)

// A personal site's footer names its owner: with no byline and no
// structured author, that name is the author. A company's footer, a footer
// repeating the site's own name and a page with a byline give nothing from
// the footer.
func TestCopyrightLineNamesThePersonalSitesAuthor(t *testing.T) {
	const article = `<h1>Reflections on a migration</h1><article><p>It took us ten years to move the code base to the new language version, and this is what we learned along the way.</p><p>Most of the work was in the tests.</p></article>`
	for _, tc := range []struct {
		name, url, html string
		want            []string
	}{
		{"personal footer", "https://blog.example.org/2020/01/migration",
			`<html><head><title>Reflections on a migration</title></head><body>` + article +
				`<div id="footer"><hr><p>Copyright (c) 2012- Jane Q. Doe. All rights reserved. Design by <a href="/t">CSS Templates</a>.</p></div></body></html>`,
			[]string{"Jane Q. Doe"}},
		{"last block of body, years by", "https://blog.example.org/2008/07/migration",
			`<html><head><title>Reflections on a migration</title></head><body><div id="page">` + article + `</div>` +
				`<div id="credits"><p><small>(<a href="https://creativecommons.org/licenses/by/2.0/" rel="license">CC licence</a>) 2006-2008 by Martin Weber<br>Hosted by <a href="/h">Host</a></small></p></div></body></html>`,
			[]string{"Martin Weber"}},
		{"company footer", "https://news.example.com/2024/01/migration",
			`<html><head><title>Reflections on a migration</title></head><body>` + article +
				`<footer><p>© 2024 Example Media GmbH</p></footer></body></html>`,
			nil},
		{"footer names the site", "https://news.example.com/2024/01/migration",
			`<html><head><title>Reflections on a migration</title><meta property="og:site_name" content="Example Herald"></head><body>` + article +
				`<footer><p>© 2024 Example Herald</p></footer></body></html>`,
			nil},
		{"footer names the host's brand", "https://www.example.com/2024/01/migration",
			`<html><head><title>Reflections on a migration</title></head><body>` + article +
				`<footer><span>© 2024 Example Media</span></footer></body></html>`,
			nil},
		{"personal site at its owner's name", "https://janedoe.com/2024/01/migration",
			`<html><head><title>Reflections on a migration</title></head><body>` + article +
				`<footer><span>© 2024 Jane Doe</span></footer></body></html>`,
			[]string{"Jane Doe"}},
		{"a handle the byline shows wins", "https://blog.example.org/2020/01/migration",
			`<html><head><title>Reflections on a migration</title></head><body><h1>Reflections on a migration</h1><p class="byline">jdoe</p>` + article[len(`<h1>Reflections on a migration</h1>`):] +
				`<footer><p>© 2019 Jane Doe</p></footer></body></html>`,
			[]string{"jdoe"}},
		{"byline wins", "https://blog.example.org/2020/01/migration",
			`<html><head><title>Reflections on a migration</title></head><body><h1>Reflections on a migration</h1><p class="byline">By John Roe</p>` + article[len(`<h1>Reflections on a migration</h1>`):] +
				`<footer><p>© 2019 Jane Doe</p></footer></body></html>`,
			[]string{"John Roe"}},
		{"a photo credit is not the footer", "https://blog.example.org/2020/01/migration",
			`<html><head><title>Reflections on a migration</title></head><body>` + article +
				`<figure><img src="/a.jpg"><figcaption>© 2019 Jane Doe</figcaption></figure><p>More text follows the picture here.</p></body></html>`,
			nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := New(Options{}).Extract(Page{HTML: []byte(tc.html), URL: tc.url})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(a.Authors, tc.want) {
				t.Errorf("authors %q, want %q (source %q)", a.Authors, tc.want, a.Sources["authors"])
			}
		})
	}
}

func TestRightsHolder(t *testing.T) {
	for _, tc := range []struct {
		line, want string
		marked     bool
	}{
		{"© 2019 Sven Schreivogel", "Sven Schreivogel", true},
		{"Copyright (c) 2012- Gregory Szorc. All rights reserved.", "Gregory Szorc", true},
		{"(CC licence) 2006-2008 by Martin Weber", "Martin Weber", false},
		{"Copyright © 2024 Jane Doe | Impressum", "Jane Doe", true},
		{"Posted in 2019 and updated since", "", false},
	} {
		got, marked := rightsHolder(tc.line)
		if got != tc.want || (got != "" && marked != tc.marked) {
			t.Errorf("rightsHolder(%q) = %q, %v; want %q, %v", tc.line, got, marked, tc.want, tc.marked)
		}
	}
}

// The rights line is the page's last: on a page of more lines than
// visibleLines keeps, the lines kept are the last ones, so the footer is
// still read (before, the first maxRightsLines were kept and the footer
// fell outside them).
func TestCopyrightLineOfAVeryLongPage(t *testing.T) {
	var body []byte
	for i := 0; i < maxRightsLines+10; i++ {
		body = append(body, "line of a very long list<br>"...)
	}
	page := `<html><head><title>Reflections on a migration</title></head><body><h1>Reflections on a migration</h1><article><p>` +
		string(body) + `</p></article><footer><p>© 2024 Jane Doe</p></footer></body></html>`
	checkAuthors(t, "", page, "https://blog.example.org/2024/01/migration", []string{"Jane Doe"})
}
