package extract

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// jsonLDScripts returns the text of every <script type="application/ld+json">.
func jsonLDScripts(doc *html.Node) []*html.Node {
	var out []*html.Node
	walkElements(doc, func(n *html.Node) bool {
		if n.DataAtom == atom.Script {
			t := strings.ToLower(strings.TrimSpace(attr(n, "type")))
			if i := strings.IndexByte(t, ';'); i >= 0 {
				t = strings.TrimSpace(t[:i])
			}
			if t == "application/ld+json" || t == "application/json+ld" {
				out = append(out, n)
			}
			return false
		}
		return true
	})
	return out
}

func scriptText(n *html.Node) string {
	var sb strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			sb.WriteString(c.Data)
		}
	}
	return sb.String()
}

// parseJSONLoose decodes one or more JSON values from text written by
// people and CMS templates: it drops HTML comment and CDATA wrappers, //
// and /* */ comments, trailing commas, raw control characters inside strings,
// and accepts several top-level values in a row. It returns what it could
// decode and an error describing the first unrecoverable problem.
func parseJSONLoose(text string) ([]any, error) {
	clean := sanitizeJSON(text)
	dec := json.NewDecoder(bytes.NewReader(clean))
	dec.UseNumber()
	var out []any
	for {
		var v any
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, v)
		// Values separated by commas or semicolons (`{…},{…}`, `{…};`).
		for {
			rest := clean[dec.InputOffset():]
			trimmed := bytes.TrimLeft(rest, " \t\r\n,;")
			if len(trimmed) == len(rest) {
				break
			}
			clean = trimmed
			dec = json.NewDecoder(bytes.NewReader(clean))
			dec.UseNumber()
			break
		}
	}
}

// sanitizeJSON removes what strict JSON forbids but pages contain. A first
// pass drops HTML comment and CDATA wrappers, // and /* */ comments and stray
// control characters outside strings, and escapes control characters and
// bad escapes inside them; a second pass drops trailing commas (which the
// comments may have hidden).
func sanitizeJSON(s string) []byte {
	s = strings.TrimSpace(s)
	// A leading HTML comment: either a wrapper (<!-- {…} -->) or a note
	// before the data (<!-- note --> {…}).
	if strings.HasPrefix(s, "<!--") {
		end := strings.Index(s, "-->")
		start := strings.IndexAny(s, "{[")
		if end >= 0 && (start < 0 || end < start) {
			s = strings.TrimSpace(s[end+3:])
		} else {
			s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s[4:]), "-->"))
		}
	}
	for _, w := range [][2]string{{"//<![CDATA[", "//]]>"}, {"<![CDATA[", "]]>"}, {"", "-->"}} {
		s = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, w[0]), w[1]))
	}
	out := make([]byte, 0, len(s))
	inStr, esc := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if inStr {
			switch {
			case esc:
				esc = false
				// An invalid escape like \' would fail decoding: keep the char only.
				if !strings.ContainsRune(`"\/bfnrtu`, rune(c)) {
					out = out[:len(out)-1]
				}
				out = append(out, c)
			case c == '\\':
				esc = true
				out = append(out, c)
			case c == '"':
				inStr = false
				out = append(out, c)
			case c < 0x20:
				switch c {
				case '\n':
					out = append(out, `\n`...)
				case '\t':
					out = append(out, `\t`...)
				case '\r':
					out = append(out, `\r`...)
				default:
					out = append(out, ' ')
				}
			default:
				out = append(out, c)
			}
			continue
		}
		switch {
		case c == '"':
			inStr = true
			out = append(out, c)
		case c == '/' && i+1 < len(s) && s[i+1] == '/':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				i = len(s)
			} else {
				i += end + 3
			}
		case c < 0x20 && c != '\n' && c != '\r' && c != '\t':
			// stray control characters between tokens
		default:
			out = append(out, c)
		}
	}
	return dropTrailingCommas(out)
}

// dropTrailingCommas removes commas directly before } or ] outside strings.
func dropTrailingCommas(b []byte) []byte {
	out := b[:0:0]
	inStr, esc := false, false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if inStr {
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
			out = append(out, c)
			continue
		}
		if c == '"' {
			inStr = true
		}
		if c == ',' {
			j := i + 1
			for j < len(b) && (b[j] == ' ' || b[j] == '\t' || b[j] == '\n' || b[j] == '\r') {
				j++
			}
			if j < len(b) && (b[j] == '}' || b[j] == ']') {
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

// jsonLDItems converts decoded JSON-LD into items: top-level objects, arrays
// and @graph members become roots; {"@id": …} references are resolved
// against every object carrying that @id in the page.
func jsonLDItems(values []any) []*item {
	var objs []map[string]any
	var collect func(v any, depth int)
	collect = func(v any, depth int) {
		if depth > 10 {
			return
		}
		switch t := v.(type) {
		case []any:
			for _, e := range t {
				collect(e, depth+1)
			}
		case map[string]any:
			if g, ok := t["@graph"]; ok {
				collect(g, depth+1)
				if _, typed := t["@type"]; !typed {
					return
				}
			}
			objs = append(objs, t)
		}
	}
	for _, v := range values {
		collect(v, 0)
	}
	byID := map[string]map[string]any{}
	var index func(v any, depth int)
	index = func(v any, depth int) {
		if depth > 20 {
			return
		}
		switch t := v.(type) {
		case []any:
			for _, e := range t {
				index(e, depth+1)
			}
		case map[string]any:
			if id, ok := t["@id"].(string); ok && len(t) > 1 {
				if _, dup := byID[id]; !dup {
					byID[id] = t
				}
			}
			for k, e := range t {
				if k != "@context" {
					index(e, depth+1)
				}
			}
		}
	}
	for _, o := range objs {
		index(o, 0)
	}
	var roots []*item
	for _, o := range objs {
		if it := jsonObjectItem(o, byID, "", 0, map[string]bool{}); it != nil {
			roots = append(roots, it)
		}
	}
	return roots
}

// jsonObjectItem converts one JSON object; path is the JSON-LD path of the
// property holding it ("" for a root), which names its values' sources.
func jsonObjectItem(o map[string]any, byID map[string]map[string]any, path string, depth int, resolving map[string]bool) *item {
	if depth > 12 {
		return nil
	}
	id, _ := o["@id"].(string)
	if id != "" && len(o) == 1 {
		target, ok := byID[id]
		if !ok || resolving[id] {
			return &item{Syntax: "json-ld", ID: id, Path: "json-ld " + path}
		}
		resolving[id] = true
		defer delete(resolving, id)
		o = target
	}
	it := &item{Syntax: "json-ld", ID: id}
	switch t := o["@type"].(type) {
	case string:
		it.Types = append(it.Types, shortType(t))
	case []any:
		for _, e := range t {
			if s, ok := e.(string); ok {
				it.Types = append(it.Types, shortType(s))
			}
		}
	}
	if path == "" {
		path = it.typeName()
	}
	it.Path = "json-ld " + path
	for k, v := range o {
		if strings.HasPrefix(k, "@") {
			continue
		}
		prop := shortType(k)
		addJSONValue(it, prop, v, byID, path+"."+prop, depth, resolving)
	}
	return it
}

func addJSONValue(it *item, prop string, v any, byID map[string]map[string]any, path string, depth int, resolving map[string]bool) {
	src := "json-ld " + path
	switch t := v.(type) {
	case string:
		// CMS templates write HTML-escaped text into JSON-LD ("O&#039;Brien");
		// decoded here, before any reader splits lists at ";".
		if strings.IndexByte(t, '&') >= 0 {
			t = html.UnescapeString(t)
		}
		it.add(prop, value{S: t, Path: src})
	case json.Number:
		it.add(prop, value{S: t.String(), Path: src})
	case bool:
		it.add(prop, value{S: strconv.FormatBool(t), Path: src})
	case []any:
		for _, e := range t {
			addJSONValue(it, prop, e, byID, path, depth, resolving)
		}
	case map[string]any:
		if s, ok := t["@value"]; ok {
			addJSONValue(it, prop, s, byID, path, depth, resolving)
			return
		}
		if child := jsonObjectItem(t, byID, path, depth+1, resolving); child != nil {
			it.add(prop, value{Item: child, Path: src})
		}
	}
}
