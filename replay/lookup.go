package replay

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/warcbox/warcbox/index"
)

// captures returns every capture of url (keyed with the request method and
// body for non-GET requests), in timestamp order. When there is none, the
// fuzzy rules are tried; fuzzy reports that they matched.
func (s *Server) captures(ctx context.Context, c *collection, keyURL string) (caps []index.Capture, fuzzy bool, err error) {
	key := index.Key(keyURL)
	caps, err = index.Collect(ctx, c.source(), index.Query{Key: key, URL: keyURL})
	if err != nil || len(caps) > 0 {
		return caps, false, err
	}
	caps, err = index.Fuzzy(ctx, c.source(), s.rules, keyURL)
	return caps, len(caps) > 0, err
}

// keyedURL is the URL a capture is keyed under.
func keyedURL(c index.Capture) string { return index.KeyedURL(c) }

// byCloseness orders captures by distance from target (latest first when
// target is empty), ties going to the earlier capture as pywb does.
func byCloseness(caps []index.Capture, target string) []index.Capture {
	out := append([]index.Capture(nil), caps...)
	if target == "" {
		sort.SliceStable(out, func(i, j int) bool { return out[i].Timestamp > out[j].Timestamp })
		return out
	}
	t := tsTime(target)
	dist := func(c index.Capture) time.Duration {
		d := tsTime(c.Timestamp).Sub(t)
		if d < 0 {
			d = -d
		}
		return d
	}
	sort.SliceStable(out, func(i, j int) bool {
		di, dj := dist(out[i]), dist(out[j])
		if di != dj {
			return di < dj
		}
		return out[i].Timestamp < out[j].Timestamp
	})
	return out
}

// byPartial orders captures for a partial timestamp, whose padded form
// is the end of the period: "2030" means the latest capture up to then, so
// captures not after it come first (latest first), then later ones.
func byPartial(caps []index.Capture, end string) []index.Capture {
	var before, after []index.Capture
	for _, c := range caps {
		if c.Timestamp <= end {
			before = append(before, c)
		} else {
			after = append(after, c)
		}
	}
	sort.SliceStable(before, func(i, j int) bool { return before[i].Timestamp > before[j].Timestamp })
	sort.SliceStable(after, func(i, j int) bool { return after[i].Timestamp < after[j].Timestamp })
	return append(before, after...)
}

// tsTime parses a (padded) 14-digit timestamp; invalid ones give zero.
func tsTime(ts string) time.Time {
	p, ok := index.PadTimestamp(ts, false)
	if !ok {
		return time.Time{}
	}
	t, err := time.Parse("20060102150405", p)
	if err != nil {
		// out-of-range parts (month 13): clamp by parsing the year alone
		t, _ = time.Parse("2006", p[:4])
	}
	return t
}

// normaliseURL turns the URL part of an archival path into an absolute URL:
// scheme added when missing, "http:/x" (slashes merged by a proxy) mended.
// ok is false for what cannot be a web URL.
func normaliseURL(raw string) (string, bool) {
	u := strings.TrimSpace(raw)
	if u == "" {
		return "", false
	}
	lower := strings.ToLower(u)
	if strings.HasPrefix(lower, "urn:") && len(u) > 4 {
		// Resource records a browser capture writes (urn:screenshot:<url>,
		// urn:dom:<url>) are replayed under their URN, as pywb does.
		return u, true
	}
	for _, sch := range []string{"http:", "https:"} {
		if strings.HasPrefix(lower, sch) {
			// lower-case scheme: SURT keys only transform "http(s):"
			rest := strings.TrimLeft(u[len(sch):], "/")
			u = sch + "//" + rest
			lower = strings.ToLower(u)
			break
		}
	}
	if strings.HasPrefix(u, "//") {
		u = "http:" + u
	} else if !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://") {
		if strings.Contains(u, "://") {
			return "", false // ftp://, javascript:… are not replayable
		}
		u = "http://" + u
	}
	p, err := url.Parse(u)
	if err != nil || p.Host == "" || strings.ContainsAny(p.Host, " \t\r\n<>\"") {
		return "", false
	}
	return u, true
}

// sameResource reports whether two URLs name one resource for replay
// (http/https and www. variants included): the test for self-redirects.
func sameResource(a, b string) bool { return index.Key(a) == index.Key(b) }

func fmtTS(t time.Time) string { return t.UTC().Format("20060102150405") }

// httpDate formats a 14-digit timestamp as an HTTP date (Memento-Datetime).
func httpDate(ts string) string { return tsTime(ts).UTC().Format(timeFormatHTTP) }

const timeFormatHTTP = "Mon, 02 Jan 2006 15:04:05 GMT"

func errf(format string, a ...any) error { return fmt.Errorf("replay: "+format, a...) }
