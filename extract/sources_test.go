package extract

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/warcbox/warcbox/internal/testneed"
	"github.com/warcbox/warcbox/internal/xpath"
)

// sharedDir returns ../shared/extract-eval/<sub> from the repository root,
// skipping the test when it is absent outside CI.
func sharedDir(t testing.TB, sub string) string {
	t.Helper()
	d := filepath.Join("..", "..", "shared", "extract-eval", sub)
	if _, err := os.Stat(d); err != nil {
		testneed.Missing(t, "shared eval data missing: %v", err)
	}
	return d
}

func parseFile(t *testing.T, path string) *html.Node {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, _, err := decodeHTML(b, "")
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// normJSON round-trips a value so numbers and maps compare equal.
func normJSON(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestJSONLDExtruct decodes every JSON-LD script of extruct's samples (valid
// and malformed: comments, control characters, trailing commas) and compares
// with extruct's expected output.
func TestJSONLDExtruct(t *testing.T) {
	dir := sharedDir(t, "extruct/tests/samples")
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.jsonld"))
	if len(files) < 10 {
		t.Fatalf("expected extruct JSON-LD fixtures, found %d", len(files))
	}
	checked := 0
	for _, want := range files {
		htmlPath := strings.TrimSuffix(want, ".jsonld") + ".html"
		if _, err := os.Stat(htmlPath); err != nil {
			continue
		}
		t.Run(filepath.Base(filepath.Dir(want))+"/"+filepath.Base(htmlPath), func(t *testing.T) {
			raw, err := os.ReadFile(want)
			if err != nil {
				t.Fatal(err)
			}
			var expected []any
			if err := json.Unmarshal(raw, &expected); err != nil {
				var one map[string]any
				if err := json.Unmarshal(raw, &one); err != nil {
					t.Fatalf("fixture: %v", err)
				}
				expected = []any{one}
				// An older extruct output shape: {"items": [[…], …]}.
				if items, ok := one["items"].([]any); ok {
					expected = nil
					for _, it := range items {
						if l, ok := it.([]any); ok {
							expected = append(expected, l...)
						} else {
							expected = append(expected, it)
						}
					}
				}
			}
			doc := parseFile(t, htmlPath)
			var got []any
			for _, s := range jsonLDScripts(doc) {
				vals, err := parseJSONLoose(scriptText(s))
				if err != nil {
					t.Errorf("script %s: %v", xpath.Of(s), err)
				}
				for _, v := range vals {
					switch v := v.(type) {
					case []any:
						got = append(got, v...)
					case map[string]any:
						got = append(got, v)
					}
				}
			}
			if g, w := normJSON(t, got), normJSON(t, expected); !reflect.DeepEqual(g, w) {
				gb, _ := json.Marshal(g)
				wb, _ := json.Marshal(w)
				t.Errorf("JSON-LD differs\n got %.400s\nwant %.400s", gb, wb)
			}
			// Every typed top-level object becomes an item with its properties.
			items := jsonLDItems(got)
			for i, e := range expected {
				m, ok := e.(map[string]any)
				if !ok {
					continue
				}
				typ, _ := m["@type"].(string)
				if typ == "" {
					continue
				}
				var it *item
				if len(items) == len(expected) {
					it = items[i] // same order: one root per top-level object
				}
				if it == nil {
					t.Errorf("%d items for %d objects", len(items), len(expected))
					break
				}
				if !it.is(shortType(typ)) {
					t.Errorf("item %d: types %v, want %s", i, it.Types, typ)
					continue
				}
				for k, v := range m {
					s, ok := v.(string)
					if !ok || strings.HasPrefix(k, "@") || collapseSpace(s) == "" {
						continue
					}
					if got, _ := it.first(shortType(k)); got != collapseSpace(s) {
						t.Errorf("%s.%s = %q, want %q", typ, k, got, s)
					}
				}
			}
			checked++
		})
	}
	if checked == 0 {
		t.Fatal("no fixture checked")
	}
}

// extructItem is extruct's microdata output shape.
type extructItem struct {
	Type       any            `json:"type"`
	ID         string         `json:"id"`
	Properties map[string]any `json:"properties"`
}

// TestMicrodataExtruct compares our microdata items with extruct's expected
// items (types and string properties) for the W3C, schema.org and website samples.
func TestMicrodataExtruct(t *testing.T) {
	dir := sharedDir(t, "extruct/tests/samples")
	var files []string
	for _, sub := range []string{"w3c", "schema.org", "websites", "songkick"} {
		m, _ := filepath.Glob(filepath.Join(dir, sub, "*.json"))
		files = append(files, m...)
	}
	checked := 0
	for _, want := range files {
		base := filepath.Base(want)
		// Flat, node-id and "withtext" variants are other extruct output modes.
		if strings.Contains(base, "flat") || strings.Contains(base, "node_id") || strings.Contains(base, "withtext") || strings.Contains(base, "custom_url") {
			continue
		}
		// extruct turns <input itemprop> into its own valueRequired/valueName object.
		if base == "SearchAction.001.json" {
			continue
		}
		htmlPath := strings.TrimSuffix(want, ".json") + ".html"
		if _, err := os.Stat(htmlPath); err != nil {
			continue
		}
		raw, _ := os.ReadFile(want)
		var expected []extructItem
		if err := json.Unmarshal(raw, &expected); err != nil {
			continue // not a microdata output (e.g. a dict of syntaxes)
		}
		t.Run(filepath.Base(filepath.Dir(want))+"/"+base, func(t *testing.T) {
			// The page URLs extruct's tests pass for relative links.
			var pageURL *url.URL
			switch base {
			case "microdata.7.1.json":
				pageURL, _ = url.Parse("http://blog.example.com/progress-report")
			case "microdata.object.json":
				pageURL, _ = url.Parse("http://www.example.com/microdata/test")
			}
			items := microdataItems(parseFile(t, htmlPath), pageURL)
			if len(items) != len(expected) {
				t.Fatalf("%d items, want %d", len(items), len(expected))
			}
			for i, e := range expected {
				compareItem(t, items[i], e, "item")
			}
			checked++
		})
	}
	if checked < 10 {
		t.Fatalf("only %d microdata fixtures checked", checked)
	}
}

func compareItem(t *testing.T, it *item, e extructItem, path string) {
	t.Helper()
	var types []string
	switch v := e.Type.(type) {
	case string:
		types = strings.Fields(v)
	case []any:
		for _, x := range v {
			if s, ok := x.(string); ok {
				types = append(types, s)
			}
		}
	}
	for _, ty := range types {
		if !it.is(shortType(ty)) {
			t.Errorf("%s: types %v, want %s", path, it.Types, ty)
		}
	}
	for k, v := range e.Properties {
		vals := []any{v}
		if l, ok := v.([]any); ok {
			vals = l
		}
		got := it.Props[shortType(k)]
		if len(got) != len(vals) {
			t.Errorf("%s.%s: %d values, want %d", path, k, len(got), len(vals))
			continue
		}
		for i, w := range vals {
			switch w := w.(type) {
			case string:
				if collapseSpace(got[i].S) != collapseSpace(w) {
					t.Errorf("%s.%s[%d] = %q, want %q", path, k, i, got[i].S, w)
				}
			case map[string]any:
				if got[i].Item == nil {
					t.Errorf("%s.%s[%d]: not an item", path, k, i)
					continue
				}
				b, _ := json.Marshal(w)
				var sub extructItem
				_ = json.Unmarshal(b, &sub)
				compareItem(t, got[i].Item, sub, path+"."+k)
			}
		}
	}
}

// TestOpenGraphExtruct checks every og:/article:/product: property of
// extruct's OpenGraph samples, in order.
func TestOpenGraphExtruct(t *testing.T) {
	dir := sharedDir(t, "extruct/tests/samples/misc")
	for _, name := range []string{"opengraph_test", "opengraph_ns_product_test"} {
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(dir, name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			var expected []struct {
				Properties [][2]string `json:"properties"`
			}
			if err := json.Unmarshal(raw, &expected); err != nil {
				t.Fatal(err)
			}
			tags := collectTags(parseFile(t, filepath.Join(dir, name+".html")), nil)
			byKey := map[string][]string{}
			for _, e := range expected {
				for _, p := range e.Properties {
					byKey[strings.ToLower(p[0])] = append(byKey[strings.ToLower(p[0])], p[1])
				}
			}
			if len(byKey) == 0 {
				t.Fatal("fixture has no properties")
			}
			for k, want := range byKey {
				var got []string
				for _, m := range tags.meta[k] {
					got = append(got, m.Value)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
		})
	}
}

// TestDublinCoreExtruct checks the DC.* and DCTERMS.* elements of extruct's sample.
func TestDublinCoreExtruct(t *testing.T) {
	dir := sharedDir(t, "extruct/tests/samples/misc")
	raw, err := os.ReadFile(filepath.Join(dir, "dublincore_test.json"))
	if err != nil {
		t.Fatal(err)
	}
	var expected []struct {
		Elements []struct{ Name, Content string } `json:"elements"`
	}
	if err := json.Unmarshal(raw, &expected); err != nil {
		t.Fatal(err)
	}
	tags := collectTags(parseFile(t, filepath.Join(dir, "dublincore_test.html")), nil)
	n := 0
	for _, e := range expected {
		for _, el := range e.Elements {
			if el.Content == "" {
				continue
			}
			found := false
			for _, m := range tags.meta[strings.ToLower(el.Name)] {
				found = found || m.Value == el.Content
			}
			if !found {
				t.Errorf("%s = %q not found", el.Name, el.Content)
			}
			n++
		}
	}
	if n < 5 {
		t.Fatalf("only %d elements checked", n)
	}
	// And the extractor reads the title and creator from them, with their paths.
	b, _ := os.ReadFile(filepath.Join(dir, "dublincore_test.html"))
	a, err := New(Options{SkipBody: true}).Extract(Page{HTML: b})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(a.Title, "Expressing Dublin Core") {
		t.Errorf("title %q", a.Title)
	}
	if src := a.Sources["title"]; !strings.Contains(strings.ToLower(src), "dc.title") && !strings.Contains(src, "title") {
		t.Errorf("title source %q", src)
	}
}

// TestRDFaLite reads the W3C RDFa Lite examples: typed items with properties.
func TestRDFaLite(t *testing.T) {
	dir := sharedDir(t, "extruct/tests/samples/w3crdfa")
	files, _ := filepath.Glob(filepath.Join(dir, "w3c.rdfalite.example*.html"))
	if len(files) == 0 {
		t.Fatal("no RDFa Lite fixtures")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, _ := os.ReadFile(strings.TrimSuffix(f, ".html") + ".expanded.json")
			var expected []map[string]any
			if err := json.Unmarshal(raw, &expected); err != nil {
				t.Fatal(err)
			}
			var wantTypes []string
			for _, e := range expected {
				if ts, ok := e["@type"].([]any); ok {
					for _, ty := range ts {
						wantTypes = append(wantTypes, shortType(ty.(string)))
					}
				}
			}
			items := allItems(rdfaItems(parseFile(t, f), nil))
			var gotTypes []string
			for _, it := range items {
				gotTypes = append(gotTypes, it.Types...)
			}
			sort.Strings(wantTypes)
			sort.Strings(gotTypes)
			if !reflect.DeepEqual(gotTypes, wantTypes) {
				t.Errorf("types %v, want %v", gotTypes, wantTypes)
			}
		})
	}
}

func TestParseJSONLoose(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{`{"a": 1,}`, `[{"a":1}]`},
		{`<!-- {"a": [1, 2, ], } -->`, `[{"a":[1,2]}]`},
		{"{\"a\": \"line\nbreak\ttab\"}", `[{"a":"line\nbreak\ttab"}]`},
		{`// comment
		{"a": "http://x.y/z" /* inline */}`, `[{"a":"http://x.y/z"}]`},
		{`{"a":1}{"b":2}`, `[{"a":1},{"b":2}]`},
		{`{"a":1},{"b":2};`, `[{"a":1},{"b":2}]`},
		{`{"a":"it\'s"}`, `[{"a":"it's"}]`},
		{`<![CDATA[{"a":1}]]>`, `[{"a":1}]`},
	}
	for _, tt := range tests {
		got, err := parseJSONLoose(tt.in)
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		b, _ := json.Marshal(got)
		if string(b) != tt.want {
			t.Errorf("%q: got %s, want %s", tt.in, b, tt.want)
		}
	}
	// Garbage gives an error and whatever came before it, never a panic.
	vals, err := parseJSONLoose(`{"a":1} {"b": ???`)
	if err == nil || len(vals) != 1 {
		t.Errorf("got %v, %v; want one value and an error", vals, err)
	}
}

// TestJSONLDGraphReferences resolves @id references across a @graph, the
// shape Yoast and most CMSs write.
func TestJSONLDGraphReferences(t *testing.T) {
	page := `<html><head><script type="application/ld+json">{"@context":"https://schema.org","@graph":[
	{"@type":"WebSite","@id":"https://ex.org/#website","name":"Example News","publisher":{"@id":"https://ex.org/#org"}},
	{"@type":"Organization","@id":"https://ex.org/#org","name":"Example Media","logo":{"@type":"ImageObject","url":"https://ex.org/logo.png","width":600,"height":60},"email":"desk@ex.org","telephone":"+1 555"},
	{"@type":["NewsArticle","Article"],"@id":"https://ex.org/a#article","headline":"Rates rise again","datePublished":"2024-03-05T09:30:00+01:00",
	 "dateModified":"2024-03-06T10:00:00+01:00","author":[{"@id":"https://ex.org/#jane"},{"@type":"Person","name":"John Roe"}],
	 "publisher":{"@id":"https://ex.org/#org"},"isAccessibleForFree":"False","keywords":["rates","economy"],"articleSection":"Business",
	 "image":{"@type":"ImageObject","url":"https://ex.org/a.jpg","width":1200,"height":800}},
	{"@type":"Person","@id":"https://ex.org/#jane","name":"Jane Doe"}
	]}</script></head><body><p>text</p></body></html>`
	a, err := New(Options{SkipBody: true}).Extract(Page{HTML: []byte(page), URL: "https://ex.org/a"})
	if err != nil {
		t.Fatal(err)
	}
	checks := map[string][2]string{
		"title":     {a.Title, "Rates rise again"},
		"published": {a.Published, "2024-03-05T09:30:00+01:00"},
		"modified":  {a.Modified, "2024-03-06T10:00:00+01:00"},
		"authors":   {strings.Join(a.Authors, "; "), "Jane Doe; John Roe"},
		"publisher": {a.Publisher.Name + " " + a.Publisher.Logo + " " + a.Publisher.Email + " " + a.Publisher.Telephone, "Example Media https://ex.org/logo.png desk@ex.org +1 555"},
		"section":   {a.Section, "Business"},
		"keywords":  {strings.Join(a.Keywords, ","), "rates,economy"},
		"image":     {a.Image.URL, "https://ex.org/a.jpg"},
		"site_name": {a.SiteName, "Example Media"},
		"page_type": {a.PageType, "article"},
	}
	for f, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %q, want %q", f, c[0], c[1])
		}
	}
	if a.Image.Width != 1200 || a.Image.Height != 800 {
		t.Errorf("image size %dx%d", a.Image.Width, a.Image.Height)
	}
	if a.IsAccessibleForFree == nil || *a.IsAccessibleForFree {
		t.Errorf("is_accessible_for_free = %v, want false", a.IsAccessibleForFree)
	}
	if got := a.Sources["published"]; got != "json-ld NewsArticle.datePublished" {
		t.Errorf("published source %q", got)
	}
	if got := a.Sources["authors"]; got != "json-ld NewsArticle.author.name" {
		t.Errorf("authors source %q", got)
	}
	if got := a.Sources["publisher.logo"]; got != "json-ld NewsArticle.publisher.logo.url" {
		t.Errorf("publisher.logo source %q", got)
	}
}

// TestMetaSources reads a page with no JSON-LD: OpenGraph, article:*,
// Twitter, meta names, <time>, rel=author and the URL, with XPath sources.
func TestMetaSources(t *testing.T) {
	page := `<!doctype html><html lang="de-DE"><head><meta charset="utf-8">
	<title>Neue Brücke eröffnet | Stadtblatt</title>
	<meta property="og:title" content="Neue Brücke eröffnet">
	<meta property="og:site_name" content="Stadtblatt">
	<meta property="og:type" content="article">
	<meta property="og:image" content="/img/bruecke.jpg"><meta property="og:image:width" content="800"><meta property="og:image:height" content="450">
	<meta name="description" content="Die Brücke ist fertig.">
	<meta property="article:published_time" content="2023-05-04T08:15:00+02:00">
	<meta property="article:modified_time" content="2023-05-04T12:00:00+02:00">
	<meta property="article:section" content="Lokales">
	<meta property="article:tag" content="Verkehr"><meta property="article:tag" content="Bau">
	<meta name="twitter:card" content="summary">
	<link rel="canonical" href="https://stadtblatt.example/lokales/bruecke">
	<link rel="license" href="https://creativecommons.org/licenses/by/4.0/">
	</head><body><header><h1 class="logo"><a href="/">Stadtblatt</a></h1></header>
	<article><h1>Neue Brücke eröffnet</h1><p class="byline">Von <a rel="author" href="/autoren/erika">Erika Mustermann</a></p>
	<p>Text.</p></article></body></html>`
	a, err := New(Options{SkipBody: true}).Extract(Page{HTML: []byte(page), URL: "https://stadtblatt.example/2023/05/04/bruecke"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]string{
		"title":         {a.Title, "Neue Brücke eröffnet"},
		"description":   {a.Description, "Die Brücke ist fertig."},
		"authors":       {strings.Join(a.Authors, "; "), "Erika Mustermann"},
		"published":     {a.Published, "2023-05-04T08:15:00+02:00"},
		"modified":      {a.Modified, "2023-05-04T12:00:00+02:00"},
		"section":       {a.Section, "Lokales"},
		"keywords":      {strings.Join(a.Keywords, ","), "Verkehr,Bau"},
		"language":      {a.Language, "de-DE"},
		"site_name":     {a.SiteName, "Stadtblatt"},
		"canonical_url": {a.CanonicalURL, "https://stadtblatt.example/lokales/bruecke"},
		"license":       {a.License, "https://creativecommons.org/licenses/by/4.0/"},
		"image":         {a.Image.URL, "https://stadtblatt.example/img/bruecke.jpg"},
		"page_type":     {a.PageType, "article"},
	}
	for f, c := range want {
		if c[0] != c[1] {
			t.Errorf("%s = %q, want %q", f, c[0], c[1])
		}
	}
	sources := map[string]string{
		"title":         "/html/body/article/h1",
		"published":     "/html/head/meta[@property='article:published_time']/@content",
		"authors":       "/html/body/article/p[1]/a",
		"canonical_url": "/html/head/link[@rel='canonical']/@href",
		"language":      "/html/@lang",
	}
	for f, w := range sources {
		if a.Sources[f] != w {
			t.Errorf("sources[%s] = %q, want %q", f, a.Sources[f], w)
		}
	}
}

func TestCleanTitle(t *testing.T) {
	h1 := []tag{{Value: "Rates rise again"}}
	tests := []struct {
		title string
		sites []string
		h1    []tag
		want  string
	}{
		{"Rates rise again | Example News", []string{"Example News"}, nil, "Rates rise again"},
		{"Example News - Rates rise again", []string{"Example News"}, nil, "Rates rise again"},
		{"Rates rise again - Business - Example News", []string{"example.org", "Example News"}, h1, "Rates rise again"},
		{"Kim Jong Un: Der Diktator ist zurück", []string{"spiegel.de"}, nil, "Kim Jong Un: Der Diktator ist zurück"},
		{"Headline - with dash | Site", []string{"Site"}, nil, "Headline - with dash"},
		{"Nothing to strip - here", []string{"other"}, nil, "Nothing to strip - here"},
	}
	for _, tt := range tests {
		if got := cleanTitle(tt.title, tt.sites, tt.h1); got != tt.want {
			t.Errorf("cleanTitle(%q) = %q, want %q", tt.title, got, tt.want)
		}
	}
}

func TestSplitAuthors(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"By Jane Doe", []string{"Jane Doe"}},
		{"Von Roland Brockmann und Sebastian Drescher", []string{"Roland Brockmann", "Sebastian Drescher"}},
		{"Jane Doe, John Roe", []string{"Jane Doe", "John Roe"}},
		{"Doe, Jane", []string{"Doe, Jane"}},
		{"Posted on March 3, 2020 by Adi Tzlil", []string{"Adi Tzlil"}},
		{"jane@example.org", nil},
		{"https://facebook.com/jane", nil},
		{"Veröffentlicht von Chris Jung", []string{"Chris Jung"}},
		{"Rob Picheta | CNN", []string{"Rob Picheta"}},
		// "& Co." joins a firm to its legal form; "&" between people still splits.
		{"Müller Verlag GmbH & Co. KG", []string{"Müller Verlag GmbH & Co. KG"}},
		{"Jane Doe & Corinna Roe", []string{"Jane Doe", "Corinna Roe"}},
	}
	for _, tt := range tests {
		got := splitAuthors(tt.in)
		if len(got) == 0 && len(tt.want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("splitAuthors(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2024-03-05", "2024-03-05"},
		{"2024-03-05T09:30:00+01:00", "2024-03-05T09:30:00+01:00"},
		{"2024-03-05T09:30:00.123Z", "2024-03-05T09:30:00Z"},
		{"2024-03-05 09:30:00 +0530", "2024-03-05T09:30:00+05:30"},
		{"2024-03-05T09:30", "2024-03-05T09:30:00"},
		{"Tue, 05 Mar 2024 09:30:00 GMT", "2024-03-05T09:30:00Z"},
		{"Tue, 05 Mar 2024 09:30:00 -0500", "2024-03-05T09:30:00-05:00"},
		{"05.03.2024", "2024-03-05"},
		{"March 5, 2024", "2024-03-05"},
		{"20240305", "2024-03-05"},
		{"1709631000", "2024-03-05T09:30:00Z"},
	}
	for _, tt := range tests {
		d, ok := parseDate(tt.in)
		if !ok || d.String() != tt.want {
			t.Errorf("parseDate(%q) = %q, %v; want %q", tt.in, d.String(), ok, tt.want)
		}
	}
	for _, bad := range []string{"", "2024-02-31", "not a date", "2024-13-01", "1234567"} {
		if d, ok := parseDate(bad); ok {
			t.Errorf("parseDate(%q) = %v, want failure", bad, d)
		}
	}
}

func TestURLDate(t *testing.T) {
	for u, want := range map[string]string{
		"https://ex.org/2024/03/05/story":    "2024-03-05",
		"https://ex.org/news/20240305-story": "2024-03-05",
		"https://ex.org/2024/3/5/story":      "2024-03-05",
	} {
		d, ok := urlDate(u)
		if !ok || d.String() != want {
			t.Errorf("urlDate(%q) = %v %v, want %s", u, d, ok, want)
		}
	}
	if _, ok := urlDate("https://ex.org/product/12345678"); ok {
		t.Error("a product number read as a date")
	}
}

func TestCharsets(t *testing.T) {
	latin1 := []byte("<html><head><title>K\xe4se</title></head><body><p>M\xfcnchen</p></body></html>")
	sjis := []byte("<html><head><meta charset=\"shift_jis\"><title>\x93\xfa\x96\x7b</title></head></html>")
	mixed := append([]byte("<html><head><meta charset=\"utf-8\"><title>Gr\xc3\xbc\xc3\x9fe K\xe4se</title></head><body></body></html>"), 0)
	mixed = mixed[:len(mixed)-1]
	bom := append([]byte{0xEF, 0xBB, 0xBF}, []byte("<html><head><title>Grüße</title></head></html>")...)
	latin2 := []byte("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-2\"><title>\xa3\xf3d\xbc</title></head></html>")
	gb := []byte("<html><head><meta charset=\"gb2312\"><title>\xd0\xc2\xce\xc5</title></head></html>")
	mixedNoMeta := []byte("<html><head><title>Gr\xc3\xbc\xc3\x9fe K\xe4se</title></head><body></body></html>")
	latin1Meta := []byte("<html><head><meta charset=\"iso-8859-1\"><title>K\xe4se</title></head></html>")
	cyr := []byte("<html><head><title>\xcf\xf0\xe8\xe2\xe5\xf2</title></head></html>")
	tests := []struct {
		name, ct string
		b        []byte
		want     string
	}{
		{"header", "text/html; charset=iso-8859-1", latin1, "Käse"},
		{"detected latin1", "", latin1, "Käse"},
		{"meta shift_jis", "", sjis, "日本"},
		{"bom", "text/html; charset=iso-8859-1", bom, "Grüße"},
		{"utf-8 declared as latin1", "text/html; charset=iso-8859-1", []byte("<title>Grüße</title>"), "Grüße"},
		{"mixed utf-8 and latin1", "", mixed, "Grüße Käse"},
		// A header that does not hold against the page (issue 14: the held-out
		// pages are read from WARC records whose header may be a server's or a
		// wrapping tool's default): the page's <meta> decides, as without a header.
		{"utf-8 header on a latin-2 page", "text/html; charset=UTF-8", latin2, "Łódź"},
		{"latin-1 header on a gb2312 page", "text/html; charset=ISO-8859-1", gb, "新闻"},
		{"latin-1 header on a mostly utf-8 page", "text/html; charset=ISO-8859-1", mixed, "Grüße Käse"},
		{"latin-1 header, mostly utf-8, no meta", "text/html; charset=iso-8859-1", mixedNoMeta, "Grüße Käse"},
		{"latin-1 header on a latin-1 page", "text/html; charset=iso-8859-1", latin1Meta, "Käse"},
		{"a deliberate header holds", "text/html; charset=windows-1251", cyr, "Привет"},
		// ISO-8859-15 is no server's default: named in the header, it is the
		// author's choice, and holds against a <meta> naming UTF-8 for bytes
		// that are not (the € at 0xA4 is ISO-8859-1's ¤).
		{"an iso-8859-15 header holds", "text/html; charset=ISO-8859-15", []byte("<html><head><meta charset=\"utf-8\"><title>Prix 10 \xa4</title></head></html>"), "Prix 10 €"},
		// A Latin-1 header gives way to the page's <meta>, but a <meta>
		// naming UTF-8 for bytes that are not is false: the header is the
		// transport's charset and decides, as in browsers (detection read
		// these as ISO-8859-2: "őr űr").
		{"latin-1 header over a false utf-8 meta", "text/html; charset=ISO-8859-1", []byte("<html><head><meta charset=\"utf-8\"><title>T\xf3th \xc1rp\xe1d \xe9s Sz\xe9p \xf5r \xfbr</title></head></html>"), "Tóth Árpád és Szép õr ûr"},
		{"windows-1252 header over a false utf-8 meta", "text/html; charset=windows-1252", []byte("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\"><title>\x93Caf\xe9\x94 \xf5 \xe9\xe9\xe9\xe9</title></head></html>"), "\u201cCafé\u201d õ éééé"},
		// Pages saved as UTF-8 that kept their legacy declaration (htmldate
		// set: an euc-kr and an ISO-8859-2 page).
		{"utf-8 declared euc-kr", "", []byte("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=euc-kr\"/><title>코로나19 극복</title></head></html>"), "코로나19 극복"},
		{"utf-8 declared iso-8859-2", "", []byte("<html><head><meta charset=\"ISO-8859-2\"><title>Paweł będzie</title></head></html>"), "Paweł będzie"},
	}
	for _, tt := range tests {
		doc, _, err := decodeHTML(tt.b, tt.ct)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := collectTags(doc, nil).title.Value; got != tt.want {
			t.Errorf("%s: title %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestIsHTML(t *testing.T) {
	yes := [][]byte{[]byte("<!DOCTYPE html><html>"), []byte("\n\n  <html><body>"), []byte("<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\"><head>"),
		[]byte("<!-- comment --><div>x</div><title>t</title>")}
	no := [][]byte{{0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0}, []byte("%PDF-1.4\n"), []byte("{\"json\": true}"), {}, bytes.Repeat([]byte{0, 1, 2, 3}, 100)}
	for _, b := range yes {
		if !IsHTML(b) {
			t.Errorf("IsHTML(%q) = false", b)
		}
	}
	for _, b := range no {
		if IsHTML(b) {
			t.Errorf("IsHTML(%q) = true", b)
		}
	}
}
