package rules_test

import (
	"testing"
	"time"

	"oversight/data"
	"oversight/frameworks"
	"oversight/rules"
)

// TestTierAt: the tier alone is Evaluate's tier, for every curated fact
// document under every built-in framework, on the day before and the day
// of each of the framework's change days.
func TestTierAt(t *testing.T) {
	t.Parallel()
	fws, facts := builtinDocs(t)
	n := 0
	for _, fw := range fws {
		days, _ := fw.Changes()
		var at []time.Time
		for _, d := range days {
			at = append(at, d.AddDate(0, 0, -1), d)
		}
		at = append(at, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		for id, f := range facts {
			for _, day := range at {
				n++
				if got, want := fw.TierAt(f, day), fw.Evaluate(f, day).Tier; got != want {
					t.Errorf("%s, %s on %s: TierAt %s, Evaluate %s", fw.ID, id, day.Format(time.DateOnly), got, want)
				}
			}
		}
	}
	t.Logf("%d classifications", n)
}

// builtinDocs gives the built-in frameworks and the curated fact documents
// by deployment id.
func builtinDocs(t *testing.T) ([]*rules.Framework, map[string]*rules.Facts) {
	t.Helper()
	fws, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	facts, err := data.Facts()
	if err != nil {
		t.Fatal(err)
	}
	if len(facts) == 0 {
		t.Fatal("no curated fact documents")
	}
	return fws, facts
}
