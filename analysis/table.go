package analysis

import (
	"fmt"
	"slices"
	"time"

	"oversight/registry"
	"oversight/rules"
)

// Table gives exports the tiers of each deployment they write, classifying
// it as it is written. Deployments whose facts agree on every leaf a
// framework reads (classReads) have the same results on a day, so a table
// classifies each set of values once and looks the rest up: an export of
// a country at 1M deployments classified each of its 14,212 rows under
// every framework, 3.6 s of CPU a request (docs/performance.md, "Exports
// classified once a set of facts"). A table is used by one goroutine.
type Table struct {
	c    *Classifier
	asOf time.Time
	memo map[string]tableRow
}

// tableRow is what Of returns for one set of fact values.
type tableRow struct{ tiers, later []string }

// tableMemoMax bounds the rows a table keeps, about 2 KB each; full, it
// starts again empty, so a register whose deployments all differ pays one
// key and one look-up a deployment.
const tableMemoMax = 4096

// Table returns the tier view of the register as of a date.
func (c *Classifier) Table(asOf time.Time) *Table { return &Table{c: c, asOf: asOf} }

// AsOf returns the date the tiers hold on.
func (t *Table) AsOf() string { return t.asOf.Format(time.DateOnly) }

// FrameworkIDs lists the frameworks, in id order.
func (t *Table) FrameworkIDs() []string { return t.c.FrameworkIDs() }

// TierVersion is the version of the classifier the table classifies with
// (Classifier.TierVersion) once it reads a register's fact documents
// (SyncFacts), as the register's tier projection does; "" before, when it
// reads its curated ones. An export reads the tiers of a register whose
// projection has this version from the projection (export.Projected).
func (t *Table) TierVersion() string {
	if _, bound := t.c.bound.load(); !bound {
		return ""
	}
	return t.c.TierVersion()
}

// FactsRevision returns the revision of the fact document the tiers of
// deployment id read (Classifier.FactsRevision).
func (t *Table) FactsRevision(id string) (int64, bool) { return t.c.FactsRevision(id) }

// Of returns a deployment's tier under each framework, in FrameworkIDs'
// order, and beside each what it becomes by a rule that holds on the facts
// but is not in force yet and raises it (rules.Result.Raising, as the
// pages show it), as "from 2027-12-02: high_risk (Art. 6(2); Annex III
// point 1(a))", or "" when nothing that raises it is coming: so that a
// tier that holds today is not read as the last word, nor a prohibition
// as one that a later rule relaxes. The slices are the caller's.
func (t *Table) Of(d *registry.Deployment) (tiers, later []string, err error) {
	f, ok := t.c.factsOf(d)
	var doc map[string]any
	if ok {
		doc = f.Doc()
	} else {
		doc = DeriveFacts(d)
	}
	key, keyed := t.c.schema.Key(doc, t.c.classReads())
	if keyed {
		if r, hit := t.memo[key]; hit {
			return slices.Clone(r.tiers), slices.Clone(r.later), nil
		}
	}
	if f == nil {
		f = t.c.schema.DerivedFacts(doc) // as Classifier.derived, from the document already made
	}
	tiers, later = t.classify(f)
	if keyed {
		if t.memo == nil || len(t.memo) >= tableMemoMax {
			t.memo = make(map[string]tableRow)
		}
		t.memo[key] = tableRow{slices.Clone(tiers), slices.Clone(later)}
	}
	return tiers, later, nil
}

// classify evaluates f under every framework on the table's day.
func (t *Table) classify(f *rules.Facts) (tiers, later []string) {
	tiers, later = make([]string, len(t.c.frameworks)), make([]string, len(t.c.frameworks))
	for i, fw := range t.c.frameworks {
		res := fw.Evaluate(f, t.asOf)
		tiers[i] = string(res.Tier)
		if c := res.Raising(); c != nil {
			later[i] = fmt.Sprintf("from %s: %s (%s)", c.EffectiveFrom(), c.Tier, c.Rule().Citation.Article)
		}
	}
	return tiers, later
}
