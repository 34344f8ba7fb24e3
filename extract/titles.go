package extract

import (
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	unorm "golang.org/x/text/unicode/norm"

	"github.com/warcbox/warcbox/internal/archivalurl"
	"github.com/warcbox/warcbox/internal/xpath"
)

// titleGroup puts source kinds that copy one another into one group, so
// that agreement counts independent sources: OpenGraph and Twitter cards
// carry the same social headline; go-trafilatura's title is read from the
// <title> or a heading and confirms nothing.
func titleGroup(kind string) string {
	switch kind {
	case KindOpenGraph, KindTwitter:
		return "social"
	case KindJSONLD, KindMicrodata, KindRDFa:
		return "schema"
	case KindHeading:
		return "h1"
	case KindHTML:
		return "title"
	case KindTrafilatura:
		return ""
	}
	return kind
}

// titleSupport returns the groups whose value is v or has v as one of its
// separator-delimited parts ("v | Site").
func titleSupport(v string, cands []Candidate) map[string]bool {
	nv := norm(v)
	out := map[string]bool{}
	if nv == "" {
		return out
	}
	for _, o := range cands {
		g := titleGroup(o.Kind)
		if g == "" {
			continue
		}
		if norm(o.Value) == nv {
			out[g] = true
			continue
		}
		for _, p := range splitTitle(o.Value) {
			if norm(p) == nv {
				out[g] = true
				break
			}
		}
	}
	return out
}

// chooseTitle picks the title by precedence, then lets agreement overrule
// it: go-trafilatura's guess counts only when another source names the same
// title, and a value two independent groups agree on beats a pick that no
// other group confirms.
func (e *Extractor) chooseTitle(st *state) (Candidate, bool) {
	c, ok := e.chooseTitleCandidate(st)
	if ok && c.Kind == KindHeading {
		st.headline = st.headingAt[c.Source]
		if e.opts.RenderedCase {
			c.Value = titleAsRendered(c.Value, st)
		}
	}
	return c, ok
}

func (e *Extractor) chooseTitleCandidate(st *state) (Candidate, bool) {
	all := st.cands["title"]
	var usable []Candidate
	for _, c := range all {
		if c.Kind == KindTrafilatura && len(titleSupport(c.Value, all)) == 0 {
			st.note("title", c, "go-trafilatura's guess, confirmed by no other source")
			continue
		}
		usable = append(usable, c)
	}
	c, ok := e.pick("title", usable)
	if !ok {
		return c, false
	}
	for _, o := range usable {
		if cutAtQuote(c.Value, o.Value) {
			st.note("title", c, "cut at a quote the page left unescaped in an attribute; "+o.Kind+" goes on past it")
			c = o
			break
		}
	}
	// A visible <h1> is not overruled: <title> and og:title agreeing on
	// another value are most often one SEO field written twice (measured:
	// overruling headings lost eight titles on the tuning half for two won).
	// A heading of another level (an <h2> the template marks as the title,
	// the first confirmed <h2>) is a weaker sign and gives way (measured:
	// validation .830 -> .840, tuning unchanged).
	if (c.Kind == KindHeading && isH1Path(c.Source)) || len(titleSupport(c.Value, usable)) >= 2 {
		return c, true
	}
	for _, k := range e.opts.Precedence["title"] {
		for _, o := range usable {
			if o.Kind != k || norm(o.Value) == norm(c.Value) {
				continue
			}
			if s := titleSupport(o.Value, usable); len(s) >= 2 {
				st.note("title", c, "confirmed by no other source; "+o.Kind+"'s value is confirmed by "+strings.Join(sortedKeys(s), ", "))
				return o, true
			}
		}
	}
	return c, true
}

// isH1Path reports an XPath that ends at an <h1>.
func isH1Path(p string) bool {
	last := p[strings.LastIndexByte(p, '/')+1:]
	return last == "h1" || strings.HasPrefix(last, "h1[")
}

// cutAtQuote reports a value that another one continues with a straight
// quote: content="Biden is "unfit"" ends the attribute at the inner quote.
func cutAtQuote(cut, whole string) bool {
	if cut == "" || len(whole) <= len(cut) || !strings.HasPrefix(whole, cut) {
		return false
	}
	rest := strings.TrimLeft(whole[len(cut):], " ")
	return strings.HasPrefix(rest, `"`) || strings.HasPrefix(rest, "'")
}

func sortedKeys(m map[string]bool) []string {
	return slices.Sorted(maps.Keys(m))
}

// headingCandidates offers the page's visible headline: the first <h1>
// whose headline the <title>, og:title or the structured data's headline
// repeats (sites decorate those with their name or SEO words); the one
// heading the template marks as the article's title; failing both, the
// page's only <h1> that is not furniture, when the other sources name the
// page differently (an SEO or social headline written apart from the one
// readers see).
func (e *Extractor) headingCandidates(st *state) {
	t := st.tags
	var heads []string
	if t.title.Value != "" {
		heads = append(heads, t.title.Value)
	}
	for _, m := range t.all("og:title", "twitter:title") {
		heads = append(heads, m.Value)
	}
	// The structured data's headline confirms a heading as well: it is
	// written by the CMS apart from the social cards.
	for _, c := range st.cands["title"] {
		if c.Kind == KindJSONLD || c.Kind == KindMicrodata {
			heads = append(heads, c.Value)
		}
	}
	// A headline written as markup confirms the heading it renders to.
	for i, n := 0, len(heads); i < n; i++ {
		if v := titleAsShown(heads[i], t.h1); v != heads[i] {
			heads = append(heads, v)
		}
	}
	var sections []string
	for _, c := range st.cands["section"] {
		sections = append(sections, c.Value)
	}
	siteNames := e.siteNames(st)
	offered := false
	// An <h1> written into the post's text (schema.org articleBody) heads
	// a section of it when the template marks the post's title outside.
	markedOutsideBody := len(t.headlines) > 0 && articleBody(t.headlines[0].Node) == nil
	var visible []tag // the <h1>s that are not furniture
	for _, h := range t.h1 {
		h.Value = headlineOf(h.Node, heads)
		if len(norm(h.Value)) < 4 || isSiteName(h.Value, siteNames) || isSiteBanner(h.Node, st.base) || notHeadline(h.Node, h.Value, sections, st.base) {
			continue
		}
		if markedOutsideBody && articleBody(h.Node) != nil {
			continue
		}
		visible = append(visible, h)
		if offered {
			continue
		}
		st.headings = append(st.headings, h)
		if headlineConfirmed(h.Value, heads) {
			st.addHeading(h)
			offered = true
		}
	}
	// Headings the template marks as the article's title, confirmed or not.
	if len(t.headlines) == 1 {
		h := t.headlines[0]
		h.Value = headlineOf(h.Node, heads)
		if len(norm(h.Value)) >= 4 && !notHeadline(h.Node, h.Value, sections, st.base) {
			st.addHeading(h)
			offered = true
		}
	}
	// The page's only headline readers see, when the <title> and the
	// social cards name the page otherwise (an SEO or social headline). A
	// heading written twice (one for small screens) is one headline.
	// (Offered after the <h2>s below.)
	distinct := map[string]bool{}
	for _, h := range visible {
		distinct[norm(h.Value)] = true
	}
	// A page without a visible <h1>, or with several no source repeats
	// (widgets, menus), sets its headline in an <h2>: the first that
	// another source repeats, as for <h1>s. Beside a lone <h1> no source
	// repeats (a blog's name above the post's <h2>), an <h2> a source
	// gives whole wins (measured: one that is only a part of the <title>
	// lost a product page's <h1> on the tuning half).
	if !offered {
		if h, ok := confirmedH2(st, heads, sections, siteNames); ok && (len(distinct) != 1 || givenWhole(h.Value, heads)) {
			st.addHeading(h)
			offered = true
		}
	}
	if !offered && len(distinct) == 1 {
		st.addHeading(visible[0])
	}
}

// addHeading offers heading h as a title candidate and remembers its
// element: the byline's <time> is looked for under the chosen headline.
func (st *state) addHeading(h tag) {
	st.add("title", Candidate{Kind: KindHeading, Value: h.Value, Source: h.Path})
	if st.headingAt == nil {
		st.headingAt = map[string]*html.Node{}
	}
	st.headingAt[h.Path] = h.Node
}

// articleBody returns the element around n that schema.org microdata
// marks as an article's body (itemprop="articleBody"), or nil.
func articleBody(n *html.Node) *html.Node {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type != html.ElementNode {
			continue
		}
		for _, f := range strings.Fields(attr(p, "itemprop")) {
			if strings.EqualFold(f, "articleBody") {
				return p
			}
		}
	}
	return nil
}

// maxH2 bounds the <h2>s read for a headline: a page of a thousand teasers
// has its headline near the top if anywhere.
const maxH2 = 30

func confirmedH2(st *state, heads, sections, siteNames []string) (tag, bool) {
	var found tag
	seen := 0
	walkElements(st.doc, func(n *html.Node) bool {
		if n.DataAtom == atom.Head || unrendered(n) {
			return false
		}
		switch n.DataAtom {
		case atom.H2:
		default:
			return found.Node == nil && seen < maxH2
		}
		seen++
		v := headlineOf(n, heads)
		if len(norm(v)) >= 4 && !isSiteName(v, siteNames) && !isSiteBanner(n, st.base) &&
			!notHeadline(n, v, sections, st.base) && headlineConfirmed(v, heads) {
			found = tag{Value: v, Path: xpath.Of(n), Node: n}
		}
		return false
	})
	return found, found.Node != nil
}

// headlineOf returns the headline a heading shows: its rendered text
// without soft hyphens and without <small> print, which sets a kicker or a
// subline apart from the headline ("<small>Topic</small><br>Headline").
// When the heading sets a kicker or a subtitle beside the headline in
// sibling elements, and another source names one run of those siblings
// but not the whole heading, that run is the headline.
func headlineOf(n *html.Node, heads []string) string {
	text := headingText(n)
	runs := headingRuns(n)
	// Kicker, headline, subtitle: a heading of many runs is something else
	// (and trying every run of them would cost a cube of their number).
	if len(runs) < 2 || len(runs) > maxHeadingRuns {
		return text
	}
	whole, parts := map[string]bool{}, map[string]bool{}
	given := false // a source gives the whole heading
	for _, h := range heads {
		h = collapseSpace(h)
		ps := splitTitle(h)
		whole[norm(h)] = true
		for _, p := range ps {
			parts[norm(p)] = true
		}
		// Letters alone do not tell "Kicker - Headline" from a heading
		// that runs the two together: a source that separates them does
		// not give the heading whole.
		given = given || h == text || (norm(h) == norm(text) && len(ps) == 1)
	}
	// Measured on the tuning half: every heading that sets a leading
	// element apart this way is labelled without it, though og:title or
	// the <title> often give kicker and headline as one.
	if rest, ok := kickerRest(runs, heads); ok {
		return rest
	}
	if given {
		return text
	}
	best, bestWhole := "", false
	for i := range runs {
		for j := i + 1; j <= len(runs); j++ {
			if i == 0 && j == len(runs) {
				continue
			}
			v := headingText(runs[i:j]...)
			nv := norm(v)
			// A run a source has only as one of its parts may be the
			// kicker ("Kicker - Headline"): it counts only at the end,
			// where headlines follow their kicker.
			if len(nv) < 4 || (!whole[nv] && (!parts[nv] || j < len(runs))) {
				continue
			}
			// A run a source gives whole beats one that is only a part of
			// a source's value; then the longer run.
			if w := whole[nv]; (w && !bestWhole) || (w == bestWhole && len(v) > len(best)) {
				best, bestWhole = v, w
			}
		}
	}
	if best != "" {
		return best
	}
	// A leading element a source sets apart as one of its parts is a
	// kicker ("<span>Initiative</span> Free check for households" beside
	// "Initiative - free check | Site"): the headline is what follows.
	if k := norm(headingText(runs[0])); runs[0].Type == html.ElementNode && parts[k] && !whole[k] {
		if rest := headingText(runs[1:]...); len(norm(rest)) >= 4 {
			return rest
		}
	}
	return text
}

const maxHeadingRuns = 8

// kickerRest returns the headline after a kicker: a leading element the
// heading sets apart by markup alone (what follows it starts with a
// letter, not a separator), shorter than what follows, that a source
// either separates with punctuation ("Climate: Drilling…" beside
// <span>Climate</span><span>Drilling…</span>) or leaves out (it gives the
// rest whole). A heading that shows its separator ("A - B") is read as
// it shows.
func kickerRest(runs []*html.Node, heads []string) (string, bool) {
	if runs[0].Type != html.ElementNode {
		return "", false
	}
	k, rest := headingText(runs[0]), headingText(runs[1:]...)
	first, _ := utf8.DecodeRuneInString(rest)
	if norm(k) == "" || len(norm(rest)) < 4 || isTitleSep(first) || utf8.RuneCountInString(k) >= utf8.RuneCountInString(rest) {
		return "", false
	}
	nr := norm(rest)
	for _, h := range heads {
		h = collapseSpace(h)
		if norm(h) == nr || setsApart(h, k, nr) {
			return rest, true
		}
	}
	return "", false
}

// setsApart reports a source value that is the kicker, a separator and
// then the rest (normRest, as norm spells it).
func setsApart(h, kicker, normRest string) bool {
	if len(h) <= len(kicker) || !strings.EqualFold(h[:len(kicker)], kicker) {
		return false
	}
	after := strings.TrimLeft(h[len(kicker):], " ")
	r, size := utf8.DecodeRuneInString(after)
	return isTitleSep(r) && norm(after[size:]) == normRest
}

// isTitleSep reports a rune that separates a title's parts (titleSepRe's
// and the colon of "Kicker: Headline").
func isTitleSep(r rune) bool {
	return strings.ContainsRune(":|│｜–—-·•»«›‹⋆/~\\", r)
}

// headingText is the rendered text of nodes without soft hyphens and
// without <small> elements (unless nothing else is left).
func headingText(nodes ...*html.Node) string {
	isSmall := func(n *html.Node) bool { return n.DataAtom == atom.Small }
	v := nodesText(nodes, isInline, isSmall)
	if len(norm(v)) < 4 {
		v = nodesText(nodes, isInline, nil)
	}
	return collapseSpace(strings.ReplaceAll(v, "\u00ad", ""))
}

// headingRuns returns the children of a heading that carry text, looking
// through elements that wrap the whole heading (a link, a span).
func headingRuns(n *html.Node) []*html.Node {
	for depth := 0; depth < 16; depth++ {
		var kids []*html.Node
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode && strings.TrimSpace(strings.ReplaceAll(c.Data, "\u00a0", " ")) != "":
				kids = append(kids, c)
			case c.Type == html.ElementNode && norm(nodesText([]*html.Node{c}, isInline, nil)) != "":
				kids = append(kids, c)
			}
		}
		if len(kids) == 1 && kids[0].Type == html.ElementNode && kids[0].DataAtom != atom.Small {
			n = kids[0]
			continue
		}
		return kids
	}
	return nil // wrapped deeper than any template does
}

// notHeadline reports an <h1> that is page furniture rather than the
// article's headline: inside navigation or an aside, introducing a list
// (it ends with a colon: "Related:"), naming the page's section (the
// article's section metadata says so, or its only link leads to a folder
// above the page).
func notHeadline(n *html.Node, text string, sections []string, base *url.URL) bool {
	t := strings.TrimSpace(text)
	if strings.HasSuffix(t, ":") || strings.HasSuffix(t, "：") {
		return true
	}
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type != html.ElementNode {
			continue
		}
		if p.DataAtom == atom.Nav || p.DataAtom == atom.Aside || p.DataAtom == atom.Footer {
			return true
		}
		// The same landmarks named by ARIA roles.
		switch strings.ToLower(strings.TrimSpace(attr(p, "role"))) {
		case "navigation", "complementary", "contentinfo":
			return true
		}
	}
	nt := norm(t)
	for _, s := range sections {
		if norm(s) == nt {
			return true
		}
	}
	// The heading's only link points to a folder above this page.
	var links []*html.Node
	walkElements(n, func(c *html.Node) bool {
		if c.DataAtom == atom.A {
			links = append(links, c)
		}
		return true
	})
	if len(links) == 1 && base != nil && norm(textOf(links[0])) == nt {
		if u, err := base.Parse(strings.TrimSpace(attr(links[0], "href"))); err == nil {
			u, page := archivalurl.Unwrap(u), archivalurl.Unwrap(base)
			if u.Host != page.Host {
				return false
			}
			lp := strings.TrimSuffix(u.Path, "/")
			pp := strings.TrimSuffix(page.Path, "/")
			if lp != "" && lp != pp && strings.HasPrefix(pp, lp+"/") {
				return true
			}
		}
	}
	return false
}

var titleSepRe = regexp.MustCompile(`\s*[|│｜]\s*|\s+(?:[–—·•»«›‹⋆/:~]|::|-{1,2}|\\)\s+`)

// titleSepChars holds a character every titleSepRe match contains.
const titleSepChars = "|│｜–—·•»«›‹⋆/:~-\\"

// titleSeps returns where title's parts are separated: titleSepRe's
// matches and, in Chinese, Japanese and Korean titles, which set no spaces,
// a dash or an underscore touching a letter of those scripts
// ("武汉的声音-新华网", "蔡健雅_百度百科").
func titleSeps(title string) [][]int {
	var locs [][]int
	// Every match holds a bar or one of the other separators; most texts
	// asked (headings, link texts) have neither, and need no regexp run.
	if strings.ContainsAny(title, titleSepChars) {
		locs = titleSepRe.FindAllStringIndex(title, -1)
	}
	var prev rune
	var cjk [][]int
	for i, r := range title {
		switch r {
		case '-', '_', '–', '—':
			next, _ := utf8.DecodeRuneInString(title[i+utf8.RuneLen(r):])
			if isCJK(prev) || isCJK(next) {
				cjk = append(cjk, []int{i, i + utf8.RuneLen(r)})
			}
		}
		prev = r
	}
	if len(cjk) == 0 {
		return locs
	}
	for _, c := range cjk {
		inside := false
		for _, l := range locs {
			inside = inside || (c[0] < l[1] && c[1] > l[0])
		}
		if !inside {
			locs = append(locs, c)
		}
	}
	slices.SortFunc(locs, func(a, b []int) int { return a[0] - b[0] })
	return locs
}

// splitTitle returns title's separator-delimited parts (titleSeps).
func splitTitle(title string) []string {
	locs := titleSeps(title)
	parts := make([]string, 0, len(locs)+1)
	prev := 0
	for _, l := range locs {
		parts = append(parts, title[prev:l[0]])
		prev = l[1]
	}
	return append(parts, title[prev:])
}

// isCJK reports a letter of the Han, Hiragana, Katakana or Hangul scripts,
// or CJK punctuation and full-width forms (a headline's closing "！").
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef)
}

// cleanTitle removes a site name that pages append or prepend to headlines
// ("Headline | Site", "Site - Headline"). A part is dropped only when it
// names the site or when the page's single <h1> equals another part: an
// unrecognised suffix is kept rather than guessed away.
func cleanTitle(title string, siteNames []string, h1 []tag) string {
	title = collapseSpace(strings.ReplaceAll(title, "\u00ad", ""))
	locs := titleSeps(title)
	if len(locs) == 0 {
		return title
	}
	var parts []string
	prev := 0
	for _, l := range locs {
		parts = append(parts, title[prev:l[0]])
		prev = l[1]
	}
	parts = append(parts, title[prev:])
	for _, h := range h1 {
		for _, p := range parts {
			if p != "" && norm(p) == norm(h.Value) {
				return p
			}
		}
	}
	// A date or a number alone is no headline and names no site, but
	// pages put one before or after the headline ("23.01.2022 - Headline").
	isSite := func(p string) bool { return isSiteName(p, siteNames) || onlyNumbers(p) }
	// Drop site names at either end, keeping the separators inside the headline.
	start, end := 0, len(parts)
	for end-start > 1 && isSite(parts[end-1]) {
		end--
	}
	for end-start > 1 && isSite(parts[start]) {
		start++
	}
	if start == 0 && end == len(parts) {
		return title
	}
	from := 0
	if start > 0 {
		from = locs[start-1][1]
	}
	to := len(title)
	if end < len(parts) {
		to = locs[end-1][0]
	}
	return strings.TrimSpace(title[from:to])
}

// onlyNumbers reports a title part of digits and punctuation alone, with
// one digit at least: a date ("23.01.2022"), a year, an id.
func onlyNumbers(p string) bool {
	digits := false
	for _, r := range p {
		switch {
		case unicode.IsDigit(r):
			digits = true
		case unicode.IsLetter(r):
			return false
		}
	}
	return digits
}

// cleanTitles removes the site's name from every title candidate
// (cleanTitle) and, where a title other than the visible heading still
// joins parts ("Site - Headline", "Headline - Teaser"), keeps the one part
// the page's URL spells (slugPart): the slug is written from the headline
// apart from the <title>'s decoration.
func cleanTitles(st *state, siteNames []string) {
	slug := urlSlug(st.base)
	var names []string // with the home links' names, once a title has parts
	for i, c := range st.cands["title"] {
		v := c.Value
		if c.Kind != KindHeading {
			v = titleAsShown(v, st.tags.h1)
		}
		if names == nil && len(titleSeps(v)) > 0 {
			names = append(slices.Clip(siteNames), homeLinkNames(st.doc, st.base)...)
		}
		v = cleanTitle(v, names, st.headings)
		if c.Kind != KindHeading {
			if p, ok := slugPart(v, slug); ok {
				v = p
			}
		}
		st.cands["title"][i].Value = v
	}
}

// titleAsShown is a title as readers see it when the value holds HTML
// markup: CMSs write a headline's rich text ("<i>Brand</i>'s", with its
// entities) into og:title, JSON-LD or the <title>, where no browser renders
// it (plainText). A value a visible <h1> shows as it is, brackets and all
// (a headline about HTML, escaped in the page), is text already.
func titleAsShown(v string, h1 []tag) string {
	t := plainText(v)
	if t == v {
		return v
	}
	for _, h := range h1 {
		if h.Value == v {
			return v
		}
	}
	return t
}

// maxHomeLinkNames bounds the names read from links to the home page.
const maxHomeLinkNames = 8

// homeLinkNames returns what the page's links to its home page say: their
// text or their logo's alt text, the site's name as the site writes it
// (the host may spell it otherwise: "bayrische-bembel.de" for "EFC
// Bayrische Bembel Regensburg"). Generic words ("Home") and long texts
// are no names.
func homeLinkNames(doc *html.Node, base *url.URL) []string {
	if doc == nil || base == nil {
		return nil
	}
	page := archivalurl.Unwrap(base)
	var out []string
	walkElements(doc, func(n *html.Node) bool {
		if n.DataAtom == atom.Head || unrendered(n) {
			return false
		}
		switch n.DataAtom {
		case atom.A:
		default:
			return len(out) < maxHomeLinkNames
		}
		href := strings.TrimSpace(attr(n, "href"))
		if href == "" || strings.HasPrefix(href, "#") {
			return false
		}
		u, err := base.Parse(href)
		if err != nil {
			return false
		}
		u = archivalurl.Unwrap(u)
		if !strings.EqualFold(strings.TrimPrefix(u.Hostname(), "www."), strings.TrimPrefix(page.Hostname(), "www.")) ||
			(u.Path != "" && u.Path != "/") || u.RawQuery != "" {
			return false
		}
		names := []string{collapseSpace(textOf(n))}
		walkElements(n, func(c *html.Node) bool {
			if c.DataAtom == atom.Img {
				names = append(names, collapseSpace(attr(c, "alt")))
			}
			return true
		})
		for _, v := range names {
			if l := len(norm(v)); l >= 3 && len(v) <= 60 && len(out) < maxHomeLinkNames && !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
		return false
	})
	return out
}

// urlSlug returns the words of the URL's path segment that has the most of
// them ("/2014/05/18/alles-neue-mach-der-mai/" → alles neue mach der mai),
// spelt as slugWords spells a title's words; numbers of five digits or more
// (a CMS's ids) are not words.
func urlSlug(u *url.URL) []string {
	if u == nil {
		return nil
	}
	u = archivalurl.Unwrap(u)
	var best []string
	for _, seg := range strings.Split(u.EscapedPath(), "/") {
		if s, err := url.PathUnescape(seg); err == nil {
			seg = s
		}
		if i := strings.LastIndexByte(seg, '.'); i > 0 && len(seg)-i <= 6 {
			seg = seg[:i] // .html, .php
		}
		var words []string
		for _, w := range strings.FieldsFunc(strings.ToLower(seg), notWordRune) {
			if len(w) < 5 || strings.TrimFunc(w, unicode.IsDigit) != "" {
				words = append(words, stripAccents(w))
			}
		}
		if len(words) > len(best) {
			best = words
		}
	}
	return best
}

// slugWords lower-cases s and splits it into runs of letters and digits,
// with accents dropped and German umlauts and ß written out as slugs write
// them; a word with an umlaut is given in both spellings (für: fur, fuer).
func slugWords(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), notWordRune) {
		plain := stripAccents(w)
		out = append(out, plain)
		if de := stripAccents(germanSlugReplacer.Replace(w)); de != plain {
			out = append(out, de)
		}
	}
	return out
}

func notWordRune(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

var germanSlugReplacer = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss")

func stripAccents(s string) string {
	var sb strings.Builder
	for _, r := range unorm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// slugPart returns the one separator-delimited part of title that the URL
// slug spells (three quarters of its words or more, two words at least)
// when no other part is half spelt by it and the part spells at least half
// the slug (a slug naming the kicker and more is not this part's).
func slugPart(title string, slugList []string) (string, bool) {
	if len(slugList) == 0 {
		return "", false
	}
	slug := map[string]bool{}
	for _, w := range slugList {
		slug[w] = true
	}
	parts := splitTitle(title)
	if len(parts) < 2 {
		return "", false
	}
	found := -1
	for i, p := range parts {
		words, spelt := 0, 0
		used := map[string]bool{}
		for _, w := range strings.FieldsFunc(strings.ToLower(p), notWordRune) {
			words++
			for _, v := range slugWords(w) {
				if slug[v] {
					spelt++
					used[v] = true
					break
				}
			}
		}
		switch {
		case words >= 2 && 4*spelt >= 3*words && 2*len(used) >= len(slug):
			if found >= 0 {
				return "", false
			}
			found = i
		case words > 0 && 2*spelt >= words:
			return "", false
		}
	}
	if found < 0 {
		return "", false
	}
	return strings.TrimSpace(parts[found]), true
}

// givenWhole reports a heading a source gives whole, not as a part of its
// value or most of it.
func givenWhole(h string, heads []string) bool {
	nh := norm(h)
	for _, hd := range heads {
		if norm(hd) == nh {
			return true
		}
	}
	return false
}

// headlineConfirmed reports an <h1> that a title repeats: the whole title,
// one of its separator-delimited parts, or most of it. An <h1> longer than
// the title is not confirmed: it carries a kicker ("Topic: Headline").
func headlineConfirmed(h1 string, heads []string) bool {
	nh := norm(h1)
	for _, hd := range heads {
		nd := norm(hd)
		if nd == nh {
			return true
		}
		// A middle part of three or more is a breadcrumb's section
		// ("Site | Culture | Books | Headline").
		parts := splitTitle(collapseSpace(hd))
		for i, p := range parts {
			if norm(p) == nh && (i == 0 || i == len(parts)-1) {
				return true
			}
		}
		if strings.Contains(nd, nh) && 2*len(nh) >= len(nd) {
			return true
		}
	}
	return false
}

// isSiteName reports whether a title part names the site. Accents are
// folded and umlauts also written out, as hosts spell names
// ("Nestlé Marktplatz" on nestle-marktplatz.de, "Zürich" on zuerich.ch).
func isSiteName(p string, siteNames []string) bool {
	np := norm(p)
	if np == "" {
		return false
	}
	fp := nameSpellings(np)
	for _, s := range siteNames {
		ns := norm(s)
		if ns == "" {
			continue
		}
		for _, a := range fp {
			for _, b := range nameSpellings(ns) {
				if a == b || (len(b) >= 4 && strings.Contains(a, b) && len(a) <= len(b)+12) || (len(a) >= 4 && strings.Contains(b, a)) {
					return true
				}
			}
		}
	}
	return false
}

// nameSpellings returns a normalised name without accents and, when it
// differs, with German umlauts and ß written out.
func nameSpellings(n string) []string {
	plain := stripAccents(n)
	if de := stripAccents(germanSlugReplacer.Replace(n)); de != plain {
		return []string{plain, de}
	}
	return []string{plain}
}

// isSiteBanner reports an <h1> used as the site's logo or banner: inside an
// element whose class or id names a logo, a brand, a masthead or the site's
// title (bannerClass), or linking to the home page. (A <header> ancestor is
// not a sign: measured, article headlines sit in page headers as often as
// logos do.)
func isSiteBanner(n *html.Node, base *url.URL) bool {
	for p := n; p != nil; p = p.Parent {
		if p.Type != html.ElementNode {
			continue
		}
		// <body>'s classes describe the whole page (WordPress marks every
		// page of a site with a custom logo "wp-custom-logo").
		if p.DataAtom == atom.Article || p.DataAtom == atom.Main || p.DataAtom == atom.Body {
			break
		}
		if bannerClass(attr(p, "class") + " " + attr(p, "id")) {
			return true
		}
	}
	home := false
	walkElements(n, func(c *html.Node) bool {
		// An <a> without href, or to a fragment, is an anchor within the page.
		if c.DataAtom == atom.A && hasAttr(c, "href") && !strings.HasPrefix(strings.TrimSpace(attr(c, "href")), "#") {
			href := resolve(base, attr(c, "href"))
			if u, err := url.Parse(href); err == nil {
				// An archived page links to the archived home page.
				u = archivalurl.Unwrap(u)
				home = (u.Path == "" || u.Path == "/") && u.RawQuery == ""
			}
		}
		return !home
	})
	return home
}

// bannerClass reports class and id words that name the site's banner: a
// logo, a brand, a masthead, the site's title, name or header, the blog's
// name. They are read as words of one class name ("site-logo",
// "navbar-brand", "siteTitle", "blog_name"), not as substrings:
// "brandenburg-news" or "logout" name no banner. A header's or a blog's
// title is as often the article's own ("article-header__title").
func bannerClass(s string) bool {
	for _, class := range strings.Fields(s) {
		words := classWords(class)
		for i, w := range words {
			switch w {
			case "brand", "branding", "sitetitle", "sitename", "siteheader", "blogname":
				return true
			}
			// Run-together words: "sitelogo", "logowrap", "mastheadinner";
			// "logout" and "logon" are no logos.
			if strings.HasSuffix(w, "logo") || strings.HasPrefix(w, "masthead") ||
				(strings.HasPrefix(w, "logo") && !strings.HasPrefix(w, "logout") && !strings.HasPrefix(w, "logon")) {
				return true
			}
			// "site-title", "site__header", "site-titleblog".
			if i+1 < len(words) && (w == "site" || w == "blog") {
				next := words[i+1]
				if strings.HasPrefix(next, "name") || (w == "site" && (strings.HasPrefix(next, "title") || strings.HasPrefix(next, "header"))) {
					return true
				}
			}
		}
	}
	return false
}

// classWords splits class and id values into lower-case words at spaces,
// punctuation, digits and lower-to-upper case changes ("siteTitle").
func classWords(s string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	prevLower := false
	for _, r := range s {
		switch {
		case !unicode.IsLetter(r):
			flush()
			prevLower = false
			continue
		case unicode.IsUpper(r) && prevLower:
			flush()
		}
		cur = append(cur, r)
		prevLower = unicode.IsLower(r)
		if len(words) > 64 {
			break
		}
	}
	flush()
	return words
}

// norm lower-cases and keeps letters and digits only (of any script), for
// comparisons: dashes, quotes and spaces of every kind drop out.
func norm(s string) string {
	var sb strings.Builder
	sb.Grow(len(s))
	for _, r := range s {
		if r < 0x80 {
			// ASCII directly (perf: no lower-cased copy, no tables).
			switch {
			case 'A' <= r && r <= 'Z':
				sb.WriteByte(byte(r) + 'a' - 'A')
			case 'a' <= r && r <= 'z' || '0' <= r && r <= '9':
				sb.WriteByte(byte(r))
			}
			continue
		}
		// strings.ToLower lowers rune by rune, as here.
		if r = unicode.ToLower(r); unicode.IsLetter(r) || unicode.IsDigit(r) {
			sb.WriteRune(r)
		}
	}
	return sb.String()
}
