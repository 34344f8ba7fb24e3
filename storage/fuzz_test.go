package storage

import (
	"net/url"
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
		full := "https://user:" + pw + "@" + name[len("https://"):]
		got := Redact(full)
		// The password can only be in the user info: the same
		// characters may stand in the host, path or fragment too (kept
		// findings: a host "00000000"; a fragment whose space re-encoded
		// as %20 puts a 0 before "0000000"), so only the user info is
		// looked at, as a URL parser reads it.
		if u, err := url.Parse(got); err == nil {
			if u.User != nil {
				if p, _ := u.User.Password(); strings.Contains(p, pw) || strings.Contains(u.User.Username(), pw) {
					t.Errorf("Redact(%q) = %q keeps user info %q %q", full, got, u.User.Username(), p)
				}
			}
			return
		}
		auth := got[len("https://"):]
		if i := strings.IndexAny(auth, "/?#"); i >= 0 {
			auth = auth[:i]
		}
		if i := strings.LastIndex(auth, "@"); i >= 0 && strings.Contains(auth[:i], pw) {
			t.Errorf("Redact(%q) = %q keeps the password", full, got)
		}
	})
}
