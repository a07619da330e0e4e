package site

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"oversight/analysis"
	"oversight/registry"
	"oversight/rules"
)

// field is one input of the assessment form, made from a leaf of the fact
// schema, so the form follows the schema as it grows.
type field struct {
	Name, ID, Label, Help string   // ID: the element id, Name with dots turned to hyphens
	Kind                  string   // bool, enum, list, int, text
	Options               []string // enumeration values
	Value                 string   // as submitted
	Values                map[string]bool
}

// group is a fieldset of the form: the fields under one schema object.
type group struct {
	Legend string
	Fields []field
}

// skipped are leaves the form leaves out: identifiers and free text that
// no rule reads as a condition.
var skipped = map[string]bool{"deployment.id": true, "deployment.title": true, "deployment.subdivision": true,
	"deployment.start_date": true, "deployment.end_date": true, "operator.name": true, "system.vendors": true,
	"legal_basis.exception_claimed": true, "as_of": true, "notes": true}

func formGroups(r *http.Request) ([]group, error) {
	schema, err := rules.FactSchema()
	if err != nil {
		return nil, err
	}
	var groups []group
	index := map[string]int{}
	for _, l := range schema.Leaves() {
		if skipped[l.Path] {
			continue
		}
		top, _, _ := strings.Cut(l.Path, ".")
		if _, ok := index[top]; !ok {
			index[top] = len(groups)
			groups = append(groups, group{Legend: strings.ReplaceAll(top, "_", " ")})
		}
		f := field{Name: l.Path, ID: "f-" + strings.ReplaceAll(l.Path, ".", "-"), Label: labelOf(l.Path), Help: l.Description, Options: l.Enum}
		switch l.Kind {
		case rules.Bool:
			f.Kind = "bool"
		case rules.Int:
			f.Kind = "int"
		case rules.StringList:
			f.Kind = "list"
			f.Values = map[string]bool{}
			if r != nil {
				for _, v := range r.Form[l.Path] {
					f.Values[v] = true
				}
			}
		default:
			f.Kind = "text"
			if l.Enum != nil {
				f.Kind = "enum"
				f.Options = slicesWithout(l.Enum, "unknown")
			}
		}
		if r != nil && f.Kind != "list" {
			f.Value = r.Form.Get(l.Path)
		}
		groups[index[top]].Fields = append(groups[index[top]].Fields, f)
	}
	return groups, nil
}

func labelOf(path string) string {
	i := strings.LastIndexByte(path, '.')
	s := strings.ReplaceAll(path[i+1:], "_", " ")
	if i > 0 && (strings.HasSuffix(path[:i], "authorisation") || strings.HasSuffix(path[:i], "consent") || strings.HasSuffix(path[:i], "retention") ||
		strings.HasSuffix(path[:i], "scale") || strings.HasSuffix(path[:i], "offending_risk") || strings.HasSuffix(path[:i], "social_score") || strings.HasSuffix(path[:i], "scraping")) {
		j := strings.LastIndexByte(path[:i], '.')
		s = strings.ReplaceAll(path[j+1:i], "_", " ") + ": " + s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func slicesWithout(list []string, v string) []string {
	var out []string
	for _, x := range list {
		if x != v {
			out = append(out, x)
		}
	}
	return out
}

func (s *Site) assessForm(w http.ResponseWriter, r *http.Request) {
	groups, err := formGroups(nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "assess", map[string]any{"Title": "Assess a system", "Groups": groups})
}

// assess turns the form into a fact document, classifies it under every
// framework and shows the tiers, an obligations checklist and the facts
// still missing. A field left at "unknown" is left out of the document.
func (s *Site) assess(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, registry.Invalid("The form could not be read."))
		return
	}
	groups, err := formGroups(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	doc := map[string]any{"schema": rules.SchemaID}
	// A value the form could not have sent is refused, naming the field,
	// rather than read as unknown.
	var bad []string
	refuse := func(name, format string, args ...any) { bad = append(bad, name+": "+fmt.Sprintf(format, args...)) }
	for _, g := range groups {
		for _, f := range g.Fields {
			if text := strings.Join(r.Form[f.Name], ""); !utf8.ValidString(text) || strings.ContainsRune(text, 0) {
				refuse(f.Name, "must be UTF-8 text without NUL characters")
				continue
			}
			var v any
			switch f.Kind {
			case "bool":
				switch f.Value {
				case "yes":
					v = true
				case "no":
					v = false
				case "":
				default:
					refuse(f.Name, "%q is not yes, no or unknown (empty)", f.Value)
				}
			case "int":
				if t := strings.TrimSpace(f.Value); t != "" {
					n, err := strconv.ParseInt(t, 10, 64)
					if err != nil {
						refuse(f.Name, "%q is not a whole number", f.Value)
						continue
					}
					v = n
				}
			case "list":
				for _, o := range r.Form[f.Name] {
					if !slices.Contains(f.Options, o) {
						refuse(f.Name, "%q is not one of the choices", o)
					}
				}
				none := r.Form.Get(f.Name + ".none")
				if none != "" && none != "on" {
					refuse(f.Name+".none", "must be on or absent")
				}
				// A list is known when an item is ticked or "none" is.
				var items []any
				for _, o := range f.Options {
					if f.Values[o] {
						items = append(items, o)
					}
				}
				if len(items) > 0 || none == "on" {
					if items == nil {
						items = []any{}
					}
					v = items
				}
			default:
				if t := strings.TrimSpace(f.Value); t != "" {
					v = t
				}
			}
			if v != nil {
				set(doc, f.Name, v)
			}
		}
	}
	if len(bad) > 0 {
		s.render(w, r, http.StatusUnprocessableEntity, "assess", map[string]any{"Title": "Assess a system", "Groups": groups, "Error": strings.Join(bad, "; ")})
		return
	}
	schema, _ := rules.FactSchema()
	facts, err := schema.NewFacts(doc)
	if err != nil {
		s.render(w, r, http.StatusUnprocessableEntity, "assess", map[string]any{"Title": "Assess a system", "Groups": groups, "Error": err.Error()})
		return
	}
	cl := analysis.Classify(facts, s.cls.Frameworks(), s.today())
	s.render(w, r, http.StatusOK, "assess", map[string]any{"Title": "Assess a system", "Groups": groups, "C": cl, "Frameworks": s.cls})
}

// set puts v at a dotted path in a nested document.
func set(doc map[string]any, path string, v any) {
	parts := strings.Split(path, ".")
	m := doc
	for _, p := range parts[:len(parts)-1] {
		next, ok := m[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[p] = next
		}
		m = next
	}
	m[parts[len(parts)-1]] = v
}
