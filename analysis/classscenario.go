package analysis

import (
	"context"
	"slices"
	"sort"
	"time"

	"oversight/registry"
	"oversight/rules"
)

// A ClassRegister keeps each deployment's fact class and counts of the
// deployments sharing one (registry.ClassCount) up to date as revisions are
// written (*store.DB and its snapshots). The index and scenarios built on
// one classify each class once and read only the deployments they list.
type ClassRegister interface {
	// ClassCounts returns every count, or false when they were not
	// written by a projector of version (TierVersion) or some
	// deployment's are not written yet.
	ClassCounts(ctx context.Context, version string) ([]registry.ClassCount, bool, error)
	// ClassMembers lists up to limit deployments of a count after the
	// first offset: those whose number of cameras is known (known) by
	// scale, largest first, then id; or the others, by id.
	ClassMembers(ctx context.Context, c registry.ClassCount, known bool, offset, limit int) ([]registry.ClassMember, error)
	// DeploymentTitles returns the titles of the deployments named, by
	// id; an id the register does not hold has none.
	DeploymentTitles(ctx context.Context, ids []string) (map[string]string, error)
}

// classCounts returns reg's class counts when it keeps them for c's
// frameworks and c reads the facts they were made from: the register's,
// as the store's projection does, so c must be bound to it (SyncFacts).
// ok is false when the deployments must be classified one by one.
func (c *Classifier) classCounts(ctx context.Context, reg any) (counts []registry.ClassCount, cr ClassRegister, ok bool, err error) {
	cr, ok = reg.(ClassRegister)
	if _, bound := c.bound.load(); !ok || !bound {
		return nil, nil, false, nil
	}
	counts, ok, err = cr.ClassCounts(ctx, c.TierVersion())
	return counts, cr, ok, err
}

// classMemo classifies each class once for one result.
type classMemo struct {
	c     *Classifier
	facts map[string]*rules.Facts
}

func (m *classMemo) factsOf(cc registry.ClassCount) (*rules.Facts, error) {
	if f, ok := m.facts[cc.Class]; ok {
		return f, nil
	}
	f, err := m.c.classFacts(cc.Doc)
	if err != nil {
		return nil, err
	}
	if m.facts == nil {
		m.facts = map[string]*rules.Facts{}
	}
	m.facts[cc.Class] = f
	return f, nil
}

// scenarioFromClasses is simulateAll's counts from class counts: each
// class judged once, its deployments added together.
func (c *Classifier) scenarioFromClasses(counts []registry.ClassCount, fw *rules.Framework, jurisdictions []string, asOf time.Time) (*Scenario, error) {
	sc := &Scenario{Framework: fw.ID, Title: fw.Title, AsOf: asOf.Format(time.DateOnly), Jurisdictions: nonNilStrings(jurisdictions),
		ByJurisdiction: []Jurisdiction{}, Drivers: []Driver{}}
	tl := newTally(sc)
	m := classMemo{c: c}
	verdicts := map[string]verdict{}
	for _, cc := range counts {
		if len(jurisdictions) > 0 && !slices.Contains(jurisdictions, cc.Jurisdiction) {
			continue
		}
		v, ok := verdicts[cc.Class]
		if !ok {
			f, err := m.factsOf(cc)
			if err != nil {
				return nil, err
			}
			v = c.judge(f, fw, asOf)
			verdicts[cc.Class] = v
		}
		tl.add(c, fw, cc.Jurisdiction, v.change, v.rules, v.proposed, cc.N, cc.People, cc.PeopleSum)
	}
	tl.done()
	return sc, nil
}

// tally sums a scenario's counts, by deployment or by class.
type tally struct {
	sc      *Scenario
	byJ     map[string]*Jurisdiction
	drivers map[string]*Driver
}

func newTally(sc *Scenario) *tally {
	return &tally{sc: sc, byJ: map[string]*Jurisdiction{}, drivers: map[string]*Driver{}}
}

// add counts n deployments of a jurisdiction that change alike, behind
// the rules named (proposed's), of which people have a number of people
// covered, peopleSum in all.
func (t *tally) add(c *Classifier, fw *rules.Framework, jurisdiction, change string, ruleIDs []string, proposed rules.Result, n, people int, peopleSum int64) {
	sc := t.sc
	j := t.byJ[jurisdiction]
	if j == nil {
		j = &Jurisdiction{Code: jurisdiction, CurrentLaw: c.binding(jurisdiction, fw.ID), UnencodedLaw: c.UnencodedBinding(jurisdiction)}
		t.byJ[jurisdiction] = j
	}
	j.Deployments += n
	sc.Deployments += n
	sc.ItemsTotal += n
	for _, c := range []struct {
		change string
		total  *int
		of     *int
	}{{Undecided, &sc.Undecided, &j.Undecided}, {Stricter, &sc.Stricter, &j.Stricter}, {Looser, &sc.Looser, &j.Looser}, {NoLaw, &sc.NoLaw, &j.NoLaw}, {NotEncoded, &sc.NotEncoded, &j.NotEncoded}} {
		if c.change == change {
			*c.total += n
			*c.of += n
		}
	}
	if change != Stricter && change != Looser {
		return
	}
	sc.Changed += n
	sc.PeopleCovered += peopleSum
	j.PeopleCovered += peopleSum
	sc.PeopleUnknown += n - people
	for _, r := range proposed.Rules {
		if !contains(ruleIDs, r.ID) {
			continue
		}
		dr := t.drivers[r.ID]
		if dr == nil {
			dr = &Driver{Rule: r.ID, Citation: r.Rule().Citation.Article, Title: r.Rule().Title}
			t.drivers[r.ID] = dr
		}
		dr.Deployments += n
	}
}

// done puts the jurisdictions and drivers in the scenario, in order.
func (t *tally) done() {
	sc := t.sc
	for _, j := range t.byJ {
		sc.ByJurisdiction = append(sc.ByJurisdiction, *j)
	}
	sort.Slice(sc.ByJurisdiction, func(a, b int) bool { return sc.ByJurisdiction[a].Code < sc.ByJurisdiction[b].Code })
	for _, d := range t.drivers {
		sc.Drivers = append(sc.Drivers, *d)
	}
	sort.Slice(sc.Drivers, func(a, b int) bool {
		if sc.Drivers[a].Deployments != sc.Drivers[b].Deployments {
			return sc.Drivers[a].Deployments > sc.Drivers[b].Deployments
		}
		return sc.Drivers[a].Rule < sc.Drivers[b].Rule
	})
}
