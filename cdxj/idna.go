package cdxj

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// domainToASCII is the part of UTS #46 ToASCII (non-transitional, as the
// WHATWG URL standard uses it) that the standard library allows without
// the Unicode IDNA tables: ASCII is lower-cased; the ideographic and
// full-width full stops separate labels; full-width ASCII maps to ASCII;
// default-ignorable characters vanish; controls, spaces, unassigned and
// private-use code points and U+FFFD are rejected; every label with
// non-ASCII becomes "xn--" punycode and every "xn--" label must decode.
// NFC/NFKC normalisation beyond that is not done: such hosts are rare in
// archives and, where they differ, the key differs from warcio.js's.
func domainToASCII(s string) (string, error) {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		s = strings.ToLower(s)
		if !strings.Contains(s, "xn--") {
			return s, nil
		}
	} else {
		var b strings.Builder
		for _, r := range s {
			switch {
			case r == utf8.RuneError, r == '\ufffc':
				return "", fmt.Errorf("%w: invalid character in host", ErrInvalidURL)
			case r == '\u3002' || r == '\uff0e' || r == '\uff61':
				b.WriteByte('.')
			case r >= '\uff01' && r <= '\uff5e':
				b.WriteRune(unicode.ToLower(r - 0xfee0))
			case r == '\u00ad' || r == '\u200b' || r == '\u2060' || r == '\ufeff' || r == '\u034f' ||
				r >= '\ufe00' && r <= '\ufe0f':
				// default-ignorable: mapped to nothing
			case r < utf8.RuneSelf:
				b.WriteRune(unicode.ToLower(r))
			case unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsNumber(r) ||
				unicode.IsPunct(r) || unicode.IsSymbol(r):
				b.WriteRune(unicode.ToLower(r))
			default:
				return "", fmt.Errorf("%w: disallowed character %U in host", ErrInvalidURL, r)
			}
		}
		s = b.String()
	}
	labels := strings.Split(s, ".")
	for i, l := range labels {
		if strings.HasPrefix(l, "xn--") {
			dec, err := punyDecode(l[4:])
			if err != nil {
				return "", fmt.Errorf("%w: label %q: %w", ErrInvalidURL, l, err)
			}
			if enc, err := punyEncode(dec); err != nil || enc != l[4:] || isASCII(dec) {
				return "", fmt.Errorf("%w: label %q is not valid punycode", ErrInvalidURL, l)
			}
			continue
		}
		if isASCII(l) {
			continue
		}
		enc, err := punyEncode(l)
		if err != nil {
			return "", fmt.Errorf("%w: label %q: %w", ErrInvalidURL, l, err)
		}
		labels[i] = "xn--" + enc
	}
	return strings.Join(labels, "."), nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Punycode (RFC 3492) parameters.
const (
	pcBase        = 36
	pcTMin        = 1
	pcTMax        = 26
	pcSkew        = 38
	pcDamp        = 700
	pcInitialBias = 72
	pcInitialN    = 128
	pcMaxInt      = 1<<31 - 1
)

var errPunycode = errors.New("bad punycode")

func pcAdapt(delta, numPoints int, first bool) int {
	if first {
		delta /= pcDamp
	} else {
		delta /= 2
	}
	delta += delta / numPoints
	k := 0
	for delta > ((pcBase-pcTMin)*pcTMax)/2 {
		delta /= pcBase - pcTMin
		k += pcBase
	}
	return k + (pcBase-pcTMin+1)*delta/(delta+pcSkew)
}

func pcThreshold(k, bias int) int {
	t := k - bias
	if t < pcTMin {
		return pcTMin
	}
	if t > pcTMax {
		return pcTMax
	}
	return t
}

func pcDigit(d int) byte {
	if d < 26 {
		return byte('a' + d)
	}
	return byte('0' + d - 26)
}

// punyEncode encodes a label (without the "xn--" prefix).
func punyEncode(s string) (string, error) {
	runes := []rune(s)
	out := make([]byte, 0, len(s)+8)
	for _, r := range runes {
		if r < 0x80 {
			out = append(out, byte(r))
		}
	}
	b := len(out)
	h := b
	if b > 0 {
		out = append(out, '-')
	}
	n, delta, bias := pcInitialN, 0, pcInitialBias
	for h < len(runes) {
		m := pcMaxInt
		for _, r := range runes {
			if int(r) >= n && int(r) < m {
				m = int(r)
			}
		}
		if (m - n) > (pcMaxInt-delta)/(h+1) {
			return "", errPunycode
		}
		delta += (m - n) * (h + 1)
		n = m
		for _, r := range runes {
			if int(r) < n {
				delta++
				if delta == pcMaxInt {
					return "", errPunycode
				}
			}
			if int(r) != n {
				continue
			}
			q := delta
			for k := pcBase; ; k += pcBase {
				t := pcThreshold(k, bias)
				if q < t {
					break
				}
				out = append(out, pcDigit(t+(q-t)%(pcBase-t)))
				q = (q - t) / (pcBase - t)
			}
			out = append(out, pcDigit(q))
			bias = pcAdapt(delta, h+1, h == b)
			delta = 0
			h++
		}
		delta++
		n++
	}
	return string(out), nil
}

// punyDecode decodes a label (without the "xn--" prefix).
func punyDecode(s string) (string, error) {
	var out []rune
	pos := 0
	if b := strings.LastIndexByte(s, '-'); b > 0 {
		for i := 0; i < b; i++ {
			if s[i] >= 0x80 {
				return "", errPunycode
			}
			out = append(out, rune(s[i]))
		}
		pos = b + 1
	}
	i, n, bias := 0, pcInitialN, pcInitialBias
	for pos < len(s) {
		oldi, w := i, 1
		for k := pcBase; ; k += pcBase {
			if pos >= len(s) {
				return "", errPunycode
			}
			c := s[pos]
			pos++
			var d int
			switch {
			case c >= '0' && c <= '9':
				d = int(c-'0') + 26
			case c >= 'a' && c <= 'z':
				d = int(c - 'a')
			case c >= 'A' && c <= 'Z':
				d = int(c - 'A')
			default:
				return "", errPunycode
			}
			if d > (pcMaxInt-i)/w {
				return "", errPunycode
			}
			i += d * w
			t := pcThreshold(k, bias)
			if d < t {
				break
			}
			if w > pcMaxInt/(pcBase-t) {
				return "", errPunycode
			}
			w *= pcBase - t
		}
		bias = pcAdapt(i-oldi, len(out)+1, oldi == 0)
		if i/(len(out)+1) > pcMaxInt-n {
			return "", errPunycode
		}
		n += i / (len(out) + 1)
		i %= len(out) + 1
		if n > unicode.MaxRune || n >= 0xd800 && n <= 0xdfff {
			return "", errPunycode
		}
		out = append(out, 0)
		copy(out[i+1:], out[i:])
		out[i] = rune(n)
		i++
	}
	return string(out), nil
}
