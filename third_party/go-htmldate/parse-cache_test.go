// warcbox patch: this file is not upstream's (see PATCHES.md).

package htmldate

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"
)

func TestParseCacheBound(t *testing.T) {
	c := NewParseCache(3)
	day := func(i int) time.Time { return time.Date(2020, 1, i+1, 0, 0, 0, 0, time.UTC) }
	for i := range 5 {
		c.put(parseKey{s: fmt.Sprint(i)}, day(i))
		c.put(parseKey{s: fmt.Sprint(i)}, day(i+10)) // a second answer for a key is not stored
	}
	if c.Len() != 3 {
		t.Fatalf("Len = %d, want 3", c.Len())
	}
	for i := range 5 {
		got, ok := c.get(parseKey{s: fmt.Sprint(i)})
		if want := i >= 2; ok != want || (ok && !got.Equal(day(i))) {
			t.Errorf("key %d: %v %v, want kept=%v with %v", i, got, ok, want, day(i))
		}
	}
	if _, ok := c.get(parseKey{s: "4", day: 1}); ok {
		t.Error("another day's key answered from the cache")
	}
}

// TestParseCacheSameAnswers: externalDateParser answers the same with a
// cache as without, the second time from the cache, for strings
// go-dateparser reads as a date and strings it does not, under bounds that
// refuse some of those dates.
func TestParseCacheSameAnswers(t *testing.T) {
	strs := []string{
		"4. Februar 2022", "March 5, 2019", "12 janvier 2021", "5 de marzo de 2020",
		"Veröffentlicht am 4. Februar 2022", "Temps écoulé : 1 minute 20 secondes 01:20",
		"Copyright © 2001 - 2020 n2", "Mo - Fr 9:00 - 18:00 Uhr", "[06月24日 11時30分]",
	}
	bounds := []Options{
		{MinDate: defaultMinDate, MaxDate: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)},
		{MinDate: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), MaxDate: time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC)},
	}
	c := NewParseCache(2) // smaller than the strings: entries are forgotten too
	dates := 0
	for pass := range 2 {
		for _, o := range bounds {
			for _, s := range strs {
				want := externalDateParser(s, o)
				oc := o
				oc.ParseCache = c
				if got := externalDateParser(s, oc); !got.Equal(want) {
					t.Errorf("pass %d, %q, bounds %v-%v: %v with the cache, %v without", pass, s, o.MinDate, o.MaxDate, got, want)
				}
				if !want.IsZero() {
					dates++
				}
			}
		}
	}
	if dates < 4 {
		t.Fatalf("only %d answers were dates: the strings do not exercise the cache", dates)
	}
	c = NewParseCache(len(strs))
	oc := bounds[0]
	oc.ParseCache = c
	for _, s := range strs {
		want := externalDateParser(s, bounds[0])
		externalDateParser(s, oc)
		if got, ok := c.get(parseKey{s: s, day: time.Now().UTC().Truncate(24 * time.Hour).Unix()}); !ok || !got.Equal(want) {
			t.Errorf("%q: cached %v %v, want %v", s, got, ok, want)
		}
	}
}

// TestParseCacheConcurrent: an Extractor's workers share one cache (run
// with -race).
func TestParseCacheConcurrent(t *testing.T) {
	c := NewParseCache(16)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 200 {
				k := parseKey{s: fmt.Sprint((i + w) % 40)}
				want := time.Date(2000+(i+w)%40, 1, 1, 0, 0, 0, 0, time.UTC)
				if got, ok := c.get(k); ok && !got.Equal(want) {
					t.Errorf("key %q: %v, want %v", k.s, got, want)
				}
				c.put(k, want)
			}
		})
	}
	wg.Wait()
	if n := c.Len(); n != 16 {
		t.Fatalf("Len = %d, want 16", n)
	}
}

// TestParseCacheKeyOwnsItsBytes: the string go-htmldate hands the parser
// is often a slice of a larger one (normalizeSpaces and strLimit return a
// substring when nothing needs changing: a text node or attribute of a
// page, however much blank space surrounds the date). The cache outlives
// the page, so a key must not keep that page's memory alive: 4,096 keys
// would otherwise hold up to 4,096 pages.
func TestParseCacheKeyOwnsItsBytes(t *testing.T) {
	page := strings.Repeat(" ", 1<<20) + "5-March-2019" + strings.Repeat(" ", 1<<10)
	s := strLimit(normalizeSpaces(page), maxSegmentLen)
	if s != "5-March-2019" {
		t.Fatalf("normalized to %q", s)
	}
	start := uintptr(unsafe.Pointer(unsafe.StringData(page)))
	if p := uintptr(unsafe.Pointer(unsafe.StringData(s))); p < start || p >= start+uintptr(len(page)) {
		t.Fatal("normalizeSpaces copied: the test no longer builds a substring key")
	}
	c := NewParseCache(4)
	o := Options{MinDate: defaultMinDate, MaxDate: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), ParseCache: c}
	if got := externalDateParser(s, o); got.IsZero() {
		t.Fatalf("%q was not read as a date", s)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.days {
		if p := uintptr(unsafe.Pointer(unsafe.StringData(k.s))); p >= start && p < start+uintptr(len(page)) {
			t.Errorf("key %q points into the page's %d bytes: the cache keeps the page alive", k.s, len(page))
		}
	}
}
