package rewrite

import (
	"bytes"
	"io"
	"strings"
)

// The JavaScript rewriter follows the idea behind pywb's wombat without its
// code: the page's scripts keep running unmodified except that every
// reference to a window's or document's location goes through an accessor
// the client script defines (WB_wombat_location), which reports the
// archived URL and turns assignments into navigations inside the archive.
// Renaming is done on tokens, not with regular expressions, so strings,
// comments, regular expression literals and template text are left alone.
//
//	location            → WB_wombat_location   (a global accessor)
//	x.location          → x.WB_wombat_location (an Object.prototype accessor
//	                                            that defers to x.location for
//	                                            anything but Window/Document)
//	{location}          → {location: WB_wombat_location}
//	import … from "https://…" → rewritten to the archive (js_)
const (
	jsLocation  = "location"
	jsWBLoc     = "WB_wombat_location"
	jsMaxDepth  = 1 << 12
	jsRegexPrev = "(,=:[!&|?{};+-*%<>~^" // punctuators after which / starts a regex
)

// keywords after which "/" begins a regular expression.
var jsRegexKeywords = map[string]bool{
	"return": true, "typeof": true, "instanceof": true, "in": true, "of": true, "new": true,
	"delete": true, "void": true, "throw": true, "case": true, "do": true, "else": true,
	"yield": true, "await": true,
}

// JS rewrites a script. Bytes not rewritten are copied unchanged.
//
// A module that imports a binding named location ("import { location }
// from …") uses that binding, not the window's: then only property
// references (x.location) are renamed.
func (u *URLRewriter) JS(src []byte) []byte {
	out, importsLocation := u.js(src, false)
	if importsLocation {
		out, _ = u.js(src, true)
	}
	return out
}

// js is one pass of the rewriter; keepBare leaves a bare "location" alone.
// importsLocation reports an import clause binding "location".
func (u *URLRewriter) js(src []byte, keepBare bool) (_ []byte, importsLocation bool) {
	var out bytes.Buffer
	last := 0
	emit := func(from, to int, s string) {
		if out.Cap() == 0 {
			out.Grow(len(src) + len(src)/8 + 64)
		}
		out.Write(src[last:from])
		out.WriteString(s)
		last = to
	}
	var stack []byte // open brackets: '{', '[', '(', and '`' for ${ in templates
	// prevTok is the previous significant token (identifier/keyword text or
	// punctuator) and prevPrevTok the one before, for "import … from"; they
	// are slices of src or of the constant tokens below, so lexing a script
	// allocates nothing per token.
	var prevTok, prevPrevTok []byte
	inClassHead := false // between "class" and its body's "{"
	// inImport/inExport: inside an import or export declaration, until its
	// "from", string or ";": a "{" there opens a clause of binding names
	// (pushed as 'i'), which are names, not references to the window's
	// location.
	inImport, inExport := false, false
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
			continue
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			j := bytes.IndexByte(src[i:], '\n')
			if j < 0 {
				j = len(src) - i
			}
			i += j
			continue
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			j := bytes.Index(src[i+2:], []byte("*/"))
			if j < 0 {
				i = len(src)
			} else {
				i += j + 4
			}
			continue
		case c == '"' || c == '\'':
			end := jsStringEnd(src, i)
			if (string(prevTok) == "from" || string(prevTok) == "import" || (string(prevTok) == "(" && string(prevPrevTok) == "import")) && end-i >= 2 {
				val := string(src[i+1 : end-1])
				if isModuleSpecifierURL(val) {
					if nv := u.Rewrite(val, ModJS); nv != val {
						emit(i+1, end-1, jsEscapeString(nv, c))
					}
				}
			}
			i = end
			inImport, inExport = false, false
			prevPrevTok, prevTok = prevTok, tokStr
			continue
		case c == '`':
			i = jsTemplateEnd(src, i+1, &stack)
			prevPrevTok, prevTok = prevTok, tokStr
			continue
		case c == '}' && len(stack) > 0 && stack[len(stack)-1] == '`':
			stack = stack[:len(stack)-1]
			i = jsTemplateEnd(src, i+1, &stack)
			prevPrevTok, prevTok = prevTok, tokStr
			continue
		case c == '/':
			if jsRegexAllowed(prevTok) {
				i = jsRegexEnd(src, i)
				prevPrevTok, prevTok = prevTok, tokRe
				continue
			}
			i++
			prevPrevTok, prevTok = prevTok, src[i-1:i]
			continue
		case isJSIdentStart(c):
			j := i + 1
			for j < len(src) && isJSIdentPart(src[j]) {
				j++
			}
			word := src[i:j]
			switch string(word) {
			case jsLocation:
				top := byte(0)
				if len(stack) > 0 {
					top = stack[len(stack)-1]
				}
				switch {
				case top == 'i':
					importsLocation = true
				case top == 'e':
					// export { location }: the module's own binding, which
					// was renamed where it was declared (unless keepBare)
					// and keeps its export name; a re-export ("… } from")
					// names another module's binding.
					if !keepBare && string(prevTok) != "as" && !clauseFollowedByFrom(src, j) {
						if nextWord(src, j) == "as" {
							emit(i, j, jsWBLoc)
						} else {
							emit(i, j, jsWBLoc+" as "+jsLocation)
						}
					}
				case inExport && string(prevTok) == "as":
					// export * as location from "…": an export name
				case inImport && (string(prevTok) == "import" || string(prevTok) == "as" || string(prevTok) == ","):
					importsLocation = true // default or namespace import
				case keepBare && string(prevTok) != "." && string(prevTok) != "?.":
				default:
					u.jsLocationRef(src, i, j, prevTok, stack, emit)
				}
			case "import":
				if string(prevTok) != "." {
					nx := nextSignificant(src, j)
					inImport = nx != '(' && nx != '.'
				}
			case "export":
				if string(prevTok) != "." {
					inExport = true
				}
			case "from":
				inImport, inExport = false, false
			}
			if string(word) == "class" && string(prevTok) != "." {
				inClassHead = true
			}
			i = j
			prevPrevTok, prevTok = prevTok, word
			continue
		case c >= '0' && c <= '9':
			j := i + 1
			for j < len(src) && (isJSIdentPart(src[j]) || src[j] == '.') {
				j++
			}
			i = j
			prevPrevTok, prevTok = prevTok, tokNum
			continue
		case c == ':' || c == ';' || c == '=':
			inClassHead = false // "class" was an object key or a property, not a declaration
			if c == ';' || c == '=' {
				// "export default x = …", "export const x = …": no clause follows
				inImport, inExport = false, false
			}
		case c == '{' || c == '[' || c == '(':
			b := c
			if c == '(' {
				inExport = false // export function f(…): parameters, not a clause
			}
			if c == '{' && inClassHead {
				b = 'c' // a class body: "location = 1" there is a field, not shorthand
			}
			if c == '{' {
				inClassHead = false
				if inImport && (string(prevTok) == "import" || string(prevTok) == ",") {
					b = 'i'
				} else if inExport && string(prevTok) == "export" {
					b = 'e'
				}
			}
			if len(stack) < jsMaxDepth {
				stack = append(stack, b)
			}
		case c == '}' || c == ']' || c == ')':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case c == '?' && i+1 < len(src) && src[i+1] == '.' && (i+2 >= len(src) || src[i+2] < '0' || src[i+2] > '9'):
			i += 2
			prevPrevTok, prevTok = prevTok, tokOptChain
			continue
		}
		i++
		prevPrevTok, prevTok = prevTok, src[i-1:i]
	}
	if last == 0 {
		return src, importsLocation
	}
	out.Write(src[last:])
	return out.Bytes(), importsLocation
}

// jsLocationRef decides how one "location" token is rewritten.
func (u *URLRewriter) jsLocationRef(src []byte, i, j int, prevBytes []byte, stack []byte, emit func(int, int, string)) {
	prevTok := string(prevBytes) // short: a keyword or punctuator
	nx := nextSignificant(src, j)
	inObject := len(stack) > 0 && stack[len(stack)-1] == '{'
	switch {
	case prevTok == "." || prevTok == "?.":
		emit(i, j, jsWBLoc)
	case prevTok == "function" || prevTok == "get" || prevTok == "set" || prevTok == "static" || prevTok == "#":
		// a function or method named location, not the global
	case (prevTok == "break" || prevTok == "continue") && !newlineBefore(src, i):
		// "break location": a label (after a line break, ASI ends the
		// break and this is an expression)
	case nx == ':' && (prevTok == "" || prevTok == ";" || prevTok == "{" || prevTok == "}" || prevTok == ","):
		// an object key or a label
	case nx == '(' && inObject && (prevTok == "{" || prevTok == ","):
		// a method definition: location() {…}
	case inObject && (prevTok == "{" || prevTok == ",") && (nx == ',' || nx == '}' || nx == '='):
		// shorthand property or destructuring: keep the key, rename the value
		emit(i, j, jsLocation+": "+jsWBLoc)
	default:
		emit(i, j, jsWBLoc)
	}
}

// JSStream rewrites a whole script from r to w.
func (u *URLRewriter) JSStream(w io.Writer, r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, err = w.Write(u.JS(b))
	return err
}

// Constant tokens for prevTok.
var (
	tokStr      = []byte(`"str"`)
	tokRe       = []byte(`"re"`)
	tokNum      = []byte("0")
	tokOptChain = []byte("?.")
)

func jsRegexAllowed(prev []byte) bool {
	if len(prev) == 0 {
		return true
	}
	if len(prev) == 1 && strings.IndexByte(jsRegexPrev, prev[0]) >= 0 {
		return true
	}
	return jsRegexKeywords[string(prev)]
}

func jsStringEnd(src []byte, i int) int {
	q := src[i]
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			j++
		case q:
			return j + 1
		case '\n':
			return j
		}
	}
	return len(src)
}

// jsTemplateEnd scans template text from i; it returns past the closing
// backtick, or past "${" after pushing a marker so the code inside is
// lexed normally until its matching "}".
func jsTemplateEnd(src []byte, i int, stack *[]byte) int {
	for j := i; j < len(src); j++ {
		switch src[j] {
		case '\\':
			j++
		case '`':
			return j + 1
		case '$':
			if j+1 < len(src) && src[j+1] == '{' {
				if len(*stack) < jsMaxDepth {
					*stack = append(*stack, '`')
				}
				return j + 2
			}
		}
	}
	return len(src)
}

func jsRegexEnd(src []byte, i int) int {
	inClass := false
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			j++
		case '[':
			inClass = true
		case ']':
			inClass = false
		case '\n':
			return j
		case '/':
			if !inClass {
				j++
				for j < len(src) && isJSIdentPart(src[j]) {
					j++
				}
				return j
			}
		}
	}
	return len(src)
}

func nextSignificant(src []byte, j int) byte {
	for ; j < len(src); j++ {
		switch src[j] {
		case ' ', '\t', '\n', '\r':
		default:
			return src[j]
		}
	}
	return 0
}

func isJSIdentStart(c byte) bool {
	return c == '_' || c == '$' || c >= 0x80 || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func isJSIdentPart(c byte) bool { return isJSIdentStart(c) || '0' <= c && c <= '9' }

// isModuleSpecifierURL reports whether an import specifier names a URL
// (absolute, root- or dot-relative) rather than a bare module name.
// Relative ones are resolved here too: "../" above the archived site's
// root would otherwise climb into the replay path.
func isModuleSpecifierURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http:") || strings.HasPrefix(l, "https:") || strings.HasPrefix(s, "/") ||
		strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../")
}

// clauseFollowedByFrom reports whether the export clause holding src[j]
// is a re-export: "}" then "from".
func clauseFollowedByFrom(src []byte, j int) bool {
	k := bytes.IndexByte(src[j:], '}')
	if k < 0 {
		return false
	}
	return nextWord(src, j+k+1) == "from"
}

// nextWord returns the identifier starting at the next significant byte.
func nextWord(src []byte, j int) string {
	for j < len(src) && (src[j] == ' ' || src[j] == '\t' || src[j] == '\n' || src[j] == '\r') {
		j++
	}
	k := j
	for k < len(src) && isJSIdentPart(src[k]) {
		k++
	}
	return string(src[j:k])
}

// newlineBefore reports whether a line break separates src[i] from the
// previous non-space byte.
func newlineBefore(src []byte, i int) bool {
	for j := i - 1; j >= 0; j-- {
		switch src[j] {
		case '\n', '\r':
			return true
		case ' ', '\t', '\f', '\v':
		default:
			return false
		}
	}
	return false
}

func jsEscapeString(s string, q byte) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		if s[i] == q || s[i] == '\\' {
			b = append(b, '\\')
		}
		b = append(b, s[i])
	}
	return string(b)
}
