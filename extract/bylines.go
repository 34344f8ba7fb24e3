package extract

import (
	"bytes"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/warcbox/warcbox/internal/xpath"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// bylineCandidates adds the authors the page's visible text gives:
// rel=author links, then the first element classed as a byline; where no
// classed element names a person, the byline readers of the visible text
// (a labelled name, a dateline, a signature, one set flush right, a
// profile link, credits, last a name beside the article's date). A classed
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
		if b.Value == "" || len(b.Value) > 120 || inForm(b.Node) || inAside(b.Node) || inTeaser(b.Node, b.Value) {
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
	texts, headline := st.visibleTexts(), st.firstHeading()
	own := ownSite(st)
	if v, path, ok := labelledByline(texts, own, siteNames); ok {
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
	} else if v, path, ok := alignedSignature(texts, siteNames); ok {
		st.add("authors", Candidate{Kind: KindByline, Values: []string{v}, Source: path})
	} else if v, path, ok := profileLinkByline(texts, own, siteNames); ok {
		st.add("authors", Candidate{Kind: KindByline, Values: []string{v}, Source: path})
	} else if v, path, ok := selfNamedLink(texts, own, siteNames); ok && len(classed.Values) == 0 {
		st.add("authors", Candidate{Kind: KindByline, Values: []string{v}, Source: path})
	} else if v, path, ok := agencyDateline(texts); ok && len(classed.Values) == 0 {
		st.add("authors", Candidate{Kind: KindByline, Values: []string{v}, Source: path})
	} else if v, path, ok := closingAgencyCredit(texts); ok && len(classed.Values) == 0 {
		st.add("authors", Candidate{Kind: KindByline, Values: []string{v}, Source: path})
	} else if v, path, ok := closingSourceCredit(texts); ok && len(classed.Values) == 0 {
		if ns := splitAuthors(v); len(ns) > 0 {
			st.add("authors", Candidate{Kind: KindByline, Values: ns, Source: path})
		}
	} else if v, path, ok := datedNameByline(texts, headline, siteNames); ok && len(classed.Values) == 0 {
		st.add("authors", Candidate{Kind: KindByline, Values: []string{v}, Source: path})
	} else {
		// The classed element names no person and nothing else
		// does: what it holds is the byline still.
		st.add("authors", classed)
	}
}

// ownSite is the page's own address as the link readers need it, to tell
// the site's links (menus, account pages: "Forgot Password" opening
// /forgot_password/) from a person's profile elsewhere. A page known by no
// host (a file saved without its address) takes the host its canonical
// link or og:url names, or else the one host that more than half of its
// absolute links open: a site's menus link to itself.
func ownSite(st *state) *url.URL {
	if st.base != nil && st.base.Host != "" {
		return st.base
	}
	for _, c := range st.cands["canonical_url"] {
		if u, err := url.Parse(c.Value); err == nil && u.Host != "" {
			return u
		}
	}
	hosts, total := map[string]int{}, 0
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if total >= 2000 {
			return
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.A {
			if u, err := url.Parse(strings.TrimSpace(attr(n, "href"))); err == nil && u.Host != "" && (u.Scheme == "http" || u.Scheme == "https") {
				hosts[strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")]++
				total++
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(st.doc)
	for h, k := range hosts {
		if 2*k > total {
			return &url.URL{Scheme: "https", Host: h, Path: "/"}
		}
	}
	return st.base
}

// inTeaser reports a byline inside a link that holds more than the
// byline: a teaser of another article (its headline, its writer), linked
// as a whole card. A link that is the byline's name stands inside it, not
// around it.
func inTeaser(n *html.Node, byline string) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && p.DataAtom == atom.A {
			return utf8.RuneCountInString(collapseSpace(textOf(p))) > utf8.RuneCountInString(collapseSpace(byline))+20
		}
	}
	return false
}

// visibleTexts returns the page's visible texts as the author readers see
// them, walked once a page: the byline readers, fullNameOf and asWritten
// all read them. A text's after counts from the first heading that may be
// the headline.
func (st *state) visibleTexts() []bylineText {
	if !st.textsDone && st.doc != nil {
		st.texts, st.textsDone = bylineTexts(st.doc, st.firstHeading()), true
	}
	return st.texts
}

// firstHeading is the first <h1> that may be the headline, nil if none:
// where the byline readers count "after the headline" from.
func (st *state) firstHeading() *html.Node {
	if len(st.headings) > 0 {
		return st.headings[0].Node
	}
	return nil
}

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
			if (noBylineBox(n) || besideTheArticle(n)) && !holdsTheArticle(n, headline) {
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

// holdsTheArticle reports a box that holds the article rather than
// standing beside it: <html>, <body>, the headline or an ancestor of it.
// Its class or style says nothing of the article's bylines (WordPress
// plug-ins class <body> "wp-featherlight-captions", apps fix their whole
// page in place), yet skipping it would hide every byline of the page.
// Every <main> and <article> is not such a box: a list of related posts
// is often one <article> each, and exempting them all scored no better.
func holdsTheArticle(n, headline *html.Node) bool {
	if n.DataAtom == atom.Html || n.DataAtom == atom.Body {
		return true
	}
	for p := headline; p != nil; p = p.Parent {
		if p == n {
			return true
		}
	}
	return false
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
	var elems lastBlockCache
	written := "" // the page's texts joined, once a heading needs them
	for i, t := range texts {
		// A separator may run into the label ("| By", "05.02.2020 - Redaktion:").
		t.s = strings.TrimLeft(t.s, "|-–—·•/ ")
		m := bylineLabelRe.FindString(t.s)
		if m == "" || len(t.s) > 80 {
			continue
		}
		// "… check out the care guide</a> by Jane Doe.": a label in
		// running text, a sentence's words before it, opens no byline.
		if bt := elems.text(t.n); strings.Index(bt, t.s) > 40 {
			continue
		}
		if linksItsHeadline(t.n) {
			continue // a teaser: the link opens the article its text is the headline of
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
				return names[0], xpath.Of(t.n), true
			}
			if firstBefore[0] == "" {
				firstBefore = [2]string{names[0], xpath.Of(t.n)}
			}
			continue
		}
		if len(names) == 0 || len(rest) > 80 || !slices.ContainsFunc(names, personShaped) || headingWords(t.n, names, texts, &written) {
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
				site = [2]string{strings.Join(names, "; "), xpath.Of(t.n)}
			}
			continue
		}
		v := strings.Join(shaped, "; ")
		if t.after {
			return v, xpath.Of(t.n), true
		}
		if firstBefore[0] == "" {
			firstBefore = [2]string{v, xpath.Of(t.n)}
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
	first := firstAfter(texts, headline)
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
				return p, xpath.Of(t.n), true
			}
		}
	}
	return "", "", false
}

// introLabelRe is a byline label standing inside a short text, between
// the words that say what the text is and the name ("Eine Kolumne von",
// "A blog post by").
var introLabelRe = regexp.MustCompile(`(?i)\s(?:` + shortLabels + `)\s`)

// introducedByline reads the name a short block of its own just under the
// headline (among its first four blocks) ends with after a byline label:
// "Eine Kolumne von Jane Doe",
// "A blog post by Jane Doe". At most three words go before the label and
// none is a photo credit's; the text is the whole block and no sentence.
func introducedByline(texts []bylineText, headline *html.Node, siteNames []string) (string, string, bool) {
	first := firstAfter(texts, headline)
	if first < 0 {
		return "", "", false
	}
	var blocks []*html.Node  // the blocks read so far: the first four after the headline
	var blockTexts []*string // their text, once asked: a block may hold thousands of texts
	for _, t := range texts[first:] {
		b := blockOf(t.n)
		i := slices.Index(blocks, b)
		if i < 0 {
			if blocks = append(blocks, b); len(blocks) > 4 {
				break
			}
			blockTexts = append(blockTexts, nil)
			i = len(blocks) - 1
		}
		if len(t.s) > 60 || strings.ContainsAny(t.s, ".!?:") {
			continue
		}
		if blockTexts[i] == nil {
			bt := collapseSpace(textOf(b))
			blockTexts[i] = &bt
		}
		if *blockTexts[i] != t.s {
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
			return name, xpath.Of(t.n), true
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
// in a dateline. The paragraph must close the article's text
// (closesRunningText): a paragraph of running text after it makes the
// credit an aside of the text ("… (see below)", "… (PDF)").
func closingAgencyCredit(texts []bylineText) (string, string, bool) {
	v, path := "", ""
	var blocks lastBlockCache
	for _, t := range texts {
		if !t.after {
			continue
		}
		m := closingCreditRe.FindStringSubmatch(t.s)
		if m == nil || !agencyCodes(m[1]) {
			continue
		}
		b := blockOf(t.n)
		text := blocks.text(b)
		if strings.HasSuffix(text, t.s) && utf8.RuneCountInString(text) >= 100 && blocks.closes(b, t.n) {
			v, path = strings.TrimSpace(m[1]), xpath.Of(t.n)
		}
	}
	return v, path, v != ""
}

// lastBlockCache remembers what was asked of the last block: texts come in
// document order, so a block's texts are asked about one after another,
// and a block of thousands of texts (lines split by <br>) is walked once,
// not once per text.
type lastBlockCache struct {
	b      *html.Node
	s      string
	closed int // closesRunningText of b: 0 not asked, 1 yes, 2 no
}

func (c *lastBlockCache) text(b *html.Node) string {
	if b != c.b || c.b == nil {
		c.b, c.s, c.closed = b, collapseSpace(textOf(b)), 0
	}
	return c.s
}

// closes is closesRunningText(n) for a text n of block b (it depends on
// the block alone).
func (c *lastBlockCache) closes(b, n *html.Node) bool {
	c.text(b)
	if c.closed == 0 {
		c.closed = 2
		if closesRunningText(n) {
			c.closed = 1
		}
	}
	return c.closed == 1
}

// sourceLabelRe is the label of a source credit: "Quelle:", "Source:",
// "Fuente:", "Fonte:", "Bron:", "Źródło:".
var sourceLabelRe = regexp.MustCompile(`(?i)^(?:quelle|source|fuente|fonte|bron|źródło)\s*[:：]\s*`)

// closingSourceCredit reads a source credit ("Quelle: Agentur") in the
// short block that closes the article's text after the headline: the
// agency or outlet the story came from, where nothing else names an
// author. A source named mid-article (a study's, a quote's) is not read.
func closingSourceCredit(texts []bylineText) (string, string, bool) {
	var blocks lastBlockCache
	for _, t := range texts {
		if !t.after || !sourceLabelRe.MatchString(t.s) {
			continue
		}
		block := blockOf(t.n)
		bt := blocks.text(block)
		m := sourceLabelRe.FindString(bt)
		if m == "" || utf8.RuneCountInString(bt) > 60 || !blocks.closes(block, t.n) {
			continue
		}
		// A name, or an outlet's domain ("ex.org/bb"); not a sentence.
		v := strings.TrimSpace(bt[len(m):])
		sentence := strings.ContainsAny(v, "!?") || strings.Contains(v, ".") && strings.Contains(v, " ")
		if v != "" && !sentence {
			return v, xpath.Of(block), true
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
			return strings.TrimSpace(m[1]), xpath.Of(t.n), true
		}
	}
	return "", "", false
}

// signatureByline reads the name an article is signed with: a block of its
// own whose whole text is a person's name, or whose first line is and a
// short line of the signer's role follows ("Jane Doe<br>Chairwoman"),
// closing the text that runs on from the headline ("<p align=right><em>
// Jane Doe</em></p>" after the last paragraph; a closing greeting may
// stand between). The headline and the signature share the article's
// container (with no headline, a letter or statement signed so, the
// signature's own container is the text's); the text between them is an
// article's length, and almost nothing of that container follows the name.
func signatureByline(texts []bylineText, headline *html.Node, siteNames []string) (string, string, bool) {
	tried, written := 0, ""
	var blocks lastBlockCache
	// A block's two lines, read once: each name-shaped line of a long
	// block asks for them (a block of 20,000 "Jane Doe<br>" lines).
	twoLines := map[*html.Node][]string{}
	for i, t := range texts {
		name, ok := signedNameLine(t, siteNames)
		if !ok {
			continue
		}
		block := blockOf(t.n)
		// A signer's role line may follow a closing greeting: a
		// paragraph three elements back will do; a name alone has two.
		whole := blocks.text(block) == t.s
		role := false
		if !whole {
			lines, ok := twoLines[block]
			if !ok {
				lines = brLines(block, 2)
				twoLines[block] = lines
			}
			role = signedWithRole(lines, t.s)
		}
		if (block.DataAtom != atom.P && block.DataAtom != atom.Div) || !whole && !role || !afterParagraph(block, role) || textFollows(block) {
			continue
		}
		if tried++; tried > 50 {
			break // each try reads the page's texts again
		}
		if written == "" {
			written = joinedTexts(texts)
		}
		if writtenLower(name, written) {
			continue
		}
		box := block.Parent
		if headline != nil {
			box = commonAncestor(headline, t.n)
		}
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
			return name, xpath.Of(t.n), true
		}
	}
	return "", "", false
}

// signedWithRole reports a block of two lines that a line break (<br>)
// cuts (lines, as brLines(block, 2) gives them): s, then a short line that
// is no sentence (the signer's role: "Jane Doe<br>Chairwoman").
func signedWithRole(lines []string, s string) bool {
	if len(lines) != 2 || lines[0] != s {
		return false
	}
	role := lines[1]
	return utf8.RuneCountInString(role) <= 60 && !strings.ContainsAny(role[len(role)-1:], ".!?:")
}

// brLines returns a block's lines as line breaks (<br>) cut its text,
// spaces collapsed, empty lines left out: at most max lines, the last
// holding the rest.
func brLines(block *html.Node, max int) []string {
	var lines []string
	var cur strings.Builder
	flush := func() {
		if l := collapseSpace(cur.String()); l != "" {
			lines = append(lines, l)
		}
		cur.Reset()
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			cur.WriteString(n.Data)
		case n.Type == html.ElementNode && n.DataAtom == atom.Br && len(lines) < max-1:
			flush()
		case n.Type == html.ElementNode && unrendered(n):
		default:
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
	}
	walk(block)
	flush()
	return lines
}

// signedNameLine reads a text after the headline that could be a
// signature: short, a person's name once cleaned, not the site's, not a
// sentence's end and not a link (a signature is set, not linked).
// It returns the cleaned name.
func signedNameLine(t bylineText, siteNames []string) (string, bool) {
	if !t.after || len(t.s) > 60 {
		return "", false
	}
	name := cleanName(t.s, siteNames)
	return name, nameShaped(name) && !isSiteName(name, siteNames) && !strings.ContainsAny(t.s[len(t.s)-1:], ".!?:") && !inLink(t.n)
}

// alignedSignature reads the name an article is signed with where the
// signature is set flush right under the running text: a block of its own
// whose whole text is a person's name, right after a paragraph, aligned
// right by its own markup. The alignment sets it apart from the text, so
// unlike signatureByline's, notes may follow it (footnotes, a box of
// further reading) and a page without a headline is read too.
func alignedSignature(texts []bylineText, siteNames []string) (string, string, bool) {
	written := ""
	var blocks lastBlockCache
	for _, t := range texts {
		name, ok := signedNameLine(t, siteNames)
		if !ok {
			continue
		}
		block := blockOf(t.n)
		if (block.DataAtom != atom.P && block.DataAtom != atom.Div) || !rightAligned(block) || blocks.text(block) != t.s || !afterParagraph(block, false) {
			continue
		}
		if written == "" {
			written = joinedTexts(texts)
		}
		if !writtenLower(name, written) {
			return name, xpath.Of(t.n), true
		}
	}
	return "", "", false
}

// rightAligned reports a block its own markup sets flush right (align=right,
// an inline text-align: right).
func rightAligned(b *html.Node) bool {
	if strings.EqualFold(strings.TrimSpace(attr(b, "align")), "right") {
		return true
	}
	return strings.HasPrefix(styleValue(attr(b, "style"), "text-align"), "right")
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
		if name == "" || !nameShaped(name) || isSiteName(name, siteNames) || inLinkList(a) {
			continue
		}
		if t.after {
			return name, xpath.Of(t.n), true
		}
		if before[0] == "" {
			before = [2]string{name, xpath.Of(t.n)}
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
	var blocks lastBlockCache
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
			written = joinedTexts(texts)
		}
		if !handle && writtenLower(name, written) || !slugAgrees(name, u) {
			continue
		}
		if utf8.RuneCountInString(blocks.text(blockOf(a))) > 200 {
			continue // a link inside a sentence ("… oder einen neuen Account Registrieren") names what it opens, not who wrote
		}
		if seen <= 40 {
			return name, xpath.Of(t.n), true
		}
		switch {
		case handle || later != "" && squash(later) != squash(name):
			return "", "", false // an author box names one person, a list of posts several
		case later == "":
			later, laterPath = name, xpath.Of(t.n)
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

// joinedTexts is the page's texts as writtenLower reads them: each set
// apart by spaces. The readers that ask build it once, when first needed.
func joinedTexts(texts []bylineText) string {
	var sb strings.Builder
	for _, u := range texts {
		sb.WriteString(" " + u.s + " ")
	}
	return sb.String()
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

// closesRunningText reports a text in the block that closes a container
// of running text (200 runes or more): no paragraph of running text (100
// runes or more) follows the block in it. Short lines may (a network's
// note, a picture credit): the closing credits and signatures of an
// article stand before them. Wrappers that hold the block's text alone
// (a CMS's box per paragraph) are the block: running text in the next
// wrapper, or bare in the container, follows it as well.
func closesRunningText(n *html.Node) bool {
	b := blockOf(n)
	if b == nil || b.Parent == nil {
		return false
	}
	own := utf8.RuneCountInString(collapseSpace(textOf(b)))
	parent := utf8.RuneCountInString(collapseSpace(textOf(b.Parent)))
	for parent == own && b.Parent.Parent != nil && b.Parent.Type == html.ElementNode {
		b = b.Parent
		parent = utf8.RuneCountInString(collapseSpace(textOf(b.Parent)))
	}
	for p := b.NextSibling; p != nil; p = p.NextSibling {
		if (p.Type == html.ElementNode || p.Type == html.TextNode) && utf8.RuneCountInString(collapseSpace(textOf(p))) >= 100 {
			return false
		}
	}
	return parent >= 200
}

// inLink reports a node inside a link: a signature is text, not a link to
// another page.
func inLink(n *html.Node) bool { return insideAny(n, atom.A) }

// afterParagraph reports a block that one of the two elements before it
// (three, with greeting) is a paragraph of running text: a signature
// follows the article's last paragraphs.
func afterParagraph(b *html.Node, greeting bool) bool {
	seen, back := 0, 2
	if greeting {
		back = 3
	}
	for p := b.PrevSibling; p != nil && seen < back; p = p.PrevSibling {
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

// firstAfter is the index of the first text after the headline, -1 when
// the page has no headline or nothing follows it: where the readers of
// the article's head start.
func firstAfter(texts []bylineText, headline *html.Node) int {
	if headline == nil {
		return -1
	}
	return slices.IndexFunc(texts, func(t bylineText) bool { return t.after })
}

// dateTextRe is a text that writes a date in numbers: a day and month, an
// ISO date, or a year.
var dateTextRe = regexp.MustCompile(`\b\d{1,2}[./-]\s?\d{1,2}[./-]\s?(?:\d{2}|\d{4})\b|\b\d{4}-\d{2}-\d{2}\b|\b(?:19|20)\d{2}\b`)

// datedNameByline reads the byline as the short text, a person's name,
// that shares a small box (200 runes at most) with the article's date
// between the headline and the running text: "<div class=meta><span>Jane
// Doe</span> <span>12 March 2021</span></div>", where no element is
// classed or labelled as a byline and no other reader names anyone. A
// topic's link (rel=tag or category) and a name inside a sentence are no
// byline.
func datedNameByline(texts []bylineText, headline *html.Node, siteNames []string) (string, string, bool) {
	first := firstAfter(texts, headline)
	if first < 0 {
		return "", "", false
	}
	for i := first; i < len(texts) && i < first+25; i++ {
		t := texts[i]
		if utf8.RuneCountInString(t.s) >= 150 {
			break // the running text has started
		}
		if len(t.s) > 60 || strings.ContainsAny(t.s[len(t.s)-1:], ".!?:") {
			continue
		}
		name := cleanName(t.s, siteNames)
		if !nameShaped(name) || isSiteName(name, siteNames) || topicLink(t.n) {
			continue
		}
		if bt := collapseSpace(textOf(blockOf(t.n))); bt != t.s && strings.ContainsAny(bt[len(bt)-1:], ".!?") {
			continue // a name in a sentence
		}
		box := t.n
		for d := 0; d < 4 && box.Parent != nil; d++ {
			box = box.Parent
			if utf8.RuneCountInString(collapseSpace(textOf(box))) > 200 {
				break
			}
			if showsDate(box, t.n) {
				return name, xpath.Of(t.n), true
			}
		}
	}
	return "", "", false
}

// topicLink reports a node inside a link to a topic's page (rel=tag or
// rel=category): a subject of the article, not its writer.
func topicLink(n *html.Node) bool {
	for p := n; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && p.DataAtom == atom.A {
			rel := strings.ToLower(attr(p, "rel"))
			return strings.Contains(rel, "tag") || strings.Contains(rel, "category")
		}
	}
	return false
}

// showsDate reports an element that shows a date: a <time>, or a text
// (not skip's, the name's) that writes one in numbers, with a word or a
// date's punctuation beside them (not a bare count).
func showsDate(box, skip *html.Node) bool {
	found := false
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch {
		case found:
		case n.Type == html.ElementNode && n.DataAtom == atom.Time:
			found = true
		case n.Type == html.ElementNode && unrendered(n):
		case n.Type == html.TextNode:
			s := n.Data
			found = n.Parent != skip && len(s) < 120 && dateTextRe.MatchString(s) && (strings.ContainsFunc(s, unicode.IsLetter) || strings.ContainsAny(s, ".-/"))
		default:
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
	}
	walk(box)
	return found
}
