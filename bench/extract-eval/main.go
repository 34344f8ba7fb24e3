// Command extract-eval scores warcbox's extractor against the trafilatura and
// htmldate evaluation sets in ../shared/extract-eval and prints the figures
// recorded in BENCHMARKS.md:
//
//	go run ./bench/extract-eval [-data DIR] [-set trafilatura|htmldate|all] [-sources]
//
// Scoring follows each set's PROVENANCE.md: trafilatura's body segments
// (tests/eval_common.py) and exact metadata matches (tests/eval_authors.py,
// authors joined with "; ", whitespace normalised on both sides);
// htmldate's tp/fp/fn/tn day comparison (tests/evaluation.py).
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/warcbox/warcbox/extract"
)

var misses *string

func main() {
	data := flag.String("data", defaultDataDir(), "extract-eval directory")
	set := flag.String("set", "all", "trafilatura, htmldate or all")
	workers := flag.Int("workers", runtime.NumCPU(), "parallel pages")
	sources := flag.Bool("sources", false, "also measure every source kind per field (slower: runs all sources)")
	limit := flag.Int("limit", 0, "score only the first N pages of each set (0: all)")
	misses = flag.String("misses", "", "write metadata mismatches (JSON lines) to this file")
	noFallback := flag.Bool("no-fallback", false, "disable go-trafilatura's readability/dom-distiller fallback")
	focus := flag.String("focus", "", "go-trafilatura focus: balanced, precision or recall")
	var overrides []string
	flag.Func("order", "override a field's precedence: field=kind,kind,… (repeatable)", func(v string) error {
		overrides = append(overrides, v)
		return nil
	})
	flag.Parse()
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
	ex := extract.New(opts)
	ctx := context.Background()
	if *set == "all" || *set == "trafilatura" {
		if err := evalTrafilatura(ctx, ex, filepath.Join(*data, "trafilatura"), *workers, *limit, *sources); err != nil {
			fmt.Fprintln(os.Stderr, "extract-eval:", err)
			os.Exit(1)
		}
	}
	if *set == "all" || *set == "htmldate" {
		if err := evalHTMLDate(ctx, ex, filepath.Join(*data, "htmldate"), *workers, *limit, *sources); err != nil {
			fmt.Fprintln(os.Stderr, "extract-eval:", err)
			os.Exit(1)
		}
	}
}

// defaultDataDir finds ../shared/extract-eval from the repository root.
func defaultDataDir() string {
	for _, d := range []string{"../shared/extract-eval", "../../shared/extract-eval", "../../../shared/extract-eval", "/work/shared/extract-eval"} {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d
		}
	}
	return "../shared/extract-eval"
}

func readGz(dir, file string) ([]byte, error) {
	var lastErr error
	for _, sub := range []string{"eval", "cache", "test_set"} {
		f, err := os.Open(filepath.Join(dir, "tests", sub, file+".gz"))
		if err != nil {
			lastErr = err
			continue
		}
		defer f.Close()
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", file, err)
		}
		return io.ReadAll(zr)
	}
	return nil, lastErr
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

// metaFields are the metadata labels scored, with how to read our value.
var metaFields = []struct {
	label string
	field string
	get   func(extract.Article) string
	want  func(trafDoc) string
	cand  func(extract.Candidate) string
}{
	{"title", "title", func(a extract.Article) string { return a.Title }, func(d trafDoc) string { return string(d.Title) }, func(c extract.Candidate) string { return c.Value }},
	{"author", "authors", func(a extract.Article) string { return strings.Join(a.Authors, "; ") }, func(d trafDoc) string { return string(d.Author) }, func(c extract.Candidate) string { return strings.Join(c.Values, "; ") }},
	{"date", "published", func(a extract.Article) string { return day(a.Published) }, func(d trafDoc) string { return string(d.Date) }, func(c extract.Candidate) string { return day(c.Value) }},
	{"description", "description", func(a extract.Article) string { return a.Description }, func(d trafDoc) string { return string(d.Description) }, func(c extract.Candidate) string { return c.Value }},
}

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

func evalTrafilatura(ctx context.Context, ex *extract.Extractor, dir string, workers, limit int, sources bool) error {
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
		docs = append(docs, d)
	}
	if limit > 0 && limit < len(docs) {
		docs = docs[:limit]
	}
	type result struct {
		a     extract.Article
		cands map[string][]extract.Candidate
		err   error
	}
	results := make([]result, len(docs))
	start := time.Now()
	var done atomic.Int64
	g, _ := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for i, d := range docs {
		g.Go(func() error {
			b, err := readGz(dir, d.File)
			if err != nil {
				results[i].err = err
				return nil
			}
			p := extract.Page{HTML: b, URL: d.URL}
			if sources {
				results[i].cands, results[i].err = ex.Candidates(p)
			}
			results[i].a, _ = ex.Extract(p)
			if n := done.Add(1); n%100 == 0 {
				fmt.Fprintf(os.Stderr, "\rtrafilatura set: %d/%d", n, len(docs))
			}
			return nil
		})
	}
	_ = g.Wait()
	elapsed := time.Since(start)
	fmt.Fprintln(os.Stderr)

	var tp, fp, fn, tn, missing int
	right := map[string]int{}
	labelled := map[string]int{}
	stats := sourceStats{}
	var missOut io.Writer = io.Discard
	if *misses != "" {
		f, err := os.Create(*misses)
		if err != nil {
			return err
		}
		defer f.Close()
		missOut = f
	}
	enc := json.NewEncoder(missOut)
	for i, d := range docs {
		r := results[i]
		if r.err != nil && r.a.Title == "" && r.a.Body == "" {
			missing++
		}
		body := ws(r.a.Body)
		for _, s := range d.With {
			if strings.Contains(body, ws(s)) {
				tp++
			} else {
				_ = enc.Encode(map[string]any{"field": "body-fn", "url": d.URL, "file": d.File, "want": s, "got": len(body)})
				fn++
			}
		}
		for _, s := range d.Without {
			if strings.Contains(body, ws(s)) {
				_ = enc.Encode(map[string]any{"field": "body-fp", "url": d.URL, "file": d.File, "want": s})
				fp++
			} else {
				tn++
			}
		}
		for _, f := range metaFields {
			want := ws(f.want(d))
			if want == "" {
				continue
			}
			labelled[f.field]++
			if ws(f.get(r.a)) == want {
				right[f.label]++
			} else {
				_ = enc.Encode(map[string]any{"field": f.label, "url": d.URL, "file": d.File, "want": want, "got": f.get(r.a), "source": r.a.Sources[f.field], "candidates": r.cands[f.field]})
			}
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
	p := float64(tp) / float64(tp+fp)
	rc := float64(tp) / float64(tp+fn)
	fmt.Printf("trafilatura set: %d pages in %s (%.1f pages/s, %d workers), %d unreadable\n", len(docs), elapsed.Round(time.Millisecond), float64(len(docs))/elapsed.Seconds(), workers, missing)
	fmt.Printf("  body: precision %.3f recall %.3f accuracy %.3f F %.3f (tp %d fp %d fn %d tn %d)\n",
		p, rc, float64(tp+tn)/float64(tp+fp+fn+tn), 2*p*rc/(p+rc), tp, fp, fn, tn)
	for _, f := range metaFields {
		fmt.Printf("  %-12s exact match %.3f (%d/%d)\n", f.label, float64(right[f.label])/float64(labelled[f.field]), right[f.label], labelled[f.field])
	}
	if sources {
		stats.print(labelled)
	}
	return nil
}

func evalHTMLDate(ctx context.Context, ex *extract.Extractor, dir string, workers, limit int, sources bool) error {
	type page struct {
		URL, File, Date string
	}
	var pages []page
	for _, name := range []string{"eval_default.json", "eval_mediacloud_2020.json"} {
		raw, err := os.ReadFile(filepath.Join(dir, "tests", name))
		if err != nil {
			return fmt.Errorf("htmldate set: %w", err)
		}
		// The file holds bare NaN values, which are not JSON.
		raw = bytes.ReplaceAll(raw, []byte(": NaN"), []byte(": null"))
		var m map[string]struct {
			File string  `json:"file"`
			Date *string `json:"date"`
		}
		if err := json.Unmarshal(raw, &m); err != nil {
			return fmt.Errorf("htmldate set %s: %w", name, err)
		}
		for _, u := range slices.Sorted(maps.Keys(m)) {
			p := page{URL: u, File: m[u].File}
			if m[u].Date != nil {
				p.Date = *m[u].Date
			}
			pages = append(pages, p)
		}
	}
	if limit > 0 && limit < len(pages) {
		pages = pages[:limit]
	}
	dex := ex.WithoutBody()
	got := make([]string, len(pages))
	cands := make([][]extract.Candidate, len(pages))
	start := time.Now()
	var done atomic.Int64
	g, _ := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for i, p := range pages {
		g.Go(func() error {
			b, err := readGz(dir, p.File)
			if err != nil {
				return nil
			}
			pg := extract.Page{HTML: b, URL: p.URL}
			a, _ := dex.Extract(pg)
			got[i] = day(a.Published)
			if sources {
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
	var tp, fp, fn, tn int
	stats := sourceStats{}
	labelled := 0
	var missOut io.Writer = io.Discard
	if *misses != "" {
		f, err := os.Create(*misses + ".htmldate")
		if err != nil {
			return err
		}
		defer f.Close()
		missOut = f
	}
	enc := json.NewEncoder(missOut)
	for i, p := range pages {
		_ = enc.Encode(map[string]any{"url": p.URL, "file": p.File, "want": p.Date, "got": got[i], "candidates": cands[i]})
		switch {
		case got[i] == "" && p.Date == "":
			tn++
		case got[i] == "":
			fn++
		case got[i] == p.Date:
			tp++
		default:
			fp++
		}
		if p.Date != "" {
			labelled++
		}
		seen := map[string]bool{}
		for _, c := range cands[i] {
			if !seen[c.Kind] && p.Date != "" {
				seen[c.Kind] = true
				stats.add("published", c.Kind, day(c.Value) == p.Date)
			}
		}
	}
	n := len(pages)
	P := float64(tp) / float64(tp+fp)
	R := float64(tp) / float64(tp+fn)
	fmt.Printf("htmldate set: %d pages in %s (%.1f pages/s)\n", n, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds())
	fmt.Printf("  date: precision %.3f recall %.3f accuracy %.3f F1 %.3f (tp %d fp %d fn %d tn %d)\n",
		P, R, float64(tp+tn)/float64(n), 2*float64(tp)/float64(2*tp+fp+fn), tp, fp, fn, tn)
	if sources {
		stats.print(map[string]int{"published": labelled})
	}
	return nil
}
