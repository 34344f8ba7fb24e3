package rewrite

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestGolden runs each rewriter over testdata/golden/<name> and compares the
// output with <name>.golden; -update regenerates the golden files.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, in := range files {
		if strings.HasSuffix(in, ".golden") {
			continue
		}
		n++
		t.Run(filepath.Base(in), func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			u := NewURLRewriter("/coll/", "20200101000000", "", "http://example.com/dir/page.html")
			var got []byte
			switch filepath.Ext(in) {
			case ".html":
				var b bytes.Buffer
				if err := u.HTML(&b, bytes.NewReader(src), HTMLOptions{Head: `<script src="/_/static/client.js"></script>`}); err != nil {
					t.Fatal(err)
				}
				got = b.Bytes()
			case ".css":
				got = u.CSS(src)
			case ".js":
				got = u.JS(src)
			default:
				t.Fatalf("no rewriter for %s", in)
			}
			golden := in + ".golden"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s:\n%s", in, golden, got)
			}
		})
	}
	if n == 0 {
		t.Fatal("no golden inputs")
	}
}
