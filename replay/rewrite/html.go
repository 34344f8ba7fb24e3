package rewrite

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"io"
	"strings"

	xhtml "golang.org/x/net/html"
)

// HTMLOptions tunes the HTML rewriter.
type HTMLOptions struct {
	// Head is inserted verbatim at the start of <head>, or before the first
	// element that belongs to the body when the page has no <head>: the
	// client script and banner go there. If empty, nothing is inserted.
	Head string
	// JSRewrite, if set, runs on every script (inline, event handler,
	// javascript: URL) before the location rewriting: per-site rules.
	JSRewrite func([]byte) []byte
}

// HTML streams the document from r to w, rewriting URL-bearing attributes,
// <style> and <script> content, dropping integrity attributes and inserting
// opt.Head. Tags without anything to rewrite are copied byte for byte, so
// the page keeps its charset and formatting.
func (u *URLRewriter) HTML(w io.Writer, r io.Reader, opt HTMLOptions) error {
	z := xhtml.NewTokenizer(r)
	injected := opt.Head == ""
	inject := func() error {
		if injected {
			return nil
		}
		injected = true
		_, err := io.WriteString(w, opt.Head)
		return err
	}
	var rawTag string // script or style whose text comes next
	var scriptJS, importMap bool
	for {
		tt := z.Next()
		raw := z.Raw()
		var err error
		switch tt {
		case xhtml.ErrorToken:
			if errors.Is(z.Err(), io.EOF) {
				if len(raw) > 0 {
					if _, err := w.Write(raw); err != nil {
						return err
					}
				}
				return inject()
			}
			return fmt.Errorf("rewrite html: %w", z.Err())
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			name, _ := z.TagName()
			tag, known := internedTags[string(name)]
			if !known {
				tag = string(name)
			}
			if !injected && tag != "html" && tag != "head" && !headOnly[tag] {
				if err = inject(); err != nil {
					return err
				}
			}
			out, info := u.rewriteTag(raw, tag, opt)
			_, err = w.Write(out)
			if err == nil && tag == "head" {
				err = inject()
			}
			rawTag = ""
			if tt == xhtml.StartTagToken && (tag == "script" || tag == "style") {
				rawTag, scriptJS = tag, scriptTypeIsJS(info.scriptType)
				importMap = tag == "script" && info.scriptType == "importmap"
			}
		case xhtml.TextToken:
			switch {
			case rawTag == "style":
				_, err = w.Write(u.CSS(raw))
			case rawTag == "script" && scriptJS:
				_, err = w.Write(u.script(raw, opt))
			case rawTag == "script" && importMap:
				_, err = w.Write(u.ImportMap(raw))
			default:
				_, err = w.Write(raw)
			}
			rawTag = ""
		default:
			rawTag = ""
			_, err = w.Write(raw)
		}
		if err != nil {
			return err
		}
	}
}

// internedTags maps common tag names to constant strings, so the tag of
// every element does not cost an allocation.
var internedTags = func() map[string]string {
	m := map[string]string{}
	for _, t := range strings.Fields("html head body div span p a img script style link meta title li ul ol " +
		"table tr td th tbody thead section article header footer nav main aside h1 h2 h3 h4 h5 h6 br hr " +
		"em strong b i u small code pre blockquote form input button select option label textarea iframe " +
		"video audio source track picture figure figcaption svg path g use image noscript base object embed " +
		"param area map dl dt dd sup sub time abbr cite q del ins frame frameset canvas template") {
		m[t] = t
	}
	for t := range tagAttrs {
		m[t] = t
	}
	return m
}()

// headOnly lists elements that may come before <head> is implied and do not
// start the body; the injected script goes after them only if <head> is
// explicit, so they do not trigger early injection.
var headOnly = map[string]bool{"meta": true, "title": true, "link": true, "base": true, "style": true}

func (u *URLRewriter) script(src []byte, opt HTMLOptions) []byte {
	if opt.JSRewrite != nil {
		src = opt.JSRewrite(src)
	}
	return u.JS(src)
}

// tagInfo is what rewriteTag learned that the caller needs.
type tagInfo struct{ scriptType string }

// attrSpan locates one attribute in a raw start tag.
type attrSpan struct {
	name             []byte // lower case (a slice of the tag, or a copy if it had upper case)
	start, end       int    // the whole attribute, name through value
	valStart, valEnd int    // the value without quotes (valStart<0: no value)
	quote            byte
}

// lowerBytes returns b in lower case, copying only when it has upper case.
func lowerBytes(b []byte) []byte {
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			l := make([]byte, len(b))
			copy(l, b[:i])
			for j := i; j < len(b); j++ {
				c := b[j]
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				l[j] = c
			}
			return l
		}
	}
	return b
}

// scanAttrs appends the attributes of the raw start tag b ("<name …>") to
// spans.
func scanAttrs(b []byte, spans []attrSpan) []attrSpan {
	i := 1
	for i < len(b) && !isHTMLSpace(b[i]) && b[i] != '>' && b[i] != '/' {
		i++
	}
	for i < len(b) {
		for i < len(b) && (isHTMLSpace(b[i]) || b[i] == '/') {
			i++
		}
		if i >= len(b) || b[i] == '>' {
			break
		}
		s := attrSpan{start: i, valStart: -1}
		j := i + 1 // the first character may be '=' per the spec
		for j < len(b) && !isHTMLSpace(b[j]) && b[j] != '=' && b[j] != '>' && b[j] != '/' {
			j++
		}
		s.name = lowerBytes(b[i:j])
		k := j
		for k < len(b) && isHTMLSpace(b[k]) {
			k++
		}
		if k < len(b) && b[k] == '=' {
			k++
			for k < len(b) && isHTMLSpace(b[k]) {
				k++
			}
			if k < len(b) && (b[k] == '"' || b[k] == '\'') {
				q := b[k]
				e := bytes.IndexByte(b[k+1:], q)
				if e < 0 {
					e = len(b) - k - 1
				}
				s.quote, s.valStart, s.valEnd = q, k+1, k+1+e
				j = min(len(b), k+2+e)
			} else {
				e := k
				for e < len(b) && !isHTMLSpace(b[e]) && b[e] != '>' {
					e++
				}
				s.valStart, s.valEnd = k, e
				j = e
			}
		}
		s.end = j
		spans = append(spans, s)
		i = j
	}
	return spans
}

func isHTMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// rewriteTag returns the raw start tag with its URL-bearing attributes
// rewritten, or raw itself when nothing changes.
func (u *URLRewriter) rewriteTag(raw []byte, tag string, opt HTMLOptions) ([]byte, tagInfo) {
	var info tagInfo
	var spanBuf [16]attrSpan
	spans := scanAttrs(raw, spanBuf[:0])
	val := func(s attrSpan) string {
		if s.valStart < 0 {
			return ""
		}
		v := string(raw[s.valStart:s.valEnd])
		if strings.IndexByte(v, '&') >= 0 {
			v = html.UnescapeString(v)
		}
		return v
	}
	var rel, as, httpEquiv string
	for _, s := range spans {
		switch string(s.name) {
		case "rel":
			rel = val(s)
		case "as":
			as = strings.ToLower(strings.TrimSpace(val(s)))
		case "http-equiv":
			httpEquiv = strings.ToLower(strings.TrimSpace(val(s)))
		case "type":
			if tag == "script" {
				info.scriptType = strings.ToLower(strings.TrimSpace(val(s)))
			}
		}
	}
	var out []byte
	last := 0
	replace := func(s attrSpan, from, to int, text string) {
		if out == nil {
			out = make([]byte, 0, len(raw)+64)
		}
		out = append(out, raw[last:from]...)
		out = append(out, text...)
		last = to
	}
	for _, s := range spans {
		if string(s.name) == "integrity" || (string(s.name) == "ping" && (tag == "a" || tag == "area")) {
			// integrity: the rewritten resource no longer matches the
			// recorded hash. ping: hyperlink auditing would post to the
			// live site on every click.
			from := s.start
			for from > 0 && isHTMLSpace(raw[from-1]) {
				from--
			}
			if from < last {
				from = last
			}
			replace(s, from, s.end, "")
			continue
		}
		if s.valStart < 0 {
			continue
		}
		if tag == "meta" && string(s.name) == "http-equiv" && (httpEquiv == "content-security-policy" || httpEquiv == "content-security-policy-report-only") {
			// The live site's policy would refuse the archive's own URLs;
			// the replay server sends its own.
			replace(s, s.valStart, s.valEnd, "x-archive-orig-"+httpEquiv)
			continue
		}
		rule, ok := attrRuleFor(tag, s.name)
		if !ok {
			continue
		}
		old := val(s)
		mod := rule.mod
		if tag == "link" && string(s.name) == "href" {
			mod = linkMod(rel, as)
		}
		if mod == modPageSentinel {
			mod = u.PageMod
		}
		var nv string
		switch rule.kind {
		case attrURL:
			if tag == "base" {
				nv = u.Rewrite(old, mod)
				u.SetBase(old)
				break
			}
			if tag == "param" {
				if _, ok := u.Resolve(old); !ok || !looksLikeURL(old) {
					continue
				}
			}
			if l := strings.ToLower(strings.TrimSpace(old)); strings.HasPrefix(l, "javascript:") {
				i := strings.Index(strings.ToLower(old), "javascript:") + len("javascript:")
				nv = old[:i] + string(u.script([]byte(old[i:]), opt))
				break
			}
			nv = u.Rewrite(old, mod)
		case attrSrcset:
			nv = u.Srcset(old, mod)
		case attrStyle:
			nv = string(u.CSS([]byte(old)))
		case attrJS:
			nv = string(u.script([]byte(old), opt))
		case attrRefresh:
			if httpEquiv != "refresh" {
				continue
			}
			nv = u.refresh(old, mod)
		case attrHTML:
			var b bytes.Buffer
			inner := *u
			inner.PageMod = mod
			if err := inner.HTML(&b, strings.NewReader(old), HTMLOptions{Head: opt.Head, JSRewrite: opt.JSRewrite}); err != nil {
				continue
			}
			nv = b.String()
		}
		if nv == old {
			continue
		}
		q := s.quote
		if q == 0 {
			q = '"'
		}
		esc := escapeAttr(nv, q)
		if s.quote == 0 {
			replace(s, s.valStart, s.valEnd, `"`+esc+`"`)
		} else {
			replace(s, s.valStart, s.valEnd, esc)
		}
	}
	if out == nil {
		return raw, info
	}
	return append(out, raw[last:]...), info
}

func looksLikeURL(s string) bool {
	l := strings.ToLower(strings.TrimSpace(s))
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "//")
}

// escapeAttr escapes what would end or confuse the attribute value: & and
// the quote character. Other bytes pass through, whatever the charset.
func escapeAttr(s string, q byte) string {
	if strings.IndexByte(s, '&') < 0 && strings.IndexByte(s, q) < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '&':
			b.WriteString("&amp;")
		case s[i] == q && q == '"':
			b.WriteString("&quot;")
		case s[i] == q:
			b.WriteString("&#39;")
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// Srcset rewrites each URL of a srcset list, keeping the descriptors.
func (u *URLRewriter) Srcset(s, mod string) string {
	var b strings.Builder
	i := 0
	for i < len(s) {
		j := i
		for j < len(s) && (isHTMLSpace(s[j]) || s[j] == ',') {
			j++
		}
		b.WriteString(s[i:j])
		if j >= len(s) {
			break
		}
		k := j
		for k < len(s) && !isHTMLSpace(s[k]) {
			k++
		}
		urlEnd := k
		for urlEnd > j && s[urlEnd-1] == ',' {
			urlEnd--
		}
		b.WriteString(u.Rewrite(s[j:urlEnd], mod))
		b.WriteString(s[urlEnd:k])
		if urlEnd < k { // the URL ended with commas: no descriptor follows
			i = k
			continue
		}
		// descriptors run to the next comma outside parentheses
		depth := 0
		d := k
		for d < len(s) {
			if s[d] == '(' {
				depth++
			} else if s[d] == ')' && depth > 0 {
				depth--
			} else if s[d] == ',' && depth == 0 {
				break
			}
			d++
		}
		b.WriteString(s[k:d])
		i = d
	}
	return b.String()
}

// refresh rewrites the URL in a meta refresh content value ("5; url=…").
func (u *URLRewriter) refresh(v, mod string) string {
	l := strings.ToLower(v)
	i := strings.Index(l, "url")
	if i < 0 {
		return v
	}
	j := i + 3
	for j < len(v) && isHTMLSpace(v[j]) {
		j++
	}
	if j >= len(v) || v[j] != '=' {
		return v
	}
	j++
	for j < len(v) && isHTMLSpace(v[j]) {
		j++
	}
	end := len(v)
	if j < len(v) && (v[j] == '\'' || v[j] == '"') {
		q := v[j]
		j++
		if e := strings.IndexByte(v[j:], q); e >= 0 {
			end = j + e
		}
	}
	return v[:j] + u.Rewrite(strings.TrimSpace(v[j:end]), mod) + v[end:]
}
