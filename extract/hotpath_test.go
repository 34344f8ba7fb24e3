package extract

import (
	"bytes"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	gounicode "unicode"

	"golang.org/x/net/html"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// FuzzMayBeByline checks the property the shortcut relies on: whenever
// isBylineClass matches an element's lower-cased class, id, itemprop and
// rel, mayBeByline is true.
func FuzzMayBeByline(f *testing.F) {
	for _, s := range [][4]string{
		{"Article-Byline", "", "", ""}, {"c-AUTHOR__name", "x", "", ""}, {"", "", "author", "author"},
		{"meta", "post", "", ""}, {"byline comment", "", "", ""}, {"\u212aAUTHOR", "", "", ""}, // Kelvin sign lower-cases to k
		{strings.Repeat("x", 300) + " author", "", "", ""},
	} {
		f.Add(s[0], s[1], s[2], s[3])
	}
	f.Fuzz(func(t *testing.T, class, id, itemprop, rel string) {
		n := &html.Node{Type: html.ElementNode, Data: "div"}
		for k, v := range map[string]string{"class": class, "id": id, "itemprop": itemprop, "rel": rel} {
			if v != "" {
				n.Attr = append(n.Attr, html.Attribute{Key: k, Val: v})
			}
		}
		exact := isBylineClass(strings.ToLower(attr(n, "class") + " " + attr(n, "id") + " " + attr(n, "itemprop") + " " + attr(n, "rel")))
		if exact && !mayBeByline(n) {
			t.Fatalf("mayBeByline false where isBylineClass matches: %q %q %q %q", class, id, itemprop, rel)
		}
	})
}

// TestDecodeUTF8AsIs checks that valid UTF-8 parsed without the decoder
// gives the tree the decoder gave, and that a page cut inside a rune still
// goes through the decoder (its U+FFFD).
func TestDecodeUTF8AsIs(t *testing.T) {
	page := []byte("<html><head><meta charset=utf-8><title>Grüße – 東京</title></head><body><p>naïve café</p></body></html>")
	doc, name, err := decodeHTML(page, "text/html; charset=UTF-8")
	if err != nil || name != "utf-8" {
		t.Fatal(name, err)
	}
	viaDecoder, _, _ := transform.Bytes(unicode.UTF8.NewDecoder(), page)
	want, _ := html.Parse(bytes.NewReader(viaDecoder))
	var a, b bytes.Buffer
	html.Render(&a, doc)
	html.Render(&b, want)
	if a.String() != b.String() {
		t.Fatalf("tree differs:\n%s\n%s", a.String(), b.String())
	}
	cut := append([]byte("<html><body><p>café 東"), "京"[:2]...)
	doc, _, err = decodeHTML(cut, "text/html; charset=utf-8")
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(doc); !strings.HasSuffix(got, "東\uFFFD") {
		t.Fatalf("cut rune: got %q, want the decoder's U+FFFD at the end", got)
	}
}

// collapseSpaceSlow is collapseSpace without its shortcut: the reference
// FuzzCollapseSpace holds the shortcut to.
func collapseSpaceSlow(s string) string {
	var sb strings.Builder
	space := false
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\u00a0' || r == '\u200b' || r == '\u3000' {
			space = sb.Len() > 0
			continue
		}
		if space {
			sb.WriteByte(' ')
			space = false
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// FuzzCollapseSpace checks that returning a string as is when it is
// already collapsed gives what building its copy gave, bad UTF-8 included.
func FuzzCollapseSpace(f *testing.F) {
	for _, s := range []string{"", " ", "a", "a b", "a  b", " a", "a ", "a\tb", "a\u00a0b", "a\u200bb", "a\u3000b",
		"\xff", "a\xe2\x80", "\ufffd", "Süddeutsche Zeitung", "日本語 テキスト", "a\r\nb", "\x00", "a \u00a0b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := collapseSpace(s), collapseSpaceSlow(s); got != want {
			t.Fatalf("collapseSpace(%q) = %q, want %q", s, got, want)
		}
	})
}

// FuzzCountWords holds countWords' ASCII shortcut to the unicode tables.
func FuzzCountWords(f *testing.F) {
	for _, s := range []string{"", "a b", "Hello, world!", "x\ty\nz\v\f\r", "日本語 text", "naïve café", "\x00a\x1fb", "a\u00a0b\u0085c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, in := 0, false
		for _, r := range s {
			switch {
			case gounicode.In(r, gounicode.Han, gounicode.Hiragana, gounicode.Katakana, gounicode.Hangul):
				n++
				in = false
			case gounicode.IsSpace(r):
				in = false
			case gounicode.IsLetter(r) || gounicode.IsDigit(r):
				if !in {
					n++
				}
				in = true
			}
		}
		if got := countWords(s); got != n {
			t.Fatalf("countWords(%q) = %d, want %d", s, got, n)
		}
	})
}

// TestReadPayload holds readPayload to io.ReadAll of the same limited
// reader, whatever the block length says (too small, exact, too large,
// negative) and however the reader splits its reads.
func TestReadPayload(t *testing.T) {
	for _, size := range []int{0, 1, 511, 512, 513, 1000, 4096} {
		data := bytes.Repeat([]byte("abcdefg"), size/7+1)[:size]
		for _, maxBytes := range []int{0, 10, 512, 1000, 8 << 20} {
			for _, hint := range []int64{-1, 0, 1, int64(size) - 1, int64(size), int64(size) + 1, 1 << 20} {
				for _, oneByte := range []bool{false, true} {
					var r io.Reader = bytes.NewReader(data)
					if oneByte {
						r = iotest.OneByteReader(r)
					}
					got, err := readPayload(r, maxBytes, hint)
					want, _ := io.ReadAll(io.LimitReader(bytes.NewReader(data), int64(maxBytes)+1))
					if err != nil || !bytes.Equal(got, want) {
						t.Fatalf("size %d max %d hint %d: got %d bytes, err %v; want %d", size, maxBytes, hint, len(got), err, len(want))
					}
				}
			}
		}
	}
	if _, err := readPayload(iotest.ErrReader(io.ErrUnexpectedEOF), 100, 10); err != io.ErrUnexpectedEOF {
		t.Fatalf("error not passed on: %v", err)
	}
}

// FuzzNodesText holds nodesText, which collapses as it gathers, to the
// text gathered first and collapsed after, on parsed pages and on trees
// whose text nodes split a UTF-8 sequence.
func FuzzNodesText(f *testing.F) {
	for _, s := range []string{"<p>a  b</p><div> c\u00a0</div>d", "<i>Brand</i>'s <b>x</b>", "<script>x</script> y <p>\xe2\x80</p>\x8b",
		"<table>\xe2<tr><td>\x80\x8b</td></tr></table>", " \u3000 ", "<p>\xff</p>"} {
		f.Add(s)
	}
	never := func(*html.Node) bool { return false }
	f.Fuzz(func(t *testing.T, s string) {
		doc, err := html.Parse(strings.NewReader(s))
		if err != nil {
			return
		}
		// Also split every text node in two, which may cut a sequence.
		split, _ := html.Parse(strings.NewReader(s))
		var cut func(*html.Node)
		cut = func(n *html.Node) {
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.TextNode && len(c.Data) > 1 {
					h := len(c.Data) / 2
					rest := &html.Node{Type: html.TextNode, Data: c.Data[h:]}
					c.Data = c.Data[:h]
					n.InsertBefore(rest, c.NextSibling)
					c = rest
					continue
				}
				cut(c)
			}
		}
		cut(split)
		for _, root := range []*html.Node{doc, split} {
			for _, inline := range []func(*html.Node) bool{isInline, never} {
				if got, want := nodesText([]*html.Node{root}, inline, nil), nodesTextGathered([]*html.Node{root}, inline, nil); got != want {
					t.Fatalf("nodesText = %q, want %q", got, want)
				}
			}
		}
	})
}

// FuzzNorm holds norm's ASCII shortcut to lower-casing the whole string
// first.
func FuzzNorm(f *testing.F) {
	for _, s := range []string{"", "Hello, World 2024!", "Ünïcödé – “quoted”", "İSTANBUL", "ΣΊΣΥΦΟΣ", "\xff\xfeA", "日本語", "ǅ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var sb strings.Builder
		for _, r := range strings.ToLower(s) {
			if gounicode.IsLetter(r) || gounicode.IsDigit(r) {
				sb.WriteRune(r)
			}
		}
		if got := norm(s); got != sb.String() {
			t.Fatalf("norm(%q) = %q, want %q", s, got, sb.String())
		}
	})
}

// FuzzShortcutsAgree holds the prefilters that spare a regexp or a
// lower-cased copy per element to the expressions they stand in for:
// noBylineBox, mayBeAuthorBox (only ever true where authorBoxRe matches)
// and titleSeps' character check.
func FuzzShortcutsAgree(f *testing.F) {
	for _, s := range [][2]string{
		{"Comment-List", ""}, {"", "RELATED"}, {"post caption", "x"}, {"\u212aomment", ""}, {"c\u0130", "credİt"},
		{"Author-Box", ""}, {"", "vCard"}, {"entry PROFILE", ""}, {"x-bio", ""}, {"nav", "menu"},
		{"Home | Site", "a - b"}, {"Title: sub", "a \\ b"}, {"東京-大阪", "x ｜ y"}, {strings.Repeat("x", 300) + " author", ""},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, class, id string) {
		n := &html.Node{Type: html.ElementNode, Data: "div", Attr: []html.Attribute{{Key: "class", Val: class}, {Key: "id", Val: id}}}
		cls := strings.ToLower(class + " " + id)
		want := strings.Contains(cls, "comment") || strings.Contains(cls, "caption") || strings.Contains(cls, "credit") || strings.Contains(cls, "related")
		if got := noBylineBox(n); got != want {
			t.Fatalf("noBylineBox(%q, %q) = %v, want %v", class, id, got, want)
		}
		if authorBoxRe.MatchString(class+" "+id) && !mayBeAuthorBox(n) {
			t.Fatalf("mayBeAuthorBox false where authorBoxRe matches %q %q", class, id)
		}
		for _, s := range []string{class, id, class + " " + id} {
			if got, want := titleSeps(s), titleSepsSlow(s); !slices.EqualFunc(got, want, slices.Equal[[]int]) {
				t.Fatalf("titleSeps(%q) = %v, want %v", s, got, want)
			}
		}
	})
}

// titleSepsSlow is titleSeps' regexp run on every text.
func titleSepsSlow(title string) [][]int {
	if !strings.ContainsAny(title, titleSepChars) && titleSepRe.MatchString(title) {
		return [][]int{{-1, -1}} // a match without any of the characters: titleSepChars is short of one
	}
	return titleSeps(title)
}
