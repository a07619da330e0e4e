package site

import (
	"net/url"
	"testing"

	"oversight/rules"
)

// FuzzAssessForm feeds any form to the reader of the questionnaire and
// checks that it never panics, that the answers it reads (from a form it
// refuses too) make a fact document the schema accepts, and that the
// answers it carries to the next step read back as the same answers.
func FuzzAssessForm(f *testing.F) {
	for _, s := range []string{
		"operator.type=police&system.capabilities=remote_biometric_identification&identification.mode=identification&identification.reference_database=criminal_mugshots&to=result",
		"deployment.jurisdiction=TH&deployment.start_date=2025-02-29&deployment.scale.enrolled_persons=12&subjects.none=on&to=where",
		"operator.name=%ff&operator.is_public_body=yes&operator.is_public_body=no&purposes=marketing&purposes=marketing",
		"identification.mode=none&identification.timing=live&to=identify&inferences.social_score.used=no&inferences.social_score.detrimental_unrelated_context=yes",
		"notes=x&to=result&%00=1", "",
	} {
		f.Add(s)
	}
	schema, err := rules.FactSchema()
	if err != nil {
		f.Fatal(err)
	}
	form := testForm()
	f.Fuzz(func(t *testing.T, body string) {
		v, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		// With an error too, the answers read beside it are kept: they
		// must be as valid.
		a, _, ferr := form.read(v)
		if ferr != nil && (ferr.Field == "" || ferr.Msg == "") {
			t.Fatalf("an error that names nothing: %+v", ferr)
		}
		if _, err := schema.NewFacts(form.document(a)); err != nil {
			t.Fatalf("answers read from %q make an invalid document: %v", body, err)
		}
		carried := url.Values{}
		for _, h := range form.hidden(a, nil) {
			carried.Add(h.Name, h.Value)
		}
		b, _, ferr := form.read(carried)
		if ferr != nil {
			t.Fatalf("the answers carried do not read back: %v", ferr)
		}
		if got, want := form.document(b), form.document(a); !sameDocument(got, want) {
			t.Fatalf("carried answers changed:\n%v\n%v", got, want)
		}
	})
}

// sameDocument compares two documents the form made.
func sameDocument(a, b map[string]any) bool {
	if len(a) != len(b) {
		return false
	}
	for k, x := range a {
		y, ok := b[k]
		if !ok {
			return false
		}
		switch x := x.(type) {
		case map[string]any:
			if y, ok := y.(map[string]any); !ok || !sameDocument(x, y) {
				return false
			}
		case []any:
			y, ok := y.([]any)
			if !ok || len(x) != len(y) {
				return false
			}
			for i := range x {
				if x[i] != y[i] {
					return false
				}
			}
		default:
			if x != y {
				return false
			}
		}
	}
	return true
}
