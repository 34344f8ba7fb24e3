package extract

import (
	"fmt"
	"strings"
)

// Explained is one candidate value of a field and what became of it, as
// `warcbox extract --explain` prints it (docs/extract-schema.md).
type Explained struct {
	Kind   string   `json:"kind"`
	Value  string   `json:"value,omitempty"`
	Values []string `json:"values,omitempty"`
	Source string   `json:"source"`
	Chosen bool     `json:"chosen"`
	// Why says why the candidate lost (empty for the chosen one).
	Why string `json:"why,omitempty"`
}

// explainedFields are the fields --explain reports, in output order.
var explainedFields = []string{"title", "description", "authors", "published", "modified", "created", "keywords",
	"section", "language", "site_name", "canonical_url", "image", "license", "page_type", "is_accessible_for_free"}

// explain lists every candidate of every field with the reason it lost.
func (e *Extractor) explain(a *Article, st *state) map[string][]Explained {
	out := map[string][]Explained{}
	for _, f := range explainedFields {
		chosenKey := st.chosen[f]
		chosenKind := ""
		for _, c := range st.cands[f] {
			if noteKey(f, c) == chosenKey {
				chosenKind = c.Kind
			}
		}
		var list []Explained
		for _, c := range st.cands[f] {
			k := noteKey(f, c)
			x := Explained{Kind: c.Kind, Value: c.Value, Values: c.Values, Source: c.Source, Chosen: k == chosenKey}
			if !x.Chosen {
				switch {
				case st.notes[k] != "":
					x.Why = st.notes[k]
				case chosenKey == "":
					x.Why = "no value chosen"
				case c.Kind == chosenKind:
					x.Why = "a later value of the same source kind"
				default:
					x.Why = fmt.Sprintf("%s ranks below %s for %s (precedence: %s)", c.Kind, chosenKind, f, strings.Join(e.opts.Precedence[f], ", "))
				}
				if f == "image" && a.Images != nil {
					x.Why += "; still listed in images"
				}
			}
			list = append(list, x)
		}
		if len(list) > 0 {
			out[f] = list
		}
	}
	var body []Explained
	for _, b := range st.body {
		body = append(body, Explained{Kind: b.name, Value: fmt.Sprintf("%d characters", b.runes), Source: b.name + " main content", Chosen: b.chosen, Why: b.why})
	}
	if len(body) > 0 {
		if st.leadHow != "" {
			body = append(body, Explained{Kind: "standfirst", Source: st.leadHow, Chosen: true})
		}
		out["body"] = body
	}
	return out
}
