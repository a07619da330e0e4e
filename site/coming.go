package site

import "oversight/rules"

// coming returns the rule not yet in force that a deployment's page names
// beside today's tier (rules.Result.Raising).
func coming(r rules.Result) *rules.RuleResult { return r.Raising() }
