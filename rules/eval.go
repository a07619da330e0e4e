package rules

import (
	"fmt"
	"slices"
	"time"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/interpreter"
)

// activation resolves the variables of one evaluation from the fact
// document, the framework's constants and its derived values.
type activation struct {
	c       *compiled
	f       *Facts
	derived []ref.Val // derived values for cel-go programs, when any runs
	asOf    ref.Val
	frame   *interpreter.ExecutionFrame // shared by every cel-go program of one evaluation
	n       nenv                        // the native evaluator's state
}

func (a *activation) ResolveName(name string) (any, bool) {
	s, ok := a.c.slots[name]
	if !ok {
		return nil, false
	}
	switch s.kind {
	case factSlot:
		return a.f.val(s.idx), true
	case constSlot:
		return a.c.consts[s.idx], true
	case derivedSlot:
		return a.derived[s.idx], true
	}
	return a.asOf, true
}

func (a *activation) Parent() interpreter.Activation { return nil }

// truth is a three-valued result.
type truth uint8

const (
	tFalse truth = iota
	tTrue
	tUnknown
	tError
)

// eval evaluates an expression natively where it can, else with cel-go.
func (a *activation) eval(e *expr) (truth, val) {
	if e.native != nil {
		v := e.native(&a.n)
		switch {
		case v.unk.any():
			return tUnknown, v
		case v.b:
			return tTrue, v
		}
		return tFalse, v
	}
	if a.frame == nil {
		frame, err := interpreter.NewExecutionFrame(a)
		if err != nil {
			return tError, val{s: err.Error()}
		}
		a.frame = frame
	}
	rv, _, err := e.prg.Eval(a.frame)
	if err != nil && !types.IsUnknown(rv) {
		return tError, val{s: err.Error()}
	}
	v, ok := fromRef(rv)
	switch {
	case !ok:
		return tError, val{s: fmt.Sprintf("unexpected value %v", rv)}
	case v.unk.any():
		return tUnknown, v
	case rv == types.True:
		return tTrue, v
	}
	return tFalse, v
}

// hit is a rule that fired or might fire in one evaluation.
type hit struct {
	cr      *compiledRule
	tier    Tier
	outcome *Outcome
	missing unknowns
	conds   []ConditionResult
}

// Evaluate classifies a fact document under the framework as of a date.
// Unknown facts follow Kleene logic: a rule that holds or fails whatever
// they turn out to be is decided; otherwise the rule is possible, and the
// result is indeterminate only if a possible rule could change the tier.
func (fw *Framework) Evaluate(f *Facts, asOf time.Time) Result {
	return fw.evaluate(f, asOf, true)
}

// TierAt is the tier Evaluate gives, without the rules, conditions,
// obligations and missing facts that explain it: for callers that need
// the tiers of many documents on many days (a tier projection), to whom
// those are most of the cost.
func (fw *Framework) TierAt(f *Facts, asOf time.Time) Tier {
	return fw.evaluate(f, asOf, false).Tier
}

// evaluate is Evaluate, with the explanation only when explain is set; the
// tier is worked out the same way either way.
func (fw *Framework) evaluate(f *Facts, asOf time.Time, explain bool) Result {
	if !fw.Encoded() {
		return fw.notEncodedResult()
	}
	c := fw.compiled
	res := Result{Framework: fw.ID, Applicability: fw.applicability(f, asOf)}
	if !fw.InEffect(asOf) {
		res.Tier = NotApplicable
		if !explain {
			// TierAt: a projection asks this of every deployment, and
			// reads only the tier.
			return res
		}
		res.Label = fw.Label(string(NotApplicable))
		res.Note = fill(labels().NotInForceNote, "as_of", asOf.Format(time.DateOnly), "from", fw.EffectiveFrom)
		res.Missing, res.Rules, res.Conditions, res.Obligations = []string{}, []RuleResult{}, []ConditionResult{}, []ObligationResult{}
		if start, err := time.Parse(time.DateOnly, fw.EffectiveFrom); err == nil && asOf.Before(start) {
			// Not "outside the Act": the Act will reach the system, it
			// does not yet, and Later says what it will require.
			res.Label = fill(labels().NotYetInForce, "from", start.Format("2 January 2006"))
		}
		res.Later = fw.fromStart(f, asOf)
		return res
	}
	act := c.pool.Get().(*activation)
	defer fw.release(act)
	act.f, act.n.f = f, f
	act.asOf = types.Timestamp{Time: asOf}
	for i, d := range c.derived {
		_, v := act.eval(d)
		act.n.derived[i] = v
		if c.celOnly {
			act.derived[i] = toRef(v)
		}
	}

	var buf [2][24]hit // fired and possible, on the stack for most frameworks
	fired, possible := buf[0][:0], buf[1][:0]
	stopped := -1
	var missing unknowns
	for _, cr := range c.rules {
		t, v := act.eval(cr.when)
		if t == tFalse {
			continue
		}
		live := !asOf.Before(cr.from) && (cr.to.IsZero() || asOf.Before(cr.to))
		h := hit{cr: cr, outcome: &cr.rule.Outcome}
		if t == tError {
			res.Note = fill(labels().RuleErrorNote, "rule", cr.rule.ID, "error", v.s)
			possible = append(possible, h)
			continue
		}
		h.missing = f.unknownSet(v, cr.requires)
		if t == tTrue && !h.missing.any() {
			h.outcome, h.conds = act.conditions(cr)
			h.tier = Tier(h.outcome.Tier)
			if !live {
				if explain && asOf.Before(cr.from) {
					res.Later = append(res.Later, fw.explain(h, f, NotYetInForce))
				}
				continue
			}
			fired = append(fired, h)
			if cr.rule.Stop {
				stopped = len(fired) - 1
				break
			}
			continue
		}
		if !live {
			continue
		}
		// A rule that may hold is read with its conditions as far as they are
		// known: if one already fails, or all are already met, holding would
		// give that outcome's tier, which is what the bounds must show.
		h.outcome, _ = act.conditions(cr)
		h.tier = Tier(h.outcome.Tier)
		possible = append(possible, h)
	}

	// The tier the known facts settle, and the outcomes unknown facts could add.
	certain := Tier(fw.DefaultTier)
	decider := -1
	if stopped >= 0 {
		certain, decider = fired[stopped].tier, stopped
		if a := fired[stopped].outcome.Applicability; a != "" {
			res.Applicability = a
		}
	} else {
		for i := range fired {
			if decider < 0 || fired[i].tier.Severity() > certain.Severity() {
				certain, decider = fired[i].tier, i
			}
		}
	}
	least, most := certain, certain
	n := 0
	for _, p := range possible {
		if stopped >= 0 && !p.cr.rule.Stop {
			continue // a settled stop rule ends evaluation before these
		}
		possible[n] = p
		n++
		if p.tier.Severity() <= certain.Severity() && !(p.cr.rule.Stop && p.tier != certain) {
			continue // cannot change the tier
		}
		missing = missing.or(p.missing)
		if p.tier.Severity() > most.Severity() {
			most = p.tier
		}
		if p.tier.Severity() < least.Severity() {
			least = p.tier
		}
	}
	possible = possible[:n]
	if least != most {
		res.Tier, res.Label = Indeterminate, fw.Label(string(Indeterminate))
		res.Bounds = &Bounds{Least: least, Most: most}
	} else {
		res.Tier = certain
		res.Label = fw.Label(string(certain))
		if decider >= 0 && fired[decider].outcome.Label != "" {
			res.Label = fired[decider].outcome.Label
		}
	}

	if !explain {
		return res
	}
	res.Rules = make([]RuleResult, 0, len(fired)+len(possible))
	res.Conditions, res.Obligations = []ConditionResult{}, []ObligationResult{}
	for i, h := range fired {
		res.Rules = append(res.Rules, fw.explain(h, f, Fired))
		asks := h.tier == ProhibitedUnless && conditionsCanChange(h.cr.rule, othersTier(fw, fired, i))
		for _, cond := range h.conds {
			res.Conditions = append(res.Conditions, cond)
			if cond.Status == Unknown && asks {
				missing = missing.or(cond.missing)
			}
		}
	outcome:
		for i := range h.outcome.Obligations {
			ob := &h.outcome.Obligations[i]
			for _, have := range res.Obligations {
				if have.ID == ob.ID {
					continue outcome
				}
			}
			res.Obligations = append(res.Obligations, ObligationResult{ob, h.cr.rule.ID})
		}
	}
	for _, h := range possible {
		res.Rules = append(res.Rules, fw.explain(h, f, Possible))
	}
	res.Missing = f.schema.paths(missing)
	return res
}

func (fw *Framework) release(a *activation) {
	if a.frame != nil {
		a.frame.Close()
		a.frame = nil
	}
	a.f, a.n.f = nil, nil
	fw.compiled.pool.Put(a)
}

// conditionsCanChange reports whether settling a fired rule's unknown
// conditions could move the result off the tier the known facts give: not
// when the other rules that hold already give a tier at least as severe as
// any outcome the conditions lead to (a prohibition beside an exception
// path), so that the conditions' facts are not listed as missing when they
// cannot matter.
func conditionsCanChange(r *Rule, others Tier) bool {
	top := Prohibited // on_condition_failure's default
	if r.OnConditionFailure != nil {
		top = Tier(r.OnConditionFailure.Tier)
	}
	if r.OnConditionsMet != nil && Tier(r.OnConditionsMet.Tier).Severity() > top.Severity() {
		top = Tier(r.OnConditionsMet.Tier)
	}
	return others.Severity() < top.Severity()
}

// othersTier is the most severe tier of the fired rules other than the
// i-th, or the framework's default tier.
func othersTier(fw *Framework, fired []hit, i int) Tier {
	t := Tier(fw.DefaultTier)
	for j := range fired {
		if j != i && fired[j].tier.Severity() > t.Severity() {
			t = fired[j].tier
		}
	}
	return t
}

// conditions evaluates an exception path's conditions and picks the
// outcome: any failed gives on_condition_failure, all met on_conditions_met.
func (a *activation) conditions(cr *compiledRule) (*Outcome, []ConditionResult) {
	if len(cr.conds) == 0 {
		return &cr.rule.Outcome, nil
	}
	out := make([]ConditionResult, len(cr.conds))
	failed, unknown := false, false
	for i, e := range cr.conds {
		c := cr.rule.Conditions[i]
		out[i] = ConditionResult{Rule: cr.rule.ID, ID: c.ID, Text: c.Text, Citation: c.Citation}
		t, v := a.eval(e)
		switch t {
		case tTrue:
			out[i].Status = Met
		case tFalse:
			out[i].Status, failed = Failed, true
		default:
			out[i].Status, unknown = Unknown, true
			out[i].missing = v.unk
			out[i].Missing = a.f.schema.paths(v.unk)
		}
	}
	switch {
	case failed:
		if cr.rule.OnConditionFailure != nil {
			return cr.rule.OnConditionFailure, out
		}
		return &Outcome{Tier: string(Prohibited)}, out
	case !unknown:
		if cr.rule.OnConditionsMet != nil {
			return cr.rule.OnConditionsMet, out
		}
		return &Outcome{Tier: string(HighRisk)}, out
	}
	return &cr.rule.Outcome, out
}

func (fw *Framework) explain(h hit, f *Facts, status string) RuleResult {
	rr := RuleResult{ID: h.cr.rule.ID, Status: status, Tier: h.tier, Label: h.outcome.Label,
		Facts: FactValues{f, h.cr.when.facts}, Conditions: h.conds, rule: h.cr.rule, schema: f.schema}
	if status == Possible {
		rr.missing = h.missing
	}
	if rr.Label == "" {
		rr.Label = fw.Label(string(h.tier))
	}
	return rr
}

// unknownSet is the set of facts an unknown value turns on, with the
// required facts that are unknown.
func (f *Facts) unknownSet(v val, requires []*Leaf) unknowns {
	u := v.unk
	for _, leaf := range requires {
		u = u.or(f.nvals[leaf.id-1].unk)
	}
	return u
}

// paths names the facts in a set, in path order.
func (s *Schema) paths(u unknowns) []string {
	out := []string{}
	for _, id := range u.ids() {
		if id >= 1 && int(id) <= len(s.leaves) {
			out = append(out, s.leaves[id-1].Path)
		}
	}
	return out
}

// applicability says whether the framework binds the document's jurisdiction
// on asOf. A state that had not yet signed on asOf is no signatory then.
func (fw *Framework) applicability(f *Facts, asOf time.Time) string {
	j := f.Jurisdiction()
	switch {
	case j != "" && slices.Contains(fw.Binds, j):
		return Applies
	case j != "" && slices.Contains(fw.Signatories, j) && fw.signedBy(j, asOf):
		return SignatoryNotBound
	}
	return BenchmarkOnly
}

// fromStart lists, for a framework that does not apply yet on asOf, the
// rules that hold on the facts from the day it first applies (and those
// that hold later still), each dated: so that a law not in force yet is
// read as what it will require, not as leaving the system alone. Nil when
// the framework has ended rather than not begun.
func (fw *Framework) fromStart(f *Facts, asOf time.Time) []RuleResult {
	start, err := time.Parse(time.DateOnly, fw.EffectiveFrom)
	if err != nil || !asOf.Before(start) {
		return nil
	}
	then := fw.evaluate(f, start, true)
	var out []RuleResult
	for _, r := range then.Rules {
		if r.Status == Fired {
			r.Status, r.from = NotYetInForce, fw.EffectiveFrom
			out = append(out, r)
		}
	}
	return append(out, then.Later...)
}

// InEffect reports whether asOf falls within the framework's dates: on or
// after effective_from and before effective_to, where given. It says
// nothing of the framework's status: evaluation reads the dates alone.
func (fw *Framework) InEffect(asOf time.Time) bool {
	if fw.EffectiveFrom != "" {
		if from, _ := time.Parse(time.DateOnly, fw.EffectiveFrom); asOf.Before(from) {
			return false
		}
	}
	if fw.EffectiveTo != "" {
		if to, _ := time.Parse(time.DateOnly, fw.EffectiveTo); !asOf.Before(to) {
			return false
		}
	}
	return true
}
