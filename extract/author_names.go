package extract

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
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
	photoWords = wordSet(`foto fotos photo photos bild bilder image images fotografie photographie`)
	// Words after which a byline goes on with a date or an update note.
	tailWords = wordSet(`published posted updated veröffentlicht aktualisiert erschienen publié publicado pubblicato am
		actualizado actualizada aggiornato bijgewerkt gepubliceerd uppdaterad publicerad opdateret publiceret oppdatert publisert
		opublikowano zaktualizowano`)
	// rightsMarkWords open a rights line; a name runs on after them
	// ("Copyright Jane Doe").
	rightsMarkWords = wordSet(`© (c) copyright`)
	// rightsReservedRe is the reservation that closes a rights line ("©
	// Daily Planet, All Rights Reserved"), in the languages of the sets:
	// what a rights line says, never a name or part of one.
	rightsReservedRe = regexp.MustCompile(`(?i)(?:^|[\s,.;|–—-])(?:all rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos reservados|tutti i diritti riservati|alle rechten voorbehouden|wszelkie prawa zastrzeżone|todos os direitos reservados)\.?$`)
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
	// Each cut can expose another (a tail word becomes the name's second
	// word once a "by" before it is cut): clean until nothing changes, so
	// cleaning a clean name gives it back (FuzzAuthorNames' finding "0 Am").
	for range 4 {
		c := cleanNameOnce(n, siteNames)
		if c == n {
			break
		}
		n = c
	}
	return n
}

// cleanNameOnce is one pass of cleanName's cuts.
func cleanNameOnce(n string, siteNames []string) string {
	if m := rightsReservedRe.FindStringIndex(n); m != nil {
		n = strings.TrimRight(n[:m[0]], " ,.;|–—-")
	}
	f := strings.Fields(n)
	for len(f) > 1 && rightsMarkWords[strings.ToLower(f[0])] {
		f = f[1:]
	}
	// Cut at the first tail word or month/weekday once a name has started.
	for i := 1; i < len(f); i++ {
		k := wordKey(f[i])
		if tailWords[k] || monthWords[k] && i >= 2 || dayWords[k] {
			f = f[:i]
			break
		}
	}
	// "Post author By Jane Doe": the name follows a standalone "by". "von"
	// is also a name's particle ("Alexa von Heyden"): it labels only when
	// a whole name (two words or more) follows.
	for i := len(f) - 2; i >= 1; i-- {
		k := wordKey(f[i])
		if k == "by" || k == "par" || k == "por" || k == "von" && len(f)-i-1 >= 2 {
			f = f[i+1:]
			break
		}
	}
	// "Jane Doe Daily Planet", "Jane Doe Daily Planet Staff": the site's
	// name (and a job title) after the person's (not after a desk:
	// "Redacción Daily Planet" names the newsroom).
	for cutting := len(f) == 0 || !deskWords[wordKey(f[0])]; cutting; {
		cutting = false
		for cut := len(f) - 1; cut >= 2; cut-- {
			end := len(f)
			for end > cut+1 && jobWords[wordKey(f[end-1])] {
				end--
			}
			if tail := norm(strings.Join(f[cut:end], " ")); len(tail) >= 4 && slices.ContainsFunc(siteNames, func(s string) bool { return norm(s) == tail }) {
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

// authorWord is the word "author" as bylines write it before a name
// (German for both genders, "Autor/in", "Autor*in", "AutorIn", "Autor:in",
// and plurals).
const authorWord = `autor(?:in(?:nen)?|en|[/*_:]in(?:nen)?|\(in\))?|authors?`

// shortLabels are the one-word byline labels that stand between a name
// and the words before it too ("Eine Kolumne von Jane Doe": introLabelRe).
const shortLabels = `by|von|par|por|door|av|przez`

// bylineLabels is the one list of the labels bylines write before a name,
// read by both label regexps: opens marks a label that opens a byline in
// the page's visible text, alone or before the name (bylineLabelRe, for
// labelledByline: "Von <a>Jane Doe</a>", "Autor/in:" then the name);
// cuts marks one cut from the front of a name any source gives
// (authorPrefixRe, for splitAuthors). Some are cut but open nothing: in
// running text "di", "af", "vom" or "Photos by" start as many sentences
// and captions as bylines. Longer labels stand before the labels they
// start with.
var bylineLabels = []struct {
	re          string // a regexp matched case-insensitively
	opens, cuts bool
}{
	{`(?:posted|published|text|story|report(?:ed)?|photos?|words|created|edited)\s+by`, false, true},
	{`(?:written|article)\s+by`, true, true},
	{`(?:ein\s+)?artikel\s+von`, true, true},
	{`(?:geschrieben|verfasst)\s+von`, true, true},
	{`(?:veröffentlicht|eingestellt|erstellt|publiziert|gepostet)\s+von|(?:ein\s+)?beitrag\s+von`, false, true},
	{`écrit\s+par|escrito\s+por`, true, true},
	{`publié\s+par|publicado\s+por|scritto\s+da|pubblicato\s+da`, false, true},
	{shortLabels, true, true},
	{authorWord + `|auteur`, true, true},
	{`vom|di|af`, false, true},
	{`texte?`, false, true},
	{`text|redaktion`, true, false}, // "Redaktion" before a desk's name is cut only with a colon (authorPrefixRe)
}

// labelsThat joins the labels the test keeps into one alternation.
func labelsThat(keep func(opens, cuts bool) bool) string {
	var alts []string
	for _, l := range bylineLabels {
		if keep(l.opens, l.cuts) {
			alts = append(alts, l.re)
		}
	}
	return strings.Join(alts, "|")
}

var (
	// authorPrefixRe is a label before a name, cut by splitAuthors; a
	// desk's or a source's label only with its colon ("Redaktion:",
	// "Quelle:").
	authorPrefixRe = regexp.MustCompile(`(?i)^(?:(?:` + labelsThat(func(_, cuts bool) bool { return cuts }) + `)\s*[:：]?\s+|redaktion\s*[:：]\s*|(?:quelle|source|fuente|fonte|bron|źródło)\s*[:：]\s*)`)
	// bylineLabelRe is a text that opens a byline: "By", "Von", "Autor:",
	// "Par", … alone or before the name. A Chinese label's colon may touch
	// the name ("责任编辑：张三丰"): Chinese writes no space after it.
	bylineLabelRe = regexp.MustCompile(`(?i)^(?:(?:` + labelsThat(func(opens, _ bool) bool { return opens }) + `)\s*[:：]?(?:\s+|$)|(?:责任编辑|编辑|作者|记者)\s*(?:[:：]\s*|\s+|$))`)
	authorJunkRe  = regexp.MustCompile(`(?i)\s*(?:\S+@\S+\.\S+|\S+\[at\]\S+|https?://\S+|\|.*$|\(\s*\)|\bon\s+\w+day\b.*$|\b\d{1,2}[./]\s?\d{1,2}[./]\s?\d{2,4}.*$|\b(?:19|20)\d{2}-\d{2}-\d{2}.*$|\s+(?:says|said|schreibt|sagt)\s*:?$|\s+alle artikel.*$|\s+view my complete profile.*$|\s+afficher mon profil complet.*$|\s+[—»›].*$|\s+-\s+(?:veröffentlicht|published|posted).*$)`)
	// "Posted on March 3, 2020 by Jane Doe": the name follows the last "by".
	authorAfterByRe = regexp.MustCompile(`(?i)^.*\b(?:posted|published|veröffentlicht|publiziert|erschienen|geschrieben)\b.*?\b(?:by|von|par|por)\s+(.+)$`)
	// legalFormAfterAmpRe is the "Co." of "Müller GmbH & Co. KG": the "&"
	// before it is part of one firm's name, no list separator.
	legalFormAfterAmpRe = regexp.MustCompile(`^Co(?:\.|\s|$)`)
	authorSplitRe       = regexp.MustCompile(`\s*(?:;|\s+and\s+|\s+und\s+|\s+et\s+|\s+y\s+|\s+&\s+|\s*\|\s*)\s*`)
	// Link texts next to bylines: "Zeige alle Beiträge von X", "View all posts by X".
	authorLinkRe  = regexp.MustCompile(`(?i)^(?:zeige\s+)?(?:alle\s+(?:beiträge|artikel)\s+von|(?:view|show|see)\s+all\s+(?:posts|articles|stories)\s+(?:by|of)|more\s+(?:articles|stories|posts)\s+(?:by|from)|all\s+(?:posts|articles)\s+by)\s+`)
	authorNoiseRe = regexp.MustCompile(`(?i)(?:complete profile|profil complet|alle beiträge|all articles|all posts|\bfollow\b|→|»)`)
	// acronymRe is an agency's or broadcaster's code written after a
	// name ("Jane Doe, NDR"): a source of its own, not the name's part.
	acronymRe      = regexp.MustCompile(`^\p{Lu}{2,5}$`)
	handleRe       = regexp.MustCompile(`\s+@\w+$`)
	roleLabelRe    = regexp.MustCompile(`^(?:(?:und|and|&|et|y)\s+)?(\pL+)\s*[:：]\s+`)
	parenRe        = regexp.MustCompile(`\s*\([^()]*\)`)
	photoRoleRe    = regexp.MustCompile(`(?i)(?:^|\s*[,;]|\s+(?:und|and|&|et|y)\s)[^,;()]*\(\s*(?:fotos?|photos?|bild(?:er)?|images?|fotografie|photographie|pictures?)\s*\)`)
	agencySuffixRe = regexp.MustCompile(`\s*/\s*[\p{Lu}][\p{Lu}\d-]{0,5}$`)
	notAName       = regexp.MustCompile(`(?i)^(?:by|von|par|por|am|on|the|admin|publiziert am|veröffentlicht am|posted on|published on|posted|published|author|autor|redaktion:|unknown|anonymous|anonym|guest|share|teilen|\d+ comments?|\d+ kommentare?)$`)
)

// splitAuthors turns an author string into names: it drops "By"-style
// prefixes, e-mail addresses, URLs and trailing dates, and splits lists on
// ";", "and" and their translations, and on commas when every part is a
// full name (so "Doe, Jane" stays one name).
func splitAuthors(s string) []string {
	s = collapseSpace(s)
	if s == "" || strings.HasPrefix(s, "http") && !strings.Contains(s, " ") || labelOnly(s) {
		return nil
	}
	if i := strings.LastIndexAny(s, labelSeparators); i > 0 && closesWithColon(s) {
		// The last clause labels what follows the byline ("… | Photos:",
		// "…, aktualisiert:"): the names stand before it.
		s = s[:i]
	}
	s = authorLinkRe.ReplaceAllString(s, "")
	if m := authorAfterByRe.FindStringSubmatch(s); m != nil {
		s = m[1]
	}
	// A date or time after the name ("Jane Doe, 07 Dezember 2022", "Jane Doe Fr. 18. Oktober"),
	// not digits inside a word ("Bo2man", "happyface313": user names).
	if i := firstNumber(s); i > 0 {
		head := strings.TrimRight(s[:i], " ,;:-–—|·.")
		if f := strings.Fields(head); len(f) >= 3 && len(f[len(f)-1]) <= 3 {
			head = strings.Join(f[:len(f)-1], " ") // a weekday or month abbreviation
		}
		if len(strings.Fields(head)) >= 1 && len(head) >= 3 {
			s = head
		}
	}
	s = handleRe.ReplaceAllString(s, "")
	// "Jane Doe/SP-X": a news agency's code after the person's name.
	if m := agencySuffixRe.FindStringIndex(s); m != nil && m[0] > 0 && len(strings.Fields(s[:m[0]])) >= 2 {
		s = s[:m[0]]
	}
	s = authorPrefixRe.ReplaceAllString(s, "")
	// "Interview: Jane Doe": one word and a colon before a name label the
	// name's role ("Text und Interview: Jane Doe" once "Text" is cut as a
	// label); photo credits are not authors.
	if m := roleLabelRe.FindStringSubmatch(s); m != nil && len(strings.Fields(s[len(m[0]):])) >= 2 {
		if photoWords[strings.ToLower(m[1])] {
			return nil
		}
		s = s[len(m[0]):]
	}
	s = authorJunkRe.ReplaceAllString(s, "")
	s = degreeSuffix(s)
	// "Jane Doe (Text), Max Muster (Bild)": a name credited for the
	// pictures is no author.
	s = photoRoleRe.ReplaceAllString(s, "")
	// "Jane Doe (Pressesprecherin)", "Jane Doe (dpa)": a role or source in
	// parentheses is not part of the name.
	s = parenRe.ReplaceAllString(s, "")
	s = strings.Trim(s, " ,;:-–—|·")
	if s == "" {
		return nil
	}
	parts := splitAuthorList(s)
	var out []string
	for _, p := range parts {
		commaParts := strings.Split(p, ",")
		split := len(commaParts) > 1
		for i, c := range commaParts {
			if len(strings.Fields(c)) < 2 && (i == 0 || !acronymRe.MatchString(strings.TrimSpace(c))) {
				split = false
			}
		}
		if !split {
			commaParts = []string{p}
		}
		for _, c := range commaParts {
			c = authorLinkRe.ReplaceAllString(strings.TrimSpace(c), "")
			c = strings.Trim(authorPrefixRe.ReplaceAllString(c, ""), " ,;:-–—|·")
			if authorNoiseRe.MatchString(c) {
				continue
			}
			if c == "" || len(c) > 80 || len(strings.Fields(c)) > 6 || strings.HasPrefix(c, "@") || notAName.MatchString(c) {
				continue
			}
			out = append(out, c)
		}
	}
	return dedupe(out)
}

// labelOnly reports a byline label with no name after it ("Article by",
// "Autor:"), or a text of one clause that introduces what follows it
// ("Share this article:"): a colon closes it. A text of several clauses
// ending in a colon ("By Jane Doe | Photos:") labels only its last one.
func labelOnly(s string) bool {
	s = strings.TrimSpace(s)
	if m := authorPrefixRe.FindString(s + " "); m != "" {
		return len(m) == len(s)+1
	}
	return closesWithColon(s) && !strings.ContainsAny(s, labelSeparators)
}

// labelSeparators part the clauses of a byline.
const labelSeparators = "|,;·•"

// closesWithColon reports a text whose last clause is a label.
func closesWithColon(s string) bool {
	s = strings.TrimSpace(s)
	return strings.HasSuffix(s, ":") || strings.HasSuffix(s, "：")
}

// degreeWords are academic and professional degrees written after a name
// ("Jane Doe, PhD", "John Roe, MD, MPH").
var degreeWords = wordSet(`phd ph.d md m.d mph msc m.sc bsc b.sc ma m.a ba b.a mba rn dnp np pa-c rd ld cde cpt mfa jd dds dvm facp facs`)

// degreeSuffix removes the degrees after the last name of a name or list:
// commas there separate degrees, not names.
func degreeSuffix(s string) string {
	for {
		i := strings.LastIndexByte(s, ',')
		if i < 0 || !degreeWords[strings.ToLower(strings.Trim(strings.TrimSpace(s[i+1:]), "."))] {
			return s
		}
		s = strings.TrimSpace(s[:i])
	}
}

// inDocumentOrder orders names by where the page first writes them (its
// text, attribute values and script text, JSON escapes decoded), names the
// page does not write last and alphabetically. go-trafilatura gathers
// schema.org Persons by ranging over Go maps, so the order of its author
// list changes from run to run; the page's own order is stable and is the
// order a byline lists co-authors in.
func inDocumentOrder(doc *html.Node, names []string) []string {
	if len(names) < 2 || doc == nil {
		return names
	}
	hay := documentText(doc)
	type placed struct {
		name string
		pos  int
	}
	ps := make([]placed, len(names))
	for i, n := range names {
		pos := strings.Index(hay, strings.ToLower(collapseSpace(n)))
		if pos < 0 {
			pos = len(hay)
		}
		ps[i] = placed{n, pos}
	}
	slices.SortStableFunc(ps, func(a, b placed) int {
		if a.pos != b.pos {
			return a.pos - b.pos
		}
		return strings.Compare(a.name, b.name)
	})
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.name
	}
	return out
}

// documentText is the page's text nodes (script text included, with JSON
// string escapes decoded) and attribute values in document order, spaces
// collapsed and lower-cased, for finding where a name is first written.
func documentText(doc *html.Node) string {
	var sb strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			s := n.Data
			if p := n.Parent; p != nil && p.DataAtom == atom.Script {
				s = unescapeJSONText(s)
				if strings.IndexByte(s, '&') >= 0 {
					s = html.UnescapeString(s)
				}
			}
			sb.WriteString(collapseSpace(s))
			sb.WriteByte(' ')
		case html.ElementNode:
			for _, a := range n.Attr {
				if a.Key == "content" || a.Key == "title" || a.Key == "alt" || a.Key == "value" {
					sb.WriteString(collapseSpace(a.Val))
					sb.WriteByte(' ')
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return strings.ToLower(sb.String())
}

// unescapeJSONText decodes the backslash escapes of JSON strings (\u00e4,
// surrogate pairs, \/, \") wherever they occur in s; other text is kept.
func unescapeJSONText(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	var sb strings.Builder
	sb.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			sb.WriteByte(c)
			continue
		}
		i++
		switch e := s[i]; e {
		case 'u':
			r, ok := hex4(s, i+1)
			if !ok {
				sb.WriteString(`\u`)
				continue
			}
			i += 4
			if utf16.IsSurrogate(r) {
				if i+2 < len(s) && s[i+1] == '\\' && s[i+2] == 'u' {
					if r2, ok := hex4(s, i+3); ok {
						if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
							r = d
							i += 6
						}
					}
				}
			}
			sb.WriteRune(r)
		case 'n', 't', 'r':
			sb.WriteByte(' ')
		default:
			sb.WriteByte(e)
		}
	}
	return sb.String()
}

// hex4 reads four hex digits at s[i:].
func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// firstNumber returns the index of the first digit that starts a word
// (after a space or punctuation, not a letter), or -1.
func firstNumber(s string) int {
	prev := ' '
	for i, r := range s {
		if unicode.IsDigit(r) && !unicode.IsLetter(prev) && !unicode.IsDigit(prev) {
			return i
		}
		prev = r
	}
	return -1
}

// sameLetters reports two name lists that differ only in case, spacing and
// punctuation ("ThE_PaiN" and "ThE PaiN", "Isabella.DiBiase" and
// "Isabella DiBiase").
func sameLetters(a, b []string) bool {
	if len(a) != len(b) || len(a) == 0 {
		return false
	}
	for i := range a {
		if squash(a[i]) != squash(b[i]) || squash(a[i]) == "" {
			return false
		}
	}
	return true
}

// nameShaped reports a person's name as bylines write it: two to four
// words, each starting with an upper-case letter except a name's particles
// ("von", "de", "van der") after the first, no digits.
func nameShaped(s string) bool {
	f := strings.Fields(s)
	if len(f) < 2 || len(f) > 4 {
		return false
	}
	for i, w := range f {
		r, _ := utf8.DecodeRuneInString(w)
		switch {
		case strings.ContainsAny(w, "0123456789@"):
			return false
		case unicode.IsUpper(r):
		case i == 0 || i == len(f)-1 || !particles[w]:
			return false
		}
	}
	return true
}

// hanName reports a Chinese name as bylines write it: two to four Han
// characters, no spaces.
func hanName(s string) bool {
	n := 0
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
		n++
	}
	return n >= 2 && n <= 4
}

// personShaped reports a name shaped like a person's in Latin or Han script.
func personShaped(s string) bool { return nameShaped(s) || hanName(s) }

// particles are the lower-case words inside names ("Alexa von Heyden",
// "Vincent van der Berg", "Jacobo de la Cruz").
var particles = wordSet(`von vom zu zum van der den de del della di da das do dos du la le y bin ibn al el`)

// besideTheArticle reports an element that the page marks as standing
// apart from its article, as the elements bylineTexts skips do: an ARIA
// landmark role of a menu, an aside or a footer (role=navigation,
// complementary, contentinfo), a dialog (role=dialog or alertdialog,
// aria-modal=true: cookie and consent pop-ups, log-in boxes) or a box
// fixed to the window (an inline position:fixed: banners over the page).
// A consent plug-in's "Powered by" link there names the plug-in, not the
// writer.
func besideTheArticle(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "role":
			switch strings.ToLower(strings.TrimSpace(a.Val)) {
			case "navigation", "complementary", "contentinfo", "dialog", "alertdialog":
				return true
			}
		case "aria-modal":
			if strings.EqualFold(strings.TrimSpace(a.Val), "true") {
				return true
			}
		case "style":
			if fixedPosition(a.Val) {
				return true
			}
		}
	}
	return false
}

// fixedPosition reports an inline style that fixes the box to the window.
func fixedPosition(style string) bool {
	return strings.HasPrefix(styleValue(style, "position"), "fixed")
}

// inLinkList reports a link that is one item of a list of links: its
// parent, or one of its three closest ancestors holding nothing but links'
// text, has three or more siblings of its own tag and class (itself
// counted) each of which holds nothing but links' text. Shop recommendations, topic and tag lists are written so,
// and each item's address spells its text ("Schoko Muffins" opening
// shop.example/schoko-muffins/); a person's own link stands alone in a
// byline or a contact box.
func inLinkList(a *html.Node) bool {
	p := a.Parent
	for up := 0; up < 3 && p != nil && p.Parent != nil && p.Type == html.ElementNode && p.DataAtom != atom.Body; up++ {
		if !linkItem(p) {
			return false // text beside the link: a byline or a contact box, not a list's item
		}
		class, items, seen := attr(p, "class"), 0, 0
		for s := p.Parent.FirstChild; s != nil && seen < 200; s = s.NextSibling {
			if s.Type != html.ElementNode || s.Data != p.Data || attr(s, "class") != class {
				continue
			}
			seen++
			if linkItem(s) {
				if items++; items >= 3 {
					return true
				}
			}
		}
		p = p.Parent
	}
	return false
}

// linkItem reports an element all of whose text is in links (an image's
// link beside the titled one holds none).
func linkItem(n *html.Node) bool {
	linked, bare := false, false
	var walk func(c *html.Node, inLink bool)
	walk = func(c *html.Node, inLink bool) {
		if bare || c.Type == html.ElementNode && unrendered(c) {
			return
		}
		if c.Type == html.TextNode && strings.TrimSpace(c.Data) != "" {
			if inLink {
				linked = true
			} else {
				bare = true
			}
		}
		inLink = inLink || c.Type == html.ElementNode && c.DataAtom == atom.A
		for k := c.FirstChild; k != nil; k = k.NextSibling {
			walk(k, inLink)
		}
	}
	walk(n, false)
	return linked && !bare
}

// linksItsHeadline reports a text inside a link whose address is spelt
// from the link's own first words: a teaser linking the article its text
// is the headline of ("Von Einheimischen, Gästen und Kühen" opening
// /lenk/Von-Einheimischen-Gaesten-und-Kuehen-43143.html), whose first word
// may be a byline's label. A byline's link opens the writer's page,
// spelt from the name alone.
func linksItsHeadline(n *html.Node) bool {
	a := n
	for a != nil && !(a.Type == html.ElementNode && a.DataAtom == atom.A) {
		a = a.Parent
	}
	if a == nil {
		return false
	}
	u, err := url.Parse(strings.TrimSpace(attr(a, "href")))
	if err != nil {
		return false
	}
	seg := strings.TrimRight(u.Path, "/")
	seg = strings.ToLower(seg[strings.LastIndexByte(seg, '/')+1:])
	slug := strings.FieldsFunc(seg, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	text := strings.FieldsFunc(strings.ToLower(textOf(a)), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(slug) < 3 || len(text) < 3 || slug[0] != text[0] {
		return false
	}
	// The second word as far as slugs keep it ("gästen", "gaesten").
	w := text[1]
	if i := strings.IndexFunc(w, func(r rune) bool { return r >= utf8.RuneSelf }); i >= 0 {
		w = w[:i]
	}
	return len(w) >= 3 && strings.HasPrefix(slug[1], w)
}

// afterImage reports a text set right after a picture: the first thing
// with content before its element (or before the closest ancestor that
// has something before it, three levels up at most) is an image or a box
// holding only images. That is how a picture's credit is set where no
// <figure> marks it ("<img alt=…><span>… © Agency / Jane Doe</span>"); in
// a footer, the picture is the site's logo.
func afterImage(n *html.Node) bool {
	for e, up := n, 0; e != nil && e.Type == html.ElementNode && up < 3; e, up = e.Parent, up+1 {
		for p := e.PrevSibling; p != nil; p = p.PrevSibling {
			switch {
			case p.Type == html.TextNode && strings.TrimSpace(p.Data) != "":
				return false // the text runs on from other text
			case p.Type != html.ElementNode || unrendered(p):
				continue
			case isImage(p):
				return true
			case hasText(p):
				return false
			case holdsImage(p):
				return true
			}
		}
	}
	return false
}

// onPicture reports a text inside a box classed as a picture (one of its
// three closest ancestors): a credit set on a CSS background picture.
func onPicture(n *html.Node) bool {
	for e, up := n.Parent, 0; e != nil && e.Type == html.ElementNode && up < 3; e, up = e.Parent, up+1 {
		if imageClassRe.MatchString(attr(e, "class")) {
			return true
		}
	}
	return false
}

// imageClassRe is a class naming a picture's box.
var imageClassRe = regexp.MustCompile(`(?i)image|picture|photo|foto`)

func isImage(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Img, atom.Picture, atom.Video, atom.Svg:
		return true
	}
	return false
}

// holdsImage reports an element with an image inside.
func holdsImage(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (isImage(c) || holdsImage(c)) {
			return true
		}
	}
	return false
}

// headingWords reports names read from a heading's text (h1–h6), one of
// whose words the page writes in lower case: the heading is a phrase that
// starts with a label's word ("POR ESO INFORMAR ES": Spanish "por", then
// "eso" and "es" as the text writes them), not a byline. A name in a
// heading written only capitalised stays ("<h5>Autor: Jane Doe</h5>").
// written holds the page's texts joined, built on the first call (a page
// may have many such headings).
func headingWords(n *html.Node, names []string, texts []bylineText, written *string) bool {
	if enclosingHeading(n) == nil {
		return false
	}
	if *written == "" {
		*written = joinedTexts(texts)
	}
	return slices.ContainsFunc(names, func(name string) bool { return writtenLower(name, *written) })
}

// enclosingHeading returns the h1–h6 element holding n, or nil.
func enclosingHeading(n *html.Node) *html.Node {
	for p := n; p != nil; p = p.Parent {
		if p.Type == html.ElementNode {
			switch p.DataAtom {
			case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
				return p
			}
		}
	}
	return nil
}

// splitAuthorList cuts a byline at its list separators, except an "&"
// that joins a firm's name to its legal form ("& Co. KG").
func splitAuthorList(s string) []string {
	var parts []string
	start := 0
	for _, m := range authorSplitRe.FindAllStringIndex(s, -1) {
		if strings.TrimSpace(s[m[0]:m[1]]) == "&" && legalFormAfterAmpRe.MatchString(s[m[1]:]) {
			continue
		}
		parts = append(parts, s[start:m[0]])
		start = m[1]
	}
	return append(parts, s[start:])
}
