// Package rules holds warcbox's per-site replay behaviour as data: the
// embedded rules.yaml (fuzzy URL matching, JavaScript rewrites, as pywb's
// rules.yaml), compiled and validated once at start-up.
package rules

import (
	_ "embed"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

//go:embed rules.yaml
var defaultYAML []byte

// Set is a compiled rule set; safe for concurrent use.
type Set struct {
	fuzzy []fuzzyRule
	js    []jsRule
}

type fuzzyRule struct {
	name        string
	url         *regexp.Regexp
	params      []string
	value       *regexp.Regexp
	keep        map[string]bool
	ignoreQuery bool
}

type jsRule struct {
	name    string
	url     *regexp.Regexp
	match   *regexp.Regexp
	replace []byte
}

type fileYAML struct {
	Fuzzy []struct {
		Name        string   `yaml:"name"`
		URL         string   `yaml:"url"`
		Params      []string `yaml:"params"`
		Value       string   `yaml:"value"`
		Keep        []string `yaml:"keep"`
		IgnoreQuery bool     `yaml:"ignore_query"`
	} `yaml:"fuzzy"`
	JS []struct {
		Name    string `yaml:"name"`
		URL     string `yaml:"url"`
		Match   string `yaml:"match"`
		Replace string `yaml:"replace"`
	} `yaml:"js"`
}

// Default returns the embedded rule set.
func Default() (*Set, error) { return Parse(defaultYAML) }

// Parse compiles a rules.yaml document. Errors name the rule at fault.
func Parse(b []byte) (*Set, error) {
	var f fileYAML
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	s := &Set{}
	compile := func(kind, name, field, expr string) (*regexp.Regexp, error) {
		if expr == "" {
			return nil, nil
		}
		re, err := regexp.Compile(expr)
		if err != nil {
			return nil, fmt.Errorf("rules: %s rule %q: %s: %w", kind, name, field, err)
		}
		return re, nil
	}
	for i, r := range f.Fuzzy {
		if r.Name == "" {
			return nil, fmt.Errorf("rules: fuzzy rule #%d has no name", i+1)
		}
		fr := fuzzyRule{name: r.Name, params: r.Params, ignoreQuery: r.IgnoreQuery, keep: map[string]bool{}}
		var err error
		if fr.url, err = compile("fuzzy", r.Name, "url", r.URL); err != nil {
			return nil, err
		}
		if fr.value, err = compile("fuzzy", r.Name, "value", r.Value); err != nil {
			return nil, err
		}
		for _, p := range r.Params {
			if _, err := path.Match(p, ""); err != nil {
				return nil, fmt.Errorf("rules: fuzzy rule %q: params: bad pattern %q", r.Name, p)
			}
		}
		for _, k := range r.Keep {
			fr.keep[k] = true
		}
		if len(fr.params) == 0 && !fr.ignoreQuery {
			return nil, fmt.Errorf("rules: fuzzy rule %q: needs params or ignore_query", r.Name)
		}
		s.fuzzy = append(s.fuzzy, fr)
	}
	for i, r := range f.JS {
		if r.Name == "" {
			return nil, fmt.Errorf("rules: js rule #%d has no name", i+1)
		}
		jr := jsRule{name: r.Name, replace: []byte(r.Replace)}
		var err error
		if jr.url, err = compile("js", r.Name, "url", r.URL); err != nil {
			return nil, err
		}
		if jr.match, err = compile("js", r.Name, "match", r.Match); err != nil {
			return nil, err
		}
		if jr.url == nil || jr.match == nil {
			return nil, fmt.Errorf("rules: js rule %q: needs url and match", r.Name)
		}
		s.js = append(s.js, jr)
	}
	return s, nil
}

// FuzzyKey returns rawURL with everything the fuzzy rules allow to differ
// removed: two URLs match fuzzily when their keys are equal. The remaining
// query parameters are sorted so their order does not matter either.
func (s *Set) FuzzyKey(rawURL string) string {
	base, query, hasQuery := strings.Cut(rawURL, "?")
	if frag := strings.IndexByte(query, '#'); frag >= 0 {
		query = query[:frag]
	}
	if s == nil || !hasQuery {
		return base
	}
	params := strings.Split(query, "&")
	for _, r := range s.fuzzy {
		if r.url != nil && !r.url.MatchString(rawURL) {
			continue
		}
		if r.ignoreQuery {
			return base
		}
		kept := params[:0:0]
		for _, p := range params {
			k, v, _ := strings.Cut(p, "=")
			if uk, err := url.QueryUnescape(k); err == nil {
				k = uk
			}
			if r.dropParam(k, v) {
				continue
			}
			kept = append(kept, p)
		}
		params = kept
	}
	kept := params[:0:0]
	for _, p := range params {
		if p != "" {
			kept = append(kept, p)
		}
	}
	if len(kept) == 0 {
		return base
	}
	sort.Strings(kept)
	return base + "?" + strings.Join(kept, "&")
}

func (r *fuzzyRule) dropParam(k, v string) bool {
	if r.keep[k] {
		return false
	}
	hit := false
	for _, p := range r.params {
		if ok, _ := path.Match(p, k); ok {
			hit = true
			break
		}
	}
	if !hit {
		return false
	}
	if r.value != nil {
		if uv, err := url.QueryUnescape(v); err == nil {
			v = uv
		}
		return r.value.MatchString(v)
	}
	return true
}

// JSRewriter returns the site-specific script rewrites for scripts served
// from (or inlined in a page at) scriptURL, or nil when no rule applies.
func (s *Set) JSRewriter(scriptURL string) func([]byte) []byte {
	if s == nil {
		return nil
	}
	var rs []jsRule
	for _, r := range s.js {
		if r.url.MatchString(scriptURL) {
			rs = append(rs, r)
		}
	}
	if len(rs) == 0 {
		return nil
	}
	return func(b []byte) []byte {
		for _, r := range rs {
			b = r.match.ReplaceAll(b, r.replace)
		}
		return b
	}
}
