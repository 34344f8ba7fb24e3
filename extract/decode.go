package extract

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/gogs/chardet"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// ErrNotHTML is returned (and named in Article.Error) when a payload is not an HTML document.
var ErrNotHTML = errors.New("extract: not HTML")

// IsHTML sniffs the first bytes of a payload: true for HTML (whatever the
// declared type), false for binary data and other text formats. It follows
// the WHATWG sniffing rules (net/http.DetectContentType) and also accepts
// documents whose markup starts after some leading text or a BOM.
func IsHTML(b []byte) bool {
	head := b
	if len(head) > 4096 {
		head = head[:4096]
	}
	if len(head) == 0 {
		return false
	}
	if looksBinary(head) {
		return false
	}
	ct := http.DetectContentType(head)
	if strings.HasPrefix(ct, "text/html") {
		return true
	}
	if !strings.HasPrefix(ct, "text/") {
		return false
	}
	// text/plain or text/xml: accept when typical HTML tags appear early
	// (pages starting with a comment, whitespace junk or an XHTML prolog).
	l := bytes.ToLower(head)
	for _, tag := range [][]byte{[]byte("<html"), []byte("<head"), []byte("<body"), []byte("<!doctype html"), []byte("<meta "), []byte("<title")} {
		if bytes.Contains(l, tag) {
			return true
		}
	}
	return false
}

// looksBinary reports control bytes that never occur in text (NUL and most
// C0 controls), as served by misconfigured servers sending images as text/html.
func looksBinary(b []byte) bool {
	if bytes.HasPrefix(b, []byte{0xFE, 0xFF}) || bytes.HasPrefix(b, []byte{0xFF, 0xFE}) {
		return false // UTF-16 text has NULs
	}
	n := 0
	for _, c := range b {
		if c == 0 {
			return true
		}
		if c < 0x09 || (c > 0x0D && c < 0x20 && c != 0x1B) {
			n++
		}
	}
	return n > len(b)/20
}

var metaCharsetRe = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-:.]+)`)

// detectCharset picks the document's encoding: BOM, then the HTTP header,
// then <meta charset> (anywhere in the first 64 KiB, not only the first 1024
// bytes as the HTML spec's prescan), then detection. Content that is valid
// UTF-8 with non-ASCII bytes is read as UTF-8 whatever is declared.
//
// The header gives way to the page's <meta> where the content shows it is
// not the page's charset or where it is most likely a server's default
// rather than the author's choice: a header naming UTF-8 on bytes that are
// not UTF-8, or one naming a Latin single-byte charset (Apache's old
// AddDefaultCharset) while the page declares another one. Without that, a
// page read from a WARC record would be decoded differently from the same
// bytes given alone (the header of a server, a proxy or a tool that wrapped
// the pages, against the page's own declaration). A <meta> naming UTF-8
// for bytes that are not is false in turn: the header decides again.
func detectCharset(b []byte, contentType string) (encoding.Encoding, string) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return unicode.UTF8BOM, "utf-8"
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), "utf-16be"
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), "utf-16le"
	}
	header := ""
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		header = params["charset"]
	}
	// Valid to the last byte, or but for a rune cut at the end (a truncated capture).
	wholeUTF8 := utf8.Valid(b)
	validUTF8 := wholeUTF8
	if t := trimPartialRune(b); !wholeUTF8 && len(t) < len(b) {
		validUTF8 = utf8.Valid(t)
	}
	declared, serverDefault := header, false
	if header != "" && !headerHolds(header, validUTF8) {
		serverDefault = true
	}
	if header == "" || serverDefault {
		if meta := metaCharset(b); meta != "" {
			declared, serverDefault = meta, false
		}
	}
	if !validUTF8 && mostlyUTF8(b) {
		// Pages assembled from UTF-8 and Latin-1 fragments (a template in
		// one, content in the other): read each valid sequence as UTF-8 and
		// each stray byte as Windows-1252, as neither charset alone can.
		if declared == "" || serverDefault || strings.EqualFold(declared, "utf-8") || strings.EqualFold(declared, "utf8") {
			return mixedUTF8{}, "utf-8+windows-1252"
		}
	}
	if declared != "" {
		if e, name := charset.Lookup(declared); e != nil {
			switch {
			case name == "utf-8" && !validUTF8:
				// Declared UTF-8 but it is not. A header that gave way to
				// this <meta> is the transport's charset, which browsers
				// follow over any <meta> (WHATWG encoding sniffing): the
				// <meta> shown false, the header decides. Without a
				// header, detect.
				if header != "" {
					if he, hname := charset.Lookup(header); he != nil && hname != "utf-8" {
						return he, hname
					}
				}
			case name == "utf-8" && wholeUTF8:
				// Decoding valid UTF-8 as UTF-8 only copies it (a tenth of
				// the parse's time): the parser reads the bytes as they are.
				return encoding.Nop, "utf-8"
			case name != "utf-8" && validUTF8 && hasHighBit(b):
				// Text in a legacy charset is almost never valid UTF-8 once
				// it has non-ASCII bytes (Latin letters are lone high bytes,
				// CJK lead bytes are not UTF-8's): the bytes were converted
				// and the declaration kept (a page saved as UTF-8, a proxy).
				return encoding.Nop, "utf-8"
			case name == "utf-16le" || name == "utf-16be":
				// A <meta> cannot truthfully declare UTF-16 (it would not be
				// readable as ASCII): the spec maps it to UTF-8.
				return encoding.Nop, "utf-8"
			default:
				return e, name
			}
		}
	}
	if validUTF8 {
		return encoding.Nop, "utf-8"
	}
	sample := b
	if len(sample) > 64<<10 {
		sample = sample[:64<<10]
	}
	if r, err := chardet.NewHtmlDetector().DetectBest(sample); err == nil && r.Confidence >= 30 {
		if e, name := charset.Lookup(r.Charset); e != nil {
			return e, name
		}
	}
	return charmapWindows1252(), "windows-1252"
}

// metaCharset is the charset the page's <meta> declares in its first 64
// KiB, or "".
func metaCharset(b []byte) string {
	head := b[:min(len(b), 64<<10)]
	if m := metaCharsetRe.FindSubmatch(head); m != nil {
		return string(m[1])
	}
	return ""
}

// headerHolds reports whether the header's charset stands against the
// page's own <meta>: not when it names UTF-8 for bytes that are not, nor
// when it names ISO-8859-1 (or Windows-1252, US-ASCII: one encoding to
// browsers), the default servers send for pages of any charset (valid
// UTF-8 is read as such whatever declares a Latin charset, below).
// ISO-8859-15 is no server's default: it holds, as other charsets do.
func headerHolds(header string, validUTF8 bool) bool {
	_, name := charset.Lookup(header)
	switch name {
	case "utf-8":
		return validUTF8
	case "windows-1252", "iso-8859-1", "us-ascii":
		return false
	}
	return true
}

func charmapWindows1252() encoding.Encoding {
	e, _ := charset.Lookup("windows-1252")
	return e
}

func hasHighBit(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

// trimPartialRune drops an incomplete UTF-8 sequence at the end (a truncated
// capture), which would otherwise make valid UTF-8 look invalid.
func trimPartialRune(b []byte) []byte {
	for i := len(b) - 1; i >= 0 && i > len(b)-4; i-- {
		if b[i] < 0x80 {
			break
		}
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return b[:i]
			}
			break
		}
	}
	return b
}

// decodeHTML converts the payload to UTF-8 and parses it once; the tree is
// shared by every metadata source and by go-trafilatura.
func decodeHTML(b []byte, contentType string) (*html.Node, string, error) {
	enc, name := detectCharset(b, contentType)
	text := b
	var err error
	switch enc.(type) {
	case mixedUTF8:
		text, _, err = transform.Bytes(mixedDecoder{}, b)
	default:
		if enc != encoding.Nop {
			text, _, err = transform.Bytes(enc.NewDecoder(), b)
		}
	}
	if err != nil {
		return nil, name, fmt.Errorf("decode %s: %w", name, err)
	}
	// Invalid sequences left (broken charsets) become U+FFFD in the parser;
	// NULs are dropped by it.
	doc, err := html.Parse(bytes.NewReader(text))
	if err != nil && strings.Contains(err.Error(), "open stack of elements") {
		// x/net/html refuses trees deeper than 512 elements; generated
		// pages (unclosed <div>s, <font> soup) exceed it. Drop the tags
		// beyond a safe depth and keep their text.
		doc, err = html.Parse(bytes.NewReader(flattenDeep(text, 400)))
	}
	if err != nil {
		return nil, name, fmt.Errorf("parse html: %w", err)
	}
	return doc, name, nil
}

func httpDetect(b []byte) string { return http.DetectContentType(b) }

// mostlyUTF8 reports content whose multi-byte UTF-8 sequences outnumber its
// invalid bytes: UTF-8 with a few foreign bytes rather than a legacy charset.
func mostlyUTF8(b []byte) bool {
	valid, invalid := 0, 0
	for i := 0; i < len(b); {
		if b[i] < 0x80 {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			invalid++
			i++
			continue
		}
		valid++
		i += n
	}
	return valid > 0 && valid >= invalid
}

// mixedUTF8 decodes valid UTF-8 as such and every other byte as Windows-1252.
type mixedUTF8 struct{ encoding.Encoding }

func (mixedUTF8) NewDecoder() *encoding.Decoder {
	return &encoding.Decoder{Transformer: mixedDecoder{}}
}

type mixedDecoder struct{ transform.NopResetter }

func (mixedDecoder) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		c := src[nSrc]
		if c < 0x80 {
			if nDst >= len(dst) {
				return nDst, nSrc, transform.ErrShortDst
			}
			dst[nDst] = c
			nDst++
			nSrc++
			continue
		}
		if !atEOF && !utf8.FullRune(src[nSrc:]) {
			return nDst, nSrc, transform.ErrShortSrc
		}
		r, n := utf8.DecodeRune(src[nSrc:])
		if r == utf8.RuneError && n <= 1 {
			r, n = win1252[c], 1
		}
		if nDst+utf8.RuneLen(r) > len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		nDst += utf8.EncodeRune(dst[nDst:], r)
		nSrc += n
	}
	return nDst, nSrc, nil
}

// win1252 maps bytes 0x80-0xFF to runes.
var win1252 = func() [256]rune {
	var t [256]rune
	hi := []rune("€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ")
	for i := 0; i < 256; i++ {
		t[i] = rune(i)
	}
	for i, r := range hi {
		t[0x80+i] = r
	}
	return t
}()

// flattenDeep re-serialises a document without the start and end tags of
// elements nested deeper than max (text and shallower markup are kept).
func flattenDeep(b []byte, max int) []byte {
	z := html.NewTokenizer(bytes.NewReader(b))
	var out bytes.Buffer
	type open struct {
		name string
		kept bool
	}
	var stack []open
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return out.Bytes()
		case html.StartTagToken:
			name, _ := z.TagName()
			if voidElements[string(name)] {
				out.Write(z.Raw())
				continue
			}
			kept := len(stack) < max
			stack = append(stack, open{string(name), kept})
			if kept {
				out.Write(z.Raw())
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			i := len(stack) - 1
			for i >= 0 && stack[i].name != string(name) {
				i--
			}
			if i < 0 {
				out.Write(z.Raw())
				continue
			}
			kept := stack[i].kept
			stack = stack[:i]
			if kept {
				out.Write(z.Raw())
			}
		default:
			out.Write(z.Raw())
		}
	}
}

// voidElements never hold children, plus p, li and option whose end tags
// pages leave out: counting those would make every list look deep.
var voidElements = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true,
	"input": true, "link": true, "meta": true, "param": true, "source": true, "track": true, "wbr": true, "p": true, "li": true, "option": true}
