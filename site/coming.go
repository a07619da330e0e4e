package site

import "oversight/rules"

// coming returns the rule not yet in force that a deployment's page names
// beside today's tier: the most severe of the result's later rules
// (rules.Coming), and only where it raises the tier. A practice
// prohibited today that later rules will also make high risk stays
// prohibited, and "from 2027: high risk" beside it would read as a
// relaxation. An undecided result is compared with the least severe tier
// its unknown facts still allow.
func coming(r rules.Result) *rules.RuleResult {
	c := rules.Coming(r.Later)
	if c == nil {
		return nil
	}
	now := r.Tier
	if r.Tier == rules.Indeterminate && r.Bounds != nil {
		now = r.Bounds.Least
	}
	if c.Tier.Severity() <= now.Severity() {
		return nil
	}
	return c
}
