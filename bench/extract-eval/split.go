package main

import (
	_ "embed"
	"fmt"
	"hash/fnv"
	"net/url"
	"os"
	"slices"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// The dev sets are split by site so that a rule fitted to one site's
// template cannot score on that site's other pages in the validation half.
// split.txt fixes the split in the repository: one "<half> <site>" line per
// registered domain of either set. It was written by -write-split from
// siteHalf's hash, so a site new to the sets falls in the same half it would
// have been given had it been listed.

//go:embed split.txt
var splitList string

const (
	tuning     = "tuning"
	validation = "validation"
)

var halves = []string{tuning, validation}

// loadSplit reads split.txt.
func loadSplit() (map[string]string, error) {
	m := map[string]string{}
	for i, l := range strings.Split(splitList, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		half, site, ok := strings.Cut(l, " ")
		if !ok || (half != tuning && half != validation) {
			return nil, fmt.Errorf("split.txt line %d: want \"tuning|validation site\", got %q", i+1, l)
		}
		m[site] = half
	}
	return m, nil
}

// hashHalf is the rule split.txt was made with: FNV-1a of the site, even
// hashes tune, odd ones validate.
func hashHalf(site string) string {
	h := fnv.New32a()
	h.Write([]byte(site))
	if h.Sum32()%2 == 0 {
		return tuning
	}
	return validation
}

// siteOf returns the registered domain (eTLD+1) a page belongs to. A
// Wayback Machine URL belongs to the site it archived; trafilatura's
// "hard::name.html" keys name the site at the start of the file name.
func siteOf(key string) string {
	if rest, ok := strings.CutPrefix(key, "https://web.archive.org/web/"); ok {
		if _, orig, ok := strings.Cut(rest, "/"); ok {
			if !strings.Contains(orig, "://") {
				orig = "http://" + orig
			}
			key = orig
		}
	}
	if i := strings.Index(key, "::"); i > 0 && !strings.Contains(key[:i], "/") {
		return siteOfFileName(key[i+2:])
	}
	key = strings.TrimPrefix(key, "x") // one htmldate key is "xhttps://…"
	u, err := url.Parse(key)
	if err != nil || u.Hostname() == "" {
		return siteOfFileName(key)
	}
	return registered(u.Hostname())
}

// siteOfFileName reads "nationnews.com-schools.html" or
// "dw.com.colonial.html": the longest run of leading dot-separated labels
// that ends in a public suffix with one label before it.
func siteOfFileName(name string) string {
	name = strings.TrimSuffix(name, ".html")
	if i := strings.IndexAny(name, "-_"); i > 0 {
		name = name[:i]
	}
	labels := strings.Split(strings.ToLower(name), ".")
	for n := 2; n <= len(labels); n++ {
		host := strings.Join(labels[:n], ".")
		if suffix, icann := publicsuffix.PublicSuffix(host); icann && suffix != host {
			// Stop at the first ICANN suffix unless the next label extends it
			// ("laestrella.com.pa").
			if n < len(labels) {
				longer := strings.Join(labels[:n+1], ".")
				if s2, ok := publicsuffix.PublicSuffix(longer); ok && s2 != longer && strings.Count(s2, ".") > strings.Count(suffix, ".") {
					continue
				}
			}
			return registered(host)
		}
	}
	return strings.ToLower(name)
}

func registered(host string) string {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if d, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
		return d
	}
	return host
}

// splitter assigns pages to halves.
type splitter struct {
	list     map[string]string
	unlisted map[string]bool
}

func newSplitter() (*splitter, error) {
	l, err := loadSplit()
	if err != nil {
		return nil, err
	}
	return &splitter{list: l, unlisted: map[string]bool{}}, nil
}

func (s *splitter) half(key string) (site, half string) {
	site = siteOf(key)
	if h, ok := s.list[site]; ok {
		return site, h
	}
	s.unlisted[site] = true
	return site, hashHalf(site)
}

// writeSplit writes split.txt for the sites of both sets.
func writeSplit(path string, sites []string) error {
	slices.Sort(sites)
	sites = slices.Compact(sites)
	var sb strings.Builder
	sb.WriteString("# Sites of ../shared/extract-eval's trafilatura and htmldate sets, by half (see split.go).\n")
	sb.WriteString("# Tune on \"tuning\" only; a change is kept when \"validation\" improves as well.\n")
	for _, s := range sites {
		fmt.Fprintf(&sb, "%s %s\n", hashHalf(s), s)
	}
	return os.WriteFile(path, []byte(sb.String()), 0o644)
}
