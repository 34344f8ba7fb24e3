package extract

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenPages are the fixtures' URLs and content types (blog-microdata.html
// is UTF-8 while its header says ISO-8859-1, as many servers do).
var goldenPages = map[string]Page{
	"news-jsonld.html":    {URL: "https://courier.example/news/2025/04/03/cycle-lanes", ContentType: "text/html; charset=utf-8"},
	"blog-microdata.html": {URL: "https://backstube.example/?p=42", ContentType: "text/html; charset=iso-8859-1"},
	"zh-gbk.html":         {URL: "http://news.example.cn/2024-06/18/c_1.htm", ContentType: "text/html"},
}

// TestGolden compares whole Articles with testdata/golden/*.json; run with
// -update to regenerate them after an intended change, and review the diff.
func TestGolden(t *testing.T) {
	ex := New(Options{Fallback: true})
	for name, page := range goldenPages {
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", "golden", name))
			if err != nil {
				t.Fatal(err)
			}
			page.HTML = b
			page.CaptureDate = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
			a, err := ex.Extract(page)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := json.MarshalIndent(a, "", "  ")
			got = append(got, '\n')
			path := filepath.Join("testdata", "golden", strings.TrimSuffix(name, ".html")+".json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("differs from %s (run with -update and review the diff):\n%s", path, got)
			}
		})
	}
}
