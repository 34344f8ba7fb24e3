package index

import (
	"context"
	"sort"
	"strings"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/rules"
)

// maxFuzzyCandidates bounds the captures a fuzzy lookup examines.
const maxFuzzyCandidates = 2000

// Fuzzy returns the captures of keyURL (a URL as MethodURL keys it) whose
// URL equals it once the fuzzy rules have removed cache-busters and other
// volatile query parameters, in timestamp order: the fallback when an
// exact lookup finds nothing. Only captures with the same path are
// examined, at most maxFuzzyCandidates of them.
func Fuzzy(ctx context.Context, src Source, rs *rules.Set, keyURL string) ([]Capture, error) {
	key := cdxj.Key(keyURL)
	want := cdxj.Key(rs.FuzzyKey(keyURL))
	base, _, _ := strings.Cut(key, "?")
	var out []Capture
	for cp, err := range src.Lookup(ctx, Query{Key: base, URL: keyURL, MatchType: cdxj.MatchPrefix, Limit: maxFuzzyCandidates}) {
		if err != nil {
			return nil, err
		}
		k, _, _ := strings.Cut(cp.Key, "?")
		if k != base {
			continue // a longer path sharing the prefix
		}
		if cdxj.Key(rs.FuzzyKey(KeyedURL(cp))) == want {
			out = append(out, cp)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Timestamp < out[j].Timestamp })
	return out, nil
}
