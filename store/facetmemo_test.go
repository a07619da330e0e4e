package store

import (
	"context"
	"maps"
	"testing"

	"oversight/internal/fixture"
	"oversight/registry"
)

// TestFacetsKept: a snapshot counts a filter's facets once for its log
// size, whatever the page (cursor, limit), and a later page of the same
// search runs no query for them; a write makes the next snapshot count
// them again, with the write in them; a tier filter's are not kept.
func TestFacetsKept(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	set := fixture.Set(30)
	apply(t, db, set)
	facetsOf := func(f registry.DeploymentFilter, wantQueries bool) *registry.Facets {
		t.Helper()
		sn, err := db.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer sn.Close()
		before := sn.Queries()
		got, err := sn.Facets(ctx, f)
		if err != nil || got == nil {
			t.Fatalf("%+v: %v, %v", f, got, err)
		}
		if ran := sn.Queries() - before; (ran > 0) != wantQueries {
			t.Errorf("%+v: %d queries, want some: %v", f, ran, wantQueries)
		}
		return got
	}
	for _, f := range []registry.DeploymentFilter{
		{Q: "synthetic harbour"},                            // counted by queries
		{Capability: "cctv", Jurisdictions: []string{"PK"}}, // summed from the counts
	} {
		first := facetsOf(f, true)
		next := f
		next.Cursor, next.Limit = "c3ludGhldGlj", 7
		if again := facetsOf(next, false); again != first {
			t.Errorf("%+v: a later page counted its facets again", f)
		}
		// A write: the next snapshot counts them again, the new
		// deployment in them.
		d := fixture.Deployment(1000+len(f.Q), "PK", "vendor-a")
		d.Title, d.System.Capabilities = "Synthetic harbour deployment", []string{"cctv"}
		apply(t, db, &registry.Set{Deployments: []*registry.Deployment{d}})
		after := facetsOf(f, true)
		if after.Jurisdiction["PK"] != first.Jurisdiction["PK"]+1 || maps.Equal(after.Status, first.Status) {
			t.Errorf("%+v after a write: PK %d (was %d), status %v (was %v)", f, after.Jurisdiction["PK"], first.Jurisdiction["PK"], after.Status, first.Status)
		}
	}
	if _, keep := facetKey(registry.DeploymentFilter{Tier: &registry.TierFilter{}}); keep {
		t.Error("a tier filter's facets kept")
	}
}
