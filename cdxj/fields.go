package cdxj

import (
	"strings"
	"unicode/utf8"
)

// The helpers below turn WARC and HTTP header values into CDXJ fields the
// way warcio.js `cdx-index` does, so an indexer built on this package
// writes the same bytes.

// timestampFromWARCDate is warcio.js's timestamp: WARC-Date with '-', ':'
// and 'T' removed, cut to 14 characters ("2024-01-02T03:04:05.5Z" →
// "20240102030405"). It does not validate: odd dates give odd timestamps,
// as they do in warcio.js.
func timestampFromWARCDate(warcDate string) string {
	s := strings.Map(func(r rune) rune {
		if r == '-' || r == ':' || r == 'T' {
			return -1
		}
		return r
	}, warcDate)
	if len(s) > 14 {
		s = s[:14]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
	}
	return s
}

// mimeField is the "mime" field from a Content-Type value: the part
// before ';', trimmed. warcio.js uses "warc/revisit" for revisit records,
// the HTTP Content-Type for response and request records and the WARC
// Content-Type for the others.
func mimeField(contentType string) string {
	m, _, _ := strings.Cut(contentType, ";")
	return strings.TrimSpace(m)
}

// digestField is the "digest" field from WARC-Payload-Digest: the part
// after the first ':' ("sha1:ABC" → "ABC"); ok is false when there is no
// ':' and warcio.js leaves the field out.
func digestField(payloadDigest string) (digest string, ok bool) {
	_, d, ok := strings.Cut(payloadDigest, ":")
	if i := strings.IndexByte(d, ':'); i >= 0 {
		d = d[:i] // split(":", 2)[1] stops at a second ':'
	}
	return d, ok
}

// warcioHeaderString returns a raw WARC header value as warcio.js holds
// it: decoded as UTF-8 (invalid bytes become U+FFFD), trimmed of what
// JavaScript's trim() counts as white space (U+2028 and U+00A0 included)
// and, if that gives a
// character above U+00FF, re-read as Latin-1 bytes, because warcio.js
// stores headers in a fetch Headers object that only takes byte strings.
// Its "url" field and key are built from this string, so an indexer that
// wants warcio.js's exact keys for non-ASCII target URIs passes the raw
// WARC-Target-URI through here first.
func warcioHeaderString(raw string) string {
	s := raw
	if !utf8.ValidString(raw) {
		// TextDecoder replaces each invalid byte, not each run.
		var b strings.Builder
		for _, r := range raw {
			b.WriteRune(r)
		}
		s = b.String()
	}
	s = strings.TrimFunc(s, isJSSpace)
	wide := false
	for _, r := range s {
		if r > 0xff {
			wide = true
			break
		}
	}
	if !wide {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteRune(rune(s[i]))
	}
	return b.String()
}

// isJSSpace is JavaScript's WhiteSpace and LineTerminator, what trim()
// removes.
func isJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', '\u00a0', '\u1680', '\u2028', '\u2029',
		'\u202f', '\u205f', '\u3000', '\ufeff':
		return true
	}
	return r >= '\u2000' && r <= '\u200a'
}
