package analysis

import (
	"testing"
	"time"

	"oversight/data"
)

// FuzzClassFacts gives classFacts documents as a tampered table could
// hold them: each is refused with an error or evaluates under every
// framework without a panic.
func FuzzClassFacts(f *testing.F) {
	c := builtinClassifier(f)
	set, err := data.Load()
	if err != nil {
		f.Fatal(err)
	}
	for _, d := range set.Deployments[:5] {
		f.Add(c.DeploymentClass(d, nil).Doc)
	}
	for _, s := range []string{"{}", "[]", "null", `{"deployment":{"jurisdiction":1}}`, `{"deployment":"x"}`,
		`{"deployment":{"jurisdiction":"PK"}} {}`, `{"identification":{"realtime":"yes"}}`, `{"nope":true}`} {
		f.Add([]byte(s))
	}
	day := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, doc []byte) {
		facts, err := c.classFacts(doc)
		if err != nil {
			return
		}
		for _, fw := range c.Frameworks() {
			fw.Evaluate(facts, day)
		}
	})
}

// TestClassFactsRoundTrip checks that a class read back evaluates as the
// deployment it was made from, under every framework, for every built-in
// deployment.
func TestClassFactsRoundTrip(t *testing.T) {
	t.Parallel()
	c := builtinClassifier(t)
	set, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	for _, d := range set.Deployments {
		f, err := c.classFacts(c.DeploymentClass(d, nil).Doc)
		if err != nil {
			t.Fatalf("%s: %v", d.ID, err)
		}
		whole := c.derived(d)
		for _, fw := range c.Frameworks() {
			a, b := fw.Evaluate(whole, day), fw.Evaluate(f, day)
			if a.Tier != b.Tier || a.Applicability != b.Applicability || len(a.Rules) != len(b.Rules) {
				t.Errorf("%s under %s: the deployment gives %s (%s), its class %s (%s)", d.ID, fw.ID, a.Tier, a.Applicability, b.Tier, b.Applicability)
			}
		}
	}
}
