package rules_test

import (
	"strings"
	"testing"

	"oversight/rules"
)

// TestFactDocumentBounds checks what ParseFacts refuses, and the numbers
// that used to reach the evaluator as the wrong type.
func TestFactDocumentBounds(t *testing.T) {
	s, err := rules.FactSchema()
	if err != nil {
		t.Fatal(err)
	}
	const head = `{"schema":"observatory.facts/v0",`
	cases := map[string]string{
		head + `"offence":{"max_custodial_sentence_years":1e2}}`:                        "",
		head + `"offence":{"max_custodial_sentence_years":-0}}`:                         "",
		head + `"offence":{"max_custodial_sentence_years":1e20}}`:                       "/offence/max_custodial_sentence_years: 1e+20 is out of range",
		head + `"offence":{"max_custodial_sentence_years":1e309}}`:                      "/offence/max_custodial_sentence_years",
		head + `"offence":{"max_custodial_sentence_years":9223372036854775808}}`:        "out of range",
		head + `"schema":"observatory.facts/v0"}`:                                       `schema: key "schema" appears twice`,
		head + `"purposes":[` + strings.Repeat(`"x",`, 1000) + `"x"]}`:                  "/purposes: a list of more than 1000 items",
		head + `"deployment":{"id":"\ud800"}}`:                                          "/deployment/id: \\ud800 is half",
		"schema: observatory.facts/v0\noffence: {max_custodial_sentence_years: .inf}\n": "doc:2: /offence/max_custodial_sentence_years: +Inf is not a finite number",
		"schema: observatory.facts/v0\ndeployment:\n  id: \"\xff\"\n":                   "doc:3: /deployment/id: invalid UTF-8",
		head + `"a":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + "}":         "nested more than 32 deep",
		"#" + strings.Repeat("x", rules.MaxFactBytes):                                   "at most 1048576",
	}
	for doc, want := range cases {
		_, err := s.ParseFacts("doc", []byte(doc))
		if want == "" && err != nil || want != "" && (err == nil || !strings.Contains(err.Error(), want)) {
			t.Errorf("%.80s: %v\nwant %q", doc, err, want)
		}
	}
}
