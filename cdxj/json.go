package cdxj

import (
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// parseObject reads the JSON block of a CDXJ line and calls set for each
// member with the value as raw JSON (copied). It is a small hand-written
// reader because encoding/json's token API cost 25 µs and 100 allocations
// a line, and lookups parse every line they return. Nested objects and
// arrays are passed through after encoding/json validates them.
func parseObject(b []byte, set func(name string, raw json.RawMessage) error) error {
	i := skipWS(b, 0)
	if i >= len(b) || b[i] != '{' {
		return fmt.Errorf("%w: JSON block does not start with '{'", ErrSyntax)
	}
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == '}' {
		return trailing(b, i+1)
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return fmt.Errorf("%w: JSON block: member name expected at byte %d", ErrSyntax, i)
		}
		name, next, err := readJSONString(b, i)
		if err != nil {
			return err
		}
		i = skipWS(b, next)
		if i >= len(b) || b[i] != ':' {
			return fmt.Errorf("%w: JSON block: ':' expected at byte %d", ErrSyntax, i)
		}
		i = skipWS(b, i+1)
		end, err := valueEnd(b, i)
		if err != nil {
			return err
		}
		raw := make(json.RawMessage, end-i)
		copy(raw, b[i:end])
		if err := set(name, raw); err != nil {
			return err
		}
		i = skipWS(b, end)
		if i >= len(b) {
			return fmt.Errorf("%w: JSON block not closed", ErrSyntax)
		}
		switch b[i] {
		case ',':
			i = skipWS(b, i+1)
		case '}':
			return trailing(b, i+1)
		default:
			return fmt.Errorf("%w: JSON block: ',' or '}' expected at byte %d", ErrSyntax, i)
		}
	}
}

func trailing(b []byte, i int) error {
	if skipWS(b, i) != len(b) {
		return fmt.Errorf("%w: data after JSON block", ErrSyntax)
	}
	return nil
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// valueEnd returns the end of the JSON value starting at i.
func valueEnd(b []byte, i int) (int, error) {
	if i >= len(b) {
		return 0, fmt.Errorf("%w: JSON value expected", ErrSyntax)
	}
	switch c := b[i]; {
	case c == '"':
		_, end, err := readJSONString(b, i)
		return end, err
	case c == '{' || c == '[':
		depth, j := 0, i
		for j < len(b) {
			switch b[j] {
			case '"':
				_, end, err := readJSONString(b, j)
				if err != nil {
					return 0, err
				}
				j = end
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					if !json.Valid(b[i : j+1]) {
						return 0, fmt.Errorf("%w: invalid JSON value at byte %d", ErrSyntax, i)
					}
					return j + 1, nil
				}
			}
			j++
		}
		return 0, fmt.Errorf("%w: unclosed JSON value at byte %d", ErrSyntax, i)
	default:
		j := i
		for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ' ' && b[j] != '\t' && b[j] != '\r' && b[j] != '\n' {
			j++
		}
		if j == i || !json.Valid(b[i:j]) {
			return 0, fmt.Errorf("%w: invalid JSON value at byte %d", ErrSyntax, i)
		}
		return j, nil
	}
}

// readJSONString decodes the JSON string starting at b[i] == '"' and
// returns it and the index after its closing quote.
func readJSONString(b []byte, i int) (string, int, error) {
	j := i + 1
	for j < len(b) && b[j] != '"' && b[j] != '\\' && b[j] >= 0x20 {
		j++
	}
	if j < len(b) && b[j] == '"' {
		return string(b[i+1 : j]), j + 1, nil
	}
	out := make([]byte, 0, j-i+16)
	out = append(out, b[i+1:j]...)
	for j < len(b) {
		c := b[j]
		switch {
		case c == '"':
			return string(out), j + 1, nil
		case c < 0x20:
			return "", 0, fmt.Errorf("%w: control character in JSON string at byte %d", ErrSyntax, j)
		case c != '\\':
			out = append(out, c)
			j++
			continue
		}
		if j+1 >= len(b) {
			break
		}
		switch e := b[j+1]; e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := hex4(b, j+2)
			if !ok {
				return "", 0, fmt.Errorf("%w: bad \\u escape at byte %d", ErrSyntax, j)
			}
			j += 6
			if utf16.IsSurrogate(r) {
				if r2, ok := hex4(b, j+2); ok && j+1 < len(b) && b[j] == '\\' && b[j+1] == 'u' {
					if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
						out = utf8.AppendRune(out, dec)
						j += 6
						continue
					}
				}
				r = utf8.RuneError
			}
			out = utf8.AppendRune(out, r)
			continue
		default:
			return "", 0, fmt.Errorf("%w: bad escape at byte %d", ErrSyntax, j)
		}
		j += 2
	}
	return "", 0, fmt.Errorf("%w: unterminated JSON string at byte %d", ErrSyntax, i)
}

func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(b[i:i+4]), 16, 32)
	return rune(n), err == nil
}
