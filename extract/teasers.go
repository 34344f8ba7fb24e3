package extract

import (
	"regexp"
	"strings"
)

// teaserLine matches the "Read more: <other article>" lines news sites put
// between paragraphs, in the languages of the evaluation sets and beyond.
// They name another article, not this one; trafilatura drops them as link
// boilerplate, and so does warcbox (measured on trafilatura's set).
var teaserLine = regexp.MustCompile(`(?i)^(read (more|also|next)|see also|related( (content|articles?|stories|posts))?|more on this|lea (también|más|además)|lee (también|más)|le puede interesar|te puede interesar|puede interesarte|también te puede interesar|contenido relacionado|noticias relacionadas|lesen sie auch|mehr zum thema|auch interessant|weiterlesen|das könnte sie auch interessieren|lire aussi|à lire aussi|voir aussi|leia também|leia mais|veja também|czytaj (też|także|więcej)|zobacz (też|także)|leggi anche)\s*[:：»>|-]`)

// maxTeaser bounds the length of a line taken for a teaser: a real
// paragraph that happens to start with "See also:" runs on.
const maxTeaser = 220

// dropTeasers removes teaser lines from a body of blank-line-separated
// paragraphs.
func dropTeasers(body string) string {
	if body == "" {
		return body
	}
	paras := strings.Split(body, "\n\n")
	out := paras[:0]
	for _, p := range paras {
		var keep []string
		for _, l := range strings.Split(p, "\n") {
			if len(l) <= maxTeaser && teaserLine.MatchString(strings.TrimSpace(l)) {
				continue
			}
			keep = append(keep, l)
		}
		if len(keep) > 0 {
			out = append(out, strings.Join(keep, "\n"))
		}
	}
	return strings.Join(out, "\n\n")
}
