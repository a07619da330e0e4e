package site

import (
	"errors"
	"strings"

	"oversight/internal/httperror"
	"oversight/registry"
)

// A page whose filters are refused (the search, the scenarios, the
// reviewers' queue) shows its form again as sent, with what is wrong said
// beside each field, and nothing listed: the reader puts it right where it
// is, rather than on an error page that has lost the form.

// The forms of the "refusal" vocabulary of site/labels/en.json: the lead
// of the message above a refused form.
const (
	refusalSearch    = "search"
	refusalScenarios = "scenarios"
	refusalReview    = "review"
)

var refusalForms = []string{refusalSearch, refusalScenarios, refusalReview}

// A refusal is what is wrong with a form's parameters: the whole, said as
// the error page says it, and each field's message by its name.
type refusal struct {
	Message string
	Fields  map[string]string
}

// refusalOf reads a refusal of the parameters of the form named (one of
// refusalForms); nil for none, or for an error that is not a refusal of
// parameters (the register's), which the page's fail answers.
func refusalOf(err error, form string) *refusal {
	var e *registry.Error
	if err == nil || !errors.As(err, &e) || e.Code != registry.EInvalid {
		return nil
	}
	out := &refusal{Message: badRequestMessage(err), Fields: map[string]string{}}
	if parts := badParams(err); parts != nil {
		out.Message = label("refusal", form) + ": " + strings.Join(parts, "; ") + "."
	}
	for _, f := range httperror.Fields(err) {
		name := strings.TrimPrefix(f.Path, "query.")
		if _, seen := out.Fields[name]; !seen {
			out.Fields[name] = f.Msg
		}
	}
	return out
}
