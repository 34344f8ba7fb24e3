package extract

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

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

// pickAuthors passes over candidates that name the site or publisher
// rather than a person ("Badische Zeitung"), schema.org Organization
// authors, and user handles ("jane.doe") while a later source has a
// person's name; of the others it takes the one the most independent
// sources agree on, in precedence order when as many agree
// (mostAgreed); measured on the trafilatura set. A handle the page shows
// (byline, rel=author) stays as written when the later source only
// respells it ("ThE_PaiN", not go-trafilatura's "ThE PaiN"), and a name
// loses the words beyond the name another source gives the same person.
func (e *Extractor) pickAuthors(st *state, siteNames []string) (Candidate, bool) {
	var first, firstShaped *Candidate
	var firstShapedOrig Candidate
	var passed [][2]Candidate // visible handles passed over: cleaned, as found
	var survivors []survivor  // candidates no rule passed over, in precedence order
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
			survivors = append(survivors, survivor{c, orig, len(passed)})
		}
	}
	if len(survivors) > 0 {
		sv := survivors[mostAgreed(st, survivors, siteNames)]
		c, orig, passed := sv.c, sv.orig, passed[:sv.passed]
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
		if !visibleKind(c.Kind) {
			// A byline's value is already spelt as the page shows it.
			c.Values = asWritten(c.Values, st.visibleTexts)
		}
		if e.opts.RenderedCase {
			c.Values = asRendered(c.Values, c, st)
		}
		st.chosen["authors"] = noteKey("authors", orig)
		return c, true
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
	for _, t := range st.visibleTexts() {
		texts = append(texts, t.s)
		// scan passes over a text without the first name's word, so only
		// such texts need asking where they stand: closesRunningText gathers the
		// text of the block's parent, once per text node of the page.
		if strings.Contains(strings.ToLower(t.s), parts[0]) && (inAuthorBox(t.n) || closesRunningText(t.n)) {
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

// survivor is an author candidate no rule passed over: cleaned, as found,
// and how many visible handles had been passed over before it.
type survivor struct {
	c, orig Candidate
	passed  int
}

// authorWitness groups source kinds by where they read the page: the
// head's author tags (meta, OpenGraph, Dublin Core) are written apart
// from the structured data (JSON-LD, microdata, RDFa) and from the byline
// readers see (byline, rel=author). go-trafilatura's guess is no witness:
// it reads those same places, so it echoes whichever of them is wrong
// (measured: counting it lost a tuning and two validation pages).
func authorWitness(kind string) string {
	switch kind {
	case KindMeta, KindOpenGraph, KindDublinCore:
		return "head"
	case KindJSONLD, KindMicrodata, KindRDFa:
		return "structured"
	case KindByline, KindHTML:
		return "visible"
	}
	return ""
}

// personKey spells a name so that the ways sources write one person
// compare equal: case, accents, punctuation and word order aside
// ("Doe, Jane", "JANE DOE", "Jane Dóe").
func personKey(n string) string {
	f := strings.FieldsFunc(strings.ToLower(stripAccents(n)), notWordRune)
	slices.Sort(f)
	return strings.Join(f, " ")
}

// witnessed is one author source's cleaned names, as a witness gives them.
type witnessed struct {
	witness string
	keys    map[string]bool
}

// witnessesOf cleans every candidate's names once for witnesses.
func witnessesOf(cands []Candidate, siteNames []string) []witnessed {
	var out []witnessed
	for _, c := range cands {
		if w := authorWitness(c.Kind); w != "" {
			out = append(out, witnessed{w, personKeys(withoutSiteNames(cleanNames(c.Values, siteNames), siteNames))})
		}
	}
	return out
}

// personKeys holds names as personKey spells them.
func personKeys(names []string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		if k := personKey(n); k != "" {
			m[k] = true
		}
	}
	return m
}

// witnesses counts the witnesses (authorWitness) that name at least one of
// names.
func witnesses(names []string, ws []witnessed) int {
	mine := personKeys(names)
	seen := map[string]bool{}
	for _, w := range ws {
		if seen[w.witness] {
			continue
		}
		for k := range w.keys {
			if mine[k] {
				seen[w.witness] = true
				break
			}
		}
	}
	return len(seen)
}

// mostAgreed returns the index of the candidate to take: the first (in
// precedence) unless a later one names persons more witnesses agree on.
// A CMS's account in the structured data or a social tag loses to the
// person the byline readers see and a head tag, written apart, both name;
// with equal support precedence decides (measured on the tuning half:
// where JSON-LD and the byline disagree alone, JSON-LD is right more
// often). The others get their reason for --explain.
func mostAgreed(st *state, sv []survivor, siteNames []string) int {
	if len(sv) < 2 {
		return 0
	}
	ws := witnessesOf(st.cands["authors"], siteNames)
	best := 0
	support := make([]int, len(sv))
	for i, s := range sv {
		support[i] = witnesses(s.c.Values, ws)
		if support[i] > support[best] {
			best = i
		}
	}
	for i, s := range sv {
		switch {
		case i == best:
		case support[i] < support[best]:
			st.note("authors", s.orig, fmt.Sprintf("named by %d of the page's independent author sources (head tags, structured data, visible byline); the chosen value by %d", support[i], support[best]))
		default:
			st.note("authors", s.orig, fmt.Sprintf("%s ranks below %s, and no more independent author sources (head tags, structured data, visible byline) name it (%d)", s.c.Kind, sv[best].c.Kind, support[i]))
		}
	}
	return best
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

// asWritten spells each name as the page's visible text writes it where
// that differs only in case: a head tag or the structured data may write
// "Jane Doe" where the page shows "JANE DOE" (written so, not set by a
// stylesheet). The name is kept when the visible text also writes it as
// given, writes it in more than one other way or in one no name is
// written in ("jane doe", a handle's or a link's), or not at all.
func asWritten(names []string, visible func() []bylineText) []string {
	var texts []string
	out := slices.Clone(names)
	for i, n := range names {
		if !strings.Contains(n, " ") {
			continue // a handle or a single word: no name's spelling to learn
		}
		if texts == nil {
			for _, t := range visible() {
				texts = append(texts, t.s)
			}
		}
		ln := strings.ToLower(n)
		spelt := ""
		for _, t := range texts {
			lt := strings.ToLower(t)
			if len(lt) != len(t) {
				continue // lower-casing changed the bytes: offsets would not map
			}
			for off := 0; spelt != "-"; {
				j := strings.Index(lt[off:], ln)
				if j < 0 {
					break
				}
				j += off
				off = j + len(ln)
				if !wordEdge(t, j) || !wordEdge(t, off) {
					continue
				}
				switch w := t[j:off]; {
				case w == n:
					spelt = "-" // the page writes it as given
				case spelt == "" && !slices.ContainsFunc(strings.Fields(w), func(f string) bool { return !upperInitial(f) }):
					spelt = w
				case spelt != w:
					spelt = "-"
				}
			}
			if spelt == "-" {
				break
			}
		}
		if spelt != "" && spelt != "-" {
			out[i] = spelt
		}
	}
	return out
}

// wordEdge reports a word boundary at byte offset i of s.
func wordEdge(s string, i int) bool {
	if i <= 0 || i >= len(s) {
		return true
	}
	a, _ := utf8.DecodeLastRuneInString(s[:i])
	b, _ := utf8.DecodeRuneInString(s[i:])
	return !(unicode.IsLetter(a) || unicode.IsDigit(a)) || !(unicode.IsLetter(b) || unicode.IsDigit(b))
}
