package extract

import (
	"strconv"
	"strings"
	"unicode"
)

// Reading the text-transform rules of a page's style sheets: a small
// scanner of CSS syntax (strings, escapes, comments, nested blocks) that
// keeps only rules declaring text-transform and compiles only their
// selectors, bounded as rendered_case.go says.

// cssReader scans style sheets into a pageCase's declarations.
type cssReader struct {
	pc    *pageCase
	rules int // qualified rules scanned
	order int
}

// sheet reads one style sheet.
func (r *cssReader) sheet(css string) { r.rules0(stripCSSComments(css), 0) }

// rules0 reads a list of rules: qualified rules, and @media, @supports,
// @layer and @container blocks whose rules apply on a screen (others,
// such as @media print, @font-face or @keyframes, are skipped whole).
func (r *cssReader) rules0(s string, depth int) {
	for i := 0; i < len(s); {
		// Stray closing braces, semicolons and the <!-- --> of old pages
		// are skipped, as a browser's tokenizer drops them here.
		for i < len(s) && (isCSSSpace(s[i]) || s[i] == ';' || s[i] == '}') {
			i++
		}
		if strings.HasPrefix(s[i:], "<!--") {
			i += 4
			continue
		}
		if strings.HasPrefix(s[i:], "-->") {
			i += 3
			continue
		}
		if i >= len(s) || r.rules >= maxCSSRules {
			return
		}
		if s[i] == '@' {
			end := preludeEnd(s, i, true)
			name, prelude := atRule(s[i+1 : end])
			if end >= len(s) || s[end] == ';' {
				i = end + 1 // a statement (@import, @charset): nothing to read
				continue
			}
			closeAt := blockEnd(s, end)
			body := s[end+1 : closeAt]
			switch name {
			case "media":
				if depth < maxCSSDepth && mediaApplies(prelude) {
					r.rules0(body, depth+1)
				}
			case "supports", "layer", "container":
				// Taken as met: a feature test or a layer's place in the
				// order changes little for a rule of letter case.
				if depth < maxCSSDepth {
					r.rules0(body, depth+1)
				}
			}
			i = closeAt + 1
			continue
		}
		end := preludeEnd(s, i, false)
		if end >= len(s) {
			return
		}
		closeAt := blockEnd(s, end)
		r.rules++
		r.rule(s[i:end], s[end+1:closeAt])
		i = closeAt + 1
	}
}

// rule keeps a style rule that declares text-transform; its selector is
// compiled only then.
func (r *cssReader) rule(prelude, block string) {
	d, ok := transformDecl(block)
	if !ok || len(r.pc.decls) >= maxCaseRules {
		return
	}
	prelude = strings.TrimSpace(prelude)
	if prelude == "" || len(prelude) > maxSelectorLen {
		return
	}
	sels, ok := compileSelectors(prelude)
	if !ok {
		return // as a browser drops a rule whose selector it cannot read
	}
	r.order++
	for _, sel := range sels {
		d.sel, d.spec, d.order = sel, sel.spec, r.order
		r.pc.decls = append(r.pc.decls, d)
		if len(r.pc.decls) >= maxCaseRules {
			return
		}
	}
}

// transformDecl reads the text-transform a declaration block sets (a
// rule's block or a style attribute): the last valid one, an !important
// one over any normal one. Rules nested in the block (CSS nesting) are
// not read.
func transformDecl(block string) (caseDecl, bool) {
	var best caseDecl
	found := false
	for _, decl := range declarations(block) {
		colon := strings.IndexByte(decl, ':')
		if colon < 0 || !strings.EqualFold(strings.TrimSpace(decl[:colon]), "text-transform") {
			continue
		}
		val := strings.TrimSpace(decl[colon+1:])
		important := false
		if k := strings.LastIndexByte(val, '!'); k >= 0 {
			if !strings.EqualFold(strings.TrimSpace(val[k+1:]), "important") {
				continue // invalid: dropped
			}
			important, val = true, strings.TrimSpace(val[:k])
		}
		v, inherit, ok := caseValue(val)
		if !ok || (found && best.important && !important) {
			continue
		}
		best, found = caseDecl{important: important, inherit: inherit, value: v}, true
	}
	return best, found
}

// caseValue reads a text-transform value. A value the page computes at
// run time (var()) or one not in the grammar is not valid here.
func caseValue(val string) (v textCase, inherit, ok bool) {
	words := strings.Fields(strings.ToLower(val))
	if len(words) == 0 {
		return 0, false, false
	}
	if len(words) == 1 {
		switch words[0] {
		case "inherit", "unset", "revert", "revert-layer":
			return 0, true, true
		case "initial", "none":
			return caseAsWritten, false, true
		}
	}
	set := false
	for _, w := range words {
		switch w {
		case "full-width", "full-size-kana":
			continue
		case "uppercase":
			v = caseUpper
		case "lowercase":
			v = caseLower
		case "capitalize":
			v = caseCapitalize
		default:
			return 0, false, false
		}
		if set {
			return 0, false, false
		}
		set = true
	}
	return v, false, true
}

// declarations splits a declaration block at its top-level semicolons;
// a nested rule (a prelude and its {} block) is left out.
func declarations(block string) []string {
	var out []string
	start := 0
	for i := 0; i < len(block); i++ {
		if j := skipCSSGroup(block, i); j != i {
			i = j
			continue
		}
		switch block[i] {
		case '{':
			// A nested rule: its prelude is the text since the last ';'.
			i = blockEnd(block, i)
			start = i + 1
		case ';':
			out = append(out, block[start:i])
			start = i + 1
		}
	}
	if start < len(block) {
		out = append(out, block[start:])
	}
	return out
}

// preludeEnd returns the index of the '{' that opens the block of the
// rule starting at i (or, for an at-rule, of the ';' that ends it), or
// len(s).
func preludeEnd(s string, i int, at bool) int {
	for ; i < len(s); i++ {
		if j := skipCSSGroup(s, i); j != i {
			i = j
			continue
		}
		switch s[i] {
		case '{':
			return i
		case ';':
			if at {
				return i
			}
		}
	}
	return len(s)
}

// blockEnd returns the index of the '}' closing the block opened at
// s[open], or len(s) when the sheet ends first (a block left open is
// closed by the end of the sheet, as in a browser).
func blockEnd(s string, open int) int {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"', '\'':
			i = stringEnd(s, i)
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return len(s)
}

// closeOf returns the index of the ')' or ']' closing the one at s[open]
// (or len(s)-1); strings inside are skipped, braces are not crossed.
func closeOf(s string, open int) int {
	want := byte(')')
	if s[open] == '[' {
		want = ']'
	}
	for i := open + 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"', '\'':
			i = stringEnd(s, i)
		case want:
			return i
		case '{', '}', ';':
			return i - 1 // an unclosed bracket does not swallow the rule's block
		}
	}
	return len(s) - 1
}

// skipCSSGroup returns the index of the last byte of the escape, string
// or bracketed group that opens at s[i] (the scanners below step over
// them whole), or i when none does.
func skipCSSGroup(s string, i int) int {
	switch s[i] {
	case '\\':
		return i + 1
	case '"', '\'':
		return stringEnd(s, i)
	case '(', '[':
		return closeOf(s, i)
	}
	return i
}

// stringEnd returns the index of the quote closing the string opened at
// s[open]; a newline ends a bad string, as in the CSS tokenizer.
func stringEnd(s string, open int) int {
	q := s[open]
	for i := open + 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case q, '\n':
			return i
		}
	}
	return len(s) - 1
}

// stripCSSComments removes /* … */ outside strings.
func stripCSSComments(s string) string {
	if !strings.Contains(s, "/*") {
		return s
	}
	var sb strings.Builder
	sb.Grow(len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				return sb.String()
			}
			i += end + 3
			sb.WriteByte(' ')
		case c == '"' || c == '\'':
			j := stringEnd(s, i)
			sb.WriteString(s[i : j+1])
			i = j
		case c == '\\' && i+1 < len(s):
			sb.WriteString(s[i : i+2])
			i++
		default:
			sb.WriteByte(c)
		}
	}
	return sb.String()
}

func isCSSSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// atRule splits an at-rule's head into its lower-cased name and prelude.
func atRule(head string) (string, string) {
	end := 0
	for end < len(head) && (head[end] == '-' || head[end] == '_' || unicode.IsLetter(rune(head[end])) || unicode.IsDigit(rune(head[end]))) {
		end++
	}
	return strings.ToLower(head[:end]), head[end:]
}

// mediaApplies reports whether a media query list matches a desktop
// screen: a query for all or screen media (print, speech and the like do
// not), whose width features an assumedViewport window meets; other
// features are taken as met. An empty list matches.
func mediaApplies(list string) bool {
	list = strings.ToLower(strings.TrimSpace(list))
	if list == "" {
		return true
	}
	for _, q := range splitTopLevel(list, ',') {
		if mediaQueryApplies(strings.TrimSpace(q)) {
			return true
		}
	}
	return false
}

func mediaQueryApplies(q string) bool {
	not := false
	if rest, ok := strings.CutPrefix(q, "not "); ok {
		not, q = true, strings.TrimSpace(rest)
	} else if rest, ok := strings.CutPrefix(q, "only "); ok {
		q = strings.TrimSpace(rest)
	}
	met := true
	if q != "" && q[0] != '(' {
		typ := q
		if i := strings.IndexAny(q, " \t\n("); i >= 0 {
			typ = q[:i]
		}
		met = typ == "all" || typ == "screen"
	}
	if met {
		var feats []bool
		for i := 0; i < len(q); i++ {
			if q[i] != '(' {
				continue
			}
			j := closeOf(q, i)
			inner := q[i+1:] // an unclosed feature runs to the end
			if j > i && q[j] == ')' {
				inner = q[i+1 : j]
			}
			feats = append(feats, mediaFeatureMet(inner))
			i = max(j, i)
		}
		or := strings.Contains(q, ") or (")
		if len(feats) > 0 {
			met = !or
			for _, f := range feats {
				if or && f {
					met = true
				} else if !or && !f {
					met = false
				}
			}
		}
	}
	return met != not
}

// mediaFeatureMet evaluates one width feature for the assumed window
// ("min-width: 768px", "width >= 48em"); any other feature is taken as met.
func mediaFeatureMet(f string) bool {
	f = strings.TrimSpace(f)
	if name, val, ok := strings.Cut(f, ":"); ok {
		w, ok := cssLength(strings.TrimSpace(val))
		if !ok {
			return true
		}
		switch strings.TrimSpace(name) {
		case "min-width":
			return assumedViewport >= w
		case "max-width":
			return assumedViewport <= w
		case "width":
			return assumedViewport == w
		}
		return true
	}
	for _, op := range []string{">=", "<=", ">", "<", "="} {
		name, val, ok := strings.Cut(f, op)
		if !ok {
			continue
		}
		name, val = strings.TrimSpace(name), strings.TrimSpace(val)
		if name != "width" || strings.ContainsAny(val, "<>=") {
			return true // a range on both sides, or another feature
		}
		w, ok := cssLength(val)
		if !ok {
			return true
		}
		switch op {
		case ">=":
			return assumedViewport >= w
		case "<=":
			return assumedViewport <= w
		case ">":
			return assumedViewport > w
		case "<":
			return assumedViewport < w
		}
		return assumedViewport == w
	}
	return true
}

// cssLength reads a length in px, em or rem (16px) as CSS px.
func cssLength(s string) (float64, bool) {
	unit := 1.0
	switch {
	case strings.HasSuffix(s, "rem"):
		s, unit = s[:len(s)-3], 16
	case strings.HasSuffix(s, "em"):
		s, unit = s[:len(s)-2], 16
	case strings.HasSuffix(s, "px"):
		s = s[:len(s)-2]
	default:
		return 0, false
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return v * unit, err == nil
}

// splitTopLevel splits s at sep outside brackets.
func splitTopLevel(s string, sep byte) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(', '[':
			depth++
		case ')', ']':
			depth--
		case sep:
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}
