package site

import (
	"strings"
	"testing"
	"time"

	"oversight/frameworks"
	"oversight/rules"
)

// TestComingRaises: the page names a rule not yet in force (rules.Result.Raising) only where it
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
		c := tc.r.Raising()
		if (c != nil) != tc.raises {
			t.Errorf("%s: coming %+v, want raises=%v", tc.name, c, tc.raises)
		}
		if c != nil && c.Tier != rules.HighRisk {
			t.Errorf("%s: coming %s, want the most severe, high risk", tc.name, c.Tier)
		}
	}
}

// TestDecidedBy: a deployment's page names the article that decides a
// result in its summary, unless the framework's label already does.
func TestDecidedBy(t *testing.T) {
	f := policeFaceID(t, "IN", "real_time", "protest_public_order")
	fws, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	seen := false
	for _, fw := range fws {
		res := fw.Evaluate(f, time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC))
		by := decidedBy(res)
		if fw.ID == "eu-ai-act" {
			seen = true
			if res.Tier != rules.Prohibited || by != "Art. 5(1)(h)" {
				t.Errorf("eu-ai-act: %s, decided by %q", res.Tier, by)
			}
		}
		if by != "" && strings.ContainsAny(res.Label, "0123456789") {
			t.Errorf("%s: the label %q already cites a provision, yet %q", fw.ID, res.Label, by)
		}
		if len(by) > 2*maxDecidedBy+2 {
			t.Errorf("%s: decided by %q, too long for a summary", fw.ID, by)
		}
		if res.Tier == rules.Indeterminate && by != "" {
			t.Errorf("%s: undecided, yet decided by %q", fw.ID, by)
		}
	}
	if !seen {
		t.Fatal("no eu-ai-act framework")
	}
}
