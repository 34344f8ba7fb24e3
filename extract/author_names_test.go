package extract

import "testing"

// A link in a cookie or consent pop-up ("Powered by GDPR Cookie
// Compliance", the plug-in's page) is no byline: the page marks the box as
// standing apart from the article (an ARIA dialog, aside or menu role,
// aria-modal, a box fixed to the window). The same link in the article's
// own box is read (the fixture triggers the reader).
func TestAuthorNotFromConsentDialog(t *testing.T) {
	const link = `<a href="https://plugins.example/gdpr-cookie-compliance/" rel="nofollow">GDPR Cookie Compliance</a>`
	for _, tc := range []struct {
		name, box string
		want      []string
	}{
		{"plain box", `<div class="branding">` + link + `</div>`, []string{"GDPR Cookie Compliance"}},
		{"complementary", `<div id="cookie_modal" role="complementary"><div class="branding">` + link + `</div></div>`, nil},
		{"dialog", `<div role="dialog"><div>` + link + `</div></div>`, nil},
		{"alertdialog", `<div role="AlertDialog"><div>` + link + `</div></div>`, nil},
		{"aria-modal", `<div aria-modal="true"><div>` + link + `</div></div>`, nil},
		{"fixed", `<div style="bottom: 0; POSITION : fixed !important"><div>` + link + `</div></div>`, nil},
		{"navigation", `<div role="navigation"><p>` + link + `</p></div>`, nil},
	} {
		page := `<html><head><title>Story of the day</title></head><body><main><h1>Story of the day</h1><p>` + longText + `</p></main>` +
			tc.box + `</body></html>`
		checkAuthors(t, tc.name, page, "https://www.planet.example/story", tc.want)
	}
}
