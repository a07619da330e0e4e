package rules

import (
	"slices"
	"testing"
)

// TestReads: a framework reads the facts of its rules' conditions, of the
// derived expressions they use, and of its exception conditions.
func TestReads(t *testing.T) {
	fw, err := load(t, testMeta, testRules)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"identification.timing", "legal_basis.specific_enabling_law", "operator.type",
		"safeguards.authorisation.type", "setting.publicly_accessible", "system.capabilities"}
	if got := fw.Reads(); !slices.Equal(got, want) {
		t.Errorf("reads %q, want %q", got, want)
	}
}
