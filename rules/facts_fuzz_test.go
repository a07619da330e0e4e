package rules_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"oversight/frameworks"
	"oversight/rules"
)

// FuzzParseFacts feeds ParseFacts what `oversight classify` and POST
// /api/v1/classify give it, JSON or YAML. It must refuse or accept quickly
// and never panic, and every framework must evaluate what it accepts.
func FuzzParseFacts(f *testing.F) {
	names, _ := filepath.Glob("../data/facts/*.yaml")
	if len(names) < 10 {
		f.Fatalf("only %d fact documents", len(names))
	}
	s, err := rules.FactSchema()
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range names[:12] {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		facts, err := s.ParseFacts(name, b)
		if err != nil {
			f.Fatal(err)
		}
		js, _ := json.Marshal(facts.Doc())
		f.Add(js)
	}
	for _, d := range []string{
		`{"schema":"observatory.facts/v0","offence":{"max_custodial_sentence_years":1e2}}`,
		`{"schema":"observatory.facts/v0","offence":{"max_custodial_sentence_years":1e309}}`,
		`{"schema":"observatory.facts/v0","offence":{"max_custodial_sentence_years":9223372036854775808}}`,
		`{"schema":"observatory.facts/v0","offence":{"max_custodial_sentence_years":-0}}`,
		`{"schema":"observatory.facts/v0","schema":"x"}`, `{"purposes":[` + strings.Repeat(`"x",`, 2000) + `"x"]}`,
		"schema: observatory.facts/v0\npurposes: [a, a, a]\n", "a: &a [x, x]\nb: &b [*a, *a]\n",
		"schema: observatory.facts/v0\noffence: {max_custodial_sentence_years: .inf}\n", "\xff", "\ufeff{}", "[]",
		strings.Repeat("[", 40), "{\"deployment\":{\"id\":\"\\ud800\"}}", "",
	} {
		f.Add([]byte(d))
	}
	fws, err := frameworks.Load()
	if err != nil {
		f.Fatal(err)
	}
	asOf := time.Date(2026, 8, 2, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		facts, err := s.ParseFacts("fuzz", data)
		if err != nil {
			if n := len(err.Error()); n > 1<<20 {
				t.Fatalf("an error message of %d bytes", n)
			}
			return
		}
		for _, fw := range fws {
			fw.Evaluate(facts, asOf)
		}
	})
}
