package extract

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	upstream "github.com/markusmobius/go-htmldate"
	htmldate "github.com/warcbox/warcbox/third_party/go-htmldate"
	"golang.org/x/net/html"

	"github.com/warcbox/warcbox/bench/evalset"
)

// The patched go-htmldate warcbox builds with (third_party/go-htmldate,
// PATCHES.md) must give exactly what upstream go-htmldate gives. Its one
// patch keeps go-dateparser's answers in a ParseCache shared by pages: the
// test reads every page with a cache shared by all of them, twice (the
// second pass answers from the cache, the strings of other pages
// included), and compares every result with upstream's.
func TestPatchedHTMLDateIsUpstream(t *testing.T) {
	var pages [][]byte
	for _, set := range []struct {
		name  string
		every int
	}{{"htmldate", 8}, {"trafilatura", 15}} {
		dir := sharedDir(t, set.name)
		files, err := filepath.Glob(filepath.Join(dir, "tests", "eval", "*.gz"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no pages (%v)", set.name, err)
		}
		slices.Sort(files)
		for i, f := range files {
			if i%set.every != 0 {
				continue
			}
			b, err := evalset.ReadPage(dir, strings.TrimSuffix(filepath.Base(f), ".gz"))
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			pages = append(pages, b)
		}
	}
	if len(pages) < 150 {
		t.Fatalf("only %d pages", len(pages))
	}
	capture := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	parse := func(b []byte) *html.Node {
		doc, err := html.Parse(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		return doc
	}
	want := make([]upstream.Result, len(pages))
	wantErr := make([]error, len(pages))
	for i, b := range pages {
		want[i], wantErr[i] = upstream.FromDocument(parse(b), upstream.Options{
			ExtractTime: true, UseOriginalDate: true, MaxDate: capture, DeferUrlExtractor: true})
	}
	// Two caches: one of 8 strings, whose ring wraps around, and one that
	// keeps every string, so that the second pass is answered from the
	// cache throughout (with the small one alone, strings are forgotten
	// before they are met again and a wrong cached answer went unseen).
	found := 0
	for _, cc := range []struct {
		name  string
		cache *htmldate.ParseCache
	}{{"small", htmldate.NewParseCache(8)}, {"whole", htmldate.NewParseCache(1 << 16)}} {
		for pass := range 2 {
			for i, b := range pages {
				got, err := htmldate.FromDocument(parse(b), htmldate.Options{
					ExtractTime: true, UseOriginalDate: true, MaxDate: capture, DeferUrlExtractor: true, ParseCache: cc.cache})
				if (err == nil) != (wantErr[i] == nil) || stamp(got.DateTime) != stamp(want[i].DateTime) || got.HasTime != want[i].HasTime ||
					got.HasTimezone != want[i].HasTimezone || got.SrcString != want[i].SrcString {
					t.Errorf("%s cache, pass %d, page %d: patched %+v (%v), upstream %+v (%v)", cc.name, pass, i, got, err, want[i], wantErr[i])
				}
				if cc.name == "small" && pass == 0 && !got.DateTime.IsZero() {
					found++
				}
			}
			if cc.cache.Len() == 0 {
				t.Fatal("nothing was parsed with go-dateparser: the cache is not exercised")
			}
		}
		t.Logf("%s cache: %d strings", cc.name, cc.cache.Len())
		if cc.name == "whole" && cc.cache.Len() < 10 {
			t.Errorf("only %d distinct strings reached go-dateparser: too few to hold the cache to upstream", cc.cache.Len())
		}
	}
	if found < len(pages)/2 {
		t.Errorf("dates on %d of %d pages: the options no longer exercise the extraction", found, len(pages))
	}
	t.Logf("%d pages, %d dates", len(pages), found)
}

// stamp is a time with its zone's name and offset: two equal results from
// separate runs hold distinct *time.Location values.
func stamp(t time.Time) string {
	name, off := t.Zone()
	return fmt.Sprintf("%s %s %d", t.Format(time.RFC3339Nano), name, off)
}
