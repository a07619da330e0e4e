package store

import (
	"context"
	"slices"
	"testing"

	"oversight/internal/testcls"
	"oversight/registry"
)

// TestProjectionSkipsWhatChanged re-projects every deployment in batches
// of 5 and, after the first batch is classified and before it is written,
// changes three of its deployments: one by a write that projects its
// tiers itself; one by a write, and one's facts by a retraction, through
// a handle without a projector (as another process's), which leaves them
// pending with other revisions. The batch must write none of the three
// with what it classified; each ends with the tiers of its new state and
// facts.
func TestProjectionSkipsWhatChanged(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, other, set, cls, facts := openTwoProjected(t)
	byID := map[string]*registry.Deployment{}
	var ids []string
	for _, d := range set.Deployments {
		byID[d.ID] = d
		ids = append(ids, d.ID)
	}
	slices.Sort(ids)
	withFacts := ""
	for _, id := range ids[:5] {
		if _, ok := facts[id]; ok && withFacts == "" && id != ids[0] && id != ids[1] {
			withFacts = id
		}
	}
	if withFacts == "" {
		t.Fatal("none of the first five deployments has facts to retract")
	}

	defer func(n int) { db.d.tierBatch = n }(db.d.tierBatch)
	db.d.tierBatch = 5
	if _, err := db.SetTierProjector(ctx, otherVersion{cls}); err != nil {
		t.Fatal(err)
	}
	changed := false
	db.onStep = func(step string) {
		if step != "batch classified" || changed {
			return
		}
		changed = true
		edit := func(id string) *registry.Set {
			d := *byID[id]
			d.System.Capabilities = []string{"remote_biometric_identification"}
			d.System.Purposes = []string{"general_crime_prevention"}
			byID[id] = &d
			return &registry.Set{Deployments: []*registry.Deployment{&d}}
		}
		if _, err := db.Apply(ctx, edit(ids[0]), Meta{Author: "test"}, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := other.Apply(ctx, edit(ids[1]), Meta{Author: "test"}, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := other.Retract(ctx, "facts", withFacts, Meta{Author: "test", Reason: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	n, err := db.ProjectTiers(ctx)
	if err != nil || !changed {
		t.Fatalf("ProjectTiers: %d, %v (changed during it: %v)", n, err, changed)
	}
	// The first edit projected its own tiers; the others' came in a
	// later batch.
	if n != len(ids)-1 {
		t.Errorf("ProjectTiers projected %d; want %d", n, len(ids)-1)
	}
	delete(facts, withFacts)
	checkTiers(t, db, testcls.New(t, facts), changeDays(cls))
	if _, bad, note, err := db.VerifyTiers(ctx); err != nil || len(bad) > 0 || note != "" {
		t.Fatalf("VerifyTiers: %v, %q, %v", bad, note, err)
	}
}
