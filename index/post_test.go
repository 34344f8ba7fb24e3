package index

import (
	"strings"
	"testing"

	"github.com/warcbox/warcbox/cdxj"
)

// A replayed POST must be looked up under the key the indexer wrote, also
// when its body is longer than the part warcio.js folds into the key.
func TestMethodURLMatchesIndexedKey(t *testing.T) {
	body := []byte("a=" + strings.Repeat("x", 6000) + "&b=2")
	const u, ct = "http://site.test/form", "application/x-www-form-urlencoded"
	reqBody, query, ok := cdxj.RequestQuery("POST", ct, body, cdxj.MaxRequestQuery)
	if !ok {
		t.Fatal("no request query for a POST")
	}
	indexed := Capture{Line: cdxj.Line{URL: u, Method: "POST", RequestBody: reqBody}}
	if got, want := cdxj.Key(MethodURL(u, "POST", ct, body)), cdxj.Key(KeyedURL(indexed)); got != want {
		t.Errorf("lookup key differs from the indexed key:\n got %.120s…\nwant %.120s…", got, want)
	}
	if want := cdxj.Key(cdxj.AppendMethodQuery(u, "POST", query)); cdxj.Key(KeyedURL(indexed)) != want {
		t.Errorf("KeyedURL is not the indexer's key")
	}
}
