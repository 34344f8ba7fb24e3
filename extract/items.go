package extract

import (
	"maps"
	"slices"
	"strings"
)

// item is one schema.org-style entity read from JSON-LD, microdata or
// RDFa-lite: its types and properties. The three syntaxes share this form so
// that field selection is written once.
type item struct {
	Syntax string   // "json-ld", "microdata", "rdfa"
	Types  []string // short names: "NewsArticle" (schema.org prefixes removed)
	ID     string
	Props  map[string][]value
	Path   string // where the item is: "json-ld NewsArticle" or an XPath
}

// value is one property value: a string or a nested item, with its source.
type value struct {
	S    string
	Item *item
	Path string
}

func (it *item) add(prop string, v value) {
	if it.Props == nil {
		it.Props = map[string][]value{}
	}
	it.Props[prop] = append(it.Props[prop], v)
}

// is reports whether the item has one of the types.
func (it *item) is(types ...string) bool {
	for _, t := range it.Types {
		for _, want := range types {
			if strings.EqualFold(t, want) {
				return true
			}
		}
	}
	return false
}

// typeName is the item's first type, for source paths.
func (it *item) typeName() string {
	if len(it.Types) == 0 {
		return "Thing"
	}
	return it.Types[0]
}

// first returns the first non-empty string value of a property (for a nested
// item, its name or url is not taken: callers ask for that explicitly).
func (it *item) first(prop string) (string, string) {
	for _, v := range it.Props[prop] {
		if s := collapseSpace(v.S); s != "" {
			return s, v.Path
		}
	}
	return "", ""
}

// shortType strips vocabulary prefixes: "http://schema.org/NewsArticle",
// "schema:NewsArticle" → "NewsArticle".
func shortType(t string) string {
	t = strings.TrimSpace(t)
	if i := strings.LastIndexAny(t, "/#:"); i >= 0 {
		t = t[i+1:]
	}
	return t
}

// articleTypes are the schema.org types whose properties describe the page as an article.
var articleTypes = []string{
	"Article", "NewsArticle", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle",
	"OpinionNewsArticle", "ReviewNewsArticle", "BackgroundNewsArticle", "AskPublicNewsArticle",
	"ScholarlyArticle", "TechArticle", "Report", "LiveBlogPosting", "SocialMediaPosting",
	"DiscussionForumPosting", "SatiricalArticle", "AdvertiserContentArticle", "MedicalScholarlyArticle",
	"Posting", "Review", "Recipe", "HowTo", "Blog", "CreativeWork", "VideoObject", "PodcastEpisode",
}

// articleRank orders candidate article types: specific article types before
// generic creative works.
func articleRank(it *item) int {
	for i, t := range articleTypes {
		if it.is(t) {
			return i
		}
	}
	return -1
}

// pageItem chooses the item describing the page: the best-ranked article
// type among the items that are not part of another article-typed item. A
// Recipe's Review, an article's comment or a live blog's updates are works
// nested in the page's work (their author is a reviewer, a commenter, the
// writer of one update), however specific their type; only a Blog lists
// its posts as parts. Nested items are chosen only when no other item has
// an article type.
func pageItem(items []*item) *item {
	nested := map[*item]bool{}
	for _, it := range items {
		if articleRank(it) < 0 || it.is("Blog") {
			continue
		}
		for _, vs := range it.Props {
			for _, v := range vs {
				markNested(v.Item, nested, 0)
			}
		}
	}
	var best, bestNested *item
	for _, it := range items {
		r := articleRank(it)
		if r < 0 {
			continue
		}
		pick := &best
		if nested[it] {
			pick = &bestNested
		}
		if *pick == nil || r < articleRank(*pick) {
			*pick = it
		}
	}
	if best != nil {
		return best
	}
	return bestNested
}

// markNested marks an item and the items inside it.
func markNested(it *item, nested map[*item]bool, depth int) {
	if it == nil || nested[it] || depth > 20 {
		return
	}
	nested[it] = true
	for _, vs := range it.Props {
		for _, v := range vs {
			markNested(v.Item, nested, depth+1)
		}
	}
}

// allItems walks items and their nested items (depth-first, each once).
func allItems(roots []*item) []*item {
	var out []*item
	seen := map[*item]bool{}
	var walk func(*item, int)
	walk = func(it *item, depth int) {
		if it == nil || seen[it] || depth > 20 {
			return
		}
		seen[it] = true
		out = append(out, it)
		for _, k := range slices.Sorted(maps.Keys(it.Props)) {
			for _, v := range it.Props[k] {
				walk(v.Item, depth+1)
			}
		}
	}
	for _, r := range roots {
		walk(r, 0)
	}
	return out
}
