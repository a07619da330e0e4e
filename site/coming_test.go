package site

import (
	"testing"

	"oversight/rules"
)

// TestComingRaises: the page names a rule not yet in force only where it
// will raise today's tier, never beside a more severe one.
func TestComingRaises(t *testing.T) {
	later := []rules.RuleResult{{Tier: rules.HighRisk}, {Tier: rules.Transparency}}
	for _, tc := range []struct {
		name   string
		r      rules.Result
		raises bool
	}{
		{"prohibited today", rules.Result{Tier: rules.Prohibited, Later: later}, false},
		{"high risk today", rules.Result{Tier: rules.HighRisk, Later: later}, false},
		{"minimal risk today", rules.Result{Tier: rules.MinimalRisk, Later: later}, true},
		{"undecided, at least minimal", rules.Result{Tier: rules.Indeterminate, Bounds: &rules.Bounds{Least: rules.MinimalRisk, Most: rules.Prohibited}, Later: later}, true},
		{"undecided, at least prohibited unless", rules.Result{Tier: rules.Indeterminate, Bounds: &rules.Bounds{Least: rules.ProhibitedUnless, Most: rules.Prohibited}, Later: later}, false},
		{"nothing later", rules.Result{Tier: rules.MinimalRisk}, false},
	} {
		c := coming(tc.r)
		if (c != nil) != tc.raises {
			t.Errorf("%s: coming %+v, want raises=%v", tc.name, c, tc.raises)
		}
		if c != nil && c.Tier != rules.HighRisk {
			t.Errorf("%s: coming %s, want the most severe, high risk", tc.name, c.Tier)
		}
	}
}
