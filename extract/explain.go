package extract

import (
	"fmt"
	"slices"
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
	e.explainDates(st)
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

// explainDates runs go-htmldate when the fields were chosen without it (a
// source ranked before it answered precisely enough), so that its candidate
// is listed too. It runs after the choice: --explain reports a run, it
// does not change one.
func (e *Extractor) explainDates(st *state) {
	if st.datesDone {
		return
	}
	before := ""
	for _, k := range e.opts.Precedence["published"] {
		if k == KindHTMLDate {
			break
		}
		if slices.ContainsFunc(st.cands["published"], func(c Candidate) bool { return c.Kind == k && c.Value != "" }) {
			before = k
			break
		}
	}
	n := len(st.cands["published"])
	e.htmldate(st)
	for _, c := range st.cands["published"][n:] {
		st.note("published", c, "not read by a run without --explain: "+before+" ranks before go-htmldate and named the day, and the value chosen has a time and offset")
	}
}
