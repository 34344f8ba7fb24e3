package extract

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Word classes that are never part of a person's name where bylines put
// them: job titles, months and weekdays (from a dateline run into the byline),
// and the verbs that introduce a date ("Published", "Posted"). These are
// classes of words, not strings seen on particular sites.
var (
	jobWords = wordSet(`editor editors chefredakteur chefredakteurin redakteur redakteurin reporter reporterin
		correspondent correspondents korrespondent korrespondentin journalist journalistin staff writer writers
		contributor contributing columnist kolumnist kolumnistin herausgeber herausgeberin senior chief managing
		deputy freelance freier freie mitarbeiter mitarbeiterin volontär volontärin photographer fotograf fotografin
		photojournalist rédacteur rédactrice journaliste redactor redactora periodista corresponsal editora
		producer analyst expert experte expertin`)
	monthWords = wordSet(`january february march april may june july august september october november december
		jan feb mar apr jun jul aug sep sept oct nov dec
		januar jänner februar märz mai juni juli oktober dezember
		janvier février mars avril juin juillet août septembre octobre novembre décembre
		enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre
		gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre
		janeiro fevereiro março maio junho julho setembro outubro dezembro
		stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia`)
	dayWords = wordSet(`monday tuesday wednesday thursday friday saturday sunday
		montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag
		lundi mardi mercredi jeudi vendredi samedi dimanche
		lunes martes miércoles jueves viernes sábado domingo`)
	// Words after which a byline goes on with a date or an update note.
	tailWords = wordSet(`published posted updated veröffentlicht aktualisiert erschienen publié publicado pubblicato am`)
)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

func wordKey(w string) string {
	return strings.ToLower(strings.Trim(w, ".,:;()[]|·–—-"))
}

// cleanName removes what bylines run into a name: a trailing "Published …"
// or "am Samstag" tail, a label before "by", and the site's own name glued
// after the person's. It returns "" when nothing of a name is left (a job
// title, a month or a weekday alone). Job titles next to a name are kept:
// measured, stripping them lost as many pseudonyms ("Rasender Reporter") on
// the validation half as it mended names on the tuning half.
func cleanName(n string, siteNames []string) string {
	f := strings.Fields(n)
	// Cut at the first tail word or month/weekday once a name has started.
	for i := 1; i < len(f); i++ {
		k := wordKey(f[i])
		if tailWords[k] || monthWords[k] && i >= 2 || dayWords[k] {
			f = f[:i]
			break
		}
	}
	// "Post author By Jane Doe": the name follows a standalone "by".
	for i := len(f) - 2; i >= 1; i-- {
		if k := wordKey(f[i]); k == "by" || k == "von" || k == "par" || k == "por" {
			f = f[i+1:]
			break
		}
	}
	// "Jane Doe Daily Planet": the site's name after the person's.
	for cutting := true; cutting; {
		cutting = false
		for cut := len(f) - 1; cut >= 2; cut-- {
			if tail := norm(strings.Join(f[cut:], " ")); len(tail) >= 4 && slices.ContainsFunc(siteNames, func(s string) bool { return norm(s) == tail }) {
				f, cutting = f[:cut], true
				break
			}
		}
	}
	allClass := true
	for _, w := range f {
		k := wordKey(w)
		if !jobWords[k] && !monthWords[k] && !dayWords[k] && !tailWords[k] {
			allClass = false
		}
	}
	if allClass {
		return ""
	}
	return strings.TrimFunc(strings.Join(f, " "), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.' })
}

// cleanNames applies cleanName to a list, keeping order and dropping empties.
func cleanNames(names, siteNames []string) []string {
	var out []string
	for _, n := range names {
		if c := cleanName(n, siteNames); c != "" {
			out = append(out, c)
		}
	}
	return dedupe(out)
}

// spacedFrom replaces a name that runs words together ("JaneDoe",
// "Jane DoeSmith") by the same letters as another source spaces them, when
// one does: independent sources agreeing on the letters, differing only in
// spacing, and the spaced form is how names are written.
func spacedFrom(names []string, cands []Candidate) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = n
		k := squash(n)
		for _, c := range cands {
			for _, o := range c.Values {
				if camelJoined(n) && squash(o) == k && strings.Count(o, " ") > strings.Count(n, " ") && !camelJoined(o) {
					out[i] = o
				}
			}
		}
	}
	return out
}

// squash keeps letters and digits, lower-cased.
func squash(s string) string {
	var sb strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			sb.WriteRune(unicode.ToLower(r))
		}
	}
	return sb.String()
}

// camelJoined reports a lower-case letter followed by an upper-case one
// inside a word ("DoeJohn").
func camelJoined(s string) bool {
	prev := ' '
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsLower(prev) && unicode.IsUpper(r) {
			return true
		}
		prev = r
		i += n
	}
	return false
}
