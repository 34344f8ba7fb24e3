// Package htmlpage reads the title and visible text of an HTML page cheaply,
// in its own character set, for lists of pages: WACZ's pages.jsonl and the
// replay UI's page list. It tokenizes rather than parses and never builds a
// tree; article extraction, which needs the tree, lives in extract.
package htmlpage

import (
	"bufio"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// MaxTitle bounds a title, in bytes (cut at a rune boundary).
const MaxTitle = 300

// sniffLen is how much of the page charset.DetermineEncoding looks at, as
// the HTML standard's prescan does.
const sniffLen = 1024

// Summary reads r, an HTML page served with the Content-Type contentType
// (its charset parameter may be empty), and returns its <title> and, up to
// maxText bytes of it, its visible text with block elements on lines of
// their own. maxText 0 reads the title only and stops at </title>.
// Encodings come from a BOM, the header, a <meta> charset in the first KiB,
// then a guess, as browsers do; bytes that do not decode become U+FFFD.
func Summary(r io.Reader, contentType string, maxText int) (title, text string) {
	br := bufio.NewReaderSize(r, sniffLen)
	head, _ := br.Peek(sniffLen)
	enc, _, _ := charset.DetermineEncoding(head, contentType)
	z := html.NewTokenizer(enc.NewDecoder().Reader(br))
	var tb, xb strings.Builder
	skip := 0
	inTitle, titleDone := false, false
	for {
		switch z.Next() {
		case html.ErrorToken:
			return finishTitle(tb.String()), finishText(xb.String(), maxText)
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style", "noscript", "template", "svg":
				skip++
			case "title":
				inTitle = !titleDone
			case "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "blockquote", "pre", "dd", "dt":
				if maxText > 0 && xb.Len() > 0 {
					xb.WriteByte('\n')
				}
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style", "noscript", "template", "svg":
				if skip > 0 {
					skip--
				}
			case "title":
				if inTitle {
					inTitle, titleDone = false, true
					if maxText == 0 {
						return finishTitle(tb.String()), ""
					}
				}
			}
		case html.TextToken:
			if inTitle {
				writeWords(&tb, z.Text(), tb.Len() > 0)
				continue
			}
			if maxText == 0 || skip > 0 {
				continue
			}
			if xb.Len() >= maxText {
				if titleDone {
					return finishTitle(tb.String()), finishText(xb.String(), maxText)
				}
				continue
			}
			n := xb.Len()
			writeWords(&xb, z.Text(), n > 0 && !strings.HasSuffix(xb.String(), "\n"))
		}
	}
}

// writeWords appends the words of t (split at Unicode white space, as
// strings.Fields does) to sb with one space between them, and one before
// the first when sep is set: the text's own runs of white space, line
// breaks included, collapse, without a string per token.
func writeWords(sb *strings.Builder, t []byte, sep bool) {
	for i := 0; i < len(t); {
		r, size := utf8.DecodeRune(t[i:])
		if isSpace(r) {
			i += size
			continue
		}
		j := i + size
		for j < len(t) {
			r, size := utf8.DecodeRune(t[j:])
			if isSpace(r) {
				break
			}
			j += size
		}
		if sep {
			sb.WriteByte(' ')
		}
		sb.Write(t[i:j])
		sep = true
		i = j
	}
}

func isSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f'
	}
	return unicode.IsSpace(r)
}

func finishTitle(t string) string {
	t = strings.ToValidUTF8(strings.TrimSpace(t), "\uFFFD")
	if len(t) <= MaxTitle {
		return t
	}
	// A cut rune at the end is dropped, not kept as a broken byte.
	return strings.ToValidUTF8(t[:MaxTitle], "")
}

func finishText(t string, max int) string {
	t = strings.ToValidUTF8(strings.TrimSpace(t), "\uFFFD")
	if len(t) > max {
		t = strings.ToValidUTF8(t[:max], "")
	}
	return t
}
