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
	checkTierFilters(t, db, cls)

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
	checkTierFilters(t, db, cls) // classifying
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
	checkTiers(t, db, other, days)

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

// classified keeps each classifier's tiers by deployment state and day, as
// checkTiers finds them: most deployments do not change between its calls.
// The key holds the classifier itself, not its address printed: a
// classifier freed after one test and another made later at the same
// address would be given the first one's tiers. A sync.Map: the tests
// that fill it run in parallel (each with classifiers of its own).
var classified sync.Map // classifiedKey to map[string]string

type classifiedKey struct {
	cls   any
	state string
	day   int64
}

// checkTiers compares every deployment's stored tiers on each day with the
// classifier's.
func checkTiers(t *testing.T, db *DB, cls interface {
	TiersOf(*registry.Deployment, time.Time) map[string]rules.Tier
}, days []time.Time) {
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
	states := make([]string, len(all)) // each deployment's canonical form, made once, not once a day
	for i, d := range all {
		ids[i] = d.ID
		state, err := registry.Canonical(d)
		if err != nil {
			t.Fatal(err)
		}
		states[i] = string(state)
	}
	for _, day := range days {
		got, ok, err := db.TiersOn(ctx, ids, day.Format(time.DateOnly))
		if err != nil || !ok {
			t.Fatalf("TiersOn %s: ok %v, %v", day.Format(time.DateOnly), ok, err)
		}
		for i, d := range all {
			key := classifiedKey{cls, states[i], day.Unix()}
			var want map[string]string
			if v, ok := classified.Load(key); ok {
				want = v.(map[string]string)
			} else {
				want = map[string]string{}
				for fw, tier := range cls.TiersOf(d, day) {
					want[fw] = string(tier)
				}
				classified.Store(key, want)
			}
			if !maps.Equal(got[d.ID], want) {
				t.Fatalf("%s on %s: stored %v, classified %v", d.ID, day.Format(time.DateOnly), got[d.ID], want)
			}
		}
	}
}

// checkTierFilters pages through a tier filter for each framework's tiers
// on a day the EU AI Act's prohibitions apply, three at a time, and
// compares the deployments with those the classifier selects; a page with
// a next one must be full.
func checkTierFilters(t *testing.T, db *DB, cls *analysis.Classifier) {
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
				f := registry.DeploymentFilter{Tier: &registry.TierFilter{Framework: fw, Tiers: []string{string(tier)}, Day: day.Format(time.DateOnly)}, Limit: 3}
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
