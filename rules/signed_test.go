package rules

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// A state is a signatory from the day it signed, not before.
func TestSignedOn(t *testing.T) {
	meta := strings.Replace(testMeta, "binds: [PK]\n", "binds: [PK]\nsignatories: [JP, CA]\nsigned_on: {JP: 2025-02-11}\n", 1)
	fw, err := load(t, meta, testRules)
	if err != nil {
		t.Fatal(err)
	}
	// The result changes on the signing day, so a projection must know it.
	days, _ := fw.Changes()
	if !slices.ContainsFunc(days, func(d time.Time) bool { return d.Format(time.DateOnly) == "2025-02-11" }) {
		t.Errorf("Changes() = %v, want the signing day 2025-02-11 among them", days)
	}
	jp, ca := facts(t, "deployment: {jurisdiction: JP}\n"), facts(t, "deployment: {jurisdiction: CA}\n")
	for _, c := range []struct {
		f    *Facts
		asOf string
		want string
	}{
		{jp, "2025-02-10", BenchmarkOnly},
		{jp, "2025-02-11", SignatoryNotBound},
		{ca, "2020-01-01", SignatoryNotBound}, // no day recorded: a signatory throughout
	} {
		asOf, _ := time.Parse(time.DateOnly, c.asOf)
		if got := fw.Evaluate(c.f, asOf).Applicability; got != c.want {
			t.Errorf("%s on %s: applicability %s, want %s", c.f.Jurisdiction(), c.asOf, got, c.want)
		}
	}
}

// A signing day is refused for a state that has not signed, or when it is not a date.
func TestSignedOnChecked(t *testing.T) {
	for meta, want := range map[string]string{
		"signatories: [JP]\nsigned_on: {KR: 2025-02-11}\n": "KR has a signing day but is not among the signatories",
		"signatories: [JP]\nsigned_on: {JP: soon}\n":       `signing day "soon" is not a date`,
	} {
		_, err := load(t, strings.Replace(testMeta, "binds: [PK]\n", "binds: [PK]\n"+meta, 1), testRules)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want one saying %q", meta, err, want)
		}
	}
}
