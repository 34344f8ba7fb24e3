package index

import "github.com/warcbox/warcbox/cdxj"

// Key returns the canonical SURT key of a URL, the sort key of every
// index: cdxj's warcio.js-compatible SURT (scheme and "www." dropped, so
// http/https and www variants share a key).
func Key(raw string) string { return cdxj.Key(raw) }
