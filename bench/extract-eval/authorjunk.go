package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
	"golang.org/x/sync/errgroup"

	"github.com/warcbox/warcbox/bench/evalset"
	"github.com/warcbox/warcbox/extract"
	"github.com/warcbox/warcbox/internal/xpath"
)

// The author-junk audit (-author-junk) runs warcbox over every page of the
// trafilatura, htmldate and extruct sets, labelled or not, and lists each
// output author that fails a check of its shape or of where the page writes
// it: most junk shows on pages nobody labelled, which the scores never see.
// The checks are the defect classes of issue 14 (credits from captions, job
// titles alone, months, bylines' trailing words, the site's name glued on)
// and where the text sits (a figure, a cookie dialog, the menus, a heading,
// a link into the site's tag or shop pages). It flags; a person reads.

// junkPage is one page the audit reads.
type junkPage struct {
	set, file, url, label string
}

// junkFinding is one page whose authors fail a check.
type junkFinding struct {
	page    junkPage
	half    string
	authors []string
	source  string
	reasons []string // "reason: name"
}

// runAuthorJunk audits every page under data and prints the findings, then
// counts per half and per reason. It returns the number of pages flagged.
func runAuthorJunk(ctx context.Context, ex *extract.Extractor, data string, cfg config, w io.Writer, allPath string) (int, error) {
	pages, err := junkPages(data)
	if err != nil {
		return 0, err
	}
	findings := make([]*junkFinding, len(pages))
	all := make([]string, len(pages))
	halves := make([]string, len(pages))
	withAuthors := make([]bool, len(pages))
	for i, p := range pages {
		halves[i] = "extruct"
		if p.set != "extruct" {
			_, halves[i] = cfg.split.half(p.url)
		}
	}
	var done atomic.Int64
	g, _ := errgroup.WithContext(ctx)
	g.SetLimit(cfg.workers)
	for i, p := range pages {
		if cfg.only != "" && halves[i] != cfg.only {
			continue
		}
		g.Go(func() error {
			b, err := readJunkPage(data, p)
			if err != nil {
				fmt.Fprintf(os.Stderr, "author-junk: %s %s: %v\n", p.set, p.file, err)
				return nil
			}
			a, _ := ex.Extract(extract.Page{HTML: b, URL: p.url})
			if len(a.Authors) > 0 {
				all[i] = fmt.Sprintf("%s\t%s/%s\t%s\t%s\n", halves[i], p.set, p.file, strings.Join(a.Authors, "; "), a.Sources["authors"])
				withAuthors[i] = true
				if rs := junkReasons(a.Authors, a.Sources["authors"], b, a.SiteName); len(rs) > 0 {
					findings[i] = &junkFinding{page: p, half: halves[i], authors: a.Authors, source: a.Sources["authors"], reasons: rs}
				}
			}
			if n := done.Add(1); n%200 == 0 {
				fmt.Fprintf(os.Stderr, "\rauthor-junk: %d/%d", n, len(pages))
			}
			return nil
		})
	}
	_ = g.Wait()
	fmt.Fprintln(os.Stderr)
	if allPath != "" {
		if err := os.WriteFile(allPath, []byte(strings.Join(all, "")), 0o644); err != nil {
			return 0, fmt.Errorf("author-junk: %w", err)
		}
	}
	perHalf, authored, perReason := map[string]int{}, map[string]int{}, map[string]int{}
	flagged := 0
	for i, f := range findings {
		if withAuthors[i] {
			authored[halves[i]]++
		}
		if f == nil {
			continue
		}
		flagged++
		perHalf[f.half]++
		seen := map[string]bool{}
		for _, r := range f.reasons {
			k, _, _ := strings.Cut(r, ":")
			if !seen[k] {
				perReason[k]++
				seen[k] = true
			}
		}
		lbl := ""
		if f.page.label != "" {
			lbl = fmt.Sprintf("  label=%q", f.page.label)
		}
		fmt.Fprintf(w, "%-10s %s/%s %q  src=%s%s\n    %s\n", f.half, f.page.set, f.page.file, strings.Join(f.authors, "; "), f.source, lbl, strings.Join(f.reasons, "; "))
	}
	fmt.Fprintf(w, "\nauthor junk: %d pages flagged", flagged)
	for _, h := range []string{tuning, validation, "extruct"} {
		fmt.Fprintf(w, " · %s %d of %d with authors", h, perHalf[h], authored[h])
	}
	fmt.Fprintln(w)
	for _, k := range slices.Sorted(maps.Keys(perReason)) {
		fmt.Fprintf(w, "  %-14s %d\n", k, perReason[k])
	}
	return flagged, nil
}

// junkPages lists every page of the three sets, in a fixed order.
func junkPages(data string) ([]junkPage, error) {
	var pages []junkPage
	raw, err := os.ReadFile(filepath.Join(data, "trafilatura", "tests", "evaldata.json"))
	if err != nil {
		return nil, fmt.Errorf("author-junk: %w", err)
	}
	var m map[string]trafDoc
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("author-junk: trafilatura set: %w", err)
	}
	for _, u := range slices.Sorted(maps.Keys(m)) {
		pages = append(pages, junkPage{set: "trafilatura", file: m[u].File, url: u, label: string(m[u].Author)})
	}
	hd, err := htmldatePages(filepath.Join(data, "htmldate"))
	if err != nil {
		return nil, fmt.Errorf("author-junk: %w", err)
	}
	have := map[string]bool{}
	for _, p := range pages {
		have[p.file] = true
	}
	for _, p := range hd {
		// Many pages are in both sets under one file name: read once.
		if !have[p.File] {
			pages = append(pages, junkPage{set: "htmldate", file: p.File, url: strings.TrimPrefix(p.URL, "x")})
		}
	}
	samples := filepath.Join(data, "extruct", "tests", "samples")
	err = filepath.WalkDir(samples, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".html") {
			rel, _ := filepath.Rel(samples, path)
			pages = append(pages, junkPage{set: "extruct", file: rel})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("author-junk: extruct set: %w", err)
	}
	return pages, nil
}

func readJunkPage(data string, p junkPage) ([]byte, error) {
	if p.set == "extruct" {
		return os.ReadFile(filepath.Join(data, "extruct", "tests", "samples", p.file))
	}
	return evalset.ReadPage(filepath.Join(data, p.set), p.file)
}

// Word classes no person's name holds as bylines write it (the audit's
// own lists, apart from the extractor's so that they check it).
var (
	junkMonths = strings.Fields(`january february march april june july august september october november december
		januar februar märz juni juli oktober dezember janvier février mars avril juin juillet août septembre
		octobre novembre décembre enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre`)
	junkDays = strings.Fields(`monday tuesday wednesday thursday friday saturday sunday montag dienstag mittwoch
		donnerstag freitag samstag sonntag lundi mardi mercredi jeudi vendredi samedi dimanche lunes martes miércoles jueves viernes`)
	junkTail = strings.Fields(`published posted updated veröffentlicht aktualisiert erschienen publié publicado am on at um`)
	junkJobs = strings.Fields(`editor editors redakteur redakteurin redaktion reporter correspondent korrespondent
		journalist journalistin staff writer writers contributor columnist autor author autorin herausgeber
		photographer fotograf fotografin chefredakteur chefredakteurin mitarbeiter volontär admin administrator`)
	junkPhoto = strings.Fields(`foto fotos photo photos bild bilder image images credit credits getty imago istock
		shutterstock picture-alliance dpa-bildfunk fotolia adobestock unsplash pixabay`)
	junkTagPathRe = regexp.MustCompile(`(?i)/(?:tags?|category|categories|kategorie|topics?|themen?|schlagw[oö]rter?|stichw[oö]rter?|shop|store|products?|produkte?|rubrik|label|search|suche)(?:/|\?|$)`)
	junkBoxRe     = regexp.MustCompile(`(?i)cookie|consent|gdpr|dsgvo|cmplz`)
	junkCaptionRe = regexp.MustCompile(`(?i)caption|credit|copyright|bildunterschrift|bildnachweis`)
	junkNavRe     = regexp.MustCompile(`(?i)(?:^|[\s_-])(?:nav|navbar|navigation|menu|breadcrumbs?)(?:$|[\s_-])`)
)

// junkReasons checks a page's authors. source is where warcbox read them;
// page is the page's bytes.
func junkReasons(authors []string, source string, page []byte, siteName string) []string {
	var out []string
	add := func(r, n string) { out = append(out, r+": "+n) }
	doc := parseJunkPage(page)
	title := pageTitle(doc)
	sites := siteNamesOf(title, siteName)
	lower := lowerWords(doc)
	navTexts := navLinkTexts(doc)
	var at *html.Node
	if strings.HasPrefix(source, "/html") {
		at = xpath.NodeAt(doc, source)
	}
	for _, n := range authors {
		words := strings.Fields(n)
		keys := make([]string, len(words))
		for i, w := range words {
			keys[i] = strings.ToLower(strings.Trim(w, ".,:;()[]|·–—-"))
		}
		has := func(list []string) bool {
			return slices.ContainsFunc(keys, func(k string) bool { return slices.Contains(list, k) })
		}
		all := func(list []string) bool {
			return !slices.ContainsFunc(keys, func(k string) bool { return !slices.Contains(list, k) })
		}
		switch {
		case strings.ContainsAny(n, "0123456789"):
			add("digits", n)
		case len(words) > 5:
			add("long", n)
		}
		if has(junkMonths) || has(junkDays) {
			add("month-day", n)
		}
		if all(junkJobs) {
			add("job-alone", n)
		} else if len(words) > 1 && has(junkTail) {
			add("tail-word", n)
		}
		if has(junkPhoto) || strings.Contains(n, "©") {
			add("photo-word", n)
		}
		for _, s := range sites {
			ns, ss := strings.ToLower(n), strings.ToLower(s)
			if ns != ss && utf8.RuneCountInString(ss) >= 4 && (strings.HasSuffix(ns, " "+ss) || strings.HasPrefix(ns, ss+" ")) {
				add("site-glued", n)
				break
			}
		}
		if upperWords(words) && slices.ContainsFunc(keys, func(k string) bool { return utf8.RuneCountInString(k) >= 3 && lower[k] }) {
			add("caps-common", n)
		}
		if at == nil && source != "trafilatura metadata" {
			continue // a structured source: the page need not write it where it is read
		}
		if navTexts[strings.ToLower(n)] {
			add("nav-link", n)
		}
		// Where the page writes the name: at the source warcbox names, or
		// else every visible text that holds it.
		var places []*html.Node
		if at != nil && strings.Contains(strings.ToLower(textOfNode(at)), strings.ToLower(n)) {
			places = []*html.Node{at}
		} else {
			places = textsHolding(doc, n)
		}
		if len(places) == 0 {
			continue
		}
		for _, c := range []string{"caption", "consent", "nav", "heading", "tag-link"} {
			if !slices.ContainsFunc(places, func(p *html.Node) bool { return !inContext(p, c) }) {
				add(c, n)
			}
		}
	}
	return out
}

func parseJunkPage(b []byte) *html.Node {
	enc, _, _ := charset.DetermineEncoding(b[:min(len(b), 1024)], "")
	doc, err := html.Parse(enc.NewDecoder().Reader(bytes.NewReader(b)))
	if err != nil {
		return &html.Node{Type: html.DocumentNode}
	}
	return doc
}

// siteNamesOf is the site's name and the parts of the <title> that are not
// the headline (after " | ", " - ", " – ").
func siteNamesOf(title, siteName string) []string {
	var out []string
	if siteName != "" {
		out = append(out, siteName)
	}
	for _, sep := range []string{" | ", " - ", " – ", " — ", " :: ", " · "} {
		if parts := strings.Split(title, sep); len(parts) > 1 {
			out = append(out, strings.TrimSpace(parts[len(parts)-1]), strings.TrimSpace(parts[0]))
		}
	}
	return out
}

func pageTitle(doc *html.Node) string {
	var t string
	walkJunk(doc, func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.DataAtom == atom.Title {
			t = strings.Join(strings.Fields(textOfNode(n)), " ")
			return false
		}
		return t == ""
	})
	return t
}

// walkJunk visits nodes in document order; f returns false to skip a
// node's children.
func walkJunk(n *html.Node, f func(*html.Node) bool) {
	if !f(n) {
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walkJunk(c, f)
	}
}

func unrenderedJunk(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Head:
		return true
	}
	return false
}

// lowerWords are the words the page's visible text writes in lower case.
func lowerWords(doc *html.Node) map[string]bool {
	m := map[string]bool{}
	walkJunk(doc, func(n *html.Node) bool {
		if n.Type == html.TextNode {
			for _, w := range strings.FieldsFunc(n.Data, func(r rune) bool { return !unicode.IsLetter(r) }) {
				if r, _ := utf8.DecodeRuneInString(w); unicode.IsLower(r) && strings.ToLower(w) == w {
					m[w] = true
				}
			}
		}
		return !unrenderedJunk(n)
	})
	return m
}

// upperWords reports a name written in capitals only (two letters a word
// at least, every word).
func upperWords(words []string) bool {
	for _, w := range words {
		letters := 0
		for _, r := range w {
			if unicode.IsLower(r) {
				return false
			}
			if unicode.IsLetter(r) {
				letters++
			}
		}
		if letters < 2 {
			return false
		}
	}
	return len(words) > 0
}

// navLinkTexts are the texts of links in the page's menus and footer.
func navLinkTexts(doc *html.Node) map[string]bool {
	m := map[string]bool{}
	walkJunk(doc, func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.DataAtom == atom.A && inContext(n, "nav") {
			m[strings.ToLower(strings.Join(strings.Fields(textOfNode(n)), " "))] = true
		}
		return !unrenderedJunk(n)
	})
	return m
}

// textsHolding lists the elements of the visible text nodes that hold the
// name (any case).
func textsHolding(doc *html.Node, name string) []*html.Node {
	var out []*html.Node
	ln := strings.ToLower(name)
	walkJunk(doc, func(n *html.Node) bool {
		if n.Type == html.TextNode && n.Parent != nil && strings.Contains(strings.ToLower(strings.Join(strings.Fields(n.Data), " ")), ln) {
			out = append(out, n.Parent)
		}
		return !unrenderedJunk(n)
	})
	return out
}

func textOfNode(n *html.Node) string {
	var sb strings.Builder
	walkJunk(n, func(c *html.Node) bool {
		if c.Type == html.TextNode {
			sb.WriteString(c.Data)
			sb.WriteByte(' ')
		}
		return !unrenderedJunk(c) || c == n
	})
	return sb.String()
}

func attrOf(n *html.Node, k string) string {
	for _, a := range n.Attr {
		if a.Key == k {
			return a.Val
		}
	}
	return ""
}

// inContext reports an element inside (or being) one of the places the
// audit names: "caption" (a figure or a caption/credit box), "consent" (a
// cookie or consent dialog: role=dialog, aria-modal, a fixed box, a class
// naming it), "nav" (menus, header, footer), "heading" (h1–h6), "tag-link"
// (a link into the site's tag, category or shop pages).
func inContext(n *html.Node, c string) bool {
	for p := n; p != nil; p = p.Parent {
		if p.Type != html.ElementNode {
			continue
		}
		if p.DataAtom == atom.Body || p.DataAtom == atom.Html {
			break // their classes describe the whole page ("cookies-not-set", "menu-open")
		}
		cls := attrOf(p, "class") + " " + attrOf(p, "id")
		switch c {
		case "caption":
			if p.DataAtom == atom.Figure || p.DataAtom == atom.Figcaption || junkCaptionRe.MatchString(cls) {
				return true
			}
		case "consent":
			role := attrOf(p, "role")
			if role == "dialog" || role == "alertdialog" || attrOf(p, "aria-modal") == "true" || junkBoxRe.MatchString(cls) ||
				strings.Contains(strings.ReplaceAll(strings.ToLower(attrOf(p, "style")), " ", ""), "position:fixed") {
				return true
			}
		case "nav":
			role := attrOf(p, "role")
			// A page's footer, not an article's (whose footer may hold
			// its author box).
			pageFooter := p.DataAtom == atom.Footer && !insideJunk(p, atom.Article, atom.Main)
			if p.DataAtom == atom.Nav || pageFooter || role == "navigation" || role == "contentinfo" || junkNavRe.MatchString(cls) {
				return true
			}
		case "heading":
			switch p.DataAtom {
			case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
				return true
			}
		case "tag-link":
			if p.DataAtom == atom.A {
				u, err := url.Parse(strings.TrimSpace(attrOf(p, "href")))
				return err == nil && junkTagPathRe.MatchString(u.Path+"?")
			}
		}
	}
	return false
}

// insideJunk reports an element inside one of the given elements.
func insideJunk(n *html.Node, as ...atom.Atom) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && slices.Contains(as, p.DataAtom) {
			return true
		}
	}
	return false
}
