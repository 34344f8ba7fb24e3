package replay

import (
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/warcbox/warcbox/index"
)

// cdxFields is a capture as the CDX API's JSON output shows it.
func cdxFields(c index.Capture) map[string]string {
	m := map[string]string{
		"urlkey": c.URLKey, "timestamp": c.Timestamp, "url": c.URL, "mime": c.Mime, "status": c.Status,
		"digest": c.Digest, "offset": strconv.FormatInt(c.Offset, 10), "filename": c.Filename,
	}
	if c.Length > 0 {
		m["length"] = strconv.FormatInt(c.Length, 10)
	}
	if c.Method != "" {
		m["method"] = c.Method
	}
	if c.RequestBody != "" {
		m["requestBody"] = c.RequestBody
	}
	if c.Title != "" {
		m["title"] = c.Title
	}
	for k, v := range m {
		if v == "" {
			delete(m, k)
		}
	}
	return m
}

// cdxFilter is one filter= parameter: [!][=|~]field:expr, as pywb: "="
// exact, "~" substring, otherwise a regular expression; "!" negates.
type cdxFilter struct {
	field string
	neg   bool
	exact string
	sub   string
	re    *regexp.Regexp
}

func parseFilter(f string) (cdxFilter, error) {
	var cf cdxFilter
	if strings.HasPrefix(f, "!") {
		cf.neg, f = true, f[1:]
	}
	mode := byte(0)
	if strings.HasPrefix(f, "=") || strings.HasPrefix(f, "~") {
		mode, f = f[0], f[1:]
	}
	field, expr, ok := strings.Cut(f, ":")
	if !ok || field == "" {
		return cf, fmt.Errorf("filter %q: want field:expression", f)
	}
	cf.field = field
	switch mode {
	case '=':
		cf.exact = expr
	case '~':
		cf.sub = expr
	default:
		re, err := regexp.Compile(expr)
		if err != nil {
			return cf, fmt.Errorf("filter %q: %v", f, err)
		}
		cf.re = re
	}
	return cf, nil
}

func (f cdxFilter) match(m map[string]string) bool {
	v := m[f.field]
	var ok bool
	switch {
	case f.re != nil:
		ok = f.re.MatchString(v)
	case f.sub != "":
		ok = strings.Contains(v, f.sub)
	default:
		ok = v == f.exact
	}
	return ok != f.neg
}

// handleCDX answers pywb's CDX server API:
// ?url=&matchType=exact|prefix|host|domain&from=&to=&limit=&sort=closest|reverse
// &closest=&output=json|cdxj|text&fl=&filter=
func (s *Server) handleCDX(w http.ResponseWriter, r *http.Request, c *collection) {
	q := r.URL.Query()
	raw := q.Get("url")
	if raw == "" {
		badRequest(w, "url= is required")
		return
	}
	mt := index.MatchType(q.Get("matchType"))
	switch {
	case strings.HasPrefix(raw, "*."):
		raw, mt = raw[2:], index.MatchDomain
	case strings.HasSuffix(raw, "*"):
		raw, mt = strings.TrimSuffix(raw, "*"), index.MatchPrefix
	}
	switch mt {
	case "", index.MatchExact, index.MatchPrefix, index.MatchHost, index.MatchDomain:
	default:
		badRequest(w, "matchType must be exact, prefix, host or domain")
		return
	}
	target, ok := normaliseURL(raw)
	if !ok {
		badRequest(w, "not a web URL")
		return
	}
	from, to := q.Get("from"), q.Get("to")
	for _, t := range []string{from, to} {
		if _, ok := index.PadTimestamp(t, false); !ok {
			badRequest(w, "from/to must be (partial) 14-digit timestamps")
			return
		}
	}
	limit := 0
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil {
			badRequest(w, "limit must be a number")
			return
		}
		limit = n
	}
	var filters []cdxFilter
	for _, f := range q["filter"] {
		cf, err := parseFilter(f)
		if err != nil {
			badRequest(w, err.Error())
			return
		}
		filters = append(filters, cf)
	}
	key := index.Key(target)
	if mt == index.MatchPrefix && !strings.Contains(raw, "?") && strings.HasSuffix(key, "/") && !strings.HasSuffix(raw, "/") {
		key = strings.TrimSuffix(key, "/")
	}
	sortMode := q.Get("sort")
	closest := q.Get("closest")
	query := index.Query{Key: key, URL: target, MatchType: mt, From: from, To: to}
	if len(filters) == 0 && sortMode == "" && limit > 0 {
		query.Limit = limit
	}
	var out []map[string]string
	for cp, err := range c.source().Lookup(r.Context(), query) {
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		m := cdxFields(cp)
		keep := true
		for _, f := range filters {
			if !f.match(m) {
				keep = false
				break
			}
		}
		if keep {
			out = append(out, m)
		}
	}
	switch sortMode {
	case "reverse":
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	case "closest":
		if closest == "" {
			badRequest(w, "sort=closest needs closest=")
			return
		}
		t := tsTime(closest)
		sort.SliceStable(out, func(i, j int) bool {
			di, dj := tsTime(out[i]["timestamp"]).Sub(t).Abs(), tsTime(out[j]["timestamp"]).Sub(t).Abs()
			return di < dj
		})
	case "":
	default:
		badRequest(w, "sort must be closest or reverse")
		return
	}
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	var fl []string
	if f := q.Get("fl"); f != "" {
		fl = strings.Split(f, ",")
	}
	output := q.Get("output")
	if len(out) == 0 {
		http.Error(w, "No Captures found for: "+target, http.StatusNotFound)
		return
	}
	switch output {
	case "json":
		w.Header().Set("Content-Type", "application/x-ndjson")
		for _, m := range out {
			if fl != nil {
				sel := map[string]string{}
				for _, f := range fl {
					if v, ok := m[f]; ok {
						sel[f] = v
					}
				}
				m = sel
			}
			if jsonLine(w, m) != nil {
				return
			}
		}
	case "", "cdxj", "text":
		w.Header().Set("Content-Type", "text/x-cdxj")
		for _, m := range out {
			if fl != nil {
				vals := make([]string, len(fl))
				for i, f := range fl {
					vals[i] = orDefault(m[f], "-")
				}
				fmt.Fprintln(w, strings.Join(vals, " "))
				continue
			}
			key, ts := m["urlkey"], m["timestamp"]
			delete(m, "urlkey")
			delete(m, "timestamp")
			fmt.Fprintf(w, "%s %s ", key, ts)
			jsonLine(w, m)
		}
	default:
		badRequest(w, "output must be json, cdxj or text")
	}
}
