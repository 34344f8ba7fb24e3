package extract

import (
	"strings"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// Selectors come from the page: untrusted. cascadia matches a complex
// selector ("span div div div") by trying every ancestor at every step,
// which a deep page and such a selector turn exponential. So each
// selector is split at its combinators here, cascadia compiles and
// matches the compound parts alone, and the combinators are walked with a
// memo of (selector, part, element) and a work budget per page: once it
// is spent, every element is taken as written.

// maxMatchWork bounds the selector matching one page may cost (compound
// matches, a sibling scan counted per sibling).
const maxMatchWork = 2_000_000

// maxMatchMemo bounds the memo of matched parts (about 100 bytes an entry
// in the map): a chain of child combinators (".a > * > * > *") stores one
// entry per step, 940,000 (110 MB) within maxMatchWork. Past it, parts are
// matched without being stored, still within the work budget.
const maxMatchMemo = 1 << 18

// complexSel is one selector of a rule: its compound parts left to
// right, joined by combs[i] (' ', '>', '+', '~') between parts i and i+1.
type complexSel struct {
	parts []cascadia.Sel
	cost  []partCost // what matching the part walks besides the element itself
	combs []byte
	spec  cascadia.Specificity
}

// partCost marks the pseudo-classes for which cascadia walks more than the
// element: its siblings (:nth-child…), its ancestors (:lang, and
// :enabled/:disabled looking for a disabled fieldset) or its children
// (:empty). matchPart charges such walks to the work budget, or one
// compound match could cost as much as the whole budget.
type partCost uint8

const (
	costSiblings partCost = 1 << iota
	costAncestors
	costChildren
)

// costOf returns the walks a compound selector's pseudo-classes make (lp
// lower-cased).
func costOf(lp string) partCost {
	var c partCost
	for _, s := range []string{":nth-", ":first-", ":last-", ":only-", ":enabled", ":disabled"} {
		if strings.Contains(lp, s) {
			c |= costSiblings
		}
	}
	for _, s := range []string{":lang(", ":enabled", ":disabled"} {
		if strings.Contains(lp, s) {
			c |= costAncestors
		}
	}
	if strings.Contains(lp, ":empty") {
		c |= costChildren
	}
	return c
}

// complexInNot reports whether any :not() in the compound lp holds more
// than a compound selector (a combinator, whitespace included):
// cascadia matches that by trying every ancestor at every step.
func complexInNot(lp string) bool {
	for rest := lp; ; {
		inner, found := parenOf(rest, ":not(")
		if !found {
			return false
		}
		if strings.ContainsAny(strings.ReplaceAll(inner, ", ", ","), " \t\n\r\f>+~") {
			return true
		}
		rest = rest[strings.Index(rest, ":not(")+len(":not("):]
	}
}

type matchKey struct {
	s *complexSel
	i int
	n *html.Node
}

// compileSelectors compiles a rule's selector list. ok is false when any
// selector cannot be read (a browser drops the whole rule then) or uses
// what would cost too much to match (:has, :contains, a complex selector
// inside :not). Selectors of a pseudo-element are left out.
func compileSelectors(prelude string) (sels []*complexSel, ok bool) {
	for _, one := range splitTop(prelude, func(c byte) bool { return c == ',' }) {
		s, pseudo, ok := compileSelector(strings.TrimSpace(one))
		if !ok {
			return nil, false
		}
		if !pseudo {
			sels = append(sels, s)
		}
	}
	return sels, true
}

// compileSelector compiles one complex selector; pseudo reports one that
// styles a pseudo-element (::first-letter…), not the element's text.
func compileSelector(sel string) (s *complexSel, pseudo, ok bool) {
	if sel == "" {
		return nil, false, false
	}
	low := strings.ToLower(sel)
	if strings.Contains(low, ":\\") {
		return nil, false, false // an escaped pseudo-class name would hide it from the checks below
	}
	for _, dear := range []string{"has(", "contains(", "matches(", "haschild("} {
		if strings.Contains(low, dear) {
			return nil, false, false
		}
	}
	parts, combs := splitCompounds(sel)
	if len(parts) == 0 || len(combs) != len(parts)-1 {
		return nil, false, false
	}
	s = &complexSel{combs: combs}
	for i, p := range parts {
		if complexInNot(strings.ToLower(p)) {
			return nil, false, false // :not(a b): cascadia would match it unbounded
		}
		var c cascadia.Sel
		var err error
		if i == len(parts)-1 {
			c, err = cascadia.ParseWithPseudoElement(p)
		} else {
			c, err = cascadia.Parse(p)
		}
		if err != nil {
			return nil, false, false
		}
		if c.PseudoElement() != "" {
			pseudo = true
		}
		lp := strings.ToLower(p)
		s.parts = append(s.parts, c)
		s.cost = append(s.cost, costOf(lp))
		s.spec = s.spec.Add(c.Specificity())
	}
	return s, pseudo, true
}

// parenOf returns the text inside the parentheses after the first opener
// in s ("…:not(" → its argument).
func parenOf(s, opener string) (string, bool) {
	i := strings.Index(s, opener)
	if i < 0 {
		return "", false
	}
	open := i + len(opener) - 1
	end := closeOf(s, open)
	if end <= open {
		return "", true
	}
	return s[open+1 : min(end, len(s))], true
}

// splitCompounds splits a complex selector at its combinators (outside
// brackets, parentheses and strings): "div > p.a  span" gives
// ["div" "p.a" "span"] and ">", " ".
func splitCompounds(sel string) (parts []string, combs []byte) {
	start, comb := 0, byte(0)
	flush := func(end int) bool {
		if p := strings.TrimSpace(sel[start:end]); p != "" {
			if len(parts) > 0 {
				if comb == 0 {
					comb = ' '
				}
				combs = append(combs, comb)
			} else if comb != 0 && comb != ' ' {
				return false // a leading combinator (relative selector): not for a style sheet's rule
			}
			parts, comb = append(parts, p), 0
		}
		return true
	}
	for i := 0; i < len(sel); i++ {
		if j := skipCSSGroup(sel, i); j != i {
			i = j
			continue
		}
		switch c := sel[i]; c {
		case ' ', '\t', '\n', '\r', '\f', '>', '+', '~':
			if !flush(i) {
				return nil, nil
			}
			start = i + 1
			if c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' {
				if comb != 0 && comb != ' ' {
					return nil, nil // "a > > b"
				}
				comb = c
			} else if comb == 0 && len(parts) > 0 {
				comb = ' '
			}
		}
	}
	if !flush(len(sel)) || (comb != 0 && comb != ' ') {
		return nil, nil // a trailing combinator
	}
	return parts, combs
}

// splitTop splits s at the bytes sep accepts outside brackets,
// parentheses, strings and escapes.
func splitTop(s string, sep func(byte) bool) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if j := skipCSSGroup(s, i); j != i {
			i = j
			continue
		}
		if sep(s[i]) {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[min(start, len(s)):])
}

// matches reports whether s matches n, within the page's work budget.
func (pc *pageCase) matches(s *complexSel, n *html.Node) bool {
	return pc.matchPart(s, len(s.parts)-1, n)
}

// matchPart reports whether parts[0..i] of s match with part i at n.
func (pc *pageCase) matchPart(s *complexSel, i int, n *html.Node) bool {
	if pc.work <= 0 || n == nil || n.Type != html.ElementNode {
		return false
	}
	pc.work--
	if c := s.cost[i]; c != 0 {
		if c&costSiblings != 0 && n.Parent != nil {
			for c := n.Parent.FirstChild; c != nil && pc.work > 0; c = c.NextSibling {
				pc.work--
			}
		}
		if c&costAncestors != 0 {
			for p := n.Parent; p != nil && pc.work > 0; p = p.Parent {
				pc.work--
			}
		}
		if c&costChildren != 0 {
			for c := n.FirstChild; c != nil && pc.work > 0; c = c.NextSibling {
				pc.work--
			}
		}
		if pc.work <= 0 {
			return false
		}
	}
	if !s.parts[i].Match(n) {
		return false
	}
	if i == 0 {
		return true
	}
	switch s.combs[i-1] {
	case '>':
		return pc.memoPart(s, i-1, n.Parent)
	case '+':
		return pc.memoPart(s, i-1, prevElement(n))
	case '~':
		for p := prevElement(n); p != nil && pc.work > 0; p = prevElement(p) {
			if pc.memoPart(s, i-1, p) {
				return true
			}
		}
	default:
		for p := n.Parent; p != nil && p.Type == html.ElementNode && pc.work > 0; p = p.Parent {
			if pc.memoPart(s, i-1, p) {
				return true
			}
		}
	}
	return false
}

func (pc *pageCase) memoPart(s *complexSel, i int, n *html.Node) bool {
	if n == nil || n.Type != html.ElementNode || pc.work <= 0 {
		return false
	}
	pc.work-- // a step of a combinator's walk, answered from the memo or not
	k := matchKey{s, i, n}
	if v, ok := pc.matched[k]; ok {
		return v
	}
	v := pc.matchPart(s, i, n)
	if len(pc.matched) < maxMatchMemo {
		pc.matched[k] = v
	}
	return v
}

func prevElement(n *html.Node) *html.Node {
	for p := n.PrevSibling; p != nil; p = p.PrevSibling {
		if p.Type == html.ElementNode {
			return p
		}
	}
	return nil
}
