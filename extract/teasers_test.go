package extract

import "testing"

func TestDropTeasers(t *testing.T) {
	in := "First paragraph of the story.\n\nRead more: Another story entirely\n\nLea también: Otra noticia\nSecond line kept.\n\nSee also: the appendix, which this paragraph goes on to discuss at great length so that it is clearly part of the article and not a teaser line at all, since it runs on well past the few words a link label has and keeps going for a while."
	want := "First paragraph of the story.\n\nSecond line kept.\n\nSee also: the appendix, which this paragraph goes on to discuss at great length so that it is clearly part of the article and not a teaser line at all, since it runs on well past the few words a link label has and keeps going for a while."
	if got := dropTeasers(in); got != want {
		t.Errorf("dropTeasers:\n got %q\nwant %q", got, want)
	}
	for _, keep := range []string{"Reading more books helps.", "Related work shows otherwise.", "Lesen Sie dazu den Bericht."} {
		if got := dropTeasers(keep); got != keep {
			t.Errorf("dropTeasers(%q) = %q: not a teaser", keep, got)
		}
	}
}
