package extract

import (
	"slices"
	"testing"
)

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

// A link whose address spells its text is a person's own only where it
// stands alone: one item of a list of such links (shop recommendations,
// a topic list) names a product or a topic.
func TestAuthorNotFromListOfLinks(t *testing.T) {
	item := func(tag, class, slug, text string) string {
		href := `"https://shop.example/` + slug + `/"`
		return `<` + tag + ` class="` + class + `"><a href=` + href + `><img src="x.jpg" alt=" "></a><div class="link"><a href=` + href + `><span>` + text + `</span></a></div></` + tag + `>`
	}
	for _, tc := range []struct {
		name, box string
		want      []string
	}{
		{"alone", `<div class="reco">` + item("div", "item", "schoko-muffins", "Schoko Muffins") + `</div>`, []string{"Schoko Muffins"}},
		{"shop gallery", `<div class="reco">` + item("div", "item", "schoko-muffins", "Schoko Muffins") +
			item("div", "item", "back-mix", "Back Mix") + item("div", "item", "vanille-zucker", "Vanille Zucker") + `</div>`, nil},
		{"topic list", `<ul class="tags"><li><a href="https://topics.example/star-trek">Star Trek</a></li>` +
			`<li><a href="https://topics.example/the-orbit">The Orbit</a></li><li><a href="https://topics.example/picard">Picard</a></li></ul>`, nil},
		{"contact box among link paragraphs", `<p><a href="/a.pdf">Download A</a></p><p><a href="/b.pdf">Download B</a></p><p><a href="/c.pdf">Download C</a></p>` +
			`<p><b>Jan Muster</b><br>Telefon 040 123<br><a href="mailto:jan.muster@planet.example">jan.muster@planet.example</a></p>`, []string{"Jan Muster"}},
		{"two items only", `<div class="reco">` + item("div", "item", "schoko-muffins", "Schoko Muffins") +
			item("div", "item", "back-mix", "Backen mit Freude und Mehl") + `</div>`, []string{"Schoko Muffins"}},
	} {
		page := `<html><head><title>Story of the day</title></head><body><main><h1>Story of the day</h1><p>` + longText + `</p>` +
			tc.box + `</main></body></html>`
		checkAuthors(t, tc.name, page, "https://www.planet.example/story", tc.want)
	}
}

// A byline label opening a link's text is a teaser's headline when the
// link's address is spelt from those words ("Von Einheimischen, Gästen und
// Kühen" opening …/Von-Einheimischen-Gaesten-und-Kuehen-43143.html); a
// labelled link to the writer's page is a byline.
func TestAuthorNotFromLinkedHeadlineWithLabel(t *testing.T) {
	for _, tc := range []struct {
		name, box string
		want      []string
	}{
		{"teaser", `<div class="ranking"><a href="/tal/Von-Einheimischen-Gaesten-und-ganz-viel-Kuehen-43143.html">Von Einheimischen, Gästen und ganz viel Kühen</a></div>`, nil},
		{"teaser, short slug", `<div class="ranking"><a href="/Von-Alten-Wegen">Von Alten Wegen</a></div>`, nil},
		{"writer's page", `<div class="info"><a href="/autor/jane-muster">Von Jane Muster</a></div>`, []string{"Jane Muster"}},
		{"slug of the name", `<div class="info"><a href="/von-jane">Von Jane Muster</a></div>`, []string{"Jane Muster"}},
	} {
		page := `<html><head><title>Story of the day</title></head><body><main><h1>Story of the day</h1>` + tc.box + `<p>` + longText + `</p>` +
			`</main></body></html>`
		checkAuthors(t, tc.name, page, "https://www.planet.example/story", tc.want)
	}
}

// A rights line is the page's owner's only where it is no picture's
// credit: a "©" line set right after an image, outside the footer, is
// the picture's (as a figure's caption is), and the reservation after
// the mark ("Daily Planet, 2022 © All Rights Reserved") is no name.
func TestAuthorNotFromPictureCreditOrReservation(t *testing.T) {
	const article = `<h1>Reflections on a migration</h1><article><p>It took us ten years to move the code base to the new language version, and this is what we learned along the way.</p><p>Most of the work was in the tests.</p></article>`
	for _, tc := range []struct {
		name, tail string
		want       []string
	}{
		{"credit after an image", `<div class="teaser"><img src="/a.jpg" alt="Lake © Alpine Board / Jane Doe"><span class="print">Lake © Alpine Board / Jane Doe</span><h4>More</h4></div>`, nil},
		{"credit after a picture box", `<div class="slide"><div class="pic"><picture><img src="/a.jpg"></picture></div><p>© Jane Doe</p></div>`, nil},
		{"credit on a background picture", `<div class="background-image columns" data-lazy="/a.jpg"><span class="print">Library © Alpine Board / Jane Doe</span></div>`, nil},
		{"credit on a background picture in the footer", `<footer><div class="background-image" data-lazy="/a.jpg"><span>Library © Alpine Board / Jane Doe</span></div></footer>`, nil},
		{"own line, no image", `<div class="teaser"><p>Some text</p><span>© Jane Doe</span></div>`, []string{"Jane Doe"}},
		{"footer after a logo", `<footer><img src="/logo.png" alt="logo"><p>© 2024 Jane Doe</p></footer>`, []string{"Jane Doe"}},
		{"reservation after the mark", `<footer><div class="copyright-text">Daily Planet, 2022 © All Rights Reserved</div></footer>`, nil},
	} {
		// A paragraph after the tail: the body's last block counts as its footer.
		page := `<html><head><title>Reflections on a migration</title></head><body>` + article + tc.tail + `<div class="more"><p>Read more stories.</p></div></body></html>`
		checkAuthors(t, tc.name, page, "https://blog.example.org/2020/01/migration", tc.want)
	}
}

// One list of byline labels serves both readers: a label that opens a
// byline in the page's text is also cut from a name ("Von", "Autor/in:"),
// "Photos by", "di", "vom" are cut but open nothing (captions and
// sentences start so), and a desk's label is cut only with its colon.
func TestBylineLabelsOneList(t *testing.T) {
	for _, tc := range []struct {
		s           string
		opens, cuts string // what bylineLabelRe and authorPrefixRe match
	}{
		{"Von Jane Muster", "Von ", "Von "},
		{"Autor/in: Jane Muster", "Autor/in: ", "Autor/in: "},
		{"Written by Jane Muster", "Written by ", "Written by "},
		{"By", "By", ""},
		{"Photos by Jane Muster", "", "Photos by "},
		{"di Mario Rossi", "", "di "},
		{"vom Team", "", "vom "},
		{"Texte: Jane Muster", "", "Texte: "},
		{"Text Jane Muster", "Text ", "Text "},
		{"Redaktion Jane Muster", "Redaktion ", ""},
		{"Redaktion: Jane Muster", "Redaktion: ", "Redaktion: "},
		{"Quelle: dpa", "", "Quelle: "},
		{"作者：张三丰", "作者：", ""},
		{"Bypass road", "", ""},
	} {
		if got := bylineLabelRe.FindString(tc.s); got != tc.opens {
			t.Errorf("bylineLabelRe(%q) = %q, want %q", tc.s, got, tc.opens)
		}
		if got := authorPrefixRe.FindString(tc.s); got != tc.cuts {
			t.Errorf("authorPrefixRe(%q) = %q, want %q", tc.s, got, tc.cuts)
		}
	}
}

// A heading whose first word is a label's ("POR ESO INFORMAR ES": Spanish
// "por") is a phrase, not a byline, when the page writes its other words
// in lower case; a labelled name in a heading stays.
func TestAuthorNotFromHeadingPhraseWithLabelWord(t *testing.T) {
	const text = `<p>Por eso informar es un deber: es lo que hacemos cada día, y eso no cambia con el tiempo ni con las presiones de nadie.</p>`
	for _, tc := range []struct {
		name, box string
		want      []string
	}{
		{"phrase", `<h2 class="nota_title">POR ESO INFORMAR ES</h2>` + text, nil},
		{"labelled name", `<h5>Por: Jane Muster</h5>` + text, []string{"Jane Muster"}},
		{"name in capitals", `<h2>POR JANE MUSTER</h2>` + text, []string{"JANE MUSTER"}},
	} {
		page := `<html><head><title>Story of the day</title></head><body><main><h1>Story of the day</h1>` + tc.box + `<p>` + longText + `</p></main></body></html>`
		checkAuthors(t, tc.name, page, "https://www.planet.example/story", tc.want)
	}
}

// A name credited for the pictures is no author, in any byline's list
// ("Jane Muster (Text), Max Beispiel (Bild)"), and a closing source line
// is read as a list of names like any byline.
func TestAuthorNotThePictureCredit(t *testing.T) {
	for in, want := range map[string][]string{
		"Jane Muster (Text), Max Beispiel (Bild)":     {"Jane Muster"},
		"Jane Muster (Text) und Max Beispiel (Fotos)": {"Jane Muster"},
		"Max Beispiel (Photo); Jane Muster":           {"Jane Muster"},
		"Jane Muster (Text), Max Beispiel (Grafik)":   {"Jane Muster", "Max Beispiel"},
	} {
		if got := splitAuthors(in); !slices.Equal(got, want) {
			t.Errorf("splitAuthors(%q) = %q, want %q", in, got, want)
		}
	}
	page := `<html><head><title>Story of the day</title></head><body><main><article><h1>Story of the day</h1><p>` + longText + `</p>` +
		`<div class="text">Quelle: Jane Muster (Text), Max Beispiel (Bild)</div></article></main></body></html>`
	checkAuthors(t, "closing source", page, "https://www.planet.example/story", []string{"Jane Muster"})
}
