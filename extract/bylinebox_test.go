package extract

import "testing"

// A class naming a comment section, a caption, a credit or related
// articles marks a box beside the article, whose bylines name other
// writers. A box that holds the article is none of these, whatever its
// class says: WordPress plug-ins class <body> "wp-featherlight-captions"
// or "…-comments-…", layouts class a wrapper "pageLayout--related", and
// single-page apps fix their whole page in place. Such a page's byline
// is read; a real side box (related posts, a comment list, a fixed
// pop-up) beside the article still is not.
func TestAuthorBoxHoldingTheArticleIsRead(t *testing.T) {
	const byline = `<p>By <a href="/authors/jane-muster">Jane Muster</a></p><p>` + longText + `</p>`
	const other = `<p>By <a href="/authors/nils-beispiel">Nils Beispiel</a></p>`
	for _, tc := range []struct {
		name, page string
		want       []string
	}{
		{"body class names captions",
			`<body class="post-template wp-featherlight-captions"><article><h1>Story of the day</h1>` + byline + `</article></body>`,
			[]string{"Jane Muster"}},
		{"html class names comments",
			`<body class="single"><article><h1>Story of the day</h1>` + byline + `</article></body>`,
			[]string{"Jane Muster"}},
		{"wrapper of the headline classed related",
			`<body><div id="page" class="pageLayout--related"><div class="content"><h1>Story of the day</h1>` + byline + `</div></div></body>`,
			[]string{"Jane Muster"}},
		{"main classed comments-open",
			`<body><main class="comments-open"><h1>Story of the day</h1>` + byline + `</main></body>`,
			[]string{"Jane Muster"}},
		{"article classed with-credits",
			`<body><article class="entry with-credits"><h1>Story of the day</h1>` + byline + `</article></body>`,
			[]string{"Jane Muster"}},
		{"fixed wrapper of the headline",
			`<body><div id="app" style="position: fixed; inset: 0; overflow: auto"><h1>Story of the day</h1>` + byline + `</div></body>`,
			[]string{"Jane Muster"}},
		{"related posts beside the article",
			`<body class="wp-featherlight-captions"><article><h1>Story of the day</h1><p>` + longText + `</p></article><div class="related-posts">` + other + `</div></body>`,
			nil},
		{"related article beside the article",
			`<body><main><article><h1>Story of the day</h1><p>` + longText + `</p></article><article class="related">` + other + `</article></main></body>`,
			nil},
		{"comment list inside the article",
			`<body><article class="post"><h1>Story of the day</h1><p>` + longText + `</p><ol class="comment-list"><li>` + other + `</li></ol></article></body>`,
			nil},
		{"fixed pop-up beside the article",
			`<body><article><h1>Story of the day</h1><p>` + longText + `</p></article><div style="position:fixed">` + other + `</div></body>`,
			nil},
	} {
		html := `<html><head><title>Story of the day</title></head>` + tc.page + `</html>`
		if tc.name == "html class names comments" {
			html = `<html class="comments-open"><head><title>Story of the day</title></head>` + tc.page + `</html>`
		}
		checkAuthors(t, tc.name, html, "https://www.planet.example/story", tc.want)
	}
}
