package site

import (
	"net/url"
	"strings"

	"oversight/account"
	"oversight/contrib"
	"oversight/registry"
)

// A declaredScheme is what a record's declaration answers under one
// scheme, for the record's page.
type declaredScheme struct {
	*registry.Scheme
	Restricted string // see analysis.Classifier.Restricted
	Answers    []declaredAnswer
	Missing    []string // required fields left unanswered, by id
}

type declaredAnswer struct {
	ID, Name, Section, Text string
}

// declared lays out a record's declaration scheme by scheme.
func (s *Site) declared(d *registry.Deployment) []declaredScheme {
	if d.Declaration == nil {
		return nil
	}
	var out []declaredScheme
	for _, sc := range registry.Schemes() {
		if !d.Declaration.Answered(sc.ID) {
			continue
		}
		ds := declaredScheme{Scheme: sc, Restricted: s.cls.Restricted(d, sc, s.today())}
		for _, sec := range sc.Sections {
			for _, q := range sec.Fields {
				if a := d.Declaration.Get(sc.ID, q.ID); a != "" {
					ds.Answers = append(ds.Answers, declaredAnswer{ID: q.ID, Name: q.Name, Section: sec.Title, Text: a})
				} else if q.Required {
					ds.Missing = append(ds.Missing, q.ID)
				}
			}
		}
		out = append(out, ds)
	}
	return out
}

// declares reports whether the signed-in account answers for an operator,
// and so may declare the systems it operates.
func declares(p account.Principal) bool { return p.Org != nil && p.Org.Kind == "operator" }

// declarationField is the form field of a scheme's question.
func declarationField(scheme, field string) string { return "decl/" + scheme + "/" + field }

// declarationFromForm reads the declaration fields of the submission form.
// It returns nil when none is filled in: an operator that clears them all
// withdraws its declaration.
func declarationFromForm(f url.Values) *registry.Declaration {
	var d registry.Declaration
	for _, sc := range registry.Schemes() {
		for _, sec := range sc.Sections {
			for _, q := range sec.Fields {
				if v := strings.TrimSpace(f.Get(declarationField(sc.ID, q.ID))); v != "" {
					d.Answers = append(d.Answers, registry.Answer{Scheme: sc.ID, Field: q.ID, Text: v})
				}
			}
		}
	}
	if len(d.Answers) == 0 {
		return nil
	}
	return &d
}

// declarationForm is what the submission form shows an operator's account
// of the schemes and the record's declaration.
func declarationForm(p account.Principal, d *registry.Deployment) map[string]any {
	if !declares(p) {
		return nil
	}
	values := map[string]string{}
	if d.Declaration != nil {
		for _, a := range d.Declaration.Answers {
			values[declarationField(a.Scheme, a.Field)] = a.Text
		}
	}
	return map[string]any{"Org": p.Org.ID, "Schemes": registry.Schemes(), "Values": values,
		"Declares": contrib.Declares(p.Org.Kind, p.Org.ID, d) || d.Operator.Name == ""}
}
