// Command evaldump writes every Article warcbox extracts from the pages of
// ../shared/extract-eval (the trafilatura and htmldate sets, 1,990 pages)
// in each mode of `warcbox extract` that changes the work done: default,
// --no-body, --no-fallback and --explain. One JSON line per page and mode,
// in a fixed order, so that two builds' outputs compare with cmp or a
// hash: a speed change that claims to be byte-identical is checked here.
//
//	go run ./bench/records/evaldump [-data DIR] [-mode default,no-body,no-fallback,explain] >out.jsonl
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/warcbox/warcbox/bench/evalset"
	"github.com/warcbox/warcbox/extract"
)

func main() {
	data := flag.String("data", evalset.DefaultDir(), "extract-eval directory")
	modes := flag.String("mode", "default,no-body,no-fallback,explain", "modes to run, comma-separated")
	workers := flag.Int("workers", runtime.NumCPU(), "pages extracted at once")
	flag.Parse()
	pages, err := loadPages(*data)
	if err != nil {
		log.Fatal(err)
	}
	out := json.NewEncoder(os.Stdout)
	for _, mode := range strings.Split(*modes, ",") {
		ex, err := extractor(mode)
		if err != nil {
			log.Fatal(err)
		}
		arts := make([]extract.Article, len(pages))
		errs := make([]string, len(pages))
		var wg sync.WaitGroup
		next := make(chan int)
		for range max(*workers, 1) {
			wg.Go(func() {
				for i := range next {
					a, err := ex.Extract(pages[i].page)
					arts[i] = a
					if err != nil {
						errs[i] = err.Error()
					}
				}
			})
		}
		for i := range pages {
			next <- i
		}
		close(next)
		wg.Wait()
		for i, p := range pages {
			line := struct {
				Mode    string          `json:"mode"`
				Set     string          `json:"set"`
				URL     string          `json:"url"`
				Err     string          `json:"err,omitempty"`
				Article extract.Article `json:"article"`
			}{mode, p.set, p.page.URL, errs[i], arts[i]}
			if err := out.Encode(line); err != nil {
				log.Fatal(err)
			}
		}
	}
}

func extractor(mode string) (*extract.Extractor, error) {
	opts := extract.DefaultOptions()
	switch mode {
	case "default":
	case "no-body":
		return extract.New(opts).WithoutBody(), nil
	case "no-fallback":
		opts.Fallback = false
	case "explain":
		opts.Explain = true
	default:
		return nil, fmt.Errorf("evaldump: unknown mode %q", mode)
	}
	return extract.New(opts), nil
}

type page struct {
	set  string
	page extract.Page
}

// loadPages reads both sets' pages, each set sorted by URL.
func loadPages(dir string) ([]page, error) {
	var pages []page
	for _, set := range []struct{ name, index string }{
		{"trafilatura", "evaldata.json"},
		{"htmldate", "eval_default.json"},
		{"htmldate", "eval_mediacloud_2020.json"},
	} {
		d := filepath.Join(dir, set.name)
		raw, err := os.ReadFile(filepath.Join(d, "tests", set.index))
		if err != nil {
			return nil, err
		}
		// The htmldate files hold bare NaN values, which are not JSON.
		raw = bytes.ReplaceAll(raw, []byte(": NaN"), []byte(": null"))
		var m map[string]struct {
			File string `json:"file"`
		}
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("%s: %w", set.index, err)
		}
		for _, u := range slices.Sorted(maps.Keys(m)) {
			b, err := evalset.ReadPage(d, m[u].File)
			if err != nil {
				return nil, err
			}
			pages = append(pages, page{set: set.name, page: extract.Page{HTML: b, URL: u}})
		}
	}
	return pages, nil
}
