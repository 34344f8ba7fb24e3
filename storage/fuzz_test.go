package storage

import (
	"strings"
	"testing"
)

// FuzzParseContentRange: a server's Content-Range is untrusted input; it
// must never panic, and what it accepts must say what it held.
func FuzzParseContentRange(f *testing.F) {
	for _, s := range []string{"bytes 0-99/100", "bytes 5-9/*", "bytes */100", "bytes -1-2/3", "bytes 9223372036854775807-1/2", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		start, total, ok := parseContentRange(s)
		if ok && (!strings.HasPrefix(s, "bytes ") || total < -1 || start < 0 || (total >= 0 && start >= total)) {
			t.Errorf("%q accepted as start %d total %d", s, start, total)
		}
	})
}

// FuzzRedact: whatever the name, a password in its user info never
// survives redaction.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{"https://u:pw@h/x", "http://h/x?sig=abc", "s3://b/k", "https://:@/", "http://a:b@c:d@e/"} {
		f.Add(s, "s3cr3tpassword")
	}
	f.Fuzz(func(t *testing.T, name, pw string) {
		if len(pw) < 8 || strings.ContainsAny(pw, "@/:?#%[]") || !strings.HasPrefix(strings.ToLower(name), "https://") {
			return
		}
		rest := name[len("https://"):]
		full := "https://user:" + pw + "@" + rest
		// The same characters may stand in the host or path too (the
		// kept finding: password and host both "00000000"); only the
		// user info's copy must go.
		if got := Redact(full); strings.Count(got, pw) > strings.Count(rest, pw) {
			t.Errorf("Redact(%q) = %q keeps the password", full, got)
		}
	})
}
