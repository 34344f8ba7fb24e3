// Command extract-eval scores warcbox's extractor against the trafilatura and
// htmldate evaluation sets in ../shared/extract-eval, beside go-trafilatura
// on the same pages, separately for the tuning and validation halves of the
// sites (split.txt), and prints the figures recorded in BENCHMARKS.md:
//
//	go run ./bench/extract-eval [-data DIR] [-set trafilatura|htmldate|all] [-sources]
//	go run ./bench/extract-eval -set trafilatura -list author   # tuning-half mismatches, explained
//	go run ./bench/extract-eval -warc        # warcbox as the held-out sets run it: WARC records, extract --format jsonl
//	go run ./bench/extract-eval -warc-diff   # every field where that path differs from Extract on the bytes
//
// Scoring follows each set's PROVENANCE.md: trafilatura's body segments
// (tests/eval_common.py) and exact metadata matches (tests/eval_authors.py,
// authors joined with "; ", whitespace normalised on both sides);
// htmldate's tp/fp/fn/tn day comparison (tests/evaluation.py).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/sync/errgroup"

	"github.com/warcbox/warcbox/bench/evalset"
	"github.com/warcbox/warcbox/extract"
)

// config is what one run was asked for.
type config struct {
	workers int
	limit   int
	sources bool
	misses  string
	peers   []peer
	split   *splitter
	only    string // score only this half ("" for both)
	list    string // metadata label whose tuning-half mismatches are printed, explained
	fired   string // print tuning-half pages whose body provenance mentions this
	// warc scores warcbox through the user's path (pages as WARC response
	// records, `warcbox extract --format jsonl`); serve, if set, is the one
	// serving every page gets instead of all of them in turn.
	warc  bool
	serve *serving
}

// pathNote says which path warcbox's figures come from.
func (c config) pathNote() string {
	switch {
	case !c.warc:
		return "; warcbox: Extract on the page's bytes"
	case c.serve != nil:
		return "; warcbox: WARC records served " + c.serve.name + ", extract --format jsonl"
	}
	return "; warcbox: WARC records served each way in turn, extract --format jsonl"
}

// servingOf is how page i is served in -warc mode.
func (c config) servingOf(i int) serving {
	if c.serve != nil {
		return *c.serve
	}
	return servings[i%len(servings)]
}

// peer is a go-trafilatura configuration scored beside warcbox.
type peer struct {
	name     string
	fallback bool
}

func main() {
	data := flag.String("data", evalset.DefaultDir(), "extract-eval directory")
	set := flag.String("set", "all", "trafilatura, htmldate or all")
	workers := flag.Int("workers", runtime.NumCPU(), "parallel pages")
	sources := flag.Bool("sources", false, "also measure every source kind per field (slower: runs all sources)")
	limit := flag.Int("limit", 0, "score only the first N pages of each set (0: all)")
	misses := flag.String("misses", "", "write metadata mismatches (JSON lines) to this file")
	noFallback := flag.Bool("no-fallback", false, "disable warcbox's readability/dom-distiller fallback")
	focus := flag.String("focus", "", "go-trafilatura focus: balanced, precision or recall")
	renderedCase := flag.Bool("rendered-case", false, "score warcbox with extract.Options.RenderedCase: authors and headline titles in the letter case the page's own CSS shows")
	noPeer := flag.Bool("no-peer", false, "do not run go-trafilatura beside warcbox (faster, for quick checks only)")
	peerFallback := flag.Bool("peer-fallback", false, "also score go-trafilatura with its fallback extractors on")
	only := flag.String("half", "", "score only the tuning or the validation half (quick checks; the figures to keep a change by need both)")
	splitOut := flag.String("write-split", "", "write the site split of both sets to this file and exit")
	viaWARC := flag.Bool("warc", false, "score warcbox as a user runs it: every page wrapped as a WARC/1.1 response record (HTTP head, charset in the header or not, gzip, chunked), read back through `warcbox extract --format jsonl`'s path")
	fired := flag.String("fired", "", "print the tuning half's pages whose body provenance (sources.body) contains this text, with their segments: where a body rule fired, right or wrong")
	warcDiff := flag.Bool("warc-diff", false, "serve every page each -warc way and print the fields where `warcbox extract --format jsonl` differs from Extract on the page's bytes; exit 1 if any does")
	serve := flag.String("serve", "", "with -warc, serve every page one way instead of each way in turn: own-charset, no-charset+gzip, utf-8+chunked, iso-8859-1+gzip+chunked")
	list := flag.String("list", "", "print the tuning half's pages where warcbox's body, title, author, date or description differs from the label: expected, got, every candidate and why it lost; body lists the segments missed and the boilerplate kept; date also lists the htmldate set's pages (tuning half only: the validation half is a score)")
	junkAll := flag.String("author-junk-all", "", "with -author-junk, also write every page's authors (half, page, authors, source; tab-separated) to this file")
	authorJunk := flag.Bool("author-junk", false, "run warcbox over every page of the trafilatura, htmldate and extruct sets (labelled or not) and list each output author that fails a name-shape or placement check (see authorjunk.go); -half limits it to one half")
	var overrides []string
	flag.Func("order", "override a field's precedence: field=kind,kind,… (repeatable)", func(v string) error {
		overrides = append(overrides, v)
		return nil
	})
	flag.Parse()
	if *splitOut != "" {
		if err := writeSplitFor(*data, *splitOut); err != nil {
			fmt.Fprintln(os.Stderr, "extract-eval:", err)
			os.Exit(1)
		}
		return
	}
	opts := extract.DefaultOptions()
	for _, o := range overrides {
		field, kinds, ok := strings.Cut(o, "=")
		if !ok {
			fmt.Fprintln(os.Stderr, "extract-eval: -order wants field=kind,kind")
			os.Exit(2)
		}
		opts.Precedence[field] = strings.Split(kinds, ",")
	}
	opts.Focus = *focus
	opts.Fallback = !*noFallback
	opts.RenderedCase = *renderedCase
	sp, err := newSplitter()
	if err != nil {
		fmt.Fprintln(os.Stderr, "extract-eval:", err)
		os.Exit(1)
	}
	if *only != "" && *only != tuning && *only != validation {
		fmt.Fprintln(os.Stderr, "extract-eval: -half wants tuning or validation")
		os.Exit(2)
	}
	if *list != "" {
		if *list != "body" && !slices.ContainsFunc(metaFields, func(f metaField) bool { return f.label == *list }) {
			fmt.Fprintln(os.Stderr, "extract-eval: -list wants body, title, author, date or description")
			os.Exit(2)
		}
		if *only == validation {
			fmt.Fprintln(os.Stderr, "extract-eval: -list reads the tuning half only; the validation half is a score")
			os.Exit(2)
		}
		*only = tuning
		opts.Explain = true
	}
	cfg := config{workers: *workers, limit: *limit, sources: *sources, misses: *misses, split: sp, only: *only, list: *list, warc: *viaWARC, fired: *fired}
	if *serve != "" {
		s, ok := servingNamed(*serve)
		if !ok || !*viaWARC {
			fmt.Fprintln(os.Stderr, "extract-eval: -serve wants -warc and one of own-charset, no-charset+gzip, utf-8+chunked, iso-8859-1+gzip+chunked")
			os.Exit(2)
		}
		cfg.serve = &s
	}
	if !*noPeer {
		cfg.peers = append(cfg.peers, peer{name: "go-traf"})
		if *peerFallback {
			cfg.peers = append(cfg.peers, peer{name: "go-traf+fb", fallback: true})
		}
	}
	ex := extract.New(opts)
	ctx := context.Background()
	if *authorJunk {
		if _, err := runAuthorJunk(ctx, ex, *data, cfg, os.Stdout, *junkAll); err != nil {
			fmt.Fprintln(os.Stderr, "extract-eval:", err)
			os.Exit(1)
		}
		return
	}
	if *warcDiff {
		n, err := runPathDiffs(ctx, ex, *data, *set, cfg)
		if err != nil {
			fmt.Fprintln(os.Stderr, "extract-eval:", err)
			os.Exit(1)
		}
		if n > 0 {
			os.Exit(1)
		}
		return
	}
	if *set == "all" || *set == "trafilatura" {
		if err := evalTrafilatura(ctx, ex, filepath.Join(*data, "trafilatura"), cfg); err != nil {
			fmt.Fprintln(os.Stderr, "extract-eval:", err)
			os.Exit(1)
		}
	}
	if *set == "all" || *set == "htmldate" {
		if err := evalHTMLDate(ctx, ex, filepath.Join(*data, "htmldate"), cfg); err != nil {
			fmt.Fprintln(os.Stderr, "extract-eval:", err)
			os.Exit(1)
		}
	}
	if len(sp.unlisted) > 0 {
		fmt.Printf("note: %d sites not in split.txt were split by hash\n", len(sp.unlisted))
	}
}

// runPathDiffs is -warc-diff over the sets asked for.
func runPathDiffs(ctx context.Context, ex *extract.Extractor, data, set string, cfg config) (int, error) {
	total := 0
	if set == "all" || set == "trafilatura" {
		dir := filepath.Join(data, "trafilatura")
		raw, err := os.ReadFile(filepath.Join(dir, "tests", "evaldata.json"))
		if err != nil {
			return 0, fmt.Errorf("trafilatura set: %w", err)
		}
		var m map[string]trafDoc
		if err := json.Unmarshal(raw, &m); err != nil {
			return 0, fmt.Errorf("trafilatura set: %w", err)
		}
		var urls, files []string
		for _, u := range slices.Sorted(maps.Keys(m)) {
			urls, files = append(urls, u), append(files, m[u].File)
		}
		if cfg.limit > 0 && cfg.limit < len(urls) {
			urls, files = urls[:cfg.limit], files[:cfg.limit]
		}
		n, err := printPathDiffs(ctx, ex, "trafilatura", dir, urls, files, cfg.workers)
		total += n
		if err != nil {
			return total, err
		}
	}
	if set == "all" || set == "htmldate" {
		dir := filepath.Join(data, "htmldate")
		pages, err := htmldatePages(dir)
		if err != nil {
			return total, err
		}
		if cfg.limit > 0 && cfg.limit < len(pages) {
			pages = pages[:cfg.limit]
		}
		var urls, files []string
		for _, p := range pages {
			urls, files = append(urls, p.URL), append(files, p.File)
		}
		n, err := printPathDiffs(ctx, ex.WithoutBody(), "htmldate", dir, urls, files, cfg.workers)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

type trafDoc struct {
	URL         string
	File        string   `json:"file"`
	With        []string `json:"with"`
	Without     []string `json:"without"`
	Title       label    `json:"title"`
	Author      label    `json:"author"`
	Date        label    `json:"date"`
	Description label    `json:"description"`
}

// label is a metadata label: a string, or a list joined with "; " as
// trafilatura's eval_authors.py joins several authors.
type label string

func (l *label) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*l = label(s)
		return nil
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return err
	}
	*l = label(strings.Join(list, "; "))
	return nil
}

func ws(s string) string { return strings.Join(strings.Fields(s), " ") }

// output is what one system said about one page, as scored.
type output struct {
	body, title, author, date, description string
	published                              string // warcbox's full value
	sources                                map[string]string
	explain                                map[string][]extract.Explained
	err                                    error
}

func fromArticle(a extract.Article, err error) output {
	return output{body: a.Body, title: a.Title, author: strings.Join(a.Authors, "; "), date: day(a.Published), published: a.Published,
		description: a.Description, sources: a.Sources, explain: a.Explain, err: err}
}

// runPeer is go-trafilatura as a user calls it: its own parser, comments
// excluded, the page's URL given.
func runPeer(p peer, html []byte, pageURL string) output {
	opts := trafilatura.Options{ExcludeComments: true, EnableFallback: p.fallback}
	if u, err := url.Parse(pageURL); err == nil && u.IsAbs() {
		opts.OriginalURL = u
	}
	res, err := trafilatura.Extract(bytes.NewReader(html), opts)
	if err != nil || res == nil {
		return output{err: err}
	}
	m := res.Metadata
	o := output{body: res.ContentText, title: m.Title, author: m.Author, description: m.Description}
	if !m.Date.IsZero() {
		o.date = m.Date.Format("2006-01-02")
	}
	return o
}

// authorFolded counts authors equal once case and list separators are
// folded (foldAuthors). It is printed beside the exact figure, never
// instead of it: the held-out sets are scored by exact equality.
const authorFolded = "author-folded"

var (
	listSepRe = regexp.MustCompile(`\s*(?:;|,|&|/|\band\b|\bund\b|\bet\b|\by\b)\s*`)
)

// foldAuthors lower-cases an author list and writes every list separator
// as "; ". The labels copy names as the browser rendered them, so a byline
// the site's stylesheet sets in capitals is labelled "JANE DOE" though the
// page's HTML (all an extractor reads) says "Jane Doe"; and labels join
// several authors with "and", ",", "&" or "/" as the byline does, where
// trafilatura's format (and warcbox's list) joins them with "; ".
func foldAuthors(s string) string {
	return ws(listSepRe.ReplaceAllString(strings.ToLower(s), "; "))
}

// metaFields are the metadata labels scored, with how to read our value.
type metaField struct {
	label string
	field string
	get   func(output) string
	want  func(trafDoc) string
	cand  func(extract.Candidate) string
}

var metaFields = []metaField{
	{"title", "title", func(o output) string { return o.title }, func(d trafDoc) string { return string(d.Title) }, func(c extract.Candidate) string { return c.Value }},
	{"author", "authors", func(o output) string { return o.author }, func(d trafDoc) string { return string(d.Author) }, authorValue},
	{"date", "published", func(o output) string { return o.date }, func(d trafDoc) string { return string(d.Date) }, func(c extract.Candidate) string { return day(c.Value) }},
	{"description", "description", func(o output) string { return o.description }, func(d trafDoc) string { return string(d.Description) }, func(c extract.Candidate) string { return c.Value }},
}

// authorValue reads an author candidate as the author field is scored.
func authorValue(c extract.Candidate) string { return strings.Join(c.Values, "; ") }

func day(s string) string {
	if len(s) >= 10 {
		return s[:10]
	}
	return s
}

// sourceStats counts, per field and source kind, pages where the kind
// offered a value and how many of those were right.
type sourceStats map[string]map[string]*[2]int

func (s sourceStats) add(field, kind string, right bool) {
	if s[field] == nil {
		s[field] = map[string]*[2]int{}
	}
	if s[field][kind] == nil {
		s[field][kind] = &[2]int{}
	}
	s[field][kind][0]++
	if right {
		s[field][kind][1]++
	}
}

func (s sourceStats) print(labelled map[string]int) {
	fmt.Println("  per source (first value of each kind): offered / right / precision; coverage of labelled pages")
	for _, f := range slices.Sorted(maps.Keys(s)) {
		type row struct {
			kind string
			n    [2]int
		}
		var rows []row
		for k, v := range s[f] {
			rows = append(rows, row{k, *v})
		}
		sort.Slice(rows, func(i, j int) bool {
			pi := float64(rows[i].n[1]) / float64(rows[i].n[0])
			pj := float64(rows[j].n[1]) / float64(rows[j].n[0])
			return pi > pj
		})
		for _, r := range rows {
			fmt.Printf("    %-12s %-12s %4d / %4d / %.3f; coverage %.3f\n", f, r.kind, r.n[0], r.n[1],
				float64(r.n[1])/float64(r.n[0]), float64(r.n[0])/float64(max(1, labelled[f])))
		}
	}
}

// counts is one system's score on one half.
type counts struct {
	pages          int
	sites          map[string]bool
	tp, fp, fn, tn int
	right          map[string]int
	labelled       map[string]int
}

func newCounts() *counts {
	return &counts{sites: map[string]bool{}, right: map[string]int{}, labelled: map[string]int{}}
}

func (c *counts) p() float64  { return ratio(c.tp, c.tp+c.fp) }
func (c *counts) r() float64  { return ratio(c.tp, c.tp+c.fn) }
func (c *counts) f1() float64 { return ratio(2*c.tp, 2*c.tp+c.fp+c.fn) }
func (c *counts) acc() float64 {
	return ratio(c.tp+c.tn, c.tp+c.fp+c.fn+c.tn)
}
func (c *counts) exact(f string) float64 { return ratio(c.right[f], c.labelled[f]) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// table holds every system's counts per half.
type table struct {
	systems []string
	c       map[string]map[string]*counts // half → system → counts
}

func newTable(systems []string) *table {
	t := &table{systems: systems, c: map[string]map[string]*counts{}}
	for _, h := range halves {
		t.c[h] = map[string]*counts{}
		for _, s := range systems {
			t.c[h][s] = newCounts()
		}
	}
	return t
}

// row prints one figure for every half and system, with warcbox's margin
// over the first peer.
func (t *table) row(name string, f func(*counts) float64, n func(*counts) string) {
	fmt.Printf("  %-22s", name)
	for _, h := range halves {
		if t.c[h][t.systems[0]].pages == 0 {
			continue
		}
		for _, s := range t.systems {
			fmt.Printf(" %7.3f", f(t.c[h][s]))
		}
		if len(t.systems) > 1 {
			fmt.Printf(" %+7.3f", f(t.c[h][t.systems[0]])-f(t.c[h][t.systems[1]]))
		}
		fmt.Print("  │")
	}
	// The counts behind warcbox's figure: the validation half's, or the
	// tuning half's when only it was scored (-half tuning, -list).
	for _, h := range []string{validation, tuning} {
		if c := t.c[h][t.systems[0]]; n != nil && c.pages > 0 {
			fmt.Printf(" (%s warcbox %s)", h, n(c))
			break
		}
	}
	fmt.Println()
}

func (t *table) header(set string) {
	fmt.Printf("%s set", set)
	for _, h := range halves {
		c := t.c[h][t.systems[0]]
		fmt.Printf("; %s %d pages, %d sites", h, c.pages, len(c.sites))
	}
	fmt.Println()
	fmt.Printf("  %-22s", "")
	for _, h := range halves {
		if t.c[h][t.systems[0]].pages == 0 {
			continue
		}
		w := 8 * len(t.systems)
		if len(t.systems) > 1 {
			w += 8
		}
		fmt.Printf(" %-*s  │", w-1, h)
	}
	fmt.Println()
	fmt.Printf("  %-22s", "")
	for _, h := range halves {
		if t.c[h][t.systems[0]].pages == 0 {
			continue
		}
		for _, s := range t.systems {
			fmt.Printf(" %7s", truncate(s, 7))
		}
		if len(t.systems) > 1 {
			fmt.Printf(" %7s", "Δ")
		}
		fmt.Print("  │")
	}
	fmt.Println()
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// trafResult is what every system said about one page of the trafilatura set.
type trafResult struct {
	out   []output // per system
	cands map[string][]extract.Candidate
	err   error
}

func evalTrafilatura(ctx context.Context, ex *extract.Extractor, dir string, cfg config) error {
	raw, err := os.ReadFile(filepath.Join(dir, "tests", "evaldata.json"))
	if err != nil {
		return fmt.Errorf("trafilatura set: %w", err)
	}
	var m map[string]trafDoc
	if err := json.Unmarshal(raw, &m); err != nil {
		return fmt.Errorf("trafilatura set: %w", err)
	}
	var docs []trafDoc
	for _, u := range slices.Sorted(maps.Keys(m)) {
		d := m[u]
		d.URL = u
		if _, h := cfg.split.half(u); cfg.only == "" || h == cfg.only {
			docs = append(docs, d)
		}
	}
	if cfg.limit > 0 && cfg.limit < len(docs) {
		docs = docs[:cfg.limit]
	}
	systems := []string{"warcbox"}
	for _, p := range cfg.peers {
		systems = append(systems, p.name)
	}
	results := make([]trafResult, len(docs))
	start := time.Now()
	var wrapped []extract.Article
	if cfg.warc {
		wrapped, err = viaWARC(ctx, ex, len(docs), cfg.workers, func(i int) (string, []byte, error) {
			b, err := evalset.ReadPage(dir, docs[i].File)
			return docs[i].URL, b, err
		}, cfg.servingOf)
		if err != nil {
			return err
		}
	}
	var done atomic.Int64
	g, _ := errgroup.WithContext(ctx)
	g.SetLimit(cfg.workers)
	for i, d := range docs {
		g.Go(func() error {
			b, err := evalset.ReadPage(dir, d.File)
			if err != nil {
				results[i].err = err
				results[i].out = make([]output, len(systems))
				return nil
			}
			p := extract.Page{HTML: b, URL: d.URL}
			if cfg.sources {
				results[i].cands, results[i].err = ex.Candidates(p)
			}
			if wrapped != nil {
				results[i].out = append(results[i].out, fromArticle(wrapped[i], nil))
			} else {
				results[i].out = append(results[i].out, fromArticle(ex.Extract(p)))
			}
			for _, pr := range cfg.peers {
				results[i].out = append(results[i].out, runPeer(pr, b, d.URL))
			}
			if n := done.Add(1); n%100 == 0 {
				fmt.Fprintf(os.Stderr, "\rtrafilatura set: %d/%d", n, len(docs))
			}
			return nil
		})
	}
	_ = g.Wait()
	elapsed := time.Since(start)
	fmt.Fprintln(os.Stderr)

	t := newTable(systems)
	stats := sourceStats{}
	authorCeiling := newCeiling()
	labelled := map[string]int{}
	missing := 0
	var missOut io.Writer = io.Discard
	if cfg.misses != "" {
		f, err := os.Create(cfg.misses)
		if err != nil {
			return err
		}
		defer f.Close()
		missOut = f
	}
	enc := json.NewEncoder(missOut)
	for i, d := range docs {
		r := results[i]
		site, half := cfg.split.half(d.URL)
		if r.err != nil && r.out[0].title == "" && r.out[0].body == "" {
			missing++
		}
		for si, sys := range systems {
			o := r.out[si]
			c := t.c[half][sys]
			c.pages++
			c.sites[site] = true
			body := ws(o.body)
			for _, s := range d.With {
				if strings.Contains(body, ws(s)) {
					c.tp++
				} else {
					if si == 0 {
						_ = enc.Encode(map[string]any{"field": "body-fn", "half": half, "url": d.URL, "file": d.File, "want": s, "got": len(body)})
					}
					c.fn++
				}
			}
			for _, s := range d.Without {
				if strings.Contains(body, ws(s)) {
					if si == 0 {
						_ = enc.Encode(map[string]any{"field": "body-fp", "half": half, "url": d.URL, "file": d.File, "want": s})
					}
					c.fp++
				} else {
					c.tn++
				}
			}
			for _, f := range metaFields {
				want := ws(f.want(d))
				if want == "" {
					continue
				}
				c.labelled[f.label]++
				if ws(f.get(o)) == want {
					c.right[f.label]++
				} else if si == 0 {
					_ = enc.Encode(map[string]any{"field": f.label, "half": half, "url": d.URL, "file": d.File, "want": want, "got": f.get(o), "source": o.sources[f.field], "candidates": r.cands[f.field]})
				}
			}
			if want := ws(string(d.Author)); want != "" {
				c.labelled[authorFolded]++
				if foldAuthors(o.author) == foldAuthors(want) {
					c.right[authorFolded]++
				}
			}
		}
		if cfg.sources {
			authorCeiling.add(half, string(d.Author), r.cands["authors"], authorValue)
		}
		if half != tuning {
			continue // source statistics guide tuning: they read the tuning half only
		}
		for _, f := range metaFields {
			want := ws(f.want(d))
			if want == "" {
				continue
			}
			labelled[f.field]++
			seen := map[string]bool{}
			for _, c := range r.cands[f.field] {
				if seen[c.Kind] {
					continue
				}
				seen[c.Kind] = true
				stats.add(f.field, c.Kind, ws(f.cand(c)) == want)
			}
		}
	}
	fmt.Printf("trafilatura set: %d pages in %s (%.1f pages/s, %d workers, %d systems), %d unreadable%s\n",
		len(docs), elapsed.Round(time.Millisecond), float64(len(docs))/elapsed.Seconds(), cfg.workers, len(systems), missing, cfg.pathNote())
	t.header("trafilatura")
	frac := func(num, den func(*counts) int) func(*counts) string {
		return func(c *counts) string { return fmt.Sprintf("%d/%d", num(c), den(c)) }
	}
	t.row("body precision", (*counts).p, nil)
	t.row("body recall", (*counts).r, nil)
	t.row("body F1", (*counts).f1, func(c *counts) string {
		return fmt.Sprintf("segments tp %d fp %d fn %d tn %d", c.tp, c.fp, c.fn, c.tn)
	})
	for _, f := range metaFields {
		name := f.label + " exact"
		if f.label == "date" {
			name = "date exact (day)"
		}
		t.row(name, func(c *counts) float64 { return c.exact(f.label) },
			frac(func(c *counts) int { return c.right[f.label] }, func(c *counts) int { return c.labelled[f.label] }))
	}
	t.row("author, case+list fold", func(c *counts) float64 { return c.exact(authorFolded) },
		frac(func(c *counts) int { return c.right[authorFolded] }, func(c *counts) int { return c.labelled[authorFolded] }))
	if cfg.sources {
		fmt.Printf("  author: a candidate offers the label  %s\n", authorCeiling)
		fmt.Println("  (tuning half only)")
		stats.print(labelled)
		lost, offered := 0, 0
		for i, d := range docs {
			got := results[i].out[0].published
			cands := results[i].cands["published"]
			if precision := lostPrecision(got, cands); precision != "" {
				lost++
				_ = enc.Encode(map[string]any{"field": "published-" + precision, "url": d.URL, "file": d.File, "got": got, "candidates": cands})
			}
			if slices.ContainsFunc(cands, func(c extract.Candidate) bool { return day(c.Value) == day(got) && len(c.Value) > 10 }) {
				offered++
			}
		}
		fmt.Printf("  published without the time or offset a source gives for its day: %d of %d pages where a source gives a time (both halves)\n", lost, offered)
	}
	if cfg.fired != "" {
		listBodyFired(docs, results, cfg)
	}
	switch cfg.list {
	case "":
	case "body":
		listBodyMismatches(dir, docs, results, cfg)
	default:
		listMismatches(docs, results, cfg)
	}
	return nil
}

// listBodyMismatches prints, for every tuning-half page whose body misses a
// labelled segment or keeps a boilerplate one, those segments, the page's
// F1 and which extractors ran (--explain's body entries).
func listBodyMismatches(dir string, docs []trafDoc, results []trafResult, cfg config) {
	n := 0
	for i, d := range docs {
		if _, half := cfg.split.half(d.URL); half != tuning {
			continue
		}
		o := results[i].out[0]
		body := ws(o.body)
		var fn, fp []string
		for _, s := range d.With {
			if !strings.Contains(body, ws(s)) {
				fn = append(fn, s)
			}
		}
		for _, s := range d.Without {
			if strings.Contains(body, ws(s)) {
				fp = append(fp, s)
			}
		}
		if len(fn)+len(fp) == 0 {
			continue
		}
		n++
		tp := len(d.With) - len(fn)
		fmt.Printf("\n%s %s\n  F1 %.3f (tp %d fp %d fn %d), body %d characters; %s\n", d.File, d.URL,
			ratio(2*tp, 2*tp+len(fp)+len(fn)), tp, len(fp), len(fn), len([]rune(o.body)), o.sources["body"])
		printCandidates(o.explain["body"], 16, false)
		for _, s := range fn {
			fmt.Printf("  missed %q\n", truncate(ws(s), 160))
		}
		for _, s := range fp {
			fmt.Printf("  kept   %q\n", truncate(ws(s), 160))
		}
		fmt.Printf("  body starts %q\n", truncate(ws(o.body), 200))
	}
	fmt.Printf("\n%d tuning-half pages where the body misses a labelled segment or keeps a boilerplate one (%s)\n", n, dir)
}

// listBodyFired prints the tuning-half pages whose body provenance
// mentions cfg.fired, with the segments found and missed: what a body rule
// did wherever it fired, not only where the page still has a mismatch.
func listBodyFired(docs []trafDoc, results []trafResult, cfg config) {
	n := 0
	for i, d := range docs {
		o := results[i].out[0]
		if _, half := cfg.split.half(d.URL); half != tuning || !strings.Contains(o.sources["body"], cfg.fired) {
			continue
		}
		n++
		body := ws(o.body)
		fmt.Printf("\n%s %s\n  %s\n", d.File, d.URL, o.sources["body"])
		for _, s := range d.With {
			mark := "missed"
			if strings.Contains(body, ws(s)) {
				mark = "found "
			}
			fmt.Printf("  %s %q\n", mark, truncate(ws(s), 120))
		}
		for _, s := range d.Without {
			if strings.Contains(body, ws(s)) {
				fmt.Printf("  kept   %q\n", truncate(ws(s), 120))
			}
		}
	}
	fmt.Printf("\n%d tuning-half pages whose body provenance mentions %q\n", n, cfg.fired)
}

// listMismatches prints, for every tuning-half page where warcbox's value
// of the field cfg.list differs from the label, both values and every
// candidate --explain reports with why it lost.
func listMismatches(docs []trafDoc, results []trafResult, cfg config) {
	i := slices.IndexFunc(metaFields, func(f metaField) bool { return f.label == cfg.list })
	f := metaFields[i]
	n := 0
	for i, d := range docs {
		if _, half := cfg.split.half(d.URL); half != tuning {
			continue
		}
		want := ws(f.want(d))
		o := results[i].out[0]
		if want == "" || ws(f.get(o)) == want {
			continue
		}
		n++
		fmt.Printf("\n%s %s\n  want %q\n  got  %q\n", d.File, d.URL, want, f.get(o))
		printCandidates(o.explain[f.field], 11, true)
	}
	fmt.Printf("\n%d tuning-half pages where %s differs from the label\n", n, f.label)
}

func evalHTMLDate(ctx context.Context, ex *extract.Extractor, dir string, cfg config) error {
	all, err := htmldatePages(dir)
	if err != nil {
		return err
	}
	var pages []htmldatePage
	for _, p := range all {
		if _, h := cfg.split.half(p.URL); cfg.only == "" || h == cfg.only {
			pages = append(pages, p)
		}
	}
	if cfg.limit > 0 && cfg.limit < len(pages) {
		pages = pages[:cfg.limit]
	}
	systems := []string{"warcbox"}
	for _, p := range cfg.peers {
		systems = append(systems, p.name)
	}
	dex := ex.WithoutBody()
	got := make([][]string, len(pages))
	published := make([]string, len(pages)) // warcbox's full value, time and offset included
	cands := make([][]extract.Candidate, len(pages))
	explained := make([][]extract.Explained, len(pages))
	start := time.Now()
	var wrapped []extract.Article
	if cfg.warc {
		wrapped, err = viaWARC(ctx, dex, len(pages), cfg.workers, func(i int) (string, []byte, error) {
			b, err := evalset.ReadPage(dir, pages[i].File)
			return pages[i].URL, b, err
		}, cfg.servingOf)
		if err != nil {
			return err
		}
	}
	var done atomic.Int64
	g, _ := errgroup.WithContext(ctx)
	g.SetLimit(cfg.workers)
	for i, p := range pages {
		g.Go(func() error {
			got[i] = make([]string, len(systems))
			b, err := evalset.ReadPage(dir, p.File)
			if err != nil {
				return nil
			}
			pg := extract.Page{HTML: b, URL: p.URL}
			var a extract.Article
			if wrapped != nil {
				a = wrapped[i]
			} else {
				a, _ = dex.Extract(pg)
			}
			got[i][0] = day(a.Published)
			published[i] = a.Published
			explained[i] = a.Explain["published"]
			for j, pr := range cfg.peers {
				got[i][j+1] = runPeer(pr, b, p.URL).date
			}
			if cfg.sources {
				if c, err := dex.Candidates(pg); err == nil {
					cands[i] = c["published"]
				}
			}
			if n := done.Add(1); n%100 == 0 {
				fmt.Fprintf(os.Stderr, "\rhtmldate set: %d/%d", n, len(pages))
			}
			return nil
		})
	}
	_ = g.Wait()
	elapsed := time.Since(start)
	fmt.Fprintln(os.Stderr)
	t := newTable(systems)
	stats := sourceStats{}
	labelled := 0
	var missOut io.Writer = io.Discard
	if cfg.misses != "" {
		f, err := os.Create(cfg.misses + ".htmldate")
		if err != nil {
			return err
		}
		defer f.Close()
		missOut = f
	}
	enc := json.NewEncoder(missOut)
	for i, p := range pages {
		site, half := cfg.split.half(p.URL)
		if got[i][0] != p.Date {
			_ = enc.Encode(map[string]any{"half": half, "url": p.URL, "file": p.File, "want": p.Date, "got": got[i][0], "candidates": cands[i]})
		}
		for si, sys := range systems {
			c := t.c[half][sys]
			c.pages++
			c.sites[site] = true
			switch g := got[i][si]; {
			case g == "" && p.Date == "":
				c.tn++
			case g == "":
				c.fn++
			case g == p.Date:
				c.tp++
			default:
				c.fp++
			}
		}
		if p.Date != "" && half == tuning {
			labelled++
			seen := map[string]bool{}
			for _, c := range cands[i] {
				if !seen[c.Kind] {
					seen[c.Kind] = true
					stats.add("published", c.Kind, day(c.Value) == p.Date)
				}
			}
		}
	}
	fmt.Printf("htmldate set: %d pages in %s (%.1f pages/s, %d systems)%s\n", len(pages), elapsed.Round(time.Millisecond), float64(len(pages))/elapsed.Seconds(), len(systems), cfg.pathNote())
	t.header("htmldate")
	t.row("date accuracy (day)", (*counts).acc, func(c *counts) string {
		return fmt.Sprintf("tp %d fp %d fn %d tn %d", c.tp, c.fp, c.fn, c.tn)
	})
	t.row("date precision", (*counts).p, nil)
	t.row("date recall", (*counts).r, nil)
	t.row("date F1", (*counts).f1, nil)
	if cfg.sources {
		fmt.Println("  (tuning half only)")
		stats.print(map[string]int{"published": labelled})
		lost, offered := 0, 0
		for i, p := range pages {
			if precision := lostPrecision(published[i], cands[i]); precision != "" {
				lost++
				_ = enc.Encode(map[string]any{"field": "published-" + precision, "url": p.URL, "file": p.File, "got": published[i], "candidates": cands[i]})
			}
			if slices.ContainsFunc(cands[i], func(c extract.Candidate) bool { return day(c.Value) == day(published[i]) && len(c.Value) > 10 }) {
				offered++
			}
		}
		fmt.Printf("  published without the time or offset a source gives for its day: %d of %d pages where a source gives a time (both halves)\n", lost, offered)
	}
	if cfg.list == "date" {
		n := 0
		for i, p := range pages {
			if _, half := cfg.split.half(p.URL); half != tuning || got[i][0] == p.Date {
				continue
			}
			n++
			fmt.Printf("\n%s %s\n  want %q\n  got  %q (%s)\n", p.File, p.URL, p.Date, got[i][0], published[i])
			printCandidates(explained[i], 11, true)
		}
		fmt.Printf("\n%d tuning-half pages of the htmldate set where the day differs from the label\n", n)
	}
	return nil
}

// lostPrecision says what warcbox's published value lacks that a candidate
// for the same day gives: "offset", "time", "local offset" (UTC while a
// candidate gives the same instant in another offset), or "" when nothing
// is lost.
// Its day is judged as written (a UTC value on another day than the page's
// local one counts as another day).
func lostPrecision(got string, cands []extract.Candidate) string {
	if got == "" {
		return ""
	}
	hasTime := len(got) >= 19
	hasZone := len(got) > 19
	if t, err := time.Parse(time.RFC3339, got); err == nil {
		if _, off := t.Zone(); off == 0 {
			for _, c := range cands {
				if ct, err := time.Parse(time.RFC3339, c.Value); err == nil && ct.Equal(t) {
					if _, coff := ct.Zone(); coff != 0 {
						return "local offset" // UTC while the page gives the instant in its own offset
					}
				}
			}
		}
	}
	for _, c := range cands {
		if day(c.Value) != day(got) {
			continue
		}
		if !hasZone && len(c.Value) > 19 && (!hasTime || c.Value[:19] == got[:19]) {
			return "offset"
		}
		if !hasTime && len(c.Value) >= 19 {
			return "time"
		}
	}
	return ""
}

type htmldatePage struct {
	URL, File, Date string
}

func htmldatePages(dir string) ([]htmldatePage, error) {
	var pages []htmldatePage
	for _, name := range []string{"eval_default.json", "eval_mediacloud_2020.json"} {
		raw, err := os.ReadFile(filepath.Join(dir, "tests", name))
		if err != nil {
			return nil, fmt.Errorf("htmldate set: %w", err)
		}
		// The file holds bare NaN values, which are not JSON.
		raw = bytes.ReplaceAll(raw, []byte(": NaN"), []byte(": null"))
		var m map[string]struct {
			File string  `json:"file"`
			Date *string `json:"date"`
		}
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("htmldate set %s: %w", name, err)
		}
		for _, u := range slices.Sorted(maps.Keys(m)) {
			p := htmldatePage{URL: u, File: m[u].File}
			if m[u].Date != nil {
				p.Date = *m[u].Date
			}
			pages = append(pages, p)
		}
	}
	return pages, nil
}

// writeSplitFor lists the sites of both sets into path.
func writeSplitFor(data, path string) error {
	raw, err := os.ReadFile(filepath.Join(data, "trafilatura", "tests", "evaldata.json"))
	if err != nil {
		return err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return err
	}
	var sites []string
	for u := range m {
		sites = append(sites, siteOf(u))
	}
	pages, err := htmldatePages(filepath.Join(data, "htmldate"))
	if err != nil {
		return err
	}
	for _, p := range pages {
		sites = append(sites, siteOf(p.URL))
	}
	return writeSplit(path, sites)
}

// printCandidates lists a field's candidates as --explain gives them, the
// chosen one starred, each with its source and why it lost.
func printCandidates(xs []extract.Explained, kindWidth int, quote bool) {
	for _, x := range xs {
		v := x.Value
		if len(x.Values) > 0 {
			v = strings.Join(x.Values, "; ")
		}
		if quote {
			v = strconv.Quote(v)
		}
		mark := " "
		if x.Chosen {
			mark = "*"
		}
		fmt.Printf("  %s %-*s %s  %s", mark, kindWidth, x.Kind, v, x.Source)
		if x.Why != "" {
			fmt.Printf("  — %s", x.Why)
		}
		fmt.Println()
	}
}
