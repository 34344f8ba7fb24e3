package rewrite

import (
	"bytes"
	"io"
)

// CSS rewrites url(…) references and @import targets in a style sheet,
// an inline <style> or a style attribute. Bytes outside the URLs are copied
// unchanged, so the sheet's encoding survives.
func (u *URLRewriter) CSS(src []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(src) + 64)
	last := 0
	importNext := false // the next string or url() is an @import target
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := bytes.Index(src[i+2:], []byte("*/"))
			if end < 0 {
				i = len(src)
			} else {
				i += end + 4
			}
		case c == '"' || c == '\'':
			end := cssStringEnd(src, i)
			if importNext {
				val := string(src[i+1 : max(i+1, end-1)])
				if nv := u.Rewrite(val, ModCSS); nv != val {
					out.Write(src[last : i+1])
					out.WriteString(cssEscapeString(nv, c))
					last = end - 1
				}
				importNext = false
			}
			i = end
		case c == '@' && hasPrefixFold(src[i:], "@import"):
			importNext = true
			i += len("@import")
		case (c == 'u' || c == 'U') && hasPrefixFold(src[i:], "url(") && (i == 0 || !isIdentByte(src[i-1])):
			start := i + 4
			j := start
			for j < len(src) && isCSSSpace(src[j]) {
				j++
			}
			var valStart, valEnd, next int
			var quote byte
			if j < len(src) && (src[j] == '"' || src[j] == '\'') {
				quote = src[j]
				end := cssStringEnd(src, j)
				valStart, valEnd = j+1, max(j+1, end-1)
				next = end
			} else {
				k := bytes.IndexByte(src[j:], ')')
				if k < 0 {
					k = len(src) - j
				}
				valStart, valEnd = j, j+k
				for valEnd > valStart && isCSSSpace(src[valEnd-1]) {
					valEnd--
				}
				next = j + k
			}
			mod := ModImage
			if importNext {
				mod = ModCSS
				importNext = false
			}
			val := string(src[valStart:valEnd])
			if nv := u.Rewrite(cssUnescape(val), mod); nv != cssUnescape(val) {
				out.Write(src[last:valStart])
				if quote != 0 {
					out.WriteString(cssEscapeString(nv, quote))
				} else {
					out.WriteString(cssEscapeUnquoted(nv))
				}
				last = valEnd
			}
			i = next
		case c == ';' || c == '{':
			importNext = false
			i++
		default:
			i++
		}
	}
	if last == 0 {
		return src
	}
	out.Write(src[last:])
	return out.Bytes()
}

// CSSStream rewrites a whole style sheet from r to w.
func (u *URLRewriter) CSSStream(w io.Writer, r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, err = w.Write(u.CSS(b))
	return err
}

// cssStringEnd returns the index just past the string starting at src[i].
func cssStringEnd(src []byte, i int) int {
	q := src[i]
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			j++
		case q:
			return j + 1
		case '\n':
			return j // unterminated string ends at the line, per CSS syntax
		}
	}
	return len(src)
}

func cssUnescape(s string) string {
	if bytes.IndexByte([]byte(s), '\\') < 0 {
		return s
	}
	var b []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && !isHex(s[i+1]) && s[i+1] != '\n' {
			i++
		}
		b = append(b, s[i])
	}
	return string(b)
}

func cssEscapeString(s string, q byte) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		if s[i] == q || s[i] == '\\' || s[i] == '\n' {
			b = append(b, '\\')
		}
		b = append(b, s[i])
	}
	return string(b)
}

func cssEscapeUnquoted(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(', ')', '\'', '"', '\\', ' ', '\t', '\n':
			b = append(b, '\\')
		}
		b = append(b, s[i])
	}
	return string(b)
}

func hasPrefixFold(b []byte, p string) bool {
	if len(b) < len(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != p[i] {
			return false
		}
	}
	return true
}

func isIdentByte(c byte) bool {
	return c == '-' || c == '_' || c >= 0x80 || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func isCSSSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
