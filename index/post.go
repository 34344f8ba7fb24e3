package index

import (
	"strings"

	"github.com/warcbox/warcbox/cdxj"
)

// MethodURL returns the URL a non-GET capture is keyed under, the way pywb
// and warcio.js key them: "__wb_method=<method>" and the request body as
// query parameters appended to the URL (cdxj.RequestQuery), so a POST is
// matched by its body. GET and HEAD return rawURL.
func MethodURL(rawURL, method, contentType string, body []byte) string {
	if method == "" || strings.EqualFold(method, "GET") || strings.EqualFold(method, "HEAD") {
		return rawURL
	}
	// The same cut as the indexer's, or a long body is looked up under a
	// key no index holds.
	_, query, ok := cdxj.RequestQuery(method, contentType, body, cdxj.MaxRequestQuery)
	if !ok {
		return rawURL
	}
	return cdxj.AppendMethodQuery(rawURL, method, query)
}

// KeyedURL is the URL capture c is keyed under (its method and request
// body folded in for non-GET captures).
func KeyedURL(c Capture) string {
	if c.Method == "" || strings.EqualFold(c.Method, "GET") {
		return c.URL
	}
	return cdxj.AppendMethodQuery(c.URL, c.Method, cdxj.DecodeURIQuery(c.RequestBody))
}
