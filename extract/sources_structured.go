package extract

// Structured data: the item describing the page (JSON-LD, microdata or
// RDFa, see items.go) and the page's other schema.org items, offered as
// candidates per field.

import (
	"strconv"
	"strings"
)

func (st *state) add(field string, c Candidate) {
	if field == "description" {
		// Every source's description passes here (see plainText).
		c.Value = plainText(c.Value)
	}
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
// resolve to nothing. A name a CMS wrote as markup (profile links:
// "<a href=…>Jane Doe</a>, <a …>") is read as its text (plainText). orgs reports that every name came from an item typed
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
				for _, one := range splitAuthors(plainText(n.s)) {
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
