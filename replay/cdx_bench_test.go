package replay

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// BenchmarkCDXDomain is a CDX API domain query over iana.warc.gz's 171
// captures with every stage on: filter, resolveRevisits, collapseTime,
// closest (the heap) and JSON output.
func BenchmarkCDXDomain(b *testing.B) {
	benchServe(b, "/web/cdx?url=iana.org&matchType=domain&filter=!mime:image&resolveRevisits=1&collapseTime=12&closest=20140126201000&limit=50&output=json")
}

// BenchmarkCDXExact is pywb's most common query: one URL, CDXJ out.
func BenchmarkCDXExact(b *testing.B) {
	benchServe(b, "/web/cdx?url=http://WWW.IANA.ORG/_css/2013.1/screen.css")
}

// TestJSONStringMatchesEncodingJSON checks the CDX API's string writer
// against encoding/json (with SetEscapeHTML(false)).
func TestJSONStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", `q"uo\te`, "tab\tnl\nret\r", "\x00\x01\x1f", "<>&", "caf\xe9", "é ü 日本", "\u2028\u2029", "\xff\xfe"} {
		var got, want bytes.Buffer
		jsonString(&got, s)
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.Encode(s)
		if got.String() != strings.TrimSuffix(want.String(), "\n") {
			t.Errorf("%q: %s, encoding/json %s", s, got.String(), want.String())
		}
	}
}
