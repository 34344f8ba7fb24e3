package extract

import (
	"strings"
	"testing"
)

func TestDropBoilerplate(t *testing.T) {
	in := "First paragraph of the story.\n\nRead more: Another story entirely\n\nLea también: Otra noticia\nSecond line kept.\n\nSee also: the appendix, which this paragraph goes on to discuss at great length so that it is clearly part of the article and not a teaser line at all, since it runs on well past the few words a link label has and keeps going for a while."
	want := "First paragraph of the story.\n\nSecond line kept.\n\nSee also: the appendix, which this paragraph goes on to discuss at great length so that it is clearly part of the article and not a teaser line at all, since it runs on well past the few words a link label has and keeps going for a while."
	if got := dropBoilerplate(in); got != want {
		t.Errorf("dropBoilerplate:\n got %q\nwant %q", got, want)
	}
}

func TestBoilerplateRules(t *testing.T) {
	for line, want := range map[string]string{
		"Read more: Council closes the bridge":                                  "teaser",
		"Lesen Sie auch: Neue Brücke geplant":                                   "teaser",
		"Czytaj także: Most zamknięty":                                          "teaser",
		"Related articles":                                                      "related heading",
		"Das könnte Sie auch interessieren!":                                    "related heading",
		"Lo más leído":                                                          "related heading",
		"MEISTGELESEN":                                                          "related heading",
		"Sign up for our weekly newsletter and never miss a story.":             "newsletter prompt",
		"Jetzt zum Newsletter anmelden":                                         "newsletter prompt",
		"Abonnieren Sie unseren Newsletter":                                     "newsletter prompt",
		"Suscríbete a nuestra newsletter":                                       "newsletter prompt",
		"Already a subscriber? Log in.":                                         "newsletter prompt",
		"© 2024 Example Media. All rights reserved.":                            "copyright line",
		"Copyright: Jane Doe":                                                   "copyright line",
		"Foto: Max Mustermann/dpa":                                              "photo credit",
		"(Photo: Getty Images)":                                                 "photo credit",
		"Crédit photo : AFP":                                                    "photo credit",
		"Comments are moderated and may take a while to appear.":                "comment policy",
		"Um Kommentare schreiben zu können, müssen Sie eingeloggt sein.":        "comment policy",
		"Um diesen Beitrag kommentieren zu können, müssen Sie eingeloggt sein.": "comment policy",
		"Never miss a story by signing up to our newsletter!":                   "newsletter prompt",
		"Keine Kommentare":                                                      "comment policy",
		"Follow us on Mastodon":                                                 "follow prompt",
		"Síguenos en Telegram":                                                  "follow prompt",

		// Text that shares words with the rules stays.
		"Related research shows otherwise, the authors say.":                                     "",
		"Reading more books helps.":                                                              "",
		"The newsletter, which 40,000 readers receive, broke the story on Monday.":               "",
		"Über den Link im Newsletter gelangen Sie nach der Anmeldung zum Fragebogen.":            "",
		"Subscribers to the service rose by a third last year.":                                  "",
		"Quelle: Statistisches Bundesamt":                                                        "",
		"Photographers were kept away from the site until noon, the police said in a statement.": "",
		"Foto: a caption that runs on and on well past the length of any credit line, describing at great length who is in the picture and what each of them is doing there, so it is text.": "",
		"Copyright law was the first item on the agenda.": "",
		"Follow-up talks are planned for June.":           "",
	} {
		if got := boilerplateRule(line); got != want {
			t.Errorf("boilerplateRule(%q) = %q, want %q", line, got, want)
		}
	}
}

// FuzzDropBoilerplate checks that dropping lines only ever removes whole
// lines, keeps the order of the rest, and is idempotent.
func FuzzDropBoilerplate(f *testing.F) {
	f.Add("First paragraph.\n\nRead more: Other\nKept line.\n\n© 2024 Example")
	f.Add("Foto: x\n\n\n\nNewsletter abonnieren\n")
	f.Add("Um zu kommentieren, loggen Sie sich ein\n\nA standfirst that is long enough to be taken back as a lead, ending in a stop.\n\nBody starts here and goes on.")
	f.Fuzz(func(t *testing.T, body string) {
		got := dropBoilerplate(body)
		if again := dropBoilerplate(got); again != got {
			t.Fatalf("not idempotent: %q -> %q -> %q", body, got, again)
		}
		in := strings.FieldsFunc(body, func(r rune) bool { return r == '\n' })
		j := 0
		for _, l := range strings.FieldsFunc(got, func(r rune) bool { return r == '\n' }) {
			for j < len(in) && in[j] != l {
				j++
			}
			if j == len(in) {
				t.Fatalf("line %q of the output is not an input line in order: %q -> %q", l, body, got)
			}
			j++
		}
	})
}
