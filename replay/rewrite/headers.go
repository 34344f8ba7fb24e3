package rewrite

import (
	"net/http"
	"net/textproto"
	"strings"
)

// Headers returns the response headers to send for archived headers h:
// URLs rewritten into the archive, cookies confined to the collection,
// security policies of the live site dropped (the server sets its own),
// everything else renamed X-Archive-Orig-*. Names that are not valid tokens
// and values with control characters are dropped, so a recorded header can
// never split the response or inject another header.
func (u *URLRewriter) Headers(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for name, vals := range h {
		if !validHeaderName(name) {
			continue
		}
		cname := textproto.CanonicalMIMEHeaderKey(name)
		for _, v := range vals {
			if !validHeaderValue(v) {
				continue
			}
			switch headerActions[cname] {
			case hdrKeep:
				out.Add(cname, v)
			case hdrURL:
				out.Add(cname, u.Rewrite(v, u.PageMod))
			case hdrLink:
				out.Add(cname, u.linkHeader(v))
			case hdrCookie:
				out.Add(cname, u.cookie(v))
			case hdrRefresh:
				out.Add(cname, u.refresh(v, u.PageMod))
			case hdrDrop, hdrRecomputed:
			default:
				out.Add("X-Archive-Orig-"+cname, v)
			}
		}
	}
	return out
}

// linkHeader rewrites the <URL> parts of a Link header value.
func (u *URLRewriter) linkHeader(v string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(v, '<')
		if i < 0 {
			break
		}
		j := strings.IndexByte(v[i:], '>')
		if j < 0 {
			break
		}
		b.WriteString(v[:i+1])
		b.WriteString(u.Rewrite(v[i+1:i+j], ModObjEmbd))
		b.WriteByte('>')
		v = v[i+j+1:]
	}
	b.WriteString(v)
	return b.String()
}

// cookie confines a Set-Cookie to the collection: Domain is dropped (the
// replay origin is not the live host), Path is re-rooted under the
// collection prefix, Secure is dropped because replay is usually plain
// HTTP on loopback.
func (u *URLRewriter) cookie(v string) string {
	parts := strings.Split(v, ";")
	out := parts[:1]
	hasPath := false
	for _, p := range parts[1:] {
		k, _, _ := strings.Cut(strings.TrimSpace(p), "=")
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "domain", "secure":
			continue
		case "path":
			hasPath = true
			out = append(out, " Path="+u.Prefix)
			continue
		}
		out = append(out, p)
	}
	if !hasPath {
		out = append(out, " Path="+u.Prefix)
	}
	return strings.Join(out, ";")
}

func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("\"(),/:;<=>?@[\\]{}", c) >= 0 {
			return false
		}
	}
	return true
}

func validHeaderValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}
