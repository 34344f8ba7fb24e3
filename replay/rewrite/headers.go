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
				if !webRef(v) {
					continue // Location: javascript:/data: would run or render outside the archive
				}
				out.Add(cname, u.Rewrite(v, u.PageMod))
			case hdrLink:
				out.Add(cname, u.linkHeader(v))
			case hdrCookie:
				out.Add(cname, u.cookie(v))
			case hdrRefresh:
				if !webRef(refreshURL(v)) {
					continue
				}
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

// webRef reports whether ref, as a browser would parse it, is relative or
// an http(s) URL: anything else in a Location or Refresh (javascript:,
// data:, blob:, a custom scheme) is dropped, not rewritten.
func webRef(ref string) bool {
	// a URL parser strips leading/trailing C0 controls and spaces and
	// removes tabs and newlines anywhere
	ref = strings.TrimFunc(ref, func(r rune) bool { return r <= ' ' })
	ref = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(ref)
	for i := 0; i < len(ref); i++ {
		c := ref[i]
		switch {
		case c == ':':
			if i == 0 {
				return true
			}
			scheme := strings.ToLower(ref[:i])
			return scheme == "http" || scheme == "https"
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return true // no scheme: relative
		}
	}
	return true
}

// refreshURL is the URL part of a Refresh value as the HTML standard's
// "shared declarative refresh steps" find it: after the delay and a ; or
// ,, an optional "url=", optionally quoted.
func refreshURL(v string) string {
	i := strings.IndexAny(v, ";,")
	if i < 0 {
		// digits and dots alone: a reload; anything else is taken as a URL
		if strings.Trim(v, "0123456789. \t") == "" {
			return ""
		}
		return v
	}
	rest := strings.TrimLeft(v[i+1:], " \t\n\f\r")
	if len(rest) >= 3 && strings.EqualFold(rest[:3], "url") {
		r := strings.TrimLeft(rest[3:], " \t\n\f\r")
		if strings.HasPrefix(r, "=") {
			rest = strings.TrimLeft(r[1:], " \t\n\f\r")
		}
	}
	if rest != "" && (rest[0] == '\'' || rest[0] == '"') {
		q := rest[0]
		rest = rest[1:]
		if j := strings.IndexByte(rest, q); j >= 0 {
			rest = rest[:j]
		}
	}
	return rest
}
