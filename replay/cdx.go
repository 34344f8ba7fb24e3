package replay

import (
	"bytes"
	"container/heap"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/index"
)

// cdxRow is one capture as the CDX API shows it: named fields in pywb's
// order (urlkey, timestamp, then the CDX11 fields, then extras).
type cdxRow struct {
	names []string
	vals  map[string]string
}

func (r *cdxRow) get(name string) (string, bool) { v, ok := r.vals[name]; return v, ok }

func (r *cdxRow) set(name, v string) {
	if _, ok := r.vals[name]; !ok {
		r.names = append(r.names, name)
	}
	r.vals[name] = v
}

func newCDXRow(c index.Capture) *cdxRow {
	r := &cdxRow{vals: make(map[string]string, 12)}
	add := func(n, v string) {
		if v != "" {
			r.set(n, v)
		}
	}
	add("urlkey", c.Key)
	add("timestamp", c.Timestamp)
	add("url", c.URL)
	add("mime", c.Mime)
	if c.IsRevisit() {
		// A revisit's status is the original's: pywb's indexes leave it
		// out ("-"), so filters on status:200 find originals only and
		// resolveRevisits fills it in.
		r.set("status", "-")
	} else {
		add("status", c.Status)
	}
	add("digest", c.Digest)
	if c.Length > 0 {
		add("length", strconv.FormatInt(c.Length, 10))
	}
	add("offset", strconv.FormatInt(c.Offset, 10))
	add("filename", c.Filename)
	add("method", c.Method)
	add("requestBody", c.RequestBody)
	add("title", c.Title)
	return r
}

// cdxFields is a capture as the CDX API's and the JSON TimeMap's JSON
// shows it.
func cdxFields(c index.Capture) map[string]string { return newCDXRow(c).vals }

// isRevisit is pywb's CDXObject.is_revisit.
func (r *cdxRow) isRevisit() bool {
	return r.vals["mime"] == "warc/revisit" || r.vals["filename"] == "-"
}

// writeJSON writes the named fields as one JSON object in the given order.
func writeJSONObject(b *bytes.Buffer, r *cdxRow, names []string) {
	b.WriteByte('{')
	n := 0
	for _, name := range names {
		v, ok := r.vals[name]
		if !ok {
			continue
		}
		if n > 0 {
			b.WriteString(", ")
		}
		n++
		jsonString(b, name)
		b.WriteString(": ")
		jsonString(b, v)
	}
	b.WriteByte('}')
}

func jsonString(b *bytes.Buffer, s string) {
	// as encoding/json with SetEscapeHTML(false), without an encoder per
	// string: quotes, backslashes and control characters escaped; invalid
	// UTF-8 becomes U+FFFD.
	b.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b.WriteByte('\\')
				b.WriteByte(c)
			case c == '\n':
				b.WriteString(`\n`)
			case c == '\r':
				b.WriteString(`\r`)
			case c == '\t':
				b.WriteString(`\t`)
			case c < 0x20:
				b.WriteString(`\u00`)
				b.WriteByte(hexDigits[c>>4])
				b.WriteByte(hexDigits[c&15])
			default:
				b.WriteByte(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\ufffd`)
		case r == '\u2028' || r == '\u2029':
			fmt.Fprintf(b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	b.WriteByte('"')
}

const hexDigits = "0123456789abcdef"

// cdxjLine is the row as a CDXJ line without its newline: the text a
// filter without a field is matched against, as pywb matches str(cdx).
func (r *cdxRow) cdxjLine(fields []string) string {
	var b bytes.Buffer
	b.WriteString(r.vals["urlkey"])
	b.WriteByte(' ')
	b.WriteString(r.vals["timestamp"])
	b.WriteByte(' ')
	names := fields
	if names == nil {
		names = r.names
	}
	rest := make([]string, 0, len(names))
	for _, n := range names {
		if n != "urlkey" && n != "timestamp" {
			rest = append(rest, n)
		}
	}
	writeJSONObject(&b, r, rest)
	return b.String()
}

// cdx11Fields are the columns of output=text, pywb's CDX 11 format.
var cdx11Fields = []string{"urlkey", "timestamp", "url", "mime", "status", "digest", "redirect", "robotflags", "length", "offset", "filename"}

var origFields = []string{"orig.length", "orig.offset", "orig.filename"}

// cdxAltFields are pywb's CDXObject.CDX_ALT_FIELDS: other names for a
// field in filters and fields= ("s" is the status code, as in the
// Wayback CDX server; pywb's table lets a later "s" entry shadow it).
var cdxAltFields = map[string]string{
	"u": "url", "original": "url", "statuscode": "status", "s": "status", "mimetype": "mime", "m": "mime",
	"l": "length", "o": "offset", "d": "digest", "t": "timestamp", "k": "urlkey", "f": "filename",
}

// cdxKnownFields are the names fields= accepts (besides the aliases).
var cdxKnownFields = map[string]bool{
	"urlkey": true, "timestamp": true, "url": true, "mime": true, "status": true, "digest": true,
	"redirect": true, "robotflags": true, "length": true, "offset": true, "filename": true,
	"orig.length": true, "orig.offset": true, "orig.filename": true, "method": true,
	"requestBody": true, "title": true, "is_fuzzy": true,
}

func canonicalField(f string) string {
	if a, ok := cdxAltFields[f]; ok {
		return a
	}
	return f
}

// cdxFilter is one filter= parameter, as pywb's CDXFilter:
// [!][=|~][field:]expr, where no prefix means "contains", "=" exact, "~"
// a regular expression matched at the start, "!" negates; without a field
// the expression is matched against the whole CDXJ line.
type cdxFilter struct {
	field  string
	neg    bool
	mode   byte // 0 contains, '=' exact, '~' regex
	needle string
	re     *regexp.Regexp
}

func parseFilter(f string) (cdxFilter, error) {
	var cf cdxFilter
	s := f
	if strings.HasPrefix(s, "!") {
		cf.neg, s = true, s[1:]
	}
	if strings.HasPrefix(s, "=") || strings.HasPrefix(s, "~") {
		cf.mode, s = s[0], s[1:]
	}
	if field, expr, ok := strings.Cut(s, ":"); ok {
		cf.field, s = canonicalField(field), expr
	}
	cf.needle = s
	if cf.mode == '~' {
		// pywb uses Python's re.match: anchored at the start only.
		re, err := regexp.Compile(`^(?:` + s + `)`)
		if err != nil {
			return cf, fmt.Errorf("filter %q: invalid regular expression: %v", f, err)
		}
		cf.re = re
	}
	return cf, nil
}

func (f cdxFilter) match(r *cdxRow) bool {
	var v string
	if f.field == "" {
		v = r.cdxjLine(nil)
	} else {
		v = r.vals[f.field]
	}
	var ok bool
	switch f.mode {
	case '~':
		ok = f.re.MatchString(v)
	case '=':
		ok = v == f.needle
	default:
		ok = strings.Contains(v, f.needle)
	}
	return ok != f.neg
}

// cdxBool reads a boolean parameter as pywb's to_bool: absent or empty is
// false, and so are "0", "false", "f" and "off"; anything else is true.
func cdxBool(v string) bool {
	if v == "" {
		return false
	}
	switch strings.ToLower(v) {
	case "0", "false", "f", "off":
		return false
	}
	return true
}

// cdxError answers a bad CDX query as pywb does: 400 and a JSON message.
func cdxError(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	b, _ := json.Marshal(map[string]string{"message": msg})
	w.Write(append(b, '\n'))
}

// cdxDefaultLimit is pywb's default limit (CDXQuery.limit).
const cdxDefaultLimit = 100000

// cdxParams is a parsed CDX API query.
type cdxParams struct {
	raw, target     string
	matchType       cdxj.MatchType
	from, to        string
	limit           int
	filters         []cdxFilter
	fields          []string
	output          string
	closest         string
	reverse         bool
	resolveRevisits bool
	collapseTime    int
	allowFuzzy      bool
}

func parseCDXParams(q map[string][]string) (p cdxParams, msg string) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	p.raw = get("url")
	if p.raw == "" {
		return p, `The "url" param is required`
	}
	p.output = get("output")
	switch p.output {
	case "":
		p.output = "cdxj"
	case "cdxj", "json", "text", "link":
	default:
		return p, "output=" + p.output + " not supported"
	}
	if mt := get("matchType"); mt != "" {
		m, err := cdxj.ParseMatchType(mt)
		if err != nil {
			return p, "Invalid match_type: " + mt
		}
		p.matchType = m
	} else {
		switch {
		case strings.HasPrefix(p.raw, "*."):
			p.raw, p.matchType = p.raw[2:], cdxj.MatchDomain
		case strings.HasSuffix(p.raw, "*"):
			p.raw, p.matchType = strings.TrimSuffix(p.raw, "*"), cdxj.MatchPrefix
		default:
			p.matchType = cdxj.MatchExact
		}
	}
	target, ok := normaliseURL(p.raw)
	if !ok {
		return p, "Invalid url: " + p.raw
	}
	p.target = target
	p.from = get("from")
	if p.from == "" {
		p.from = get("from_ts")
	}
	p.to = get("to")
	for _, t := range []string{p.from, p.to} {
		if _, err := cdxj.PadTimestamp(t, false); err != nil {
			return p, "from/to must be (partial) 14-digit timestamps"
		}
	}
	p.limit = cdxDefaultLimit
	if l := get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 0 {
			return p, "Invalid value for limit= param: " + l
		}
		if n > 0 { // pywb: limit=0 is no limit
			p.limit = n
		}
	}
	for _, f := range q["filter"] {
		cf, err := parseFilter(f)
		if err != nil {
			return p, err.Error()
		}
		p.filters = append(p.filters, cf)
	}
	fl := get("fields")
	if fl == "" {
		fl = get("fl")
	}
	if fl != "" {
		for _, f := range strings.Split(fl, ",") {
			c := canonicalField(f)
			if !cdxKnownFields[c] {
				return p, fmt.Sprintf("Invalid field %q found in fields= argument", f)
			}
			p.fields = append(p.fields, c)
		}
	}
	p.closest = get("closest")
	if p.closest != "" {
		if len(p.closest) > 14 || strings.Trim(p.closest, "0123456789") != "" {
			return p, "Invalid value for closest= param: " + p.closest
		}
	}
	// sort=reverse overrides reverse=0; sort=closest needs no closest=
	// handling of its own: closest= alone sorts by closeness, as in pywb.
	p.reverse = cdxBool(get("reverse")) || get("sort") == "reverse"
	p.resolveRevisits = cdxBool(get("resolveRevisits"))
	if ct := get("collapseTime"); ct != "" {
		n, err := strconv.Atoi(ct)
		if err != nil || n <= 0 {
			return p, "Invalid value for collapseTime= param: " + ct
		}
		p.collapseTime = n
	}
	p.allowFuzzy = get("allowFuzzy") == "" || cdxBool(get("allowFuzzy"))
	return p, ""
}

// handleCDX answers pywb's CDX server API (pywb's warcserver/index
// semantics: tests/test_cdx_server_app.py, index/test/test_cdxops.py).
// The stages run in pywb's order: resolve revisits, filter, clamp to
// from/to, collapse by time, then closest, reverse or plain limit.
func (s *Server) handleCDX(w http.ResponseWriter, r *http.Request, c *collection) {
	p, msg := parseCDXParams(r.URL.Query())
	if msg != "" {
		cdxError(w, msg)
		return
	}
	ctx := r.Context()
	cc := newCDXCollector(p)
	if p.matchType == cdxj.MatchExact {
		// one URL's captures (and its "/" twin): few enough to collect
		caps, err := exactCaptures(ctx, c.source(), p.target)
		fuzzy := false
		if err == nil && len(caps) == 0 && p.allowFuzzy {
			caps, err = s.fuzzyCaptures(ctx, c.source(), p.target)
			fuzzy = true
		}
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		for _, cp := range caps {
			if !cc.add(cp, fuzzy) {
				break
			}
		}
	} else {
		key := cdxj.Key(p.target)
		if p.matchType == cdxj.MatchPrefix && !strings.Contains(p.raw, "?") && strings.HasSuffix(key, "/") && !strings.HasSuffix(p.raw, "/") {
			key = strings.TrimSuffix(key, "/")
		}
		q := index.Query{Key: key, URL: p.target, MatchType: p.matchType}
		if len(p.filters) == 0 && !p.resolveRevisits && p.collapseTime == 0 && p.closest == "" && !p.reverse {
			q.Limit = p.limit
		}
		// streamed: a domain query may cover millions of captures, of which
		// at most limit rows are kept
		for cp, err := range c.source().Lookup(ctx, q) {
			if err != nil {
				s.serverError(w, r, err)
				return
			}
			if !cc.add(cp, false) {
				break
			}
		}
	}
	writeCDX(w, r, c, p, cc.result())
}

// maxOriginals bounds the digests resolveRevisits remembers; past it a
// revisit of an unremembered original gets "-" as if it had none.
const maxOriginals = 1 << 20

// cdxCollector runs pywb's stages over captures one at a time, keeping at
// most limit rows: the first ones, the last ones (reverse, as pywb's
// deque(maxlen=limit)) or the closest ones (a heap).
type cdxCollector struct {
	p         cdxParams
	originals map[string]*cdxRow
	lastTok   string
	hasTok    bool
	rows      []*cdxRow
	closest   closestHeap
	target    time.Time
	seq       int
}

func newCDXCollector(p cdxParams) *cdxCollector {
	cc := &cdxCollector{p: p}
	if p.resolveRevisits {
		cc.originals = map[string]*cdxRow{}
	}
	if p.closest != "" {
		cc.target = tsTime(p.closest)
	}
	return cc
}

// add runs one capture through the stages; false means no more are needed.
func (cc *cdxCollector) add(cp index.Capture, fuzzy bool) bool {
	p := cc.p
	row := newCDXRow(cp)
	if fuzzy {
		row.set("is_fuzzy", "1")
	}
	if p.resolveRevisits {
		resolveRevisit(row, cc.originals)
	}
	for _, f := range p.filters {
		if !f.match(row) {
			return true
		}
	}
	if !timeInRange(cp.Timestamp, p.from, p.to) {
		return true
	}
	if p.collapseTime > 0 {
		ts := cp.Timestamp
		if len(ts) > p.collapseTime {
			ts = ts[:p.collapseTime]
		}
		tok := ts + " " + row.vals["status"]
		if cc.hasTok && tok == cc.lastTok {
			return true
		}
		cc.lastTok, cc.hasTok = tok, true
	}
	switch {
	case p.closest != "":
		d := tsTime(cp.Timestamp).Sub(cc.target).Abs()
		heap.Push(&cc.closest, closestItem{d, cc.seq, row})
		cc.seq++
		if cc.closest.Len() > p.limit {
			heap.Pop(&cc.closest) // the farthest (the latest of equals)
		}
	case p.reverse:
		cc.rows = append(cc.rows, row)
		if len(cc.rows) >= 2*p.limit {
			cc.rows = append([]*cdxRow(nil), cc.rows[len(cc.rows)-p.limit:]...)
		}
	default:
		cc.rows = append(cc.rows, row)
		return len(cc.rows) < p.limit
	}
	return true
}

// result returns the rows in output order.
func (cc *cdxCollector) result() []*cdxRow {
	switch {
	case cc.p.closest != "":
		items := cc.closest
		sort.Slice(items, func(i, j int) bool { return items[i].before(items[j]) })
		out := make([]*cdxRow, len(items))
		for i, it := range items {
			out[i] = it.row
		}
		return out
	case cc.p.reverse:
		rows := cc.rows
		if len(rows) > cc.p.limit {
			rows = rows[len(rows)-cc.p.limit:]
		}
		out := make([]*cdxRow, len(rows))
		for i, r := range rows {
			out[len(rows)-1-i] = r
		}
		return out
	}
	return cc.rows
}

// closestItem is a row and its distance from closest=; seq breaks ties
// for the earlier capture, as pywb's bisect_right insertion does.
type closestItem struct {
	dist time.Duration
	seq  int
	row  *cdxRow
}

func (a closestItem) before(b closestItem) bool {
	return a.dist < b.dist || a.dist == b.dist && a.seq < b.seq
}

// closestHeap is a max-heap: its root is the row to drop first.
type closestHeap []closestItem

func (h closestHeap) Len() int           { return len(h) }
func (h closestHeap) Less(i, j int) bool { return h[j].before(h[i]) }
func (h closestHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *closestHeap) Push(x any)        { *h = append(*h, x.(closestItem)) }
func (h *closestHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	*h = old[:len(old)-1]
	return it
}

// resolveRevisit is pywb's cdx_resolve_revisits for one row: a revisit
// whose digest an earlier original had gets that original's mime, status,
// length, offset and filename (the last three as orig.*); every other row
// gets "-" in the orig.* fields.
func resolveRevisit(row *cdxRow, originals map[string]*cdxRow) {
	digest := row.vals["digest"]
	var orig *cdxRow
	if digest != "" {
		orig = originals[digest]
		if orig == nil && !row.isRevisit() && len(originals) < maxOriginals {
			originals[digest] = row
		}
	}
	if orig != nil && row.isRevisit() {
		row.set("mime", orig.vals["mime"])
		row.set("status", orig.vals["status"])
		for i, f := range []string{"length", "offset", "filename"} {
			v, ok := orig.vals[f]
			if !ok {
				v = "-"
			}
			row.set(origFields[i], v)
		}
		return
	}
	for _, f := range origFields {
		row.set(f, "-")
	}
}

// timeInRange is pywb's cdx_clamp: from padded down, to padded up.
func timeInRange(ts, from, to string) bool {
	if from != "" {
		if f, err := cdxj.PadTimestamp(from, false); err == nil && ts < f {
			return false
		}
	}
	if to != "" {
		if t, err := cdxj.PadTimestamp(to, true); err == nil && ts > t {
			return false
		}
	}
	return true
}

// writeCDX writes the rows in the requested output: cdxj (pywb's
// default), json (one object a line), text (space-separated CDX 11
// columns, or the fields= columns) or link (a TimeMap's memento links).
// No rows is a 200 with an empty body, as pywb answers.
func writeCDX(w http.ResponseWriter, r *http.Request, c *collection, p cdxParams, rows []*cdxRow) {
	var b bytes.Buffer
	var ctype string
	switch p.output {
	case "cdxj":
		ctype = "text/x-cdxj"
		for _, row := range rows {
			b.WriteString(row.cdxjLine(p.fields))
			b.WriteByte('\n')
		}
	case "json":
		ctype = "text/x-ndjson"
		for _, row := range rows {
			names := p.fields
			if names == nil {
				names = row.names
			}
			writeJSONObject(&b, row, names)
			b.WriteByte('\n')
		}
	case "text":
		ctype = "text/plain"
		for _, row := range rows {
			names := p.fields
			if names == nil {
				names = cdx11Fields
				if p.resolveRevisits {
					names = append(append([]string(nil), cdx11Fields...), origFields...)
				}
			}
			for i, n := range names {
				if i > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(orDefault(row.vals[n], "-"))
			}
			b.WriteByte('\n')
		}
	case "link":
		ctype = "application/link-format"
		base := origin(r) + "/" + c.name + "/"
		for i, row := range rows {
			ts := row.vals["timestamp"]
			fmt.Fprintf(&b, `<%s%s/%s>; rel="memento"; datetime="%s"; collection="%s"`,
				base, ts, linkURL(row.vals["url"]), httpDate(ts), c.name)
			if i < len(rows)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
	}
	w.Header().Set("Content-Type", ctype)
	io.Copy(w, &b)
}
