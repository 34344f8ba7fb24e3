package main

import (
	"slices"
	"strings"
	"testing"
)

// The audit flags authors by their shape and by where warcbox read them,
// and leaves a plain byline alone.
func TestJunkReasons(t *testing.T) {
	page := []byte(`<html><head><title>Story | Daily Planet</title></head><body>
	<article><h1>Story</h1><p class="byline">By <a href="/author/jane">Jane Doe</a></p>
	<figure><img src="a.jpg"><figcaption>Photo: Max Muster</figcaption></figure>
	<div role="dialog"><a href="https://plugins.example/consent-tool/">Consent Tool</a></div>
	<h2>ESO INFORMAR ES</h2><p>eso es informar</p></article>
	<footer><a href="/team">Team Blue</a></footer></body></html>`)
	for _, tc := range []struct {
		name, source string
		want         []string // reasons, without the name
	}{
		{"Jane Doe", "/html/body/article/p/a", nil},
		{"Max Muster", "/html/body/article/figure/figcaption", []string{"caption"}},
		{"Consent Tool", "/html/body/article/div/a", []string{"consent"}},
		{"ESO INFORMAR ES", "/html/body/article/h2", []string{"caps-common", "heading"}},
		{"Team Blue", "/html/body/footer/a", []string{"nav-link", "nav"}},
		{"Jane Doe Daily Planet", "json-ld NewsArticle.author.name", []string{"site-glued"}},
		{"Published 3 March", "trafilatura metadata", []string{"digits", "month-day", "tail-word"}},
		{"Redakteurin", "json-ld NewsArticle.author.name", []string{"job-alone"}},
	} {
		var got []string
		for _, r := range junkReasons([]string{tc.name}, tc.source, page, "Daily Planet") {
			k, n, _ := strings.Cut(r, ": ")
			if n != tc.name {
				t.Errorf("%s: reason %q names another author", tc.name, r)
			}
			got = append(got, k)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: reasons %q, want %q", tc.name, got, tc.want)
		}
	}
}
