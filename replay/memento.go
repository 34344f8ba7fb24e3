package replay

import (
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/warcbox/warcbox/cdxj"
	"github.com/warcbox/warcbox/index"
)

// origin is the scheme://host the client reached us at, for absolute
// Memento links.
func origin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// linkEscaper is immutable (safe to share): building a Replacer per call
// showed up in profiles.
var linkEscaper = strings.NewReplacer(">", "%3E", "<", "%3C", " ", "%20", "\"", "%22")

// linkURL escapes what would end a Link header target.
func linkURL(u string) string { return linkEscaper.Replace(u) }

// mementoLinks builds the RFC 7089 Link header: original, timegate,
// timemap, and first/prev/next/last mementos around cur (nil for a
// TimeGate answer, which lists first and last only).
func (s *Server) mementoLinks(r *http.Request, c *collection, orig string, caps []index.Capture, cur *index.Capture) string {
	base := origin(r) + "/" + c.name + "/"
	parts := []string{
		fmt.Sprintf(`<%s>; rel="original"`, linkURL(orig)),
		fmt.Sprintf(`<%s%s>; rel="timegate"`, base, linkURL(orig)),
		fmt.Sprintf(`<%stimemap/link/%s>; rel="timemap"; type="application/link-format"`, base, linkURL(orig)),
	}
	if len(caps) == 0 {
		return strings.Join(parts, ", ")
	}
	// caps are in timestamp order (captures of one key)
	rels := map[int][]string{}
	add := func(i int, rel string) { rels[i] = append(rels[i], rel) }
	add(0, "first")
	add(len(caps)-1, "last")
	if cur != nil {
		ci := -1
		for i := range caps {
			if caps[i].Timestamp == cur.Timestamp && caps[i].Offset == cur.Offset && caps[i].Filename == cur.Filename {
				ci = i
				break
			}
		}
		if ci >= 0 {
			add(ci, "")
			if ci > 0 {
				add(ci-1, "prev")
			}
			if ci+1 < len(caps) {
				add(ci+1, "next")
			}
		}
	}
	for i := 0; i < len(caps); i++ {
		rs, ok := rels[i]
		if !ok {
			continue
		}
		cp := caps[i]
		rel := strings.TrimSpace(strings.Join(rs, " ") + " memento")
		rel = strings.Join(strings.Fields(rel), " ")
		parts = append(parts, fmt.Sprintf(`<%s%s/%s>; rel="%s"; datetime="%s"`,
			base, cp.Timestamp, linkURL(cp.URL), rel, httpDate(cp.Timestamp)))
	}
	return strings.Join(parts, ", ")
}

// redirectToMemento answers a TimeGate request with a 302 to the chosen
// memento. Only a request without a timestamp negotiates on
// Accept-Datetime, so only its answer varies on it: pywb sends no Vary
// on mementos or on redirects from a (partial) timestamp
// (tests/test_memento.py test_memento_not_time_gate).
func (s *Server) redirectToMemento(w http.ResponseWriter, r *http.Request, c *collection, cp index.Capture, mod string, caps []index.Capture, negotiated bool) {
	h := w.Header()
	if negotiated {
		h.Set("Vary", "accept-datetime")
	}
	h.Set("Link", s.mementoLinks(r, c, cp.URL, caps, nil))
	h.Set("Location", "/"+c.name+"/"+cp.Timestamp+mod+"/"+cp.URL)
	w.WriteHeader(http.StatusFound)
}

// handleTimeMap serves /<coll>/timemap/link/<url> (application/link-format)
// and /<coll>/timemap/json/<url> (one JSON object per capture, as pywb).
func (s *Server) handleTimeMap(w http.ResponseWriter, r *http.Request, c *collection, rest string) {
	format, urlPart, ok := strings.Cut(rest, "/")
	if !ok || (format != "link" && format != "json" && format != "cdxj") {
		cdxError(w, "output="+format+" not supported")
		return
	}
	matchPrefix := strings.HasSuffix(urlPart, "*")
	target, ok := normaliseURL(strings.TrimSuffix(urlPart, "*"))
	if !ok {
		badRequest(w, "not a web URL")
		return
	}
	var caps []index.Capture
	var err error
	if matchPrefix {
		q := index.Query{Key: strings.TrimSuffix(cdxj.Key(target), "/"), URL: target, MatchType: cdxj.MatchPrefix}
		caps, err = index.Collect(r.Context(), c.source(), q)
	} else {
		caps, err = exactCaptures(r.Context(), c.source(), target)
		caps = s.answers(r.Context(), c, caps)
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if len(caps) == 0 {
		w.WriteHeader(http.StatusNotFound) // empty, as pywb's
		return
	}
	if format == "cdxj" {
		w.Header().Set("Content-Type", "text/x-cdxj")
		var b strings.Builder
		for _, cp := range caps {
			b.WriteString(newCDXRow(cp).cdxjLine(nil))
			b.WriteByte('\n')
		}
		io.WriteString(w, b.String())
		return
	}
	base := origin(r) + "/" + c.name + "/"
	if format == "json" {
		w.Header().Set("Content-Type", "application/x-ndjson")
		for _, cp := range caps {
			if err := jsonLine(w, cdxFields(cp)); err != nil {
				return
			}
		}
		return
	}
	w.Header().Set("Content-Type", "application/link-format")
	var b strings.Builder
	fmt.Fprintf(&b, "<%s>; rel=\"original\",\n", linkURL(target))
	fmt.Fprintf(&b, "<%stimemap/link/%s>; rel=\"self\"; type=\"application/link-format\"; from=\"%s\"; until=\"%s\",\n",
		base, linkURL(target), httpDate(caps[0].Timestamp), httpDate(caps[len(caps)-1].Timestamp))
	fmt.Fprintf(&b, "<%s%s>; rel=\"timegate\"", base, linkURL(target))
	for i, cp := range caps {
		rel := "memento"
		switch {
		case len(caps) == 1:
			rel = "first last memento"
		case i == 0:
			rel = "first memento"
		case i == len(caps)-1:
			rel = "last memento"
		}
		fmt.Fprintf(&b, ",\n<%s%s/%s>; rel=\"%s\"; datetime=\"%s\"", base, cp.Timestamp, linkURL(cp.URL), rel, httpDate(cp.Timestamp))
	}
	b.WriteString("\n")
	w.Write([]byte(b.String()))
}
