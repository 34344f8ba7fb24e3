package index

import (
	"encoding/base64"
	"encoding/json"
	"mime"
	"net/url"
	"sort"
	"strings"
)

// maxPostKeyBody caps how much of a request body goes into a lookup key.
const maxPostKeyBody = 16 << 10

// MethodURL returns the URL a non-GET capture is keyed under, the way pywb
// keys them: "__wb_method=<method>" and the request body as query
// parameters appended to the URL, so a POST is matched by its body.
// Form bodies are used as they are, JSON bodies flattened to key=value,
// anything else base64-encoded as __wb_post_data. GET and HEAD return url.
func MethodURL(rawURL, method, contentType string, body []byte) string {
	m := strings.ToLower(method)
	if m == "" || m == "get" || m == "head" {
		return rawURL
	}
	if len(body) > maxPostKeyBody {
		body = body[:maxPostKeyBody]
	}
	q := "__wb_method=" + m
	if p := bodyQuery(contentType, body); p != "" {
		q += "&" + p
	}
	sep := "?"
	if strings.Contains(rawURL, "?") {
		sep = "&"
	}
	return rawURL + sep + q
}

func bodyQuery(contentType string, body []byte) string {
	if len(body) == 0 {
		return ""
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case mt == "application/x-www-form-urlencoded":
		return strings.TrimSpace(string(body))
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		var v any
		if json.Unmarshal(body, &v) == nil {
			vals := url.Values{}
			flattenJSON("", v, vals)
			keys := make([]string, 0, len(vals))
			for k := range vals {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			var b strings.Builder
			for i, k := range keys {
				for j, x := range vals[k] {
					if i+j > 0 {
						b.WriteByte('&')
					}
					b.WriteString(url.QueryEscape(k) + "=" + url.QueryEscape(x))
				}
			}
			return b.String()
		}
	}
	return "__wb_post_data=" + base64.StdEncoding.EncodeToString(body)
}

func flattenJSON(prefix string, v any, out url.Values) {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			name := k
			if prefix != "" {
				name = prefix + "." + k
			}
			flattenJSON(name, x, out)
		}
	case []any:
		for _, x := range t {
			flattenJSON(prefix, x, out)
		}
	case nil:
		out.Add(prefix, "")
	default:
		b, _ := json.Marshal(t)
		out.Add(prefix, strings.Trim(string(b), `"`))
	}
}
