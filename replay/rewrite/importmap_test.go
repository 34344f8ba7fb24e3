package rewrite

import (
	"bytes"
	"testing"
)

func FuzzImportMap(f *testing.F) {
	f.Add([]byte(`{"imports": {"a": "./a.js", "/b/": "https://x/b/"}, "scopes": {"/s/": {"c": "../c.js"}}}`))
	f.Add([]byte(`{"imports": []}`))
	u := NewURLRewriter("/c/", "20200101000000", "", "http://example.com/dir/")
	f.Fuzz(func(t *testing.T, in []byte) {
		out := u.ImportMap(in)
		if bytes.Contains(bytes.ToLower(out), []byte("</script")) {
			t.Fatalf("import map output can end its element: %s", out)
		}
	})
}
