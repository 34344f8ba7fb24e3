package extract

import (
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"runtime/debug"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/warcbox/warcbox/internal/xpath"
	htmldate "github.com/warcbox/warcbox/third_party/go-htmldate"
	trafilatura "github.com/warcbox/warcbox/third_party/go-trafilatura"
	"golang.org/x/net/html"
)

// DefaultMaxBytes is the largest payload read; longer pages are cut there
// (and say so in Article.Error) so that one 50 MB page cannot stall a run.
const DefaultMaxBytes = 8 << 20

// Options configures an Extractor. The zero value is usable: see DefaultOptions.
type Options struct {
	// Logger receives debug messages; if nil, nothing is logged.
	Logger *slog.Logger
	// MaxBytes caps the payload size; if zero, DefaultMaxBytes.
	MaxBytes int
	// SkipBody leaves Body and WordCount empty (metadata only, much faster).
	SkipBody bool
	// Fallback lets go-trafilatura compare its result with go-readability and
	// go-domdistiller, and takes back the standfirst readability finds above
	// go-trafilatura's body (better recall, slower).
	Fallback bool
	// Focus tunes go-trafilatura: "" or "balanced", "precision" (less
	// boilerplate, may lose text) or "recall" (more text, more boilerplate).
	Focus string
	// FastDates runs go-htmldate without its extensive free-text search.
	FastDates bool
	// Precedence orders the source kinds per field; if nil, DefaultPrecedence().
	Precedence map[string][]string
	// RenderedCase spells the chosen authors and a headline title in the
	// letter case the page's own CSS shows them in (text-transform in its
	// <style> elements and style attributes; linked stylesheets are not
	// read). Off by default: the labelled sets copy that case on fewer
	// pages than they copy the HTML's (docs/extract-schema.md).
	RenderedCase bool
	// Explain fills Article.Explain: every candidate of every field, where
	// it was read and why it lost (slower: every date source runs, after
	// the fields are chosen, so that they are those of a run without it).
	Explain bool
}

// DefaultOptions returns the options warcbox extract uses.
func DefaultOptions() Options {
	return Options{MaxBytes: DefaultMaxBytes, Fallback: true, Precedence: DefaultPrecedence()}
}

// Source kinds, used in Candidate.Kind and in Options.Precedence.
const (
	KindJSONLD      = "json-ld"
	KindMicrodata   = "microdata"
	KindRDFa        = "rdfa"
	KindOpenGraph   = "opengraph"
	KindTwitter     = "twitter"
	KindDublinCore  = "dublin-core"
	KindMeta        = "meta"
	KindHTML        = "html" // <title>, <time>, <link rel>, <html lang>
	KindHeading     = "h1"   // the page's visible headline: confirmed by another source, marked by the template, or its only <h1>
	KindByline      = "byline"
	KindURL         = "url"
	KindHTMLDate    = "htmldate"
	KindTrafilatura = "trafilatura"
)

// DefaultPrecedence is the order in which source kinds are tried per field,
// chosen by measuring each kind's exact-match rate on the trafilatura and
// htmldate evaluation sets (see docs/extract-schema.md).
func DefaultPrecedence() map[string][]string {
	schema := []string{KindJSONLD, KindMicrodata, KindRDFa}
	join := func(parts ...[]string) []string {
		var out []string
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	return map[string][]string{
		"title":                  {KindHeading, KindMicrodata, KindDublinCore, KindOpenGraph, KindJSONLD, KindTwitter, KindMeta, KindTrafilatura, KindHTML, KindRDFa},
		"description":            join([]string{KindOpenGraph, KindMeta}, schema, []string{KindTwitter, KindDublinCore, KindTrafilatura}),
		"authors":                {KindJSONLD, KindMicrodata, KindRDFa, KindOpenGraph, KindHTML, KindMeta, KindByline, KindTrafilatura, KindDublinCore},
		"published":              {KindURL, KindHTMLDate, KindJSONLD, KindMicrodata, KindRDFa, KindOpenGraph, KindDublinCore, KindMeta, KindHTML},
		"modified":               join(schema, []string{KindOpenGraph, KindDublinCore, KindMeta, KindHTML}),
		"created":                join(schema, []string{KindDublinCore, KindMeta}),
		"keywords":               join([]string{KindMeta, KindOpenGraph}, schema, []string{KindDublinCore}),
		"section":                join([]string{KindOpenGraph}, schema, []string{KindMeta, KindDublinCore}),
		"language":               join([]string{KindHTML, KindMeta, KindDublinCore}, schema, []string{KindOpenGraph, KindTrafilatura}),
		"site_name":              join([]string{KindOpenGraph}, schema, []string{KindMeta, KindDublinCore, KindTrafilatura}),
		"canonical_url":          join([]string{KindHTML, KindOpenGraph}, schema, []string{KindMeta, KindTwitter}),
		"image":                  join([]string{KindOpenGraph}, schema, []string{KindTwitter, KindMeta, KindHTML}),
		"license":                join([]string{KindHTML}, schema, []string{KindDublinCore, KindMeta, KindTrafilatura}),
		"page_type":              join(schema, []string{KindOpenGraph, KindTrafilatura}),
		"is_accessible_for_free": schema,
	}
}

// Candidate is one value a source offers for a field, before precedence is applied.
type Candidate struct {
	Kind   string   // one of the Kind… constants
	Value  string   // the normalised value (dates in RFC 3339)
	Values []string // for list fields (authors, keywords)
	Source string   // XPath or JSON-LD path
	Image  Image    // for "image"

	org    bool // authors: every name is a schema.org Organization
	person bool // authors: every name is a schema.org Person
}

// Extractor extracts Articles; it is safe for concurrent use.
type Extractor struct {
	opts Options
	log  *slog.Logger
	// dates keeps go-dateparser's answers for the strings go-htmldate's
	// extensive search gives it, across pages: each costs ~10 ms (every
	// locale is tried) and sites repeat them (footers, captions).
	dates *htmldate.ParseCache
}

// dateParseCacheSize bounds the strings (at most 52 characters each) the
// Extractor's go-dateparser cache keeps.
const dateParseCacheSize = 4096

// New returns an Extractor; zero option fields take their documented defaults.
func New(opts Options) *Extractor {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.Precedence == nil {
		opts.Precedence = DefaultPrecedence()
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Extractor{opts: opts, log: log, dates: htmldate.NewParseCache(dateParseCacheSize)}
}

// WithoutBody returns a copy of the Extractor that skips the body text.
func (e *Extractor) WithoutBody() *Extractor {
	c := *e
	c.opts.SkipBody = true
	return &c
}

// Extract reads one page. It always returns an Article; when the page could
// not be read fully the Article's Error says why and err is non-nil. It never
// panics: a panic inside a third-party extractor becomes an error.
func (e *Extractor) Extract(p Page) (a Article, err error) {
	a.URL = p.URL
	a.ContentType = p.ContentType
	defer func() {
		if r := recover(); r != nil {
			e.log.Debug("extract: recovered panic", "url", p.URL, "panic", r, "stack", string(debug.Stack()))
			err = fmt.Errorf("extract: internal error: %v", r)
			a.Error = err.Error()
		}
		a.normalize()
	}()
	st, err := e.prepare(p)
	if err != nil {
		a.Error = err.Error()
		return a, err
	}
	e.fill(&a, st, false)
	if st.truncated {
		err = fmt.Errorf("extract: page truncated to %d of %d bytes", e.opts.MaxBytes, len(p.HTML))
		a.Error = err.Error()
	}
	return a, err
}

// Candidates returns, per field, every value each source offers, in the
// order found, without applying precedence (go-htmldate and go-trafilatura
// are always run). It serves audits and the precedence measurements.
func (e *Extractor) Candidates(p Page) (map[string][]Candidate, error) {
	st, err := e.prepare(p)
	if err != nil {
		return nil, err
	}
	var a Article
	e.fill(&a, st, true)
	return st.cands, nil
}

// state is one page during extraction.
type state struct {
	page      Page
	doc       *html.Node
	base      *url.URL
	tags      *pageTags
	items     []*item // every structured item, nested included, in document order
	article   *item   // the item describing the page, if any
	cands     map[string][]Candidate
	truncated bool
	traf      *trafilatura.ExtractResult
	trafDone  bool
	datesDone bool              // go-htmldate has run
	notes     map[string]string // why a candidate lost, by noteKey; for --explain
	chosen    map[string]string // field → noteKey of the candidate its value came from

	firstAuthors Candidate
	headings     []tag                 // the <h1>s that may be the headline (not banners, sections or list labels)
	headingAt    map[string]*html.Node // each heading title candidate's element, by its Source path
	headline     *html.Node            // the chosen title's element, when a heading gave it
	texts        []bylineText          // the page's visible texts for the author readers (visibleTexts)
	cases        *pageCase             // the page's own text-transform rules (casesOf), read once when asked
	casesRead    bool
	textsDone    bool
	body         []bodyNote
	leadHow      string
}

// bodyNote is one body extractor's result, for --explain.
type bodyNote struct {
	name   string
	runes  int
	chosen bool
	why    string
}

func noteKey(field string, c Candidate) string {
	return field + "\x00" + c.Kind + "\x00" + c.Source + "\x00" + c.Value + "\x00" + strings.Join(c.Values, "\x00")
}

// note records why candidate c of field lost (the first reason stays).
func (st *state) note(field string, c Candidate, why string) {
	if st.notes == nil {
		st.notes = map[string]string{}
	}
	k := noteKey(field, c)
	if _, ok := st.notes[k]; !ok {
		st.notes[k] = why
	}
}

func (e *Extractor) prepare(p Page) (*state, error) {
	b := p.HTML
	if !IsHTML(b) {
		return nil, fmt.Errorf("%w: sniffed as %s", ErrNotHTML, sniffType(b))
	}
	st := &state{page: p, cands: map[string][]Candidate{}, chosen: map[string]string{}}
	if len(b) > e.opts.MaxBytes {
		b = b[:e.opts.MaxBytes]
		st.truncated = true
	}
	doc, _, err := decodeHTML(b, p.ContentType)
	if err != nil {
		return nil, fmt.Errorf("extract: %w", err)
	}
	noscriptAsText(doc)
	st.doc = doc
	if u, err := url.Parse(p.URL); err == nil && u.IsAbs() {
		st.base = u
	}
	if b := baseHref(doc); b != "" {
		// <base href> changes what relative links mean.
		if u, err := url.Parse(b); err == nil {
			if st.base != nil {
				u = st.base.ResolveReference(u)
			}
			if u.IsAbs() {
				st.base = u
			}
		}
	}
	st.tags = collectTags(doc, st.base)
	var roots []*item
	for _, s := range jsonLDScripts(doc) {
		vals, err := parseJSONLoose(scriptText(s))
		if err != nil {
			e.log.Debug("extract: invalid JSON-LD kept partially", "url", p.URL, "path", xpath.Of(s), "err", err)
		}
		roots = append(roots, jsonLDItems(vals)...)
	}
	roots = append(roots, microdataItems(doc, st.base)...)
	roots = append(roots, rdfaItems(doc, st.base)...)
	st.items = allItems(roots)
	st.article = pageItem(st.items)
	return st, nil
}

func sniffType(b []byte) string {
	if len(b) == 0 {
		return "empty"
	}
	if looksBinary(b[:min(len(b), 4096)]) {
		return "binary data"
	}
	return strings.SplitN(httpDetect(b), ";", 2)[0]
}

// pick applies precedence: the first candidate of the first kind that has one.
func (e *Extractor) pick(field string, cands []Candidate) (Candidate, bool) {
	for _, k := range e.opts.Precedence[field] {
		for _, c := range cands {
			if c.Kind == k && (c.Value != "" || len(c.Values) > 0) {
				return c, true
			}
		}
	}
	return Candidate{}, false
}

// fill gathers candidates for every field and applies precedence. With all
// set, the costly sources run even when a better source already answered.
func (e *Extractor) fill(a *Article, st *state, all bool) {
	src := map[string]string{}
	set := func(field string, c Candidate) string {
		src[field] = c.Source
		st.chosen[field] = noteKey(field, c)
		return c.Value
	}
	e.structured(st)
	e.metaCandidates(st)

	if !e.opts.SkipBody || all {
		e.body(a, st, src)
	}
	if st.traf != nil {
		m := st.traf.Metadata
		add := func(field, v string) {
			st.add(field, Candidate{Kind: KindTrafilatura, Value: collapseSpace(v), Source: "trafilatura metadata"})
		}
		add("title", m.Title)
		add("description", m.Description)
		add("site_name", m.Sitename)
		add("license", m.License)
		// go-trafilatura's language classifier costs a tenth of a page:
		// it runs only when its answer can count (LazyLanguage).
		if all || e.opts.Explain || !e.answeredBefore(st, "language", KindTrafilatura) {
			add("language", st.traf.Language())
		}
		if m.PageType != "" {
			add("page_type", pageTypeOf(m.PageType))
		}
		if m.Author != "" {
			if names := inDocumentOrder(st.doc, splitAuthors(plainText(m.Author))); len(names) > 0 {
				st.cands["authors"] = append(st.cands["authors"], Candidate{Kind: KindTrafilatura, Values: names, Source: "trafilatura metadata"})
			}
		}
	}

	e.copyrightCandidate(st) // bylines_copyright.go: last resort, after every other author source
	siteNames := e.siteNames(st)
	cleanTitles(st, siteNames)

	if c, ok := e.chooseTitle(st); ok {
		a.Title = set("title", c)
	}
	if c, ok := e.pick("description", st.cands["description"]); ok {
		a.Description = set("description", c)
	}
	if c, ok := e.pickAuthors(st, siteNames); ok {
		a.Authors = c.Values
		src["authors"] = c.Source
	}
	if all || !e.answeredBefore(st, "published", KindHTMLDate) {
		e.htmldate(st)
	}
	for _, f := range []string{"published", "modified", "created"} {
		c, ok := e.pick(f, st.cands[f])
		if !ok {
			continue
		}
		if f == "published" {
			c = e.choosePublished(st, c)
		}
		switch f {
		case "published":
			a.Published = set(f, c)
		case "modified":
			a.Modified = set(f, c)
		case "created":
			a.Created = set(f, c)
		}
	}
	if c, ok := e.pick("keywords", st.cands["keywords"]); ok {
		a.Keywords = c.Values
		src["keywords"] = c.Source
		st.chosen["keywords"] = noteKey("keywords", c)
	}
	if c, ok := e.pick("section", st.cands["section"]); ok {
		a.Section = set("section", c)
	}
	if c, ok := e.pick("language", st.cands["language"]); ok {
		a.Language = set("language", c)
	}
	if c, ok := e.pick("site_name", st.cands["site_name"]); ok {
		a.SiteName = set("site_name", c)
	}
	if c, ok := e.pick("canonical_url", st.cands["canonical_url"]); ok {
		a.CanonicalURL = set("canonical_url", c)
	}
	if c, ok := e.pick("license", st.cands["license"]); ok {
		a.License = set("license", c)
	}
	if c, ok := e.pick("image", st.cands["image"]); ok {
		a.Image = c.Image
		src["image"] = c.Source
		st.chosen["image"] = noteKey("image", c)
	}
	seen := map[string]bool{}
	for _, c := range st.cands["image"] {
		if c.Image.URL != "" && !seen[c.Image.URL] {
			seen[c.Image.URL] = true
			a.Images = append(a.Images, c.Image)
		}
	}
	if len(a.Images) > 0 {
		src["images"] = "all image sources: og:image, twitter:image, json-ld image, link[rel=image_src]"
	}
	if c, ok := e.pick("is_accessible_for_free", st.cands["is_accessible_for_free"]); ok {
		b := c.Value == "true"
		a.IsAccessibleForFree = &b
		src["is_accessible_for_free"] = c.Source
		st.chosen["is_accessible_for_free"] = noteKey("is_accessible_for_free", c)
	}
	a.PageType = "other"
	if c, ok := e.pick("page_type", st.cands["page_type"]); ok {
		a.PageType = set("page_type", c)
	}
	e.publisher(a, st, src)
	if len(src) > 0 {
		a.Sources = src
	}
	if e.opts.Explain && !all {
		a.Explain = e.explain(a, st)
	}
}

// answeredBefore reports whether a field has a candidate from a kind ranked
// before the given one, so that the costly kind need not run.
func (e *Extractor) answeredBefore(st *state, field, kind string) bool {
	for _, k := range e.opts.Precedence[field] {
		if k == kind {
			return false
		}
		for _, c := range st.cands[field] {
			if c.Kind == k && (c.Value != "" || len(c.Values) > 0) {
				return true
			}
		}
	}
	return false
}

func pageTypeOf(t string) string {
	switch strings.ToLower(strings.TrimSpace(t)) {
	case "article", "newsarticle", "blogposting", "blog", "post", "news", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle", "scholarlyarticle", "techarticle", "liveblogposting":
		return "article"
	}
	return "other"
}

// body runs go-trafilatura on the shared tree, and the fallback extractors
// when its result is doubtful (see body.go).
func (e *Extractor) body(a *Article, st *state, src map[string]string) {
	if st.trafDone {
		return
	}
	st.trafDone = true
	opts := trafilatura.Options{
		OriginalURL:     st.base,
		ExcludeComments: true,
		HtmlDateMode:    trafilatura.Disabled,
		LazyLanguage:    true,
		// Categories and tags are not in warcbox's output.
		NoDomCategoriesTags: true,
	}
	switch e.opts.Focus {
	case "precision":
		opts.Focus = trafilatura.FavorPrecision
	case "recall":
		opts.Focus = trafilatura.FavorRecall
	}
	res, err := trafilatura.ExtractDocument(st.doc, opts)
	if err != nil {
		e.log.Debug("extract: no body from go-trafilatura", "url", st.page.URL, "err", err)
	}
	var chosen bodyCandidate
	if res != nil {
		st.traf = res
		chosen = newBodyCandidate("go-trafilatura", res.ContentNode)
		if len(chosen.paras) == 0 && res.ContentText != "" {
			chosen.paras = strings.Split(paragraphs(res.ContentText), "\n\n")
			chosen.runes = utf8.RuneCountInString(res.ContentText)
		}
	}
	st.body = append(st.body, bodyNote{name: "go-trafilatura", runes: chosen.runes})
	ev := st.evidence()
	if e.opts.Fallback {
		why := ev.doubtful(chosen)
		if why == "" {
			st.body[0].why = "not doubtful (long enough, not link texts, near JSON-LD articleBody's length): fallbacks not run"
		} else {
			st.body[0].why = "doubtful: " + why
			base := chosen
			for _, c := range fallbacks(st.doc, st.base) {
				ok, whyNot := ev.replaces(base, c)
				if ok && c.runes > chosen.runes {
					st.body = append(st.body, bodyNote{name: c.name, runes: c.runes})
					chosen = c
					continue
				}
				if ok {
					whyNot = "shorter than " + chosen.name + "'s"
				}
				st.body = append(st.body, bodyNote{name: c.name, runes: c.runes, why: whyNot})
			}
		}
	}
	for i := range st.body {
		st.body[i].chosen = st.body[i].name == chosen.name
	}
	paras := chosen.paras
	how := chosen.name + " main content"
	if blocks := pageBlocks(st.doc); len(blocks) > 0 {
		if end, art := articleEnd(paras, mapParas(paras, blocks), blocks); end < len(paras) {
			how += fmt.Sprintf("; %d paragraphs after the article element %s left out", len(paras)-end, xpath.Of(art))
			paras = paras[:end]
		}
	}
	paras, n := ev.dropTrailingLinks(ev.dropTeasers(dropHeadline(paras, st)))
	if n > 0 {
		how += fmt.Sprintf("; lines at the end that are a link's whole text left out: %d", n)
	}
	if lead := e.lead(st, paras); len(lead) > 0 {
		paras = append(lead, paras...)
		how += "; " + st.leadHow
	}
	a.Body = dropBoilerplate(strings.Join(paras, "\n\n"))
	if a.Body != "" {
		src["body"] = how
	}
	a.WordCount = countWords(a.Body)
}

// paragraphs separates go-trafilatura's text blocks by blank lines.
func paragraphs(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n\n")
}

// countWords counts space-separated words, and each Han, Hiragana, Katakana
// or Hangul character as a word, as scripts without spaces need.
func countWords(s string) int {
	n, in := 0, false
	for _, r := range s {
		if r < utf8.RuneSelf {
			// ASCII, most of most bodies: the tables below are slow for it.
			switch {
			case 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9':
				if !in {
					n++
				}
				in = true
			case r == ' ' || '\t' <= r && r <= '\r':
				in = false
			}
			continue
		}
		switch {
		case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul):
			n++
			in = false
		case unicode.IsSpace(r):
			in = false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if !in {
				n++
			}
			in = true
		}
	}
	return n
}

// htmldate adds go-htmldate's publication date, bounded by the capture date.
func (e *Extractor) htmldate(st *state) {
	if st.datesDone {
		return
	}
	st.datesDone = true
	max := st.page.CaptureDate
	if max.IsZero() {
		max = time.Now()
	}
	opts := htmldate.Options{
		ExtractTime:         true,
		UseOriginalDate:     true,
		URL:                 st.page.URL,
		MaxDate:             max,
		SkipExtensiveSearch: e.opts.FastDates,
		DeferUrlExtractor:   true,
		ParseCache:          e.dates,
	}
	res, err := htmldate.FromDocument(st.doc, opts)
	if err != nil || res.DateTime.IsZero() {
		return
	}
	d := htmldateDay(pageDate{T: res.DateTime, HasTime: res.HasTime, HasZone: res.HasTimezone}, res.SrcString)
	if !plausible(d, st.page.CaptureDate) {
		return
	}
	how := "go-htmldate"
	if res.SrcString != "" {
		how += " " + truncateRunes(res.SrcString, 80)
	}
	st.cands["published"] = append(st.cands["published"], Candidate{Kind: KindHTMLDate, Value: d.String(), Source: how})
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
