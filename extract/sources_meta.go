package extract

// Meta tags and plain HTML: <meta> vocabularies (OpenGraph, Twitter, Dublin
// Core, CMS names), <title>, <h1>, <time>, <link rel>, bylines and the URL,
// offered as candidates per field.

import (
	"strings"
)

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
	// Authors: one candidate per key (article:author may repeat for co-authors),
	// then the social-card label/data pair a CMS writes ("Written by").
	for _, key := range metaFields["authors"] {
		var names []string
		path := ""
		for _, m := range t.all(key) {
			for _, n := range splitAuthors(plainText(m.Value)) {
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
	if d, ok := labelledAuthor(t); ok {
		if names := splitAuthors(plainText(d.Value)); len(names) > 0 {
			st.add("authors", Candidate{Kind: KindMeta, Values: names, Source: d.Path})
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
	e.headingCandidates(st)
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
	// <time> of the page (most often the article's dateline) that is not a
	// comment's or a teaser's (teaserOrCommentTime).
	first := true
	for _, tm := range t.times {
		ip := strings.ToLower(attr(tm.Node, "itemprop"))
		switch {
		case ip == "datemodified":
			st.addDate("modified", KindHTML, tm.Value, tm.Path)
		case hasAttr(tm.Node, "pubdate") || ip == "datepublished":
			st.addDate("published", KindHTML, tm.Value, tm.Path)
			first = false
		case first && !teaserOrCommentTime(tm.Node, st):
			st.addDate("published", KindHTML, tm.Value, tm.Path)
			first = false
		}
	}
	e.bylineCandidates(st, t) // bylines.go
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
