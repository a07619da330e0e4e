package rules

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// FuzzLoadNotEncoded feeds framework.yaml files (a user's framework
// directory is input from outside) built around not_encoded to the
// loader: it must never panic, and a file it accepts as not encoded must
// give no tier.
func FuzzLoadNotEncoded(f *testing.F) {
	f.Add(testNotEncoded)
	f.Add(strings.Replace(testNotEncoded, "[text_not_found]", "[text_not_found, provisions_suspended, x]", 1))
	f.Add(strings.Replace(testNotEncoded, "  sources: [s]\n", "  sources: ~\n", 1))
	f.Add(strings.Replace(testNotEncoded, "not_encoded:", "default_tier: prohibited\nnot_encoded:", 1))
	f.Add("not_encoded: {}\n")
	f.Add("not_encoded: [1, 2]\n")
	f.Add("id: t\nnot_encoded: {reasons: [{a: b}], searched: 2026-02-30}\n")
	schema, err := FactSchema()
	if err != nil {
		f.Fatal(err)
	}
	facts, err := schema.ParseFacts("f", []byte(`{"schema":"observatory.facts/v0","deployment":{"jurisdiction":"PK"}}`))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, meta string) {
		fw, err := Load(fstest.MapFS{"t/framework.yaml": {Data: []byte(meta)}}, "t")
		if err != nil || fw.Encoded() {
			return // refused, or a framework with rules (impossible without rules.yaml)
		}
		if r := fw.Evaluate(facts, time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)); r.Tier != "" || r.Applicability != NotEncodedApplicability {
			t.Fatalf("not encoded, yet tier %q, applicability %q", r.Tier, r.Applicability)
		}
	})
}
