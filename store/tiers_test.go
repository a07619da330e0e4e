package store

import (
	"context"
	"encoding/base64"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"oversight/analysis"
	"oversight/internal/testcls"
	"oversight/registry"
	"oversight/rules"
)

// TestTierProjection checks the stored tiers against the classifier itself
// for every built-in deployment, framework and change day, through writes,
// a writer without a projector, a retraction and a rebuild; and that a tier
// filter answered from the table pages exactly as one that classifies.
func TestTierProjection(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	set, facts := testcls.Builtin(t)
	cls := testcls.New(t, facts)
	if ready, err := db.SetTierProjector(ctx, cls); err != nil || ready {
		t.Fatalf("SetTierProjector on an empty register: ready %v, %v; want not ready", ready, err)
	}
	if _, err := db.Apply(ctx, set, Meta{Author: "test"}, nil); err != nil {
		t.Fatal(err)
	}
	// The first import into an empty register writes a complete projection.
	if n, err := db.ProjectTiers(ctx); err != nil || n != 0 {
		t.Fatalf("ProjectTiers after the first import: %d, %v; want nothing to do", n, err)
	}
	if ready, err := db.SetTierProjector(ctx, cls); err != nil || !ready {
		t.Fatalf("SetTierProjector after ProjectTiers: ready %v, %v", ready, err)
	}
	days := changeDays(cls)
	checkTiers(t, db, cls, days)
	checkTierFilters(t, db, cls, 3)

	// An update replaces the deployment's rows.
	d := *set.Deployments[0]
	d.System.Capabilities = []string{"remote_biometric_identification"}
	d.System.Purposes = []string{"general_crime_prevention"}
	if _, err := db.Apply(ctx, &registry.Set{Deployments: []*registry.Deployment{&d}}, Meta{Author: "test"}, nil); err != nil {
		t.Fatal(err)
	}
	checkTiers(t, db, cls, days)

	// A writer without the projector leaves the deployment pending:
	// filters classify until ProjectTiers writes its tiers.
	saved := db.tiers.p
	db.tiers.p = nil
	d.Title += " (edited)"
	if _, err := db.Apply(ctx, &registry.Set{Deployments: []*registry.Deployment{&d}}, Meta{Author: "test"}, nil); err != nil {
		t.Fatal(err)
	}
	db.tiers.p = saved
	if ok, err := db.tiersUsable(ctx, &registry.TierFilter{Framework: "eu-ai-act"}); err != nil || ok {
		t.Fatalf("tiers usable with a deployment pending: %v, %v", ok, err)
	}
	if ready, err := db.SetTierProjector(ctx, cls); err != nil || ready {
		t.Fatalf("SetTierProjector with a deployment pending: ready %v, %v; want not ready", ready, err)
	}
	// Classifying: each page walks the register from its cursor and
	// classifies until it is full, so pages of 3 cost a walk per 3 rows.
	checkTierFilters(t, db, cls, 16)
	if n, err := db.ProjectTiers(ctx); err != nil || n != 1 {
		t.Fatalf("ProjectTiers: %d, %v; want the one pending", n, err)
	}
	checkTiers(t, db, cls, days)

	// A write of more deployments than tiersInline leaves them pending.
	defer func(n int) { db.d.tiersInline = n }(db.d.tiersInline)
	db.d.tiersInline = 2
	var many []*registry.Deployment
	for _, d := range set.Deployments[1:4] {
		e := *d
		e.Title += " (edited)"
		many = append(many, &e)
	}
	if _, err := db.Apply(ctx, &registry.Set{Deployments: many}, Meta{Author: "test"}, nil); err != nil {
		t.Fatal(err)
	}
	if n, err := db.ProjectTiers(ctx); err != nil || n != 3 {
		t.Fatalf("ProjectTiers after a bulk write: %d, %v; want 3", n, err)
	}
	checkTiers(t, db, cls, days)

	// Another version of the frameworks projects every deployment again,
	// its class rows deleted and its deployments marked pending in parts.
	defer func(n int) { db.d.resetRows = n }(db.d.resetRows)
	db.d.resetRows = 4
	other := otherVersion{cls}
	if ready, err := db.SetTierProjector(ctx, other); err != nil || ready {
		t.Fatalf("SetTierProjector with another version: ready %v, %v", ready, err)
	}
	if n, err := db.ProjectTiers(ctx); err != nil || n != len(set.Deployments) {
		t.Fatalf("ProjectTiers with another version: %d, %v; want %d", n, err, len(set.Deployments))
	}
	checkTiers(t, db, cls, days)

	// Without its facts, a deployment's tiers are its record's.
	if _, err := db.Retract(ctx, "facts", d.ID, Meta{Author: "test", Reason: "test"}); err != nil {
		t.Fatal(err)
	}
	delete(facts, d.ID)
	checkTiers(t, db, testcls.New(t, facts), days)
	// A retraction removes the rows; a rebuild writes them all again.
	if _, err := db.Retract(ctx, "deployment", d.ID, Meta{Author: "test", Reason: "test"}); err != nil {
		t.Fatal(err)
	}
	var left, packed int
	if err := db.q.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM deployment_tiers WHERE deployment_id = $1), (SELECT count(*) FROM deployment_spans WHERE deployment_id = $1)", d.ID).Scan(&left, &packed); err != nil || left != 0 || packed != 0 {
		t.Fatalf("rows of a retracted deployment: %d, packed %d, %v", left, packed, err)
	}
	if _, err := db.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := db.ProjectTiers(ctx); err != nil || n != len(set.Deployments)-1 {
		t.Fatalf("ProjectTiers after a rebuild: %d, %v; want %d", n, err, len(set.Deployments)-1)
	}
	checkTiers(t, db, other.Classifier, days) // the same tiers under another version

	// VerifyTiers finds nothing on the tables as written, and names
	// each change to them (tierverify_test.go).
	if n, bad, note, err := db.VerifyTiers(ctx); err != nil || len(bad) > 0 || note != "" || n != len(set.Deployments)-1 {
		t.Fatalf("VerifyTiers: %d checked, %v, %q, %v", n, bad, note, err)
	}
	checkTiersTampered(t, db, set.Deployments[1].ID)
}

// otherVersion is a projector like the classifier's under another version.
type otherVersion struct{ *analysis.Classifier }

func (otherVersion) TierVersion() string { return "another version" }

// changeDays are the days either side of every framework's change days,
// and one day well before and after them all.
func changeDays(cls *analysis.Classifier) []time.Time {
	days := []time.Time{time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC)}
	for _, fw := range cls.Frameworks() {
		ch, _ := fw.Changes()
		for _, d := range ch {
			days = append(days, d.AddDate(0, 0, -1), d)
		}
	}
	slices.SortFunc(days, time.Time.Compare)
	return slices.CompactFunc(days, time.Time.Equal)
}

// classified keeps each classifier's tiers by deployment state, as
// checkTiers finds them: most deployments do not change between its calls.
// The key holds the classifier itself, not its address printed: a
// classifier freed after one test and another made later at the same
// address would be given the first one's tiers. A sync.Map: the tests
// that fill it run in parallel (each with classifiers of its own).
var classified sync.Map // classifiedKey to []map[string]string, one a day

type classifiedKey struct {
	cls   *analysis.Classifier
	state string
}

// checkTiers compares every deployment's stored tiers on each day with the
// classifier's. A framework's tier is evaluated only on its own days of
// change (rules.Framework.Changes: between two of them every document keeps
// its result; rules' TestResultsKeepBetweenChanges) and on the day before
// each, and taken from the last of those on the days between; the stored
// tiers are still read and compared on every day. Evaluating every
// framework on every framework's days gave the same answer at ten times
// the cost: most of the store package's time.
func checkTiers(t *testing.T, db *DB, cls *analysis.Classifier, days []time.Time) {
	t.Helper()
	ctx := context.Background()
	var all []*registry.Deployment
	if err := db.EachDeployment(ctx, registry.DeploymentFilter{}, func(d *registry.Deployment) error {
		all = append(all, d)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(all))
	want := make([][]map[string]string, len(all)) // deployment, day: framework's tier
	plan := evaluationDays(cls, days)
	for i, d := range all {
		ids[i] = d.ID
		state, err := registry.Canonical(d)
		if err != nil {
			t.Fatal(err)
		}
		key := classifiedKey{cls, string(state)}
		if v, ok := classified.Load(key); ok {
			want[i] = v.([]map[string]string)
			continue
		}
		want[i] = plan.classify(cls, d)
		classified.Store(key, want[i])
	}
	for j, day := range days {
		got, ok, err := db.TiersOn(ctx, ids, day.Format(time.DateOnly))
		if err != nil || !ok {
			t.Fatalf("TiersOn %s: ok %v, %v", day.Format(time.DateOnly), ok, err)
		}
		for i, d := range all {
			if !maps.Equal(got[d.ID], want[i][j]) {
				t.Fatalf("%s on %s: stored %v, classified %v", d.ID, day.Format(time.DateOnly), got[d.ID], want[i][j])
			}
		}
	}
}

// tierPlan says, for each framework and each of checkTiers' days, the day
// whose evaluation gives the tier: the day itself when the framework is
// evaluated on it.
type tierPlan struct {
	days []time.Time
	fws  []*rules.Framework
	from [][]int // framework, day: the day whose evaluation gives the tier
}

// evaluationDays plans a framework's evaluations on the days of days that
// are its own change days or the day before one, the first day, and any
// day of a framework whose results may change on any day (one reading
// as_of): every day then.
func evaluationDays(cls *analysis.Classifier, days []time.Time) tierPlan {
	p := tierPlan{days: days, fws: cls.Frameworks()}
	for _, fw := range p.fws {
		own := map[time.Time]bool{}
		ch, ok := fw.Changes()
		for _, c := range ch {
			own[c] = true
			own[c.AddDate(0, 0, -1)] = true
		}
		from := make([]int, len(days))
		last := 0
		for j, day := range days {
			if j == 0 || !ok || own[day] {
				last = j
			}
			from[j] = last
		}
		p.from = append(p.from, from)
	}
	return p
}

// classify gives d's tier under each framework on each of the plan's
// days, evaluating each framework on its planned days alone.
func (p tierPlan) classify(cls *analysis.Classifier, d *registry.Deployment) []map[string]string {
	f, _ := cls.FactsFor(d)
	out := make([]map[string]string, len(p.days))
	for j := range out {
		out[j] = make(map[string]string, len(p.fws))
	}
	for k, fw := range p.fws {
		var tier rules.Tier
		for j, day := range p.days {
			if p.from[k][j] == j {
				tier = fw.Evaluate(f, day).Tier
			}
			out[j][fw.ID] = string(tier)
		}
	}
	return out
}

// checkTierFilters pages through a tier filter for each framework's tiers
// on a day the EU AI Act's prohibitions apply, limit at a time, and
// compares the deployments with those the classifier selects; a page with
// a next one must be full.
func checkTierFilters(t *testing.T, db *DB, cls *analysis.Classifier, limit int) {
	t.Helper()
	ctx := context.Background()
	day := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	want := map[string]map[rules.Tier][]string{} // framework, tier: ids in order
	if err := db.EachDeployment(ctx, registry.DeploymentFilter{}, func(d *registry.Deployment) error {
		for fw, tier := range cls.TiersOf(d, day) {
			if want[fw] == nil {
				want[fw] = map[rules.Tier][]string{}
			}
			want[fw][tier] = append(want[fw][tier], d.ID)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// The table's condition has two forms, taken by how many rows match;
	// a filter that classifies reads neither, and is paged once.
	forms := []int{db.d.fewMatches, 0}
	if ok, err := db.tiersUsable(ctx, &registry.TierFilter{Framework: "eu-ai-act"}); err != nil {
		t.Fatal(err)
	} else if !ok {
		forms = forms[:1]
	}
	defer func(n int) { db.d.fewMatches = n }(db.d.fewMatches)
	for _, few := range forms {
		db.d.fewMatches = few
		for _, fw := range []string{"eu-ai-act", "apac-baseline", "au-privacy-act"} {
			for _, tier := range rules.AllTiers {
				f := registry.DeploymentFilter{Tier: &registry.TierFilter{Framework: fw, Tiers: []string{string(tier)}, Day: day.Format(time.DateOnly)}, Limit: limit}
				var got []string
				for {
					p, err := db.Deployments(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					if p.Next != "" && len(p.Items) < f.Limit {
						t.Fatalf("%s %s: a page of %d with a next one", fw, tier, len(p.Items))
					}
					for _, d := range p.Items {
						got = append(got, d.ID)
					}
					if p.Next == "" {
						break
					}
					next, _ := base64.RawURLEncoding.DecodeString(p.Next)
					if len(got) > 0 && string(next) != got[len(got)-1] {
						t.Fatalf("%s %s: next %q after %q", fw, tier, next, got[len(got)-1])
					}
					f.Cursor = p.Next
				}
				if !slices.Equal(got, want[fw][tier]) {
					t.Fatalf("%s %s: filter gives %v, classifier %v", fw, tier, got, want[fw][tier])
				}
			}
		}
	}
}
