package storage

import (
	"fmt"
	"net/url"
	"strings"
)

// Kind says where a name's bytes live.
type Kind int

const (
	Local Kind = iota // a path on this machine
	HTTP              // an http:// or https:// URL
	S3                // s3://bucket/key
)

// KindOf tells local paths from URLs by their scheme alone.
func KindOf(name string) Kind {
	l := strings.ToLower(name)
	switch {
	case strings.HasPrefix(l, "http://"), strings.HasPrefix(l, "https://"):
		return HTTP
	case strings.HasPrefix(l, "s3://"):
		return S3
	}
	return Local
}

// IsRemote reports whether name is an http(s):// or s3:// URL.
func IsRemote(name string) bool { return KindOf(name) != Local }

// IsFolder reports whether a remote name stands for the objects under it
// (it ends in "/", or is a bare s3://bucket). Local folders are told by
// os.Stat instead.
func IsFolder(name string) bool {
	switch KindOf(name) {
	case S3:
		b, k, err := splitS3(name)
		return err == nil && b != "" && (k == "" || strings.HasSuffix(k, "/"))
	case HTTP:
		u, err := url.Parse(name)
		return err == nil && (u.Path == "" || strings.HasSuffix(u.Path, "/"))
	}
	return false
}

// splitS3 splits s3://bucket/key.
func splitS3(name string) (bucket, key string, err error) {
	rest := name[len("s3://"):]
	bucket, key, _ = strings.Cut(rest, "/")
	if bucket == "" {
		return "", "", fmt.Errorf("no bucket in %q", Redact(name))
	}
	return bucket, key, nil
}

// Join resolves a relative file name against a base such as
// "s3://commoncrawl/" or "https://host/coll/"; an absolute URL or a base
// that is a local folder is handled as a path join.
func Join(base, rel string) string {
	if IsRemote(rel) || base == "" {
		return rel
	}
	if IsRemote(base) {
		if !strings.HasSuffix(base, "/") {
			base += "/"
		}
		return base + strings.TrimPrefix(rel, "/")
	}
	if strings.HasSuffix(base, "/") {
		return base + rel
	}
	return base + "/" + rel
}

// secretParams are query parameters that carry credentials (presigned S3
// URLs, signed CDN links): their values are removed from names shown to
// people.
var secretParams = []string{"sig", "token", "credential", "secret", "password", "key", "auth"}

// Redact returns name with any password in its user info and the values
// of credential-like query parameters replaced, so that a name can be put
// in logs, errors, indexes and output files. Local paths are returned as
// they are.
func Redact(name string) string {
	if KindOf(name) != HTTP {
		return name
	}
	u, err := url.Parse(name)
	if err != nil {
		// Unparseable: hide the user info as URL parsers delimit it,
		// up to the authority's last "@" (a password may hold an "@").
		start := strings.Index(name, "//") + 2
		end := len(name)
		if j := strings.IndexAny(name[start:], "/?#"); j >= 0 {
			end = start + j
		}
		if i := strings.LastIndex(name[start:end], "@"); i >= 0 {
			return name[:start] + "xxxxx" + name[start+i:]
		}
		return name
	}
	changed := false
	if u.User != nil {
		u.User = url.User("xxxxx")
		changed = true
	}
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			lk := strings.ToLower(k)
			for _, s := range secretParams {
				if strings.Contains(lk, s) {
					q[k] = []string{"xxxxx"}
					changed = true
					break
				}
			}
		}
		if changed {
			u.RawQuery = q.Encode()
		}
	}
	if !changed {
		return name
	}
	return u.String()
}
