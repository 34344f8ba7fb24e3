package extract

import (
	"bytes"
	"net/url"
	"regexp"
	"slices"
	"strconv"
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
	f := strings.Fields(n)
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

var (
	authorPrefixRe = regexp.MustCompile(`(?i)^(?:(?:(?:written|posted|published|text|story|report(?:ed)?|photos?|words|created|edited)\s+by|by|von|vom|par|por|di|door|av|af|przez|autor(?:in)?|author|auteur|texte?|(?:geschrieben|verfasst|veröffentlicht|eingestellt|erstellt|publiziert|gepostet)\s+von|beitrag\s+von|ein\s+beitrag\s+von|publié\s+par|écrit\s+par|publicado\s+por|escrito\s+por|scritto\s+da|pubblicato\s+da)\s*[:：]?\s+|redaktion\s*[:：]\s*)`)
	authorJunkRe   = regexp.MustCompile(`(?i)\s*(?:\S+@\S+\.\S+|\S+\[at\]\S+|https?://\S+|\|.*$|\(\s*\)|\bon\s+\w+day\b.*$|\b\d{1,2}[./]\s?\d{1,2}[./]\s?\d{2,4}.*$|\b(?:19|20)\d{2}-\d{2}-\d{2}.*$|\s+(?:says|said|schreibt|sagt)\s*:?$|\s+alle artikel.*$|\s+view my complete profile.*$|\s+afficher mon profil complet.*$|\s+[—»›].*$|\s+-\s+(?:veröffentlicht|published|posted).*$)`)
	// "Posted on March 3, 2020 by Jane Doe": the name follows the last "by".
	authorAfterByRe = regexp.MustCompile(`(?i)^.*\b(?:posted|published|veröffentlicht|publiziert|erschienen|geschrieben)\b.*?\b(?:by|von|par|por)\s+(.+)$`)
	authorSplitRe   = regexp.MustCompile(`\s*(?:;|\s+and\s+|\s+und\s+|\s+et\s+|\s+y\s+|\s+&\s+|\s*\|\s*)\s*`)
	// Link texts next to bylines: "Zeige alle Beiträge von X", "View all posts by X".
	authorLinkRe  = regexp.MustCompile(`(?i)^(?:zeige\s+)?(?:alle\s+(?:beiträge|artikel)\s+von|(?:view|show|see)\s+all\s+(?:posts|articles|stories)\s+(?:by|of)|more\s+(?:articles|stories|posts)\s+(?:by|from)|all\s+(?:posts|articles)\s+by)\s+`)
	authorNoiseRe = regexp.MustCompile(`(?i)(?:complete profile|profil complet|alle beiträge|all articles|all posts|\bfollow\b|→|»)`)
	// acronymRe is an agency's or broadcaster's code written after a
	// name ("Jane Doe, NDR"): a source of its own, not the name's part.
	acronymRe      = regexp.MustCompile(`^\p{Lu}{2,5}$`)
	handleRe       = regexp.MustCompile(`\s+@\w+$`)
	roleLabelRe    = regexp.MustCompile(`^(?:(?:und|and|&|et|y)\s+)?(\pL+)\s*[:：]\s+`)
	parenRe        = regexp.MustCompile(`\s*\([^()]*\)`)
	agencySuffixRe = regexp.MustCompile(`\s*/\s*[\p{Lu}][\p{Lu}\d-]{0,5}$`)
	notAName       = regexp.MustCompile(`(?i)^(?:by|von|par|por|am|on|the|admin|publiziert am|veröffentlicht am|posted on|published on|posted|published|author|autor|redaktion:|unknown|anonymous|anonym|guest|share|teilen|\d+ comments?|\d+ kommentare?)$`)
)

// splitAuthors turns an author string into names: it drops "By"-style
// prefixes, e-mail addresses, URLs and trailing dates, and splits lists on
// ";", "and" and their translations, and on commas when every part is a
// full name (so "Doe, Jane" stays one name).
func splitAuthors(s string) []string {
	s = collapseSpace(s)
	if s == "" || strings.HasPrefix(s, "http") && !strings.Contains(s, " ") {
		return nil
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
	// "Jane Doe (Pressesprecherin)", "Jane Doe (dpa)": a role or source in
	// parentheses is not part of the name.
	s = parenRe.ReplaceAllString(s, "")
	s = strings.Trim(s, " ,;:-–—|·")
	if s == "" {
		return nil
	}
	parts := authorSplitRe.Split(s, -1)
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

// visibleKind reports author sources read from the page's visible text,
// whose spelling is the one readers see.
func visibleKind(kind string) bool { return kind == KindByline || kind == KindHTML }

// withoutTitles drops the words a name carries beyond the name another
// source gives for the same person: "Christoph Hein Chefredakteur" is
// "Christoph Hein" where JSON-LD says so, "FOCUS-Online-Experte Robin
// Tschöpe" is "Robin Tschöpe" where rel=author says so. The shorter name
// must be a whole run of two or more words at the start or the end.
func withoutTitles(names []string, kind string, cands []Candidate, siteNames []string) []string {
	out := slices.Clone(names)
	for i, n := range names {
		nw := strings.Fields(n)
		if strings.ContainsAny(n, ",;") {
			continue // a list of names ("Jane Doe, London, John Roe"), not one with a title
		}
		for _, c := range cands {
			if c.Kind == kind {
				continue
			}
			for _, o := range cleanNames(c.Values, siteNames) {
				ow := strings.Fields(o)
				if len(ow) < 2 || len(ow) >= len(nw) || len(nw)-len(ow) > 2 || len(ow) >= len(strings.Fields(out[i])) {
					continue
				}
				if slices.Equal(nw[:len(ow)], ow) || slices.Equal(nw[len(nw)-len(ow):], ow) {
					out[i] = o
				}
			}
		}
	}
	return dedupe(out)
}

// bylineCluster keeps the rel=author links of one byline: the first link
// and those whose closest common element with it holds little text (co-
// authors are listed side by side). Links further off name the authors
// of related articles or of the site.
func bylineCluster(links []tag) []tag {
	if len(links) < 2 {
		return links
	}
	out := links[:1:1]
	for _, l := range links[1:] {
		lca := commonAncestor(links[0].Node, l.Node)
		if lca != nil && utf8.RuneCountInString(collapseSpace(textOf(lca))) <= 200 {
			out = append(out, l)
		}
	}
	return out
}

// commonAncestor returns the closest element containing both nodes.
func commonAncestor(a, b *html.Node) *html.Node {
	seen := map[*html.Node]bool{}
	for p := a; p != nil; p = p.Parent {
		seen[p] = true
	}
	for p := b; p != nil; p = p.Parent {
		if seen[p] {
			return p
		}
	}
	return nil
}

// inForm reports an element inside a form: a comment form's "Name" field
// is no byline.
func inForm(n *html.Node) bool { return insideAny(n, atom.Form) }

// inAside reports an element inside an aside or a navigation: a sidebar's
// list of posts names their authors, not the article's.
func inAside(n *html.Node) bool { return insideAny(n, atom.Aside, atom.Nav) }

// labelledAuthor reads the author from the label/data pairs some CMSs write
// for social cards (<meta name="twitter:label1" content="Written by"> with
// <meta name="twitter:data1" content="Jane Doe">): the data whose label is
// an author label.
func labelledAuthor(t *pageTags) (tag, bool) {
	for i := 1; i <= 4; i++ {
		n := strconv.Itoa(i)
		l, ok := t.get("twitter:label" + n)
		if !ok {
			continue
		}
		label := strings.TrimSpace(strings.TrimRight(l.Value, ":： "))
		if m := authorPrefixRe.FindString(label + " x"); m != "" && len(m) == len(label)+1 {
			if d, ok := t.get("twitter:data" + n); ok {
				return d, true
			}
		}
	}
	return tag{}, false
}

// pickAuthors applies precedence but passes over candidates that name the
// site or publisher rather than a person ("Badische Zeitung"), schema.org
// Organization authors, and user handles ("jane.doe") while a later source
// has a person's name; measured on the trafilatura set. A handle the page
// shows (byline, rel=author) stays as written when the later source only
// respells it ("ThE_PaiN", not go-trafilatura's "ThE PaiN"), and a name
// loses the words beyond the name another source gives the same person.
func (e *Extractor) pickAuthors(st *state, siteNames []string) (Candidate, bool) {
	var first, firstShaped *Candidate
	var firstShapedOrig Candidate
	var passed [][2]Candidate // visible handles passed over: cleaned, as found
	for _, k := range e.opts.Precedence["authors"] {
		for _, c := range st.cands["authors"] {
			if c.Kind != k || len(c.Values) == 0 {
				continue
			}
			orig := c
			c.Values = withoutSiteNames(cleanNames(c.Values, siteNames), siteNames)
			if len(c.Values) == 0 {
				st.note("authors", orig, "no name left once job titles, dates and the site's name are removed")
				continue
			}
			if c.Kind == KindTrafilatura && notAuthorsInSchema(c.Values, st.items) {
				st.note("authors", orig, "schema.org Persons the page's structured data names in other roles (a publisher's employee or founder), not as an author")
				continue
			}
			if first == nil {
				first = &c
				st.firstAuthors = orig
			}
			if firstShaped == nil && !slices.ContainsFunc(c.Values, func(n string) bool { return !nameShaped(n) }) {
				cc := c
				firstShaped, firstShapedOrig = &cc, orig
			}
			switch {
			case c.org:
				st.note("authors", orig, "schema.org Organization while a later source may name a person")
				continue
			case !c.person && weakAuthors(c.Values, siteNames):
				st.note("authors", orig, "the site's name or a user handle while a later source may name a person")
				if visibleKind(c.Kind) {
					passed = append(passed, [2]Candidate{c, orig})
				}
				continue
			case outsideArticle(c, st.article) && bylineNamesOther(c.Values, st.cands["authors"], siteNames):
				// A WebPage's author is the account that published the
				// page; the article's visible byline names its writer.
				st.note("authors", orig, "the author of a WebPage item, not of the article, while the page's byline names someone else")
				continue
			case structuredKind(c.Kind) && outvoted(c.Values, st.cands["authors"], siteNames):
				// The CMS's account rather than the story's writers:
				// the byline readers see and the head's author tags,
				// written apart, agree on others.
				st.note("authors", orig, "names no one the page's visible byline and its meta author tags agree on")
				continue
			case c.person && weakAuthors(c.Values, siteNames) && (bylineNamesPerson(st.cands["authors"], siteNames) || bylineNamesAgency(st.cands["authors"])):
				// A schema.org Person named like the site or its desk
				// ("El Musterblatt", "Redaktion"): the CMS's account,
				// while the page's byline names a person or credits an
				// agency.
				st.note("authors", orig, "a Person named like the site, its desk or a handle while the page's byline names a person")
				continue
			case (c.Kind == KindMeta || c.Kind == KindDublinCore) && !slices.ContainsFunc(c.Values, nameShaped) && bylineNamesPerson(st.cands["authors"], siteNames):
				// The meta author field often holds the publisher
				// ("Bund der Energieverbraucher e.V."); the page's visible
				// byline names a person.
				st.note("authors", orig, "not shaped like a person's name while the page's byline names one")
				continue
			}
			if c.Kind == KindTrafilatura && len(passed) > 0 && weakAuthors(passed[0][0].Values, nil) {
				// go-trafilatura's guess has no element behind it; a
				// handle the page shows as its byline does.
				st.note("authors", orig, "go-trafilatura's guess while the page's byline shows a handle")
				st.chosen["authors"] = noteKey("authors", passed[0][1])
				return passed[0][0], true
			}
			respelt := false
			for _, p := range passed {
				if sameLetters(p[0].Values, c.Values) {
					st.note("authors", orig, "respells the handle "+p[0].Kind+" shows")
					c, orig, respelt = p[0], p[1], true
					break
				}
			}
			if !respelt {
				c.Values = spacedFrom(c.Values, st.cands["authors"])
				c.Values = withoutTitles(c.Values, c.Kind, st.cands["authors"], siteNames)
				c.Values = withCoAuthors(c.Values, st.cands["authors"], siteNames)
			}
			if !c.org {
				c.Values = fullNameOf(c.Values, st, siteNames)
			}
			st.chosen["authors"] = noteKey("authors", orig)
			return c, true
		}
	}
	// Every source was passed over: what the page's byline shows (a
	// handle, a credit) where the first value names the site, then a
	// person's name among them before the first value (a dc.publisher
	// that repeats the author's name makes it look like the site's).
	if first != nil && onlySiteNames(first.Values, siteNames) {
		for _, p := range passed {
			if !onlySiteNames(p[0].Values, siteNames) && (firstShaped == nil || onlySiteNames(firstShaped.Values, siteNames)) {
				st.chosen["authors"] = noteKey("authors", p[1])
				return p[0], true
			}
		}
	}
	if firstShaped != nil {
		st.chosen["authors"] = noteKey("authors", firstShapedOrig)
		return *firstShaped, true
	}
	if first != nil {
		if !first.org {
			first.Values = fullNameOf(first.Values, st, siteNames)
		}
		st.chosen["authors"] = noteKey("authors", st.firstAuthors)
		return *first, true
	}
	return Candidate{}, false
}

// fullNameOf replaces a lone first name or user handle ("Nils",
// "christian.doe") by the full name the page writes for it ("Nils Doe",
// "Christian P. Doe") where pages credit their writer: the CMS's account
// name and the name the article is signed with agree on the first (and
// last) word, and those places write that name one way only. The places
// are the site's own name (a personal site is named after its author,
// "Dr. Jane Doe", or its host after the surname), an author box, the
// paragraph that closes the article, and the names the page's other author
// sources give (not go-trafilatura's guess, read off the same text); a sentence elsewhere in the text ("Anna Karenina", a novel's
// title) says nothing of who wrote the page. A name without a lower-case
// letter is an acronym ("AFP"), and a schema.org Organization's (the
// callers skip those) no first name: the page's "AFP Photo" or "Reuters
// Graphics" is not its full form.
func fullNameOf(names []string, st *state, siteNames []string) []string {
	if len(names) != 1 || strings.ContainsAny(names[0], " \t") || !strings.ContainsFunc(names[0], unicode.IsLower) {
		return names
	}
	parts := strings.FieldsFunc(strings.ToLower(names[0]), func(r rune) bool { return !unicode.IsLetter(r) })
	if len(parts) == 0 || len(parts) > 3 || utf8.RuneCountInString(parts[0]) < 2 {
		return names
	}
	siteWords := map[string]bool{}
	for _, s := range siteNames {
		for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) }) {
			siteWords[w] = true
		}
	}
	var evidence []string
	for _, c := range st.cands["authors"] {
		for _, v := range c.Values {
			// go-trafilatura guesses from the same texts; a source
			// that only respells the handle names no one new.
			if c.Kind != KindTrafilatura && squash(v) != squash(names[0]) {
				evidence = append(evidence, v)
			}
		}
	}
	texts := []string{}
	for _, t := range bylineTexts(st.doc, nil) {
		texts = append(texts, t.s)
		// scan passes over a text without the first name's word, so only
		// such texts need asking where they stand: closesText gathers the
		// text of the block's parent, once per text node of the page.
		if strings.Contains(strings.ToLower(t.s), parts[0]) && (inAuthorBox(t.n) || closesText(t.n)) {
			evidence = append(evidence, t.s)
		}
	}
	found, written := "", ""
	scan := func(s string, anywhere bool) bool {
		f := strings.Fields(s)
		for i, w := range f {
			if wordKey(w) != parts[0] || !upperInitial(w) {
				continue
			}
			name := ""
			if len(parts) == 1 {
				if i+1 < len(f) && upperInitial(f[i+1]) && strings.TrimRight(w, ".,;:!?)") == w {
					name = w + " " + f[i+1]
				}
			} else {
				for j := i + 1; j < len(f) && j <= i+3 && upperInitial(f[j]); j++ {
					if wordKey(f[j]) == parts[len(parts)-1] {
						name = strings.Join(f[i:j+1], " ")
						break
					}
				}
			}
			name = strings.TrimFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && r != '.' })
			name = strings.TrimRight(name, ".")
			if name == "" || !nameShaped(name) || cleanName(name, siteNames) != name {
				continue
			}
			if written != "" && squash(written) != squash(name) {
				return false // two different full names
			}
			written = name
			if nf := strings.Fields(name); !anywhere || siteWords[wordKey(nf[len(nf)-1])] {
				found = name
			}
		}
		return true
	}
	for _, s := range evidence {
		if !scan(s, false) {
			return names
		}
	}
	if found == "" {
		// A sentence's name counts where it is the site's owner's: the
		// surname is the site's name or host ("leukefeld-handball.de"),
		// and the text writes the first name with no other surname.
		for _, s := range texts {
			if !scan(s, true) {
				return names
			}
		}
	}
	if found == "" {
		return names
	}
	return []string{found}
}

// authorBoxRe is a class or id of the box that presents an article's
// writer ("author-box", "post-author", "byline", "bio", "vcard", "h-card").
var authorBoxRe = regexp.MustCompile(`(?i)(?:^|[^a-z])(?:author|autor|auteur|byline|bio|vcard|h-card|profile?|profil)`)

// inAuthorBox reports a node inside an element classed as an author box
// (within a few levels: a page-wide wrapper's class says nothing).
func inAuthorBox(n *html.Node) bool {
	for p, depth := n, 0; p != nil && depth < 6; p, depth = p.Parent, depth+1 {
		if p.Type == html.ElementNode && mayBeAuthorBox(p) && authorBoxRe.MatchString(attr(p, "class")+" "+attr(p, "id")) {
			return true
		}
	}
	return false
}

// mayBeAuthorBox is false when authorBoxRe cannot match n's class and id:
// ASCII values without any of its words' stems. Other values answer true
// and leave the decision to the expression.
func mayBeAuthorBox(n *html.Node) bool {
	var buf [256]byte
	b, ok := appendLowerASCII(buf[:0], attr(n, "class"), attr(n, "id"))
	if !ok {
		return true
	}
	for _, w := range []string{"aut", "byline", "bio", "vcard", "h-card", "profil"} {
		if bytes.Contains(b, []byte(w)) {
			return true
		}
	}
	return false
}

// closesText reports a text in the last block of a container of running
// text (200 runes or more): where an article is signed.
func closesText(n *html.Node) bool {
	b := blockOf(n)
	if b == nil || b.Parent == nil || textFollows(b) {
		return false
	}
	return utf8.RuneCountInString(collapseSpace(textOf(b.Parent))) >= 200
}

// upperInitial reports a word that starts with an upper-case letter (after
// an opening bracket or quote).
func upperInitial(w string) bool {
	r, _ := utf8.DecodeRuneInString(strings.TrimLeft(w, "(\"'„“«"))
	return unicode.IsUpper(r)
}

// withoutSiteNames drops the site's own name from a list that also names
// someone else ("Alexander Karper; LAOLA1.at").
func withoutSiteNames(names, siteNames []string) []string {
	if len(names) < 2 {
		return names
	}
	var out []string
	for _, n := range names {
		if !isSiteName(n, siteNames) {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return names
	}
	return out
}

// bylineCandidates adds the authors the page's visible text gives:
// rel=author links, then the first element classed as a byline; where no
// classed element names a person, the byline readers of the visible text
// (a labelled name, a dateline, a signature, a profile link). A classed
// element naming only the site gives way to a labelled person only.
func (e *Extractor) bylineCandidates(st *state, t *pageTags) {
	// rel=author links, then elements classed as bylines.
	var names []string
	path := ""
	for _, l := range bylineCluster(t.linkText["author"]) {
		for _, n := range splitAuthors(l.Value) {
			names = append(names, n)
			if path == "" {
				path = l.Path
			}
		}
	}
	if len(names) > 0 {
		st.add("authors", Candidate{Kind: KindHTML, Values: dedupe(names), Source: path})
	}
	bylined, siteOnly := false, false
	var classed Candidate // the first element classed as a byline
	siteNames := e.siteNames(st)
	for _, b := range t.bylines {
		if b.Value == "" || len(b.Value) > 120 || inForm(b.Node) || inAside(b.Node) {
			continue
		}
		if ns := splitAuthors(b.Value); len(ns) > 0 {
			classed = Candidate{Kind: KindByline, Values: ns, Source: b.Path}
			bylined = slices.ContainsFunc(ns, func(n string) bool { return nameShaped(n) || !strings.Contains(n, " ") })
			siteOnly = onlySiteNames(ns, siteNames)
			break
		}
	}
	if bylined && !siteOnly {
		st.add("authors", classed)
		return
	}
	var headline *html.Node
	if len(st.headings) > 0 {
		headline = st.headings[0].Node
	}
	texts := bylineTexts(st.doc, headline)
	if v, path, ok := labelledByline(texts, st.base, siteNames); ok {
		st.add("authors", Candidate{Kind: KindByline, Values: splitAuthors(v), Source: path})
		return
	}
	if siteOnly {
		st.add("authors", classed)
		return
	}
	if v, path, ok := datelineByline(texts, headline, siteNames); ok {
		st.add("authors", Candidate{Kind: KindByline, Values: []string{v}, Source: path})
	} else if v, path, ok := introducedByline(texts, headline, siteNames); ok {
		st.add("authors", Candidate{Kind: KindByline, Values: []string{v}, Source: path})
	} else if v, path, ok := signatureByline(texts, headline, siteNames); ok {
		st.add("authors", Candidate{Kind: KindByline, Values: []string{v}, Source: path})
	} else if v, path, ok := profileLinkByline(texts, st.base, siteNames); ok {
		st.add("authors", Candidate{Kind: KindByline, Values: []string{v}, Source: path})
	} else if v, path, ok := selfNamedLink(texts, st.base, siteNames); ok && len(classed.Values) == 0 {
		st.add("authors", Candidate{Kind: KindByline, Values: []string{v}, Source: path})
	} else if v, path, ok := agencyDateline(texts); ok && len(classed.Values) == 0 {
		st.add("authors", Candidate{Kind: KindByline, Values: []string{v}, Source: path})
	} else if v, path, ok := closingAgencyCredit(texts); ok && len(classed.Values) == 0 {
		st.add("authors", Candidate{Kind: KindByline, Values: []string{v}, Source: path})
	} else if v, path, ok := closingSourceCredit(texts); ok && len(classed.Values) == 0 {
		st.add("authors", Candidate{Kind: KindByline, Values: []string{v}, Source: path})
	} else {
		// The classed element names no person and nothing else
		// does: what it holds is the byline still.
		st.add("authors", classed)
	}
}

// onlySiteNames reports names that all name the site: an element classed
// as a byline that holds the site's name is the template's, and the person
// who wrote the article may still be credited in the text after the
// headline.
func onlySiteNames(names, siteNames []string) bool {
	names = cleanNames(names, siteNames)
	return len(names) > 0 && !slices.ContainsFunc(names, func(n string) bool { return !isSiteName(n, siteNames) })
}

// deskWords name a newsroom rather than a person: a desk byline
// ("Redaktion") is the article's author only where no source names one.
var deskWords = wordSet(`redaktion redaction rédaction redacción redazione newsroom newsdesk`)

// weakAuthors reports names that are all site names, handles or desks.
func weakAuthors(names, siteNames []string) bool {
	for _, n := range names {
		handle := !strings.Contains(n, " ") && (strings.ContainsAny(n, "._@") || strings.ToLower(n) == n)
		if !handle && !isSiteName(n, siteNames) && !deskWords[wordKey(n)] {
			return false
		}
	}
	return true
}

// bylineLabelRe is a text that opens a byline: "By", "Von", "Autor:",
// "Par", … alone or before the name. A Chinese label's colon may touch
// the name ("责任编辑：张三丰"): Chinese writes no space after it.
var bylineLabelRe = regexp.MustCompile(`(?i)^(?:(?:by|von|par|por|door|av|przez|autor(?:in)?|author|auteur|redaktion|text|written\s+by|geschrieben\s+von|verfasst\s+von|écrit\s+par|escrito\s+por)\s*[:：]?(?:\s+|$)|(?:责任编辑|编辑|作者|记者)\s*(?:[:：]\s*|\s+|$))`)

// bylineText is one visible text of the page, as byline readers see it.
type bylineText struct {
	s     string
	n     *html.Node // the text's element
	after bool       // after the headline
}

// bylineTexts lists the page's visible texts in document order, without
// navigation, asides, footers, forms, figures, captions, comment sections
// and lists of related articles (their bylines name other articles'
// writers), marking those after the headline.
func bylineTexts(doc *html.Node, headline *html.Node) []bylineText {
	var texts []bylineText
	after := headline == nil
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if len(texts) > 5000 {
			return
		}
		switch n.Type {
		case html.TextNode:
			if s := collapseSpace(n.Data); s != "" {
				texts = append(texts, bylineText{s, n.Parent, after})
			}
			return
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Nav, atom.Aside, atom.Footer,
				atom.Form, atom.Figure, atom.Figcaption, atom.Select, atom.Button, atom.Head:
				return
			}
			if noBylineBox(n) {
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n == headline {
			after = true
		}
	}
	walk(doc)
	return texts
}

// noBylineBox reports an element whose class or id names a comment
// section, a caption, a credit or related articles. It is asked of every
// element, twice a page: ASCII values are lower-cased into a stack buffer
// rather than a new string each time.
func noBylineBox(n *html.Node) bool {
	class, id := attr(n, "class"), attr(n, "id")
	var buf [256]byte
	b, ok := appendLowerASCII(buf[:0], class, id)
	if !ok {
		cls := strings.ToLower(class + " " + id)
		return strings.Contains(cls, "comment") || strings.Contains(cls, "caption") || strings.Contains(cls, "credit") || strings.Contains(cls, "related")
	}
	return bytes.Contains(b, []byte("comment")) || bytes.Contains(b, []byte("caption")) || bytes.Contains(b, []byte("credit")) || bytes.Contains(b, []byte("related"))
}

// labelledByline finds a name introduced by a byline label in the page's
// visible text where no element is classed as a byline: a text that starts
// with the label ("von Jane Doe", "Autor: Jane Doe"), or a label alone
// followed by the name in the next text ("<h5>Autor:</h5> Jane Doe",
// "<span>By</span><a href=…>Jane Doe</a>"). Navigation, asides, footers,
// forms, figures and comment sections are not read. The first such name
// after the headline wins (before it, the first on the page); a label
// before the site's own name ("By Daily Planet") counts only when no label
// names a person.
func labelledByline(texts []bylineText, base *url.URL, siteNames []string) (string, string, bool) {
	var firstBefore, site [2]string
	for i, t := range texts {
		// A separator may run into the label ("| By", "05.02.2020 - Redaktion:").
		t.s = strings.TrimLeft(t.s, "|-–—·•/ ")
		m := bylineLabelRe.FindString(t.s)
		if m == "" || len(t.s) > 80 {
			continue
		}
		// "… check out the care guide</a> by Jane Doe.": a label in
		// running text, a sentence's words before it, opens no byline.
		if bt := collapseSpace(textOf(t.n)); strings.Index(bt, t.s) > 40 {
			continue
		}
		rest, restNode := strings.TrimSpace(t.s[len(m):]), t.n
		if rest == "" && i+1 < len(texts) {
			rest, restNode = texts[i+1].s, texts[i+1].n
		}
		names := splitAuthors(rest)
		if len(names) == 1 && !strings.Contains(names[0], " ") && profileHandle(restNode, rest, base) && !isSiteName(names[0], siteNames) {
			// "Geschrieben von <a href=/userinfo.php?uid=6>Cooper</a>":
			// the label and the link to the user's page agree.
			if t.after {
				return names[0], xpath(t.n), true
			}
			if firstBefore[0] == "" {
				firstBefore = [2]string{names[0], xpath(t.n)}
			}
			continue
		}
		if len(names) == 0 || len(rest) > 80 || !slices.ContainsFunc(names, personShaped) {
			continue
		}
		var shaped []string
		for _, n := range names {
			if personShaped(n) && !isSiteName(n, siteNames) {
				shaped = append(shaped, n)
			}
		}
		if len(shaped) == 0 {
			// "By Daily Planet": the template credits the site; a
			// labelled person further on is the writer, else the site is.
			if site[0] == "" {
				site = [2]string{strings.Join(names, "; "), xpath(t.n)}
			}
			continue
		}
		v := strings.Join(shaped, "; ")
		if t.after {
			return v, xpath(t.n), true
		}
		if firstBefore[0] == "" {
			firstBefore = [2]string{v, xpath(t.n)}
		}
	}
	if firstBefore[0] != "" {
		return firstBefore[0], firstBefore[1], true
	}
	if site[0] != "" {
		return site[0], site[1], true
	}
	return "", "", false
}

var (
	// datelineSepRe splits a dateline's parts: "11.12.2019 - Jane Doe",
	// "04.02.2022 | 13:10 Uhr | Jane Doe".
	datelineSepRe = regexp.MustCompile(`\s+[-–—|·•/]\s+|\s*[|·•]\s*`)
	// datePartRe is a part that is a date or a time of day.
	datePartRe = regexp.MustCompile(`^(?:\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{2}|\d{4})|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}:\d{2}(?:\s?(?:uhr|h|am|pm))?)$`)
)

// datelineByline reads the name a dateline next to the headline gives
// after (or before) the date: "11.12.2019 - Jane Doe" just under the <h1>,
// "04.02.2022 | 13:10 Uhr | Jane Doe" just above it. Only the few short
// texts closest to the headline are read, the text must hold a date as a
// part of its own, and the name must be shaped like a person's and not be
// the site's: a date beside a name at the head of the article is how
// bylines are written where no element is marked as one.
func datelineByline(texts []bylineText, headline *html.Node, siteNames []string) (string, string, bool) {
	if headline == nil {
		return "", "", false
	}
	first := slices.IndexFunc(texts, func(t bylineText) bool { return t.after })
	if first < 0 {
		return "", "", false
	}
	last := first - 1 // the headline's own texts
	for last >= 0 && isAncestorOrSelf(headline, texts[last].n) {
		last--
	}
	var near []bylineText
	for i := first; i < len(texts) && i < first+4; i++ {
		near = append(near, texts[i])
	}
	for i := last; i >= 0 && i > last-2; i-- {
		near = append(near, texts[i])
	}
	for _, t := range near {
		if len(t.s) > 80 {
			continue
		}
		parts := datelineSepRe.Split(strings.Trim(t.s, " |-–—·•"), -1)
		dated := slices.ContainsFunc(parts, func(p string) bool { return datePartRe.MatchString(strings.ToLower(strings.TrimSpace(p))) })
		if !dated || len(parts) < 2 {
			continue
		}
		for _, p := range parts {
			p = cleanName(strings.TrimSpace(p), siteNames)
			if nameShaped(p) && !isSiteName(p, siteNames) {
				return p, xpath(t.n), true
			}
		}
	}
	return "", "", false
}

// introLabelRe is a byline label standing inside a short text, between
// the words that say what the text is and the name ("Eine Kolumne von",
// "A blog post by").
var introLabelRe = regexp.MustCompile(`(?i)\s(?:by|von|par|por|door|av|przez)\s`)

// introducedByline reads the name a short block of its own just under the
// headline (among its first four blocks) ends with after a byline label:
// "Eine Kolumne von Jane Doe",
// "A blog post by Jane Doe". At most three words go before the label and
// none is a photo credit's; the text is the whole block and no sentence.
func introducedByline(texts []bylineText, headline *html.Node, siteNames []string) (string, string, bool) {
	if headline == nil {
		return "", "", false
	}
	first := slices.IndexFunc(texts, func(t bylineText) bool { return t.after })
	if first < 0 {
		return "", "", false
	}
	var blocks []*html.Node // the blocks read so far: the first four after the headline
	for _, t := range texts[first:] {
		if b := blockOf(t.n); !slices.Contains(blocks, b) {
			if blocks = append(blocks, b); len(blocks) > 4 {
				break
			}
		}
		if len(t.s) > 60 || strings.ContainsAny(t.s, ".!?:") || collapseSpace(textOf(blockOf(t.n))) != t.s {
			continue
		}
		m := introLabelRe.FindStringIndex(t.s)
		if m == nil {
			continue
		}
		before := strings.Fields(t.s[:m[0]])
		if len(before) > 3 || slices.ContainsFunc(before, func(w string) bool { return photoWords[wordKey(w)] }) {
			continue
		}
		name := cleanName(strings.TrimSpace(t.s[m[1]:]), siteNames)
		if nameShaped(name) && !isSiteName(name, siteNames) {
			return name, xpath(t.n), true
		}
	}
	return "", "", false
}

var (
	// agencyDatelineRe is a lead's dateline: a place, the agency's code in
	// parentheses, a dash ("Hamburg (dpa/lno) – ").
	agencyDatelineRe = regexp.MustCompile(`^\p{Lu}[\pL.\- ]{1,30}?\s\(([\pL/, ]{2,20})\)\s?[–—-]\s`)
	// agencyCodeRe is one agency code: lower or upper case letters alone.
	agencyCodeRe = regexp.MustCompile(`^(?:\p{Ll}{2,6}|\p{Lu}{2,6})$`)
)

// closingCreditRe is a credit in parentheses closing a paragraph.
var closingCreditRe = regexp.MustCompile(`\(([^()]{2,30})\)$`)

// closingAgencyCredit reads the agency credit that closes a paragraph of
// running text after the headline ("… (XY mit dpa)", "… (AFP)"): every
// word in the parentheses is a code of two to six letters in one case, as
// in a dateline. The credit must close the article: a paragraph of running
// text after it (a block of 100 runes or more) makes it an aside of the
// text ("… (see below)", "… (PDF)"), not the article's credit.
func closingAgencyCredit(texts []bylineText) (string, string, bool) {
	v, path := "", ""
	var credited, seen *html.Node // the credit's block; the last block measured
	for _, t := range texts {
		if !t.after {
			continue
		}
		block := blockOf(t.n)
		if credited != nil && block != credited && block != seen {
			seen = block
			if utf8.RuneCountInString(collapseSpace(textOf(block))) >= 100 {
				v, path, credited = "", "", nil
			}
		}
		m := closingCreditRe.FindStringSubmatch(t.s)
		if m == nil {
			continue
		}
		text := collapseSpace(textOf(block))
		if !strings.HasSuffix(text, t.s) || utf8.RuneCountInString(text) < 100 {
			continue
		}
		if agencyCodes(m[1]) {
			v, path, credited = strings.TrimSpace(m[1]), xpath(t.n), block
		}
	}
	return v, path, v != ""
}

// sourceLabelRe is the label of a source credit: "Quelle:", "Source:",
// "Fuente:", "Fonte:", "Bron:", "Źródło:".
var sourceLabelRe = regexp.MustCompile(`(?i)^(?:quelle|source|fuente|fonte|bron|źródło)\s*[:：]\s*`)

// closingSourceCredit reads a source credit ("Quelle: Agentur") in the
// short block that closes the article's text after the headline: the
// agency or outlet the story came from, where nothing else names an
// author. A source named mid-article (a study's, a quote's) is not read.
func closingSourceCredit(texts []bylineText) (string, string, bool) {
	for _, t := range texts {
		if !t.after || !sourceLabelRe.MatchString(t.s) {
			continue
		}
		block := blockOf(t.n)
		bt := collapseSpace(textOf(block))
		m := sourceLabelRe.FindString(bt)
		if m == "" || utf8.RuneCountInString(bt) > 60 || !closesText(t.n) {
			continue
		}
		// A name, or an outlet's domain ("ex.org/bb"); not a sentence.
		v := strings.TrimSpace(bt[len(m):])
		sentence := strings.ContainsAny(v, "!?") || strings.Contains(v, ".") && strings.Contains(v, " ")
		if v != "" && !sentence {
			return v, xpath(block), true
		}
	}
	return "", "", false
}

// agencyCodes reports a credit whose every word is an agency's code
// ("dpa/lno", "AFP", "XY mit dpa").
func agencyCodes(s string) bool {
	codes := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == ',' || r == ' ' })
	return len(codes) > 0 && !slices.ContainsFunc(codes, func(c string) bool { return !agencyCodeRe.MatchString(c) })
}

// bylineNamesAgency reports a byline candidate that credits a news agency
// by its codes.
func bylineNamesAgency(cands []Candidate) bool {
	return slices.ContainsFunc(cands, func(c Candidate) bool {
		return c.Kind == KindByline && len(c.Values) > 0 && !slices.ContainsFunc(c.Values, func(v string) bool { return !agencyCodes(v) })
	})
}

// agencyDateline reads the news agency's code from the dateline a
// paragraph after the headline starts with, where nothing else names an
// author: every part in the parentheses is a code of two to six letters
// in one case ("dpa/lno", "AFP"), not a word ("Germany").
func agencyDateline(texts []bylineText) (string, string, bool) {
	seen := 0
	for _, t := range texts {
		if !t.after {
			continue
		}
		if seen++; seen > 30 {
			break
		}
		m := agencyDatelineRe.FindStringSubmatch(t.s)
		if m == nil || !strings.HasPrefix(collapseSpace(textOf(blockOf(t.n))), t.s[:len(m[0])-1]) {
			continue
		}
		if agencyCodes(m[1]) {
			return strings.TrimSpace(m[1]), xpath(t.n), true
		}
	}
	return "", "", false
}

// signatureByline reads the name an article is signed with: a block of its
// own whose whole text is a person's name, closing the text that runs on
// from the headline ("<p align=right><em>Jane Doe</em></p>" after the last
// paragraph). The headline and the signature share the article's
// container; the text between them is an article's length, and almost
// nothing of that container follows the name.
func signatureByline(texts []bylineText, headline *html.Node, siteNames []string) (string, string, bool) {
	if headline == nil {
		return "", "", false
	}
	tried, written := 0, ""
	for i, t := range texts {
		if !t.after || len(t.s) > 60 {
			continue
		}
		name := cleanName(t.s, siteNames)
		if !nameShaped(name) || isSiteName(name, siteNames) || strings.ContainsAny(t.s[len(t.s)-1:], ".!?:") || inLink(t.n) {
			continue
		}
		block := blockOf(t.n)
		if (block.DataAtom != atom.P && block.DataAtom != atom.Div) || collapseSpace(textOf(block)) != t.s || !afterParagraph(block) || textFollows(block) {
			continue
		}
		if tried++; tried > 50 {
			break // each try reads the page's texts again
		}
		if written == "" {
			var sb strings.Builder
			for _, u := range texts {
				sb.WriteString(" " + u.s + " ")
			}
			written = sb.String()
		}
		if writtenLower(name, written) {
			continue
		}
		box := commonAncestor(headline, t.n)
		before, rest := 0, 0
		for j, u := range texts {
			if !u.after || !isAncestorOrSelf(box, u.n) {
				continue
			}
			switch {
			case j < i:
				before += utf8.RuneCountInString(u.s)
			case j > i:
				rest += utf8.RuneCountInString(u.s)
			}
		}
		if before >= 500 && rest <= 100 {
			return name, xpath(t.n), true
		}
	}
	return "", "", false
}

// selfNamedLink reads the author from a link whose address spells the
// name written beside it: a contact box's "Jan Doe … mailto:jan.doe@…", a
// profile on another site ("Inga Doe" linking to …/in/ingadoe). The
// text and the link's target agree letter for letter, so the link is the
// person's own; it must sit in a short block (a byline, an author or
// contact box), not in a sentence of the text, which may link anyone it
// mentions. The first such name after the headline wins (before it, the
// first on the page).
func selfNamedLink(texts []bylineText, base *url.URL, siteNames []string) (string, string, bool) {
	var before [2]string
	for _, t := range texts {
		a := t.n
		for a != nil && !(a.Type == html.ElementNode && a.DataAtom == atom.A) {
			a = a.Parent
		}
		if a == nil {
			continue
		}
		target, ok := linkOwner(attr(a, "href"), base)
		if !ok || utf8.RuneCountInString(target) < 5 {
			continue
		}
		block := blockOf(a)
		if utf8.RuneCountInString(collapseSpace(textOf(block))) > 200 {
			continue
		}
		name := ""
		if s := collapseSpace(textOf(a)); squash(s) == target {
			name = s
		} else {
			name = wordsSpelling(collapseSpace(renderedText(block)), target)
		}
		if name == "" || !nameShaped(name) || isSiteName(name, siteNames) {
			continue
		}
		if t.after {
			return name, xpath(t.n), true
		}
		if before[0] == "" {
			before = [2]string{name, xpath(t.n)}
		}
	}
	return before[0], before[1], before[0] != ""
}

// linkOwner is who a link's address names, squashed: a mail address's
// local part, or the last segment of the path of a page on another site
// (a profile elsewhere). The site's own links are left out: its menus and
// tag pages are named as the link's text is, for any topic.
func linkOwner(href string, base *url.URL) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(href))
	if err != nil {
		return "", false
	}
	if strings.EqualFold(u.Scheme, "mailto") {
		local, _, _ := strings.Cut(u.Opaque, "@")
		return squash(local), true
	}
	if u.Scheme != "http" && u.Scheme != "https" || sameSite(u, base) {
		return "", false
	}
	seg := strings.TrimRight(u.Path, "/")
	seg = seg[strings.LastIndexByte(seg, '/')+1:]
	if i := strings.LastIndexByte(seg, '.'); i > 0 {
		seg = seg[:i]
	}
	return squash(seg), true
}

// wordsSpelling returns the two to four consecutive words of s whose
// letters are the squashed target's, as s writes them.
func wordsSpelling(s, target string) string {
	f := strings.Fields(s)
	for i := range f {
		for j := i + 2; j <= len(f) && j <= i+4; j++ {
			w := strings.Join(f[i:j], " ")
			if squash(w) == target {
				return strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && r != '.' })
			}
		}
	}
	return ""
}

// profileSegments are the path segments under which sites serve an
// author's or user's page ("/author/jane-doe", "/user/Marianne1.html",
// "/user-uebersicht/?u=1").
var paramKeyRe = regexp.MustCompile(`[?&]?\w+=|\.html?$|\.php$`)

var profileSegments = regexp.MustCompile(`(?i)/(?:authors?|autor(?:en|in)?|auteurs?|user[-_]?\w*|users|profile?|profil|members?|redakteur\w*|journalist\w*)(?:/|\.|\?|$)`)

// profileLinkByline reads the author from a link to an author's or user's
// page among the first texts after the headline (or, with no headline,
// the first on the page): the link's text names the person (or shows the
// handle) whose page it opens. Further down (an author box after the
// article) such links count only when all of them name the same person.
// Links in navigation, asides, footers, comment sections and lists of
// related articles are not read.
func profileLinkByline(texts []bylineText, base *url.URL, siteNames []string) (string, string, bool) {
	seen, written := 0, ""
	var later, laterPath string // a full name further down, while every later link agrees on it
	for _, t := range texts {
		if !t.after {
			continue
		}
		seen++
		a := t.n
		for a != nil && !(a.Type == html.ElementNode && a.DataAtom == atom.A) {
			a = a.Parent
		}
		if a == nil || len(t.s) > 40 || collapseSpace(textOf(a)) != t.s {
			continue
		}
		u, err := url.Parse(attr(a, "href"))
		if err != nil || !profileSegments.MatchString(u.Path+"?") || !sameSite(u, base) {
			continue
		}
		name := cleanName(t.s, siteNames)
		handle := !strings.Contains(name, " ") && utf8.RuneCountInString(name) >= 3
		if !(nameShaped(name) || handle) || isSiteName(name, siteNames) || notAName.MatchString(name) || authorNoiseRe.MatchString(name) ||
			profileSegments.MatchString("/"+strings.ToLower(name)) || strings.Contains(strings.ToLower(name), "profil") {
			continue // a menu's "Userprofile", "Authors" names the kind of page, not a person
		}
		if written == "" {
			var sb strings.Builder
			for _, u := range texts {
				sb.WriteString(" " + u.s + " ")
			}
			written = sb.String()
		}
		if !handle && writtenLower(name, written) || !slugAgrees(name, u) {
			continue
		}
		if seen <= 40 {
			return name, xpath(t.n), true
		}
		switch {
		case handle || later != "" && squash(later) != squash(name):
			return "", "", false // an author box names one person, a list of posts several
		case later == "":
			later, laterPath = name, xpath(t.n)
		}
	}
	if later != "" {
		return later, laterPath, true
	}
	return "", "", false
}

// profileHandle reports a text that is the whole text of a link to a user's
// or author's page on the page's own site, and is a handle (three letters
// or more, no space).
func profileHandle(n *html.Node, text string, base *url.URL) bool {
	a := n
	for a != nil && !(a.Type == html.ElementNode && a.DataAtom == atom.A) {
		a = a.Parent
	}
	if a == nil || collapseSpace(textOf(a)) != text || utf8.RuneCountInString(text) < 3 || strings.Contains(text, " ") {
		return false
	}
	u, err := url.Parse(attr(a, "href"))
	return err == nil && profileSegments.MatchString(u.Path+"?") && sameSite(u, base) && !notAName.MatchString(text) &&
		!profileSegments.MatchString("/"+strings.ToLower(text))
}

// slugAgrees reports a profile link whose address names the link's text:
// a word of the name starts the same as a word of the path's last segment
// or the query ("Heinz Steiner" and /author/heinz-steiner/), or the
// address names no one (/user?u=138114). A link labelled "More posts"
// opens an author's page but does not name the author.
func slugAgrees(name string, u *url.URL) bool {
	full := strings.ToLower(u.Path + "?" + u.RawQuery)
	if m := profileSegments.FindStringIndex(full); m != nil {
		full = full[m[1]:] // what follows "/author/"
	}
	seg := paramKeyRe.ReplaceAllString(full, " ")
	if !strings.ContainsFunc(seg, func(r rune) bool { return unicode.IsLetter(r) }) {
		return true
	}
	words := strings.FieldsFunc(seg, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for _, w := range strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		r := []rune(w)
		if len(r) < 3 {
			continue
		}
		p := string(r[:3])
		for _, sw := range words {
			if strings.HasPrefix(sw, p) || strings.Contains(sw, p) && len(words) == 1 {
				return true
			}
		}
	}
	return false
}

// sameSite reports a link to the page's own site (relative, or to the
// same host but for "www."): another site's user pages (a video
// platform's channel) are not the article's author.
func sameSite(u, base *url.URL) bool {
	if u.Host == "" {
		return true
	}
	if base == nil {
		return false
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.") == strings.TrimPrefix(strings.ToLower(base.Hostname()), "www.")
}

// writtenLower reports a name one of whose words the page's text also
// writes in lower case, or starts a lower-case word with ("Weitere
// Informationen": "weitere", "weiteren" run in the
// text): a person's name is written capitalised wherever it stands.
func writtenLower(name, text string) bool {
	for _, w := range strings.Fields(name) {
		l := strings.ToLower(w)
		if l != w && !particles[l] && strings.Contains(text, " "+l) {
			return true
		}
	}
	return false
}

// textFollows reports an element followed by a sibling with text: a
// signature closes its container, a label ("Further reading") introduces
// what follows it.
func textFollows(b *html.Node) bool {
	for p := b.NextSibling; p != nil; p = p.NextSibling {
		if p.Type == html.ElementNode && collapseSpace(textOf(p)) != "" {
			return true
		}
	}
	return false
}

// inLink reports a node inside a link: a signature is text, not a link to
// another page.
func inLink(n *html.Node) bool { return insideAny(n, atom.A) }

// afterParagraph reports a block that one of the two elements before it is
// a paragraph of running text: a signature follows the article's last
// paragraphs.
func afterParagraph(b *html.Node) bool {
	seen := 0
	for p := b.PrevSibling; p != nil && seen < 2; p = p.PrevSibling {
		if p.Type != html.ElementNode {
			continue
		}
		seen++
		if p.DataAtom == atom.P && utf8.RuneCountInString(collapseSpace(textOf(p))) >= 150 {
			return true
		}
	}
	return false
}

// blockOf returns the closest block element holding n (inline elements
// such as <em> or <strong> sit inside a paragraph).
func blockOf(n *html.Node) *html.Node {
	for p := n; p != nil; p = p.Parent {
		if p.Type != html.ElementNode {
			continue
		}
		switch p.DataAtom {
		case atom.A, atom.Em, atom.Strong, atom.B, atom.I, atom.Span, atom.Font, atom.Small, atom.U, atom.Br:
			continue
		}
		return p
	}
	return n
}

// isAncestorOrSelf reports whether a is n or contains it.
func isAncestorOrSelf(a, n *html.Node) bool {
	for p := n; p != nil; p = p.Parent {
		if p == a {
			return true
		}
	}
	return false
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

// bylineNamesPerson reports a byline or rel=author candidate whose every
// name is shaped like a person's.
func bylineNamesPerson(cands []Candidate, siteNames []string) bool {
	for _, c := range cands {
		if !visibleKind(c.Kind) {
			continue
		}
		names := cleanNames(c.Values, siteNames)
		if len(names) > 0 && !slices.ContainsFunc(names, func(n string) bool { return !nameShaped(n) }) {
			return true
		}
	}
	return false
}

// withCoAuthors extends names by the co-authors a visible byline lists
// beside them: where the byline names every one of names and more persons,
// the structured source kept only the first (a CMS's single author field).
func withCoAuthors(names []string, cands []Candidate, siteNames []string) []string {
	have := squashSet(names)
	for _, bn := range visiblePersons(cands, siteNames) {
		if len(bn) <= len(names) {
			continue
		}
		found := 0
		for _, n := range bn {
			if have[squash(n)] {
				found++
			}
		}
		if found == len(names) {
			return bn
		}
	}
	return names
}

// visiblePersons returns, for each byline or rel=author candidate, its
// cleaned names when there are some and all are shaped like persons'.
func visiblePersons(cands []Candidate, siteNames []string) [][]string {
	var out [][]string
	for _, c := range cands {
		if !visibleKind(c.Kind) {
			continue
		}
		bn := cleanNames(c.Values, siteNames)
		if len(bn) == 0 || slices.ContainsFunc(bn, func(n string) bool { return !nameShaped(n) }) {
			continue
		}
		out = append(out, bn)
	}
	return out
}

// structuredKind reports schema.org sources: JSON-LD, microdata, RDFa.
func structuredKind(kind string) bool {
	return kind == KindJSONLD || kind == KindMicrodata || kind == KindRDFa
}

// outvoted reports names that two independent sources agree against: a
// visible byline (or rel=author link) and a meta author tag (meta,
// OpenGraph, Dublin Core) name persons in common, and neither names any
// of names.
func outvoted(names []string, cands []Candidate, siteNames []string) bool {
	have := squashSet(names)
	shares := func(ns []string, set map[string]bool) bool {
		return slices.ContainsFunc(ns, func(n string) bool { return set[squash(n)] })
	}
	visible := visiblePersons(cands, siteNames)
	for _, c := range cands {
		if c.Kind != KindMeta && c.Kind != KindOpenGraph && c.Kind != KindDublinCore {
			continue
		}
		var mn []string // the tag's persons (it may add the station's name)
		for _, n := range cleanNames(c.Values, siteNames) {
			if nameShaped(n) {
				mn = append(mn, n)
			}
		}
		if len(mn) == 0 || shares(mn, have) {
			continue
		}
		for _, vn := range visible {
			if !shares(vn, have) && shares(vn, squashSet(mn)) {
				return true
			}
		}
	}
	return false
}

// squashSet holds names as squash keys them.
func squashSet(names []string) map[string]bool {
	have := make(map[string]bool, len(names))
	for _, n := range names {
		have[squash(n)] = true
	}
	return have
}

// outsideArticle reports a structured-data candidate read from an item
// other than the article's (a WebPage or its parts).
func outsideArticle(c Candidate, article *item) bool {
	switch c.Kind {
	case KindJSONLD, KindMicrodata, KindRDFa:
		return article == nil || !strings.HasPrefix(c.Source, article.Path)
	}
	return false
}

// bylineNamesOther reports a byline or rel=author candidate whose names are
// all shaped like persons' and share none with names.
func bylineNamesOther(names []string, cands []Candidate, siteNames []string) bool {
	have := squashSet(names)
	for _, bn := range visiblePersons(cands, siteNames) {
		if !slices.ContainsFunc(bn, func(n string) bool { return have[squash(n)] }) {
			return true
		}
	}
	return false
}

// notAuthorsInSchema reports names that the page's structured data gives
// only as Persons in roles other than authorship (publisher.employee,
// founder, about): go-trafilatura takes any Person of the page for an
// author when the article names none.
func notAuthorsInSchema(names []string, items []*item) bool {
	other, author := map[string]bool{}, map[string]bool{}
	for _, it := range items {
		for prop, vs := range it.Props {
			for _, v := range vs {
				if v.Item == nil || !v.Item.is("Person") {
					continue
				}
				for _, nv := range v.Item.Props["name"] {
					k := squash(nv.S)
					if prop == "author" || prop == "creator" || prop == "contributor" {
						author[k] = true
					} else {
						other[k] = true
					}
				}
			}
		}
	}
	for _, n := range names {
		if k := squash(n); !other[k] || author[k] {
			return false
		}
	}
	return len(names) > 0
}
