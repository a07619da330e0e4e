package rules

import (
	"strings"
	"testing"
)

func TestEngineLabels(t *testing.T) {
	l, err := parseEngineLabels(labelsFile)
	if err != nil {
		t.Fatalf("labels.yaml: %v", err)
	}
	if got := fill(l.NotYetInForce, "from", "13 May 2027"); strings.Contains(got, "{") || !strings.Contains(got, "13 May 2027") {
		t.Errorf("not_yet_in_force filled: %q", got)
	}
	for _, tc := range []struct{ name, doc, want string }{
		{"unknown placeholder", "not_yet_in_force: until {form}\nnot_in_force_note: '{as_of} {from}'\nrule_error_note: '{rule} {error}'\n", "{form} is not one of its placeholders"},
		{"placeholder left out", "not_yet_in_force: until {from}\nnot_in_force_note: 'on {as_of}'\nrule_error_note: '{rule} {error}'\n", "not_in_force_note: does not use {from}"},
		{"empty", "not_yet_in_force: until {from}\nnot_in_force_note: '{as_of} {from}'\n", "rule_error_note: empty"},
		{"unknown key", "not_yet_in_force: until {from}\nnot_in_force_note: '{as_of} {from}'\nrule_error_note: '{rule} {error}'\nnot_yet: x\n", "not_yet"},
	} {
		_, err := parseEngineLabels([]byte(tc.doc))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one naming %q", tc.name, err, tc.want)
		}
	}
}

func FuzzParseEngineLabels(f *testing.F) {
	f.Add(labelsFile)
	f.Add([]byte("not_yet_in_force: '{from}{from}{'\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := parseEngineLabels(data)
		if err != nil {
			return
		}
		// An accepted text has no placeholder left once its own are filled
		// (with digits, which no placeholder's name contains).
		for _, got := range []string{
			fill(l.NotYetInForce, "from", "1"),
			fill(l.NotInForceNote, "as_of", "1", "from", "2"),
			fill(l.RuleErrorNote, "rule", "1", "error", "2"),
		} {
			if placeholder.MatchString(got) {
				t.Errorf("a placeholder is left in %q", got)
			}
		}
	})
}
