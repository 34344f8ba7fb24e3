package cdxj

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxRequestQuery is the length (in UTF-16 code units, as JavaScript
// counts) at which warcio.js cuts a request body folded into a key.
const MaxRequestQuery = 4096

// RequestQuery turns the body of a non-GET request into the query string
// pywb and warcio.js fold into the key of the capture, so that two POSTs to
// one URL with different bodies get different keys.
//
// It follows warcio.js postToGetUrl: by the request's Content-Type
// (compared as written, before any ';'):
//   - application/x-www-form-urlencoded: the body as it is;
//   - application/json (and text/plain holding JSON): "key=value" for every
//     scalar in the document, nested keys flattened, repeated keys numbered
//     "key.2_", form-encoded;
//   - multipart/form-data: name=value for every simple part;
//   - anything else: "__wb_post_data=" and the body in base64.
//
// requestBody is the value for the CDXJ "requestBody" field (cut at
// maxSize UTF-16 units if maxSize > 0); query is what goes into the URL
// (requestBody after JavaScript's decodeURI, or "" if that fails). ok is
// false only for GET, whose key is the URL's own.
func RequestQuery(method, contentType string, body []byte, maxSize int) (requestBody, query string, ok bool) {
	if method == "GET" {
		return "", "", false
	}
	mime, _, _ := strings.Cut(contentType, ";")
	var q string
	switch mime {
	case "application/x-www-form-urlencoded":
		q = decodeUTF8(body)
	case "application/json":
		q = jsonToQuery(decodeUTF8(body))
	case "text/plain":
		q = jsonToQuery(decodeUTF8(body))
	case "multipart/form-data":
		q = multipartToQuery(decodeUTF8(body), contentType)
	default:
		q = "__wb_post_data=" + base64.StdEncoding.EncodeToString(body)
	}
	if maxSize > 0 {
		q = truncateUTF16(q, maxSize)
	}
	dec, err := decodeURI(q)
	if err != nil {
		dec = ""
	}
	return q, dec, true
}

// AppendMethodQuery appends "__wb_method=<method>&<query>" to rawURL (with
// '?' or '&'), as pywb and warcio.js do before computing a non-GET
// capture's key. The method keeps its case: [SURT] lower-cases it.
func AppendMethodQuery(rawURL, method, query string) string {
	if method == "" {
		return rawURL
	}
	sep := "?"
	if strings.IndexByte(rawURL, '?') > 0 {
		sep = "&"
	}
	return rawURL + sep + "__wb_method=" + method + "&" + query
}

// DecodeURIQuery is [decodeURI] that returns "" where the JavaScript
// function would throw, as warcio.js does with a request body.
func DecodeURIQuery(s string) string {
	d, err := decodeURI(s)
	if err != nil {
		return ""
	}
	return d
}

// errURIMalformed is JavaScript's URIError.
var errURIMalformed = errors.New("cdxj: malformed URI sequence")

// decodeURI is JavaScript's decodeURI: %XX sequences that form UTF-8 are
// decoded, except those that stand for one of ";/?:@&=+$,#", which stay
// escaped; a malformed sequence is an error.
func decodeURI(s string) (string, error) {
	if strings.IndexByte(s, '%') < 0 {
		return s, nil
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if s[i] != '%' {
			b.WriteByte(s[i])
			i++
			continue
		}
		if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
			return "", errURIMalformed
		}
		c := unhex(s[i+1])<<4 | unhex(s[i+2])
		if c < 0x80 {
			if strings.IndexByte(";/?:@&=+$,#", c) >= 0 {
				b.WriteString(s[i : i+3])
			} else {
				b.WriteByte(c)
			}
			i += 3
			continue
		}
		var n int
		switch {
		case c&0xe0 == 0xc0:
			n = 2
		case c&0xf0 == 0xe0:
			n = 3
		case c&0xf8 == 0xf0:
			n = 4
		default:
			return "", errURIMalformed
		}
		buf := []byte{c}
		j := i + 3
		for k := 1; k < n; k++ {
			if j+2 >= len(s) || s[j] != '%' || !isHex(s[j+1]) || !isHex(s[j+2]) {
				return "", errURIMalformed
			}
			buf = append(buf, unhex(s[j+1])<<4|unhex(s[j+2]))
			j += 3
		}
		r, size := utf8.DecodeRune(buf)
		if r == utf8.RuneError || size != n {
			return "", errURIMalformed
		}
		b.Write(buf)
		i = j
	}
	return b.String(), nil
}

// decodeUTF8 decodes like TextDecoder: each invalid byte becomes U+FFFD.
func decodeUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		sb.WriteRune(r)
		b = b[n:]
	}
	return sb.String()
}

func truncateUTF16(s string, max int) string {
	units := 0
	for i, r := range s {
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if units+w > max {
			// JavaScript may keep half a surrogate pair; a Go string
			// cannot, so the whole character goes.
			return s[:i]
		}
		units += w
	}
	return s
}

// queryParams is an ordered URLSearchParams.
type queryParams struct {
	keys, vals []string
}

func (q *queryParams) has(k string) bool {
	for _, x := range q.keys {
		if x == k {
			return true
		}
	}
	return false
}

// set replaces the first pair named k (dropping later ones) or appends.
func (q *queryParams) set(k, v string) {
	for i, x := range q.keys {
		if x == k {
			q.vals[i] = v
			return
		}
	}
	q.keys = append(q.keys, k)
	q.vals = append(q.vals, v)
}

// String serializes as application/x-www-form-urlencoded, as
// URLSearchParams.toString does.
func (q *queryParams) String() string {
	var b strings.Builder
	for i := range q.keys {
		if i > 0 {
			b.WriteByte('&')
		}
		formEncode(&b, q.keys[i])
		b.WriteByte('=')
		formEncode(&b, q.vals[i])
	}
	return b.String()
}

func formEncode(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			c == '*', c == '-', c == '.', c == '_':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(upperHex[c>>4])
			b.WriteByte(upperHex[c&15])
		}
	}
}

// jsonValue is a parsed JSON value with object members in JavaScript's
// property order (array-index keys ascending, then insertion order).
type jsonValue struct {
	kind   byte // 'o' object, 'a' array, 's' string, 'n' number, 'b' bool, 'z' null
	str    string
	keys   []string
	fields []jsonValue
	items  []jsonValue
}

// jsonToQuery is warcio.js jsonToQueryString: invalid JSON gives "".
func jsonToQuery(s string) string {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	v, err := readJSON(dec, 0)
	if err != nil {
		return ""
	}
	if _, err := dec.Token(); err != io.EOF {
		return "" // trailing data: JSON.parse would throw
	}
	var q queryParams
	dupes := map[string]int{}
	var walk func(v jsonValue, key string)
	walk = func(v jsonValue, key string) {
		value := ""
		switch v.kind {
		case 'o':
			for i, k := range v.keys {
				walk(v.fields[i], k)
			}
		case 'z':
			value = "null"
		case 'a':
			for _, it := range v.items {
				walk(it, key)
			}
		default:
			value = v.str
		}
		if value == "" {
			return
		}
		k := key
		if q.has(key) {
			if _, ok := dupes[key]; !ok {
				dupes[key] = 1
			}
			dupes[key]++
			k = key + "." + strconv.Itoa(dupes[key]) + "_"
		}
		q.set(k, value)
	}
	walk(v, "")
	return q.String()
}

const maxJSONDepth = 512

func readJSON(dec *json.Decoder, depth int) (jsonValue, error) {
	if depth > maxJSONDepth {
		return jsonValue{}, errors.New("json too deep")
	}
	tok, err := dec.Token()
	if err != nil {
		return jsonValue{}, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			v := jsonValue{kind: 'o'}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return v, err
				}
				k, _ := kt.(string)
				f, err := readJSON(dec, depth+1)
				if err != nil {
					return v, err
				}
				replaced := false
				for i, x := range v.keys {
					if x == k {
						v.fields[i], replaced = f, true
					}
				}
				if !replaced {
					v.keys = append(v.keys, k)
					v.fields = append(v.fields, f)
				}
			}
			if _, err := dec.Token(); err != nil {
				return v, err
			}
			orderJSKeys(&v)
			return v, nil
		case '[':
			v := jsonValue{kind: 'a'}
			for dec.More() {
				it, err := readJSON(dec, depth+1)
				if err != nil {
					return v, err
				}
				v.items = append(v.items, it)
			}
			_, err := dec.Token()
			return v, err
		}
	case string:
		return jsonValue{kind: 's', str: t}, nil
	case json.Number:
		f, err := strconv.ParseFloat(string(t), 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return jsonValue{}, err
		}
		return jsonValue{kind: 'n', str: jsNumber(f)}, nil
	case bool:
		return jsonValue{kind: 'b', str: strconv.FormatBool(t)}, nil
	case nil:
		return jsonValue{kind: 'z'}, nil
	}
	return jsonValue{}, errors.New("unexpected json token")
}

// orderJSKeys puts array-index keys first, ascending, as JavaScript orders
// an object's own properties.
func orderJSKeys(v *jsonValue) {
	idx := func(k string) (uint64, bool) {
		if k == "" || (len(k) > 1 && k[0] == '0') {
			return 0, false
		}
		n, err := strconv.ParseUint(k, 10, 32)
		return n, err == nil && n < math.MaxUint32
	}
	type kv struct {
		k string
		f jsonValue
	}
	var nums, rest []kv
	for i, k := range v.keys {
		if _, ok := idx(k); ok {
			nums = append(nums, kv{k, v.fields[i]})
		} else {
			rest = append(rest, kv{k, v.fields[i]})
		}
	}
	if len(nums) == 0 {
		return
	}
	sort.SliceStable(nums, func(i, j int) bool {
		a, _ := idx(nums[i].k)
		b, _ := idx(nums[j].k)
		return a < b
	})
	v.keys, v.fields = v.keys[:0], v.fields[:0]
	for _, x := range append(nums, rest...) {
		v.keys = append(v.keys, x.k)
		v.fields = append(v.fields, x.f)
	}
}

// jsNumber formats a float64 as JavaScript's Number.prototype.toString.
func jsNumber(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return "0"
	}
	a := math.Abs(f)
	if a >= 1e-6 && a < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	s := strconv.FormatFloat(f, 'e', -1, 64)
	mant, exp, _ := strings.Cut(s, "e")
	sign := exp[0]
	exp = strings.TrimLeft(exp[1:], "0")
	return mant + "e" + string(sign) + exp
}

// multipartToQuery is warcio.js mfdToQueryString: the first line of every
// part that has a name and no other headers.
func multipartToQuery(body, contentType string) string {
	_, boundary, ok := strings.Cut(contentType, "boundary=")
	if !ok || boundary == "" {
		return ""
	}
	if i := strings.Index(boundary, "boundary="); i >= 0 {
		boundary = boundary[:i] // split()[1] stops at a second "boundary="
	}
	var q queryParams
	lowBody, lowB := strings.ToLower(body), strings.ToLower(boundary)
	start := 0
	emit := func(part string) {
		part = strings.TrimSpace(part)
		name, value, ok := multipartField(part)
		if ok {
			q.set(name, value)
		}
	}
	for {
		i := strings.Index(lowBody[start:], lowB)
		if i < 0 {
			emit(body[start:])
			break
		}
		i += start
		l := i
		for l > start && body[l-1] == '-' {
			l--
		}
		emit(body[start:l])
		r := i + len(boundary)
		for r < len(body) && body[r] == '-' {
			r++
		}
		start = r
	}
	return q.String()
}

// multipartField finds name="X"\r\n\r\nVALUE as the regular expression
// /name="([^"]+)"\r\n\r\n(.*)/im does.
func multipartField(part string) (string, string, bool) {
	low := strings.ToLower(part)
	from := 0
	for {
		i := strings.Index(low[from:], `name="`)
		if i < 0 {
			return "", "", false
		}
		i += from + len(`name="`)
		j := strings.IndexByte(part[i:], '"')
		if j > 0 && strings.HasPrefix(part[i+j+1:], "\r\n\r\n") {
			name := part[i : i+j]
			v := part[i+j+5:]
			if k := strings.IndexAny(v, "\r\n\u2028\u2029"); k >= 0 {
				v = v[:k]
			}
			return name, v, true
		}
		from = i
	}
}
