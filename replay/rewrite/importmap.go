package rewrite

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/warcbox/warcbox/internal/archivalurl"
)

// ImportMap rewrites the text of a <script type="importmap">: module
// specifiers that are URLs (absolute, or starting with "/", "./" or
// "../") become replay URLs with the js_ modifier, in "imports" keys and
// values and in "scopes" (their keys and the maps they hold), so the
// browser matches them against the replay URLs of the modules it loads.
// Bare specifiers ("lodash") stay. Text that is not a JSON object is
// returned unchanged, as the browser would ignore it.
func (u *URLRewriter) ImportMap(src []byte) []byte {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(src, &m); err != nil {
		return src
	}
	out := map[string]any{}
	for k, v := range m {
		switch k {
		case "imports":
			var imports map[string]any
			if json.Unmarshal(v, &imports) != nil {
				return src
			}
			out[k] = u.importMapSpecifiers(imports)
		case "scopes":
			var scopes map[string]map[string]any
			if json.Unmarshal(v, &scopes) != nil {
				return src
			}
			rs := make(map[string]any, len(scopes))
			for scope, imports := range scopes {
				rs[u.importMapURL(scope)] = u.importMapSpecifiers(imports)
			}
			out[k] = rs
		default:
			out[k] = v // "integrity" and whatever comes next: as recorded
		}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if enc.Encode(out) != nil {
		return src
	}
	// "</script" cannot occur: json escapes "<" only with SetEscapeHTML,
	// so guard the one sequence that would end the element early.
	return bytes.ReplaceAll(bytes.TrimSuffix(b.Bytes(), []byte("\n")), []byte("</"), []byte(`<\/`))
}

func (u *URLRewriter) importMapSpecifiers(imports map[string]any) map[string]any {
	out := make(map[string]any, len(imports))
	for k, v := range imports {
		if s, ok := v.(string); ok {
			v = u.importMapURL(s)
		}
		out[u.importMapURL(k)] = v
	}
	return out
}

// importMapURL rewrites a specifier that is a URL or a URL-like path
// (what the HTML standard resolves against the base); others stay.
func (u *URLRewriter) importMapURL(s string) string {
	if strings.HasPrefix(s, "/") || strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../") || archivalurl.SchemeSlash(s) > 0 {
		return u.Rewrite(s, ModJS)
	}
	return s
}
