package rules

import (
	"encoding/json"
	"strings"
)

// Tier is a place on the common scale shared by every framework.
type Tier string

// The tiers, most severe first. Indeterminate is not on the scale: it says
// the known facts cannot decide between tiers.
const (
	Prohibited       Tier = "prohibited"
	ProhibitedUnless Tier = "prohibited_unless_conditions_met"
	HighRisk         Tier = "high_risk"
	Regulated        Tier = "regulated"
	Transparency     Tier = "transparency_obligation"
	MinimalRisk      Tier = "minimal_risk"
	NotApplicable    Tier = "not_applicable"
	Indeterminate    Tier = "indeterminate"
)

// Tiers lists the scale, most severe first.
var Tiers = []Tier{Prohibited, ProhibitedUnless, HighRisk, Regulated, Transparency, MinimalRisk, NotApplicable}

// AllTiers is Tiers and Indeterminate: every value a result's tier may take.
var AllTiers = append(append([]Tier{}, Tiers...), Indeterminate)

// Severity orders tiers: higher is more severe; Indeterminate is 0.
func (t Tier) Severity() int {
	for i, x := range Tiers {
		if x == t {
			return len(Tiers) - i
		}
	}
	return 0
}

func validTier(s string) bool { return Tier(s).Severity() > 0 }

func tierList() string {
	s := make([]string, len(Tiers))
	for i, t := range Tiers {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

// Applicabilities: whether a framework binds the deployment's jurisdiction.
var Applicabilities = []string{Applies, BenchmarkOnly, SignatoryNotBound, OutOfScope}

const (
	Applies           = "applies"
	BenchmarkOnly     = "benchmark_only"
	SignatoryNotBound = "signatory_not_bound"
	OutOfScope        = "out_of_scope"
)

// Rule statuses in a result.
const (
	Fired                = "fired"            // holds on the known facts
	Possible             = "possible"         // would hold if unknown facts turn out one way
	NotYetInForce        = "not_yet_in_force" // holds, but its effective_from is after the as-of date
	Met, Failed, Unknown = "met", "failed", "unknown"
)

// Result is the classification of one fact document under one framework.
type Result struct {
	Framework     string `json:"framework"`
	Applicability string `json:"applicability"`
	// Tier is empty, and not written, only when the framework is not
	// encoded (Applicability NotEncodedApplicability): it gives none.
	Tier  Tier   `json:"tier,omitempty"`
	Label string `json:"label,omitempty"`
	// Bounds, for an indeterminate result, are the least and most severe
	// tiers the unknown facts still allow.
	Bounds      *Bounds            `json:"bounds,omitempty"`
	Rules       []RuleResult       `json:"rules"`
	Conditions  []ConditionResult  `json:"conditions"`
	Obligations []ObligationResult `json:"obligations"`
	// Missing lists the unknown facts whose values would change the tier.
	Missing []string `json:"missing"`
	// Later lists rules that hold on the facts but are not in force yet on
	// the as-of date, such as duties whose application was deferred.
	Later []RuleResult `json:"later,omitempty"`
	Note  string       `json:"note,omitempty"`
}

// Bounds of an indeterminate result.
type Bounds struct {
	Least Tier `json:"least"`
	Most  Tier `json:"most"`
}

// RuleResult explains one rule that fired or might fire. Its text comes
// from the rule itself and is written out only when the result is encoded.
type RuleResult struct {
	ID         string
	Status     string // Fired, Possible or NotYetInForce
	Tier       Tier
	Label      string
	Facts      FactValues // the known facts the rule read
	Conditions []ConditionResult
	rule       *Rule
	missing    unknowns
	schema     *Schema
	from       string // in a framework not in force yet: its first day
}

// Rule returns the rule the result is about.
func (r RuleResult) Rule() *Rule { return r.rule }

// EffectiveFrom is the day (YYYY-MM-DD) a rule that is not in force yet
// applies from: its own effective_from, or, in a framework that does not
// apply yet, the framework's first day if that is later.
func (r RuleResult) EffectiveFrom() string {
	own := ""
	if r.rule != nil {
		own = r.rule.EffectiveFrom
	}
	return max(own, r.from) // days as YYYY-MM-DD order as strings
}

// Missing lists the unknown facts the rule turns on.
func (r RuleResult) Missing() []string { return r.schema.paths(r.missing) }

// Coming returns, of the rules that hold on the facts but are not in force
// yet (Result.Later), the most severe, and of those the first in force: so
// that "minimal risk" today is shown with what it becomes, and when. Nil
// when nothing is coming.
func Coming(later []RuleResult) *RuleResult {
	var best *RuleResult
	for i := range later {
		r := &later[i]
		if best == nil || r.Tier.Severity() > best.Tier.Severity() ||
			r.Tier.Severity() == best.Tier.Severity() && r.EffectiveFrom() < best.EffectiveFrom() {
			best = r
		}
	}
	return best
}

// Raising returns the rule not yet in force to name beside the result's
// tier: the most severe of its later rules (Coming), and only where it
// raises the tier. A practice prohibited today that later rules will also
// make high risk stays prohibited, and "from 2027: high risk" beside it
// would read as a relaxation. An undecided result is compared with the
// least severe tier its unknown facts still allow. Nil when nothing that
// raises it is coming.
func (r Result) Raising() *RuleResult {
	c := Coming(r.Later)
	if c == nil {
		return nil
	}
	now := r.Tier
	if r.Tier == Indeterminate && r.Bounds != nil {
		now = r.Bounds.Least
	}
	if c.Tier.Severity() <= now.Severity() {
		return nil
	}
	return c
}

// MarshalJSON writes the rule's result with its citation and explanation.
func (r RuleResult) MarshalJSON() ([]byte, error) {
	out := struct {
		ID            string            `json:"id"`
		Title         string            `json:"title"`
		Citation      string            `json:"citation"`
		SeeAlso       []string          `json:"see_also,omitempty"`
		URL           string            `json:"url,omitempty"`
		Explanation   string            `json:"explanation"`
		Status        string            `json:"status"`
		Tier          Tier              `json:"tier"`
		Label         string            `json:"label"`
		EffectiveFrom string            `json:"effective_from,omitempty"`
		Facts         FactValues        `json:"facts"`
		Missing       []string          `json:"missing,omitempty"`
		Conditions    []ConditionResult `json:"conditions,omitempty"`
		ReviewFlag    string            `json:"review_flag,omitempty"`
	}{ID: r.ID, Status: r.Status, Tier: r.Tier, Label: r.Label, Facts: r.Facts, Conditions: r.Conditions}
	if rl := r.rule; rl != nil {
		out.Title, out.Citation, out.SeeAlso, out.URL = rl.Title, rl.Citation.Article, rl.Citation.SeeAlso, rl.Citation.URL
		out.Explanation, out.ReviewFlag = rl.Explanation, rl.ReviewFlag
		if r.Status == NotYetInForce {
			out.EffectiveFrom = r.EffectiveFrom()
		}
	}
	if r.schema != nil {
		out.Missing = r.Missing()
	}
	return json.Marshal(out)
}

// ConditionResult is one condition of an exception path.
type ConditionResult struct {
	Rule     string   `json:"rule"`
	ID       string   `json:"id"`
	Text     string   `json:"text,omitempty"`
	Citation string   `json:"citation"`
	Status   string   `json:"status"`
	Missing  []string `json:"missing,omitempty"`
	missing  unknowns
}

// ObligationResult is a duty with the rule that imposes it.
type ObligationResult struct {
	*Obligation
	Rule string `json:"rule"`
}

// FactValues are the known facts a rule read, built into a map only when
// asked for, so that classifying stays cheap when the reasons are not read.
type FactValues struct {
	f      *Facts
	leaves []*Leaf
}

// Map returns the known facts by path.
func (v FactValues) Map() map[string]any {
	m := make(map[string]any, len(v.leaves))
	for _, l := range v.leaves {
		if x := v.f.raw[l.id-1]; x != nil {
			m[l.Path] = x
		}
	}
	return m
}

// MarshalJSON writes the known facts as an object.
func (v FactValues) MarshalJSON() ([]byte, error) {
	if v.f == nil {
		return []byte("{}"), nil
	}
	return json.Marshal(v.Map())
}
