package extract

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

func (st *state) add(field string, c Candidate) {
	if c.Value == "" && len(c.Values) == 0 && c.Image.URL == "" {
		return
	}
	st.cands[field] = append(st.cands[field], c)
}

// addDate parses and bounds a date before offering it.
func (st *state) addDate(field, kind, raw, source string) {
	d, ok := parseDate(raw)
	if !ok || !plausible(d, st.page.CaptureDate) {
		return
	}
	st.add(field, Candidate{Kind: kind, Value: d.String(), Source: source})
}

// structured offers the values of the item describing the page (the best
// article-typed item), then of WebPage/WebSite items for the fields those carry.
func (e *Extractor) structured(st *state) {
	if it := st.article; it != nil {
		k := it.Syntax
		str := func(field string, props ...string) {
			for _, p := range props {
				if v, path := it.first(p); v != "" {
					st.add(field, Candidate{Kind: k, Value: v, Source: path})
					return
				}
			}
		}
		str("title", "headline", "name", "alternativeHeadline")
		str("description", "description", "abstract")
		str("section", "articleSection")
		str("license", "license")
		str("language", "inLanguage")
		for _, p := range []string{"datePublished", "uploadDate"} {
			for _, v := range it.Props[p] {
				st.addDate("published", k, v.S, v.Path)
			}
		}
		for _, v := range it.Props["dateModified"] {
			st.addDate("modified", k, v.S, v.Path)
		}
		for _, v := range it.Props["dateCreated"] {
			st.addDate("created", k, v.S, v.Path)
		}
		if names, path, orgs, person := personNames(it, "author", "creator"); len(names) > 0 {
			st.add("authors", Candidate{Kind: k, Values: names, Source: path, org: orgs, person: person})
		}
		if kw := it.Props["keywords"]; len(kw) > 0 {
			var words []string
			for _, v := range kw {
				words = append(words, splitKeywords(v.S)...)
			}
			st.add("keywords", Candidate{Kind: k, Values: dedupe(words), Source: kw[0].Path})
		}
		for _, v := range it.Props["isAccessibleForFree"] {
			if b, err := strconv.ParseBool(strings.ToLower(strings.TrimSpace(v.S))); err == nil {
				st.add("is_accessible_for_free", Candidate{Kind: k, Value: strconv.FormatBool(b), Source: v.Path})
				break
			}
		}
		for _, v := range it.Props["url"] {
			if strings.HasPrefix(v.S, "http") {
				st.add("canonical_url", Candidate{Kind: k, Value: v.S, Source: v.Path})
				break
			}
		}
		for _, v := range it.Props["mainEntityOfPage"] {
			u, p := v.S, v.Path
			if v.Item != nil {
				u, p = v.Item.ID, v.Item.Path+".@id"
				if s, sp := v.Item.first("url"); s != "" {
					u, p = s, sp
				}
			}
			if strings.HasPrefix(u, "http") {
				st.add("canonical_url", Candidate{Kind: k, Value: u, Source: p})
				break
			}
		}
		for _, v := range it.Props["image"] {
			st.add("image", imageCandidate(k, v))
		}
		for _, v := range it.Props["thumbnailUrl"] {
			st.add("image", imageCandidate(k, v))
		}
		if pub := it.Props["publisher"]; len(pub) > 0 && pub[0].Item != nil {
			if n, p := pub[0].Item.first("name"); n != "" {
				st.add("site_name", Candidate{Kind: k, Value: n, Source: p})
			}
		}
		pt := "other"
		if articleRank(it) >= 0 && !it.is("CreativeWork", "VideoObject", "PodcastEpisode", "Recipe", "HowTo", "Review", "Blog") {
			pt = "article"
		}
		typeSrc := it.Path + ".@type"
		switch it.Syntax {
		case KindMicrodata:
			typeSrc = it.Path + "/@itemtype"
		case KindRDFa:
			typeSrc = it.Path + "/@typeof"
		}
		st.add("page_type", Candidate{Kind: k, Value: pt, Source: typeSrc})
	}
	// WebPage and WebSite items fill what article items often lack.
	for _, it := range st.items {
		k := it.Syntax
		switch {
		case it.is("WebSite"):
			if n, p := it.first("name"); n != "" {
				st.add("site_name", Candidate{Kind: k, Value: n, Source: p})
			}
		case it.is("WebPage", "ItemPage", "CollectionPage", "AboutPage", "ProfilePage", "SearchResultsPage", "QAPage", "FAQPage", "MedicalWebPage", "RealEstateListing"):
			if it == st.article {
				continue
			}
			for _, v := range it.Props["datePublished"] {
				st.addDate("published", k, v.S, v.Path)
			}
			for _, v := range it.Props["dateModified"] {
				st.addDate("modified", k, v.S, v.Path)
			}
			if names, path, orgs, person := personNames(it, "author", "creator"); len(names) > 0 {
				st.add("authors", Candidate{Kind: k, Values: names, Source: path, org: orgs, person: person})
			}
			if d, p := it.first("description"); d != "" {
				st.add("description", Candidate{Kind: k, Value: d, Source: p})
			}
			if d, p := it.first("inLanguage"); d != "" {
				st.add("language", Candidate{Kind: k, Value: d, Source: p})
			}
			if st.article == nil {
				if d, p := it.first("name"); d != "" {
					st.add("title", Candidate{Kind: k, Value: d, Source: p})
				}
			}
		}
	}
}

// personNames reads authors: strings, Person/Organization items (every
// name they give, or given + family name), skipping URLs and references that
// resolve to nothing. orgs reports that every name came from an item typed
// as an organisation, which a person named elsewhere should outrank; person
// that every name came from a Person item (a blog's site name may be its
// author's: such a name is not the site's).
func personNames(it *item, props ...string) (names []string, path string, orgs, person bool) {
	orgs, person = true, true
	for _, p := range props {
		for _, v := range it.Props[p] {
			type named struct{ s, path string }
			var ns []named
			switch {
			case v.Item != nil:
				for _, nv := range v.Item.Props["name"] {
					if s := collapseSpace(nv.S); s != "" {
						ns = append(ns, named{s, nv.Path})
					}
				}
				if len(ns) == 0 {
					g, gp := v.Item.first("givenName")
					f, _ := v.Item.first("familyName")
					if n := strings.TrimSpace(g + " " + f); n != "" {
						ns = append(ns, named{n, gp})
					}
				}
			default:
				ns = append(ns, named{v.S, v.Path})
			}
			isOrg := v.Item != nil && v.Item.is(organizationTypes...)
			person = person && v.Item != nil && v.Item.is("Person")
			for _, n := range ns {
				for _, one := range splitAuthors(n.s) {
					names = append(names, one)
					orgs = orgs && isOrg
					if path == "" {
						path = n.path
					}
				}
			}
		}
		if len(names) > 0 {
			break
		}
	}
	return dedupe(names), path, orgs && len(names) > 0, person && len(names) > 0
}

// organizationTypes are schema.org's Organization and its common subtypes.
var organizationTypes = []string{"Organization", "NewsMediaOrganization", "Corporation", "NGO",
	"EducationalOrganization", "GovernmentOrganization", "LocalBusiness", "OnlineBusiness", "Brand"}

func imageCandidate(kind string, v value) Candidate {
	img := Image{URL: v.S}
	path := v.Path
	if v.Item != nil {
		u, p := v.Item.first("url")
		if u == "" {
			u, p = v.Item.first("contentUrl")
		}
		if u == "" {
			u = v.Item.ID
			p = v.Item.Path + ".@id"
		}
		img.URL, path = u, p
		w, _ := v.Item.first("width")
		h, _ := v.Item.first("height")
		img.Width, img.Height = atoiPrefix(w), atoiPrefix(h)
	}
	img.URL = strings.TrimSpace(img.URL)
	if !strings.HasPrefix(img.URL, "http") && !strings.HasPrefix(img.URL, "/") {
		return Candidate{}
	}
	return Candidate{Kind: kind, Value: img.URL, Image: img, Source: path}
}

// atoiPrefix reads "1200", "1200px", "1200.0".
func atoiPrefix(s string) int {
	s = strings.TrimSpace(s)
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	n, _ := strconv.Atoi(s[:i])
	return n
}

// kindOfMeta classifies a <meta> key by vocabulary.
func kindOfMeta(key string) string {
	switch {
	case strings.HasPrefix(key, "og:"), strings.HasPrefix(key, "article:"):
		return KindOpenGraph
	case strings.HasPrefix(key, "twitter:"):
		return KindTwitter
	case strings.HasPrefix(key, "dc.") || strings.HasPrefix(key, "dcterms.") || strings.HasPrefix(key, "dc:") || strings.HasPrefix(key, "dcterms:"):
		return KindDublinCore
	}
	return KindMeta
}

// metaFields lists, per field, the <meta> keys read, in order of preference
// within their vocabulary; the vocabulary (kind) decides the order across them.
var metaFields = map[string][]string{
	"title": {"og:title", "twitter:title", "dc.title", "dcterms.title", "dc:title", "title", "sailthru.title",
		"parsely-title", "headline", "citation_title"},
	"description": {"og:description", "description", "twitter:description", "dc.description", "dcterms.description",
		"dcterms.abstract", "dc:description", "sailthru.description", "abstract"},
	"published": {"article:published_time", "og:published_time", "og:article:published_time", "article:published",
		"published_time", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "dc:date", "dcterms.created",
		"dc.date.created", "datepublished", "date", "pubdate", "publishdate", "publish-date", "publish_date",
		"published-date", "article.published", "article_date_original", "sailthru.date", "parsely-pub-date",
		"citation_publication_date", "citation_date", "originalpublicationdate", "cxenseparse:recs:publishtime",
		"displaydate", "dc.date.published", "date.created", "publication_date", "article:post_date", "og:updated_time"},
	"modified": {"article:modified_time", "og:updated_time", "article:updated_time", "dcterms.modified",
		"dc.date.modified", "datemodified", "last-modified", "lastmod", "revised", "dc.modified", "modified_time"},
	"created": {"dcterms.created", "dc.date.created", "datecreated"},
	"authors": {"author", "article:author", "dc.creator", "dcterms.creator", "dc:creator", "sailthru.author",
		"parsely-author", "byl", "citation_author", "og:article:author", "article:author_name", "author_name", "cxenseparse:author"},
	"keywords":      {"keywords", "news_keywords", "article:tag", "parsely-tags", "dc.subject", "dcterms.subject", "sailthru.tags"},
	"section":       {"article:section", "section", "parsely-section", "category", "dc.type.category", "article.section"},
	"language":      {"content-language", "language", "dc.language", "dcterms.language", "og:locale"},
	"site_name":     {"og:site_name", "application-name", "apple-mobile-web-app-title", "dc.publisher", "dcterms.publisher", "publisher", "twitter:app:name:iphone"},
	"canonical_url": {"og:url", "twitter:url", "parsely-link"},
	"license":       {"dc.rights", "dcterms.license", "dcterms.rights", "dc.rights.license", "license", "copyright"},
	"image":         {"og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src", "thumbnail", "thumbnailurl"},
}

// metaCandidates offers <meta>, <link>, <title>, <h1>, <time>, byline and URL values.
func (e *Extractor) metaCandidates(st *state) {
	t := st.tags
	// Exclude the <meta> elements that are microdata properties of an item:
	// their values were offered by the item with its type.
	for _, field := range []string{"title", "description", "section", "site_name", "canonical_url", "license", "language"} {
		for _, key := range metaFields[field] {
			for _, m := range t.all(key) {
				v := m.Value
				if field == "language" {
					v = strings.ReplaceAll(v, "_", "-")
				}
				if field == "canonical_url" && !strings.HasPrefix(v, "http") {
					continue
				}
				st.add(field, Candidate{Kind: kindOfMeta(key), Value: v, Source: m.Path})
			}
		}
	}
	for _, f := range []string{"published", "modified", "created"} {
		for _, key := range metaFields[f] {
			for _, m := range t.all(key) {
				st.addDate(f, kindOfMeta(key), m.Value, m.Path)
			}
		}
	}
	// Authors: one candidate per key (article:author may repeat for co-authors).
	for _, key := range metaFields["authors"] {
		var names []string
		path := ""
		for _, m := range t.all(key) {
			for _, n := range splitAuthors(m.Value) {
				names = append(names, n)
				if path == "" {
					path = m.Path
				}
			}
		}
		if len(names) > 0 {
			st.add("authors", Candidate{Kind: kindOfMeta(key), Values: dedupe(names), Source: path})
		}
	}
	for _, key := range metaFields["keywords"] {
		var words []string
		path := ""
		for _, m := range t.all(key) {
			words = append(words, splitKeywords(m.Value)...)
			if path == "" {
				path = m.Path
			}
		}
		if len(words) > 0 {
			st.add("keywords", Candidate{Kind: kindOfMeta(key), Values: dedupe(words), Source: path})
		}
	}
	for _, key := range metaFields["image"] {
		for _, m := range t.all(key) {
			img := Image{URL: resolve(st.base, m.Value)}
			if strings.HasPrefix(key, "og:") {
				if w, ok := t.get("og:image:width"); ok {
					img.Width = atoiPrefix(w.Value)
				}
				if h, ok := t.get("og:image:height"); ok {
					img.Height = atoiPrefix(h.Value)
				}
			}
			st.add("image", Candidate{Kind: kindOfMeta(key), Value: img.URL, Image: img, Source: m.Path})
		}
	}
	if m, ok := t.get("og:type"); ok {
		st.add("page_type", Candidate{Kind: KindOpenGraph, Value: pageTypeOf(m.Value), Source: m.Path})
	}

	// Plain HTML.
	if t.title.Value != "" {
		st.add("title", Candidate{Kind: KindHTML, Value: t.title.Value, Source: t.title.Path})
	}
	// The visible headline: an <h1> whose text the <title> or og:title
	// repeats (sites decorate those with their name or SEO words).
	var heads []string
	if t.title.Value != "" {
		heads = append(heads, t.title.Value)
	}
	for _, m := range t.all("og:title", "twitter:title") {
		heads = append(heads, m.Value)
	}
	// The structured data's headline confirms a heading as well: it is
	// written by the CMS apart from the social cards.
	var sections []string
	for _, c := range st.cands["title"] {
		if c.Kind == KindJSONLD || c.Kind == KindMicrodata {
			heads = append(heads, c.Value)
		}
	}
	for _, c := range st.cands["section"] {
		sections = append(sections, c.Value)
	}
	siteNames := e.siteNames(st)
	for _, h := range t.h1 {
		nh := norm(h.Value)
		if len(nh) < 4 || isSiteName(h.Value, siteNames) || isSiteBanner(h.Node, st.base) || notHeadline(h.Node, h.Value, sections, st.base) {
			continue
		}
		st.headings = append(st.headings, h)
		if headlineConfirmed(h.Value, heads) {
			st.add("title", Candidate{Kind: KindHeading, Value: h.Value, Source: h.Path})
			break
		}
	}
	// Headings the template marks as the article's title, confirmed or not.
	if len(t.headlines) == 1 && len(norm(t.headlines[0].Value)) >= 4 && !notHeadline(t.headlines[0].Node, t.headlines[0].Value, sections, st.base) {
		st.add("title", Candidate{Kind: KindHeading, Value: t.headlines[0].Value, Source: t.headlines[0].Path})
	}
	if t.lang.Value != "" {
		st.add("language", Candidate{Kind: KindHTML, Value: strings.ReplaceAll(strings.TrimSpace(t.lang.Value), "_", "-"), Source: t.lang.Path})
	}
	for _, rel := range []string{"canonical"} {
		for _, l := range t.links[rel] {
			if l.Node.DataAtom.String() == "link" && strings.HasPrefix(l.Value, "http") {
				st.add("canonical_url", Candidate{Kind: KindHTML, Value: l.Value, Source: l.Path})
			}
		}
	}
	for _, l := range t.links["license"] {
		st.add("license", Candidate{Kind: KindHTML, Value: l.Value, Source: l.Path})
	}
	for _, l := range t.links["image_src"] {
		st.add("image", Candidate{Kind: KindHTML, Value: l.Value, Image: Image{URL: l.Value}, Source: l.Path})
	}
	// <time>: pubdate or itemprop marks the publication; otherwise the first
	// <time> of the page (most often the article's dateline).
	for i, tm := range t.times {
		ip := strings.ToLower(attr(tm.Node, "itemprop"))
		switch {
		case ip == "datemodified":
			st.addDate("modified", KindHTML, tm.Value, tm.Path)
		case hasAttr(tm.Node, "pubdate") || ip == "datepublished" || i == 0:
			st.addDate("published", KindHTML, tm.Value, tm.Path)
		}
	}
	// rel=author links, then elements classed as bylines.
	var names []string
	path := ""
	for _, l := range t.linkText["author"] {
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
	for _, b := range t.bylines {
		if b.Value == "" || len(b.Value) > 120 {
			continue
		}
		if ns := splitAuthors(b.Value); len(ns) > 0 {
			st.add("authors", Candidate{Kind: KindByline, Values: ns, Source: b.Path})
			break
		}
	}
	if d, ok := urlDate(st.page.URL); ok && plausible(d, st.page.CaptureDate) {
		st.add("published", Candidate{Kind: KindURL, Value: d.String(), Source: "url " + st.page.URL})
	}
}

// siteNames gathers the names a title suffix may repeat: og:site_name,
// publisher and WebSite names, application-name, the host.
func (e *Extractor) siteNames(st *state) []string {
	var out []string
	for _, c := range st.cands["site_name"] {
		out = append(out, c.Value)
	}
	if st.base != nil {
		h := strings.TrimPrefix(strings.ToLower(st.base.Hostname()), "www.")
		out = append(out, h)
		if i := strings.IndexByte(h, '.'); i > 0 {
			out = append(out, h[:i])
		}
	}
	return out
}

var titleSepRe = regexp.MustCompile(`\s+(?:[|–—·•»«›‹⋆/:]|::|-{1,2}|\\)\s+`)

// cleanTitle removes a site name that pages append or prepend to headlines
// ("Headline | Site", "Site - Headline"). A part is dropped only when it
// names the site or when the page's single <h1> equals another part: an
// unrecognised suffix is kept rather than guessed away.
func cleanTitle(title string, siteNames []string, h1 []tag) string {
	title = collapseSpace(title)
	locs := titleSepRe.FindAllStringIndex(title, -1)
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
	isSite := func(p string) bool { return isSiteName(p, siteNames) }
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
		for _, p := range titleSepRe.Split(collapseSpace(hd), -1) {
			if norm(p) == nh {
				return true
			}
		}
		if strings.Contains(nd, nh) && 2*len(nh) >= len(nd) {
			return true
		}
	}
	return false
}

// isSiteName reports whether a title part names the site.
func isSiteName(p string, siteNames []string) bool {
	np := norm(p)
	if np == "" {
		return false
	}
	for _, s := range siteNames {
		ns := norm(s)
		if ns == "" {
			continue
		}
		if np == ns || (len(ns) >= 4 && strings.Contains(np, ns) && len(np) <= len(ns)+12) || (len(np) >= 4 && strings.Contains(ns, np)) {
			return true
		}
	}
	return false
}

// isSiteBanner reports an <h1> used as the site's logo or banner: inside a
// element classed as logo/site title, or linking
// to the home page. (A <header> ancestor is not a sign: measured, article
// headlines sit in page headers as often as logos do.)
func isSiteBanner(n *html.Node, base *url.URL) bool {
	for p := n; p != nil; p = p.Parent {
		if p.Type != html.ElementNode {
			continue
		}
		if p.DataAtom == atom.Article || p.DataAtom == atom.Main {
			break
		}
		cls := strings.ToLower(attr(p, "class") + " " + attr(p, "id"))
		if strings.Contains(cls, "logo") || strings.Contains(cls, "site-title") || strings.Contains(cls, "site-name") ||
			strings.Contains(cls, "brand") || strings.Contains(cls, "blog-title") || strings.Contains(cls, "masthead") ||
			strings.Contains(cls, "site-header") || strings.Contains(cls, "blogtitle") || strings.Contains(cls, "header-title") {
			return true
		}
	}
	home := false
	walkElements(n, func(c *html.Node) bool {
		if c.DataAtom == atom.A {
			href := resolve(base, attr(c, "href"))
			if u, err := url.Parse(href); err == nil && (u.Path == "" || u.Path == "/") && u.RawQuery == "" {
				home = true
			}
		}
		return !home
	})
	return home
}

// norm lower-cases and keeps letters and digits only (of any script), for
// comparisons: dashes, quotes and spaces of every kind drop out.
func norm(s string) string {
	var sb strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

var (
	authorPrefixRe = regexp.MustCompile(`(?i)^(?:(?:written|posted|published|text|story|report(?:ed)?|photos?|words|created|edited)\s+by|by|von|vom|par|por|di|door|av|af|przez|autor(?:in)?|author|auteur|texte?|(?:geschrieben|verfasst|veröffentlicht|eingestellt|erstellt|publiziert|gepostet)\s+von|beitrag\s+von|ein\s+beitrag\s+von|publié\s+par|écrit\s+par|publicado\s+por|escrito\s+por|scritto\s+da|pubblicato\s+da|redaktion)\s*[:：]?\s+`)
	authorJunkRe   = regexp.MustCompile(`(?i)\s*(?:\S+@\S+\.\S+|\S+\[at\]\S+|https?://\S+|\|.*$|\(\s*\)|\bon\s+\w+day\b.*$|\b\d{1,2}[./]\s?\d{1,2}[./]\s?\d{2,4}.*$|\b(?:19|20)\d{2}-\d{2}-\d{2}.*$|\s+(?:says|said|schreibt|sagt)\s*:?$|\s+alle artikel.*$|\s+view my complete profile.*$|\s+afficher mon profil complet.*$|\s+[—»›].*$|\s+-\s+(?:veröffentlicht|published|posted).*$)`)
	// "Posted on March 3, 2020 by Jane Doe": the name follows the last "by".
	authorAfterByRe = regexp.MustCompile(`(?i)^.*\b(?:posted|published|veröffentlicht|publiziert|erschienen|geschrieben)\b.*?\b(?:by|von|par|por)\s+(.+)$`)
	authorSplitRe   = regexp.MustCompile(`\s*(?:;|\s+and\s+|\s+und\s+|\s+et\s+|\s+y\s+|\s+&\s+|\s*\|\s*)\s*`)
	// Link texts next to bylines: "Zeige alle Beiträge von X", "View all posts by X".
	authorLinkRe  = regexp.MustCompile(`(?i)^(?:zeige\s+)?(?:alle\s+(?:beiträge|artikel)\s+von|(?:view|show|see)\s+all\s+(?:posts|articles|stories)\s+(?:by|of)|more\s+(?:articles|stories|posts)\s+(?:by|from)|all\s+(?:posts|articles)\s+by)\s+`)
	authorNoiseRe = regexp.MustCompile(`(?i)(?:complete profile|profil complet|alle beiträge|all articles|all posts|\bfollow\b|→|»)`)
	handleRe      = regexp.MustCompile(`\s+@\w+$`)
	notAName      = regexp.MustCompile(`(?i)^(?:by|von|par|por|am|on|the|admin|publiziert am|veröffentlicht am|posted on|published on|posted|published|author|autor|redaktion:?|unknown|anonymous|anonym|guest|share|teilen|\d+ comments?|\d+ kommentare?)$`)
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
	// A date or time after the name ("Jane Doe, 07 Dezember 2022", "Jane Doe Fr. 18. Oktober").
	if i := strings.IndexAny(s, "0123456789"); i > 0 {
		head := strings.TrimRight(s[:i], " ,;:-–—|·.")
		if f := strings.Fields(head); len(f) >= 3 && len(f[len(f)-1]) <= 3 {
			head = strings.Join(f[:len(f)-1], " ") // a weekday or month abbreviation
		}
		if len(strings.Fields(head)) >= 1 && len(head) >= 3 {
			s = head
		}
	}
	s = handleRe.ReplaceAllString(s, "")
	s = authorPrefixRe.ReplaceAllString(s, "")
	s = authorJunkRe.ReplaceAllString(s, "")
	s = strings.Trim(s, " ,;:-–—|·")
	if s == "" {
		return nil
	}
	parts := authorSplitRe.Split(s, -1)
	var out []string
	for _, p := range parts {
		commaParts := strings.Split(p, ",")
		split := len(commaParts) > 1
		for _, c := range commaParts {
			if len(strings.Fields(c)) < 2 {
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

func splitKeywords(s string) []string {
	var out []string
	sep := ","
	if !strings.Contains(s, ",") && strings.Contains(s, ";") {
		sep = ";"
	}
	for _, k := range strings.Split(s, sep) {
		if k = collapseSpace(k); k != "" {
			out = append(out, k)
		}
	}
	return out
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	out := in[:0:0]
	for _, s := range in {
		k := strings.ToLower(s)
		if !seen[k] {
			seen[k] = true
			out = append(out, s)
		}
	}
	return out
}

// publisher fills the publisher from the article's publisher item, else
// from an Organization item on the page, else names it after the site.
func (e *Extractor) publisher(a *Article, st *state, src map[string]string) {
	var org *item
	if st.article != nil {
		for _, v := range st.article.Props["publisher"] {
			if v.Item != nil {
				org = v.Item
				break
			}
			if n := collapseSpace(v.S); n != "" {
				a.Publisher.Name = n
				src["publisher.name"] = v.Path
			}
		}
	}
	if org == nil && a.Publisher.Name == "" {
		for _, it := range st.items {
			if it.is(organizationTypes...) {
				org = it
				break
			}
		}
	}
	if org != nil {
		fields := []struct {
			dst   *string
			name  string
			props []string
		}{
			{&a.Publisher.Name, "publisher.name", []string{"name", "legalName"}},
			{&a.Publisher.URL, "publisher.url", []string{"url", "sameAs"}},
			{&a.Publisher.Email, "publisher.email", []string{"email"}},
			{&a.Publisher.Telephone, "publisher.telephone", []string{"telephone"}},
		}
		for _, f := range fields {
			for _, p := range f.props {
				if v, path := org.first(p); v != "" {
					*f.dst, src[f.name] = v, path
					break
				}
			}
		}
		if f := org.Props["url"]; a.Publisher.URL == "" && org.ID != "" && strings.HasPrefix(org.ID, "http") && len(f) == 0 {
			a.Publisher.URL, src["publisher.url"] = org.ID, org.Path+".@id"
		}
		for _, v := range org.Props["logo"] {
			if c := imageCandidate(org.Syntax, v); c.Value != "" {
				a.Publisher.Logo, src["publisher.logo"] = c.Value, c.Source
				break
			}
		}
	}
	// The site name stands in for the publisher's, unless it is only
	// go-trafilatura's guess from the host name.
	if a.Publisher.Name == "" && a.SiteName != "" && src["site_name"] != "trafilatura metadata" {
		a.Publisher.Name, src["publisher.name"] = a.SiteName, src["site_name"]
	}
}
