package analysis

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"oversight/data"
	"oversight/frameworks"
	"oversight/internal/testreg"
	"oversight/registry"
	"oversight/rules"
	"oversight/store"
	"oversight/synth"
)

// walkIndex hides a register's class counts, so that the index and
// scenarios are built the walking way.
type walkIndex struct{ IndexRegister }

// TestIndexAndScenariosFromClasses builds the index report (at three
// dates) and scenario counts (four frameworks, with and without a
// jurisdiction filter) by walking and from class counts, and requires the
// same JSON, on a register whose classes went through every kind of
// write: synthetic deployments added, updated, retracted and merged, a
// fact document written for one, and then a change of the frameworks,
// which projects every deployment again.
func TestIndexAndScenariosFromClasses(t *testing.T) {
	t.Parallel()
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			base, err := data.Load()
			if err != nil {
				t.Fatal(err)
			}
			fws, err := frameworks.Load()
			if err != nil {
				t.Fatal(err)
			}
			db := openEngine(t, engine, base)
			c := bindClassifier(t, db, fws)
			classWrites(t, db, base)
			if err := c.SyncFacts(ctx, db); err != nil {
				t.Fatal(err)
			}
			bothIndexWays(t, db, c)

			// A framework change: one that binds jurisdictions is gone,
			// so every deployment is projected again and the current law
			// of some changes.
			i := slices.IndexFunc(fws, func(fw *rules.Framework) bool { return len(fw.Binds) > 0 })
			c = bindClassifier(t, db, slices.Delete(slices.Clone(fws), i, i+1))
			bothIndexWays(t, db, c)

			if n, bad, note, err := db.VerifyTiers(ctx); err != nil || len(bad) > 0 || note != "" || n == 0 {
				t.Fatalf("VerifyTiers: %d checked, %v, %q, %v", n, bad, note, err)
			}
		})
	}
}

// bindClassifier makes a classifier over fws, db's tier projector, and
// binds it to db's facts, as a server does.
func bindClassifier(t *testing.T, db *store.DB, fws []*rules.Framework) *Classifier {
	t.Helper()
	c, err := NewClassifier(fws, nil)
	if err != nil {
		t.Fatal(err)
	}
	testreg.ProjectTiers(t, db, c)
	if err := c.SyncFacts(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	return c
}

// classWrites writes synthetic deployments to db in batches small enough
// to be projected as they are written, then updates, retracts and merges
// some and gives one a fact document.
func classWrites(t *testing.T, db *store.DB, base *registry.Set) {
	t.Helper()
	ctx := context.Background()
	meta := store.Meta{Author: "test", Reason: "a test of the class counts"}
	ds := synth.Batch(base, 5, 0, 1200)
	for _, part := range [][]*registry.Deployment{ds[:600], ds[600:]} {
		if _, err := db.Apply(ctx, &registry.Set{Deployments: part}, meta, nil); err != nil {
			t.Fatal(err)
		}
	}
	var changed []*registry.Deployment
	for i, d := range ds[:50] {
		c := *d
		switch i % 5 {
		case 0:
			c.System.Capabilities = nil
		case 1:
			c.Dates = nil
		case 2:
			n := int64(250000 + i)
			c.Scale = registry.Scale{PeopleCovered: &n, Sources: []string{"synthetic"}}
		case 3:
			c.Scale = registry.Scale{}
		case 4:
			c.Certainty = "unconfirmed"
		}
		changed = append(changed, &c)
	}
	updateRetractMerge(t, db, changed, ds, meta)
	// A curated fact document, made a synthetic deployment's.
	if len(base.Facts) == 0 {
		t.Fatal("the built-in register has no fact documents")
	}
	b, err := json.Marshal(base.Facts[0].Facts().Doc())
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	d := ds[300]
	dep := doc["deployment"].(map[string]any)
	dep["id"], dep["jurisdiction"] = d.ID, d.Jurisdiction
	schema, err := rules.FactSchema()
	if err != nil {
		t.Fatal(err)
	}
	f, err := schema.NewFacts(doc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Apply(ctx, &registry.Set{Facts: []*registry.FactDoc{registry.NewFactDoc(f)}}, meta, nil); err != nil {
		t.Fatal(err)
	}
}

// bothIndexWays compares the index reports and scenario counts built by
// walking db and from its class counts.
func bothIndexWays(t *testing.T, db *store.DB, c *Classifier) {
	t.Helper()
	ctx := context.Background()
	if _, _, ok, err := c.classCounts(ctx, db); err != nil || !ok {
		t.Fatalf("the register has no class counts of the classifier's version: %v", err)
	}
	w, err := DefaultWeights()
	if err != nil {
		t.Fatal(err)
	}
	cut := false
	for _, day := range []string{"2026-12-06", "2024-06-01", "2027-09-01"} {
		asOf, _ := time.Parse(time.DateOnly, day)
		// The report's sensitivity is a function of the same inputs as
		// the index and its series: a thousand draws of it would add
		// nothing to the comparison but time.
		report := func(reg IndexRegister) (*Report, error) {
			in, err := IndexInputs(ctx, reg, c, w, asOf)
			if err != nil {
				return nil, err
			}
			return &Report{Index: Compute(in, w, asOf.Year()), Series: Series(in, w, SeriesFrom)}, nil
		}
		walked, err := report(walkIndex{db})
		if err != nil {
			t.Fatal(err)
		}
		counted, err := report(db)
		if err != nil {
			t.Fatal(err)
		}
		sameJSON(t, walked, counted)
		for _, s := range walked.Index.Jurisdictions {
			cut = cut || s.DeploymentsTotal > len(s.Deployments) && len(s.Deployments) == ListedDeployments
		}
	}
	if !cut {
		t.Error("no jurisdiction's list is cut: make the register larger")
	}
	asOf, _ := time.Parse(time.DateOnly, "2026-12-06")
	for _, id := range []string{"apac-baseline", "eu-ai-act", "kr-ai-basic-act", "au-privacy-act"} {
		fw, ok := c.Framework(id)
		if !ok {
			continue
		}
		for _, juris := range [][]string{nil, {"PK", "IN", "CN"}} {
			walked, err := ScenarioCounts(ctx, walkIndex{db}, c, fw, juris, asOf)
			if err != nil {
				t.Fatal(err)
			}
			counted, err := ScenarioCounts(ctx, db, c, fw, juris, asOf)
			if err != nil {
				t.Fatal(err)
			}
			if walked.Changed == 0 && juris == nil && id == "apac-baseline" {
				t.Error("the scenario changes nothing: the comparison would prove little")
			}
			sameJSON(t, walked, counted)
		}
	}
}
