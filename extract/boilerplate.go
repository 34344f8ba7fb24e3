package extract

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// go-trafilatura decides by element: a container it keeps is kept whole. Site
// furniture inside the article container (a newsletter prompt, a photo
// credit, "Read more: <another article>", a "Related articles" heading, the
// copyright line, the comment policy) therefore reaches the body. warcbox
// then drops such lines one by one, as C4's and RefinedWeb's line filters do
// for web text: each rule is a phrase that opens or makes up a short line,
// written for the family of furniture, in the languages of the evaluation
// sets and beyond. On trafilatura's set the rules remove 43 boilerplate
// segments and no labelled text (body precision .900 -> .913).

// lineRule is one family of boilerplate lines.
type lineRule struct {
	name string
	re   *regexp.Regexp
	// maxRunes bounds the line: a paragraph that opens with the same words
	// and runs on is text.
	maxRunes int
	// hints, when set, are lower-case strings one of which the line must
	// contain before the expression is tried: the unanchored expressions
	// are the costly ones, and most lines hold none of their words.
	hints []string
}

// wordEnd stands for \b after a word that may end in a non-ASCII letter,
// which RE2's ASCII-only \b does not see.
const wordEnd = `(?:$|[^\pL\pN])`

var lineRules = []lineRule{
	{"teaser", regexp.MustCompile(`(?i)^(read (more|also|next)|see also|related( (content|articles?|stories|posts))?|more on this|lea (también|más|además)|lee (también|más)|le puede interesar|te puede interesar|puede interesarte|también te puede interesar|contenido relacionado|noticias relacionadas|lesen sie (auch|hier)|auch lesen|mehr zum thema|auch interessant|weiterlesen|das könnte sie auch interessieren|lire aussi|à lire aussi|voir aussi|leia também|leia mais|veja também|vea también|czytaj (też|także|więcej)|zobacz (też|także)|dowiedz się więcej|leggi anche)\s*[:：»>|-]`), 220, nil},
	{"related heading", regexp.MustCompile(`(?i)^(related( (articles?|stories|posts|content|news|topics|links))?|more (stories|articles|news)( from [^.]{1,40})?|more on this( topic)?|you (might|may) also like|recommended( for you| articles| stories)?|most (read|popular|viewed|shared)|latest (news|articles|stories)|top stories|weitere (artikel|themen|beiträge|nachrichten|meldungen)|mehr (zum thema|themen|artikel|nachrichten)|das könnte (sie|dich) (auch|ebenfalls) interessieren|(auch|ebenfalls) interessant|empfohlene (beiträge|artikel)|neueste (artikel|beiträge|nachrichten)|meist(gelesen|geklickt|diskutiert|-gelesen|-diskutiert)|schon gelesen|passend zum thema|artículos relacionados|noticias relacionadas|contenido relacionado|más noticias|te puede interesar|lo más (leído|visto)|temas( relacionados)?|articles (similaires|liés)|à lire (aussi|également)|sur le même sujet|dans la même rubrique|leggi anche|articoli correlati|czytaj (też|także|również)|zobacz (też|także|również)|polecane|najczęściej czytane|veja também|leia (também|mais)|notícias relacionadas|mais lidas)\s*[:!?.]?$`), 200, nil},
	{"newsletter prompt", regexp.MustCompile(`(?i)(newsletter.*(^|[^\pL])(sign(ing)? up|subscribe|subscribing|abonnier(en|e|t)|anmelden|melde dich|inscri(vez|re|ption)|suscr[ií]b(e|ete|irse|ase)|zapisz się|registrieren|erhalten|bestellen)` + wordEnd +
		`|(^|[^\pL])(sign(ing)? up|subscribe|subscribing|abonnier(en|e|t)|anmelden|melde dich|inscri(vez|re|ption)|suscr[ií]b(e|ete|irse|ase)|zapisz się|registrieren)` + wordEnd + `.*newsletter` +
		`|^(subscribe|sign up|jetzt (anmelden|abonnieren|registrieren)|abonnieren sie|abonniere|suscríbete|abonnez-vous|inscrivez-vous)` + wordEnd +
		`|(already|bereits) (a |ein )?(subscriber|abonnent)|please subscribe)`), 160,
		[]string{"newsletter", "subscri", "sign up", "signing up", "abonn", "anmelden", "registrieren", "inscri", "suscr", "zapisz"}},
	{"copyright line", regexp.MustCompile(`(?i)^(©|\(c\)\s|copyright\s*(©|\(c\)|:|\d{4}|$)|all rights reserved)`), 200, nil},
	{"photo credit", regexp.MustCompile(`(?i)^\(?(fotos?|photos?|bild|titelbild|beitragsbild|crédits? photos?|crédit photo|photo credits?|image credits?|credits?)\s*:`), 120, nil},
	{"comment policy", regexp.MustCompile(`(?i)(comments? (are|is|will be) moderated|kommentare erscheinen erst|eingeloggt sein,? um|(^|[^\pL])(um|to) .{0,60}(kommentieren|kommentare? (zu )?(schreiben|verfassen)|comment).{0,40}(eingeloggt|einloggen|logged in|log in|sign in)|^keine kommentare` + wordEnd + `|^no comments( yet)?` + wordEnd + `)`), 200,
		[]string{"comment", "komment"}},
	{"follow prompt", regexp.MustCompile(`(?i)^(follow us|folgen sie uns|síguenos|siguenos|suivez-nous)` + wordEnd), 200, nil},
}

// boilerplateRule returns the name of the rule line falls under, or "".
func boilerplateRule(line string) string {
	line = strings.TrimSpace(line)
	n := utf8.RuneCountInString(line)
	var lower string
	for _, r := range lineRules {
		if n > r.maxRunes {
			continue
		}
		if r.hints != nil {
			if lower == "" {
				lower = strings.ToLower(line)
			}
			if !containsAny(lower, r.hints) {
				continue
			}
		}
		if r.re.MatchString(line) {
			return r.name
		}
	}
	return ""
}

// dropBoilerplate removes boilerplate lines from a body of
// blank-line-separated paragraphs.
func dropBoilerplate(body string) string {
	if body == "" {
		return body
	}
	paras := strings.Split(body, "\n\n")
	out := paras[:0]
	for _, p := range paras {
		var keep []string
		for _, l := range strings.Split(p, "\n") {
			if boilerplateRule(l) == "" {
				keep = append(keep, l)
			}
		}
		if len(keep) > 0 {
			out = append(out, strings.Join(keep, "\n"))
		}
	}
	return strings.Join(out, "\n\n")
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
