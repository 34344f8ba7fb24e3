package htmlpage

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSummary(t *testing.T) {
	for _, tc := range []struct {
		name, page, contentType string
		maxText                 int
		title, text             string
	}{
		{"utf-8 blocks", "<html><head><title> A  page </title><style>p{}</style></head><body><h1>Head</h1><p>One <b>two</b></p><script>var x</script><p>Three</p></body>",
			"text/html", 1000, "A page", "Head\nOne two\nThree"},
		{"latin-1 from the header", "<title>Caf\xe9</title><p>cr\xe8me</p>", "text/html; charset=ISO-8859-1", 100, "Café", "crème"},
		{"gbk from meta", "<html><head><meta charset=\"gbk\"><title>\xd6\xd0\xce\xc4</title></head><body><p>\xd6\xd0</p></body>", "text/html", 100, "中文", "中"},
		{"windows-1252 guessed without a declaration", "<title>\x93quoted\x94</title>", "", 0, "“quoted”", ""},
		{"title only", "<title>T</title><p>never read</p>", "text/html", 0, "T", ""},
		{"no title", "<p>text</p>", "text/html", 100, "", "text"},
		{"second title ignored", "<title>First</title><svg><title>icon</title></svg><p>x</p>", "text/html", 100, "First", "x"},
		{"text bounded", "<p>" + strings.Repeat("é", 100) + "</p>", "text/html; charset=utf-8", 11, "", strings.Repeat("é", 5)},
	} {
		title, text := Summary(strings.NewReader(tc.page), tc.contentType, tc.maxText)
		if title != tc.title || text != tc.text {
			t.Errorf("%s: got (%q, %q), want (%q, %q)", tc.name, title, text, tc.title, tc.text)
		}
	}
}

func TestSummaryLongTitle(t *testing.T) {
	title, _ := Summary(strings.NewReader("<title>"+strings.Repeat("日本", 200)+"</title>"), "text/html; charset=utf-8", 0)
	if len(title) > MaxTitle || !utf8.ValidString(title) || !strings.HasPrefix(title, "日本日本") {
		t.Errorf("title of %d bytes, valid %v: %.30q", len(title), utf8.ValidString(title), title)
	}
}

func FuzzSummary(f *testing.F) {
	f.Add([]byte("<title>x</title><p>y"), "text/html; charset=gbk", 10)
	f.Add([]byte("\xef\xbb\xbf<meta charset=latin1><title>\xe9"), "", 0)
	f.Fuzz(func(t *testing.T, page []byte, contentType string, maxText int) {
		maxText = max(0, maxText%4096)
		title, text := Summary(strings.NewReader(string(page)), contentType, maxText)
		if len(title) > MaxTitle || !utf8.ValidString(title) {
			t.Fatalf("title %q", title)
		}
		if len(text) > maxText || !utf8.ValidString(text) {
			t.Fatalf("text of %d bytes (max %d), valid %v", len(text), maxText, utf8.ValidString(text))
		}
	})
}

// BenchmarkSummary reads a 120 KB page: its title only (the replay pages
// list) and its text too (WACZ pages.jsonl).
func BenchmarkSummary(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("<!doctype html><html><head><meta charset=utf-8><title>A long page</title><style>p{}</style></head><body>")
	for i := 0; sb.Len() < 120<<10; i++ {
		sb.WriteString(`<div class="c"><p>Paragraph with <a href="/x">a link</a> and some <b>bold</b> text, number `)
		sb.WriteString(strings.Repeat("é", i%7))
		sb.WriteString(`.</p><script>var x = 1;</script></div>`)
	}
	page := sb.String()
	for _, bc := range []struct {
		name    string
		maxText int
	}{{"title", 0}, {"text", 100 << 10}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(page)))
			for b.Loop() {
				Summary(strings.NewReader(page), "text/html", bc.maxText)
			}
		})
	}
}
