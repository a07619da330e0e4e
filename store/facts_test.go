package store

import (
	"context"
	"maps"
	"strings"
	"testing"
	"time"

	"oversight/internal/fixture"
	"oversight/internal/testcls"
	"oversight/registry"
)

func factDoc(t *testing.T, timing string) *registry.FactDoc {
	t.Helper()
	return fixture.Facts("synthetic-pk-0000000", "PK", timing)
}

// TestFactsLogged checks that a fact document is a logged revision that
// moves its deployment's stored tiers in the same write, that retracting it
// takes the tiers back to the record's, and that retracting or merging a
// deployment retracts its facts by a revision of their own.
func TestFactsLogged(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	cls := testcls.New(t, nil)
	if _, err := db.SetTierProjector(ctx, cls); err != nil {
		t.Fatal(err)
	}
	apply(t, db, fixture.Set(4))
	if _, err := db.ProjectTiers(ctx); err != nil {
		t.Fatal(err)
	}
	const id = "synthetic-pk-0000000"
	day := time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)
	tiers := func() map[string]string {
		t.Helper()
		got, ok, err := db.TiersOn(ctx, []string{id}, day.Format(time.DateOnly))
		if err != nil || !ok {
			t.Fatalf("TiersOn: %v %v", ok, err)
		}
		return got[id]
	}
	derived := tiers()

	for _, timing := range []string{"post", "real_time"} {
		before := tiers()
		res := apply(t, db, &registry.Set{Facts: []*registry.FactDoc{factDoc(t, timing)}})
		revs, err := db.FactRevisions(ctx)
		if err != nil || revs[id] != res.Size-1 {
			t.Fatalf("facts of %s at %s: revision %d, %v; want the write's, %d", id, timing, revs[id], err, res.Size-1)
		}
		rev, _, err := db.Revision(ctx, res.Size-1)
		if err != nil || rev.Kind != "facts" || rev.ID != id {
			t.Fatalf("revision %d: %+v, %v; want the facts of %s", res.Size-1, rev, err, id)
		}
		after := tiers()
		if maps.Equal(before, after) {
			t.Errorf("facts at %s left the tiers as they were: %v", timing, after)
		}
		if err := cls.SyncFacts(ctx, db); err != nil {
			t.Fatal(err)
		}
		if seq, ok := cls.FactsRevision(id); !ok || seq != res.Size-1 {
			t.Errorf("the classifier reads revision %d (%v); want %d", seq, ok, res.Size-1)
		}
		d, err := db.Get(ctx, "deployment", id)
		if err != nil {
			t.Fatal(err)
		}
		for fw, tier := range cls.TiersOf(d.(*registry.Deployment), day) {
			if after[fw] != string(tier) {
				t.Errorf("facts at %s: %s stored %s; the classifier reading the register gives %s", timing, fw, after[fw], tier)
			}
		}
	}
	if rep, err := db.Verify(ctx); err != nil || !rep.OK() {
		t.Fatalf("verify: %v %v", err, rep.Mismatches)
	}

	// Retracting the facts takes the tiers back to the record's.
	meta := Meta{Author: "test", Reason: "test"}
	if _, err := db.Retract(ctx, "facts", id, meta); err != nil {
		t.Fatal(err)
	}
	if got := tiers(); !maps.Equal(got, derived) {
		t.Errorf("tiers after the facts were retracted: %v; want the record's, %v", got, derived)
	}
	if err := cls.SyncFacts(ctx, db); err != nil {
		t.Fatal(err)
	}
	if seq, ok := cls.FactsRevision(id); ok {
		t.Errorf("the classifier reads retracted facts, revision %d", seq)
	}

	// Retracting or merging a deployment retracts its facts first, by a
	// revision of their own; a merge leaves the other record's facts.
	other := "synthetic-pk-0000003"
	apply(t, db, &registry.Set{Facts: []*registry.FactDoc{fixture.Facts("synthetic-kz-0000002", "KZ", "post"), fixture.Facts(other, "PK", "real_time")}})
	before, err := db.FactRevisions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Retract(ctx, "deployment", "synthetic-kz-0000002", meta); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Merge(ctx, "deployment", id, other, meta); err != nil {
		t.Fatal(err)
	}
	after, err := db.FactRevisions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != 1 || after[other] != before[other] {
		t.Errorf("facts after a retraction and a merge: %v; want only %s's, as it was (%d)", after, other, before[other])
	}
	tomb, err := db.Tombstone(ctx, "facts", "synthetic-kz-0000002")
	if err != nil || !strings.Contains(tomb.Reason, "its deployment is retracted") {
		t.Errorf("the retracted deployment's facts: %+v, %v; want a tombstone saying why", tomb, err)
	}
	if rep, err := db.Verify(ctx); err != nil || !rep.OK() {
		t.Fatalf("verify: %v %v", err, rep.Mismatches)
	}
}

// TestFactsRefused checks that facts of a deployment the register does
// not hold, or a document the schema refuses, write nothing and name the
// field.
func TestFactsRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	apply(t, db, fixture.Set(1))
	orphan := factDoc(t, "post")
	orphan.ID = "no-such-deployment"
	bad := new(registry.FactDoc)
	if err := bad.UnmarshalJSON([]byte(`{"schema": "observatory.facts/v0", "deployment": {"id": "synthetic-pk-0000000"}, "operator": {"type": "wizard"}}`)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		f    *registry.FactDoc
		want string
	}{
		{orphan, `deployment.id: no deployment "no-such-deployment"`},
		{bad, "operator.type"},
	} {
		size, _ := db.Size(ctx)
		_, err := db.Apply(ctx, &registry.Set{Facts: []*registry.FactDoc{c.f}}, Meta{Author: "test"}, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("facts of %s: %v; want an error naming %q", c.f.ID, err, c.want)
		}
		if after, _ := db.Size(ctx); after != size {
			t.Errorf("a refused fact document wrote %d revisions", after-size)
		}
	}
}

// TestFactsTampered checks that verify names an edited fact document and
// an edited row of deployment_facts, and that rebuild mends both.
func TestFactsTampered(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, sql, want string }{
		{"state edited", "UPDATE entities SET state = replace(state, 'real_time', 'post') WHERE kind = 'facts'", "entities: entity facts synthetic-pk-0000000"},
		{"revision edited", "UPDATE deployment_facts SET seq = seq - 1", "deployment_facts: "},
		{"row deleted", "DELETE FROM deployment_facts", "deployment_facts: missing"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			db := open(t)
			apply(t, db, fixture.Set(2))
			apply(t, db, &registry.Set{Facts: []*registry.FactDoc{factDoc(t, "real_time")}})
			if _, err := db.db.ExecContext(ctx, c.sql); err != nil {
				t.Fatal(err)
			}
			rep, err := db.Verify(ctx)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, m := range rep.Mismatches {
				found = found || strings.Contains(m.String(), c.want)
			}
			if !found {
				t.Fatalf("verify: %v; want a mismatch naming %q", rep.Mismatches, c.want)
			}
			if _, err := db.Rebuild(ctx); err != nil {
				t.Fatal(err)
			}
			if rep, err := db.Verify(ctx); err != nil || !rep.OK() {
				t.Fatalf("verify after rebuild: %v %v", err, rep.Mismatches)
			}
		})
	}
}
