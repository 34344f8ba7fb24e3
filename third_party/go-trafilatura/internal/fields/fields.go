// warcbox patch (see PATCHES.md): one home for "the words of s joined by
// single spaces", computed without the []string that strings.Fields
// allocates, and without any allocation when s is already in that form.

// Package fields normalises white space as strings.Join(strings.Fields(s), " ")
// does, byte for byte.
package fields

import (
	"unicode"
	"unicode/utf8"
)

// asciiSpace is strings.Fields' table of ASCII white space.
var asciiSpace = [256]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// space reports whether the rune at s[i] is white space as strings.Fields
// sees it, and its width (an invalid byte is one wide and no space).
func space(s string, i int) (bool, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return asciiSpace[c], 1
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	return unicode.IsSpace(r), n
}

// Normal reports whether Join(s) == s: no white space but single ASCII
// spaces between words.
func Normal(s string) bool {
	prevSpace := true // a space at the start is not normal
	for i := 0; i < len(s); {
		sp, n := space(s, i)
		if sp {
			if prevSpace || s[i] != ' ' {
				return false
			}
		}
		prevSpace = sp
		i += n
	}
	return !prevSpace || len(s) == 0
}

// Join returns strings.Join(strings.Fields(s), " ").
func Join(s string) string {
	if Normal(s) {
		return s
	}
	out := make([]byte, 0, len(s))
	start := -1 // start of the word being read
	for i := 0; i < len(s); {
		sp, n := space(s, i)
		if sp {
			if start >= 0 {
				if len(out) > 0 {
					out = append(out, ' ')
				}
				out = append(out, s[start:i]...)
				start = -1
			}
		} else if start < 0 {
			start = i
		}
		i += n
	}
	if start >= 0 {
		if len(out) > 0 {
			out = append(out, ' ')
		}
		out = append(out, s[start:]...)
	}
	return string(out)
}

// Counter counts the runes of Join(t1+t2+…) over texts given one at a
// time, without building either string. Every text must be valid UTF-8
// (a rune split over two texts would be counted otherwise than in their
// concatenation): Add reports false for one that is not.
type Counter struct {
	n       int
	started bool // a word has been seen
	gap     bool // white space since the last word
}

// Add counts the words of t; it reports false, counting nothing, when t is
// not valid UTF-8.
func (c *Counter) Add(t string) bool {
	if !utf8.ValidString(t) {
		return false
	}
	for i := 0; i < len(t); {
		sp, n := space(t, i)
		if sp {
			c.gap = c.started
		} else {
			if c.gap {
				c.n++
				c.gap = false
			}
			c.n++
			c.started = true
		}
		i += n
	}
	return true
}

// Len is the rune count of the joined words so far.
func (c *Counter) Len() int { return c.n }
