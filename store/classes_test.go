package store

import (
	"context"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"testing"

	"oversight/internal/testcls"
	"oversight/registry"
	"oversight/synth"
)

// undoClasses are the statements that take a register back to before
// migration 019, for tests that run the migrations again (its triggers go
// with deployment_classes).
func undoClasses() []string {
	return []string{"DROP TABLE deployment_classes", "DROP TABLE class_counts", "DROP TABLE fact_classes"}
}

// classCountsOf reads class_counts as verify reports its rows.
func classCountsOf(t *testing.T, db *DB) map[string]string {
	t.Helper()
	rows, err := db.db.QueryContext(context.Background(), "SELECT class, jurisdiction, year, certainty, capabilities, n, cameras, scale, people, people_sum FROM class_counts")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var class, juris, certainty, caps string
		var year, n, cameras, scale, people, peopleSum int64
		if err := rows.Scan(&class, &juris, &year, &certainty, &caps, &n, &cameras, &scale, &people, &peopleSum); err != nil {
			t.Fatal(err)
		}
		out[strings.Join([]string{class, juris, itoa(year), certainty, caps}, "|")] = strings.Join([]string{itoa(n), itoa(cameras), itoa(scale), itoa(people), itoa(peopleSum)}, " ")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// classesOK fails unless VerifyTiers finds nothing.
func classesOK(t *testing.T, db *DB) {
	t.Helper()
	if n, bad, note, err := db.VerifyTiers(context.Background()); err != nil || len(bad) > 0 || note != "" || n == 0 {
		t.Fatalf("VerifyTiers: %d checked, %v, %q, %v", n, bad, note, err)
	}
}

// TestClassCounts writes, updates, retracts and merges deployments with a
// projector and checks that class_counts is what the class rows count and
// the class rows what the projector gives (VerifyTiers); that rebuild and
// migration 019, on a register that already holds deployments, lead to
// the same counts once the tiers are projected; and that VerifyTiers names
// a changed count, a changed class row and a changed class document.
func TestClassCounts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base := builtinSet(t)
	db := open(t)
	cls := testcls.New(t, nil)
	if _, err := db.SetTierProjector(ctx, cls); err != nil {
		t.Fatal(err)
	}
	apply(t, db, base)
	// Written in one write, as fewer than tiersInline. What is tested is
	// that the counts follow each kind of write, not their size: 300 give
	// many deployments to most counts' rows (checked below), and every
	// projection and VerifyTiers below classifies each deployment again,
	// on both engines (900 took two thirds of the store's test time).
	ds := synth.Batch(base, 7, 0, 300)
	apply(t, db, &registry.Set{Deployments: ds})
	var changed []*registry.Deployment
	for i, d := range ds[:30] {
		c := *d
		switch i % 3 {
		case 0:
			c.Scale = registry.Scale{}
		case 1:
			n := int64(1000 + i)
			c.Scale = registry.Scale{PeopleCovered: &n, Sources: []string{"synthetic"}}
		case 2:
			c.System.Capabilities = nil
		}
		changed = append(changed, &c)
	}
	apply(t, db, &registry.Set{Deployments: changed})
	for _, d := range ds[50:55] {
		if _, err := db.Retract(ctx, "deployment", d.ID, Meta{Author: "test", Reason: "a test"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Merge(ctx, "deployment", ds[60].ID, ds[61].ID, Meta{Author: "test", Reason: "a test"}); err != nil {
		t.Fatal(err)
	}
	classesOK(t, db)
	written := classCountsOf(t, db)
	if n, all := len(written), len(ds)+len(base.Deployments); n == 0 || n >= all {
		t.Fatalf("%d counts for %d deployments: a row per combination, fewer than the deployments", n, all)
	}

	if _, err := db.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ProjectTiers(ctx); err != nil {
		t.Fatal(err)
	}
	if rebuilt := classCountsOf(t, db); !maps.Equal(written, rebuilt) {
		t.Fatalf("rebuild and projection made other counts:\nwritten %v\nrebuilt %v", written, rebuilt)
	}

	// Migration 019 on the register as it was before it.
	undoPurposes(t, db) // migration 022
	for _, q := range append(append(append(undoTierSpans(db), undoCapabilityCells()...), undoClasses()...), "UPDATE schema_version SET version = 18") {
		if _, err := db.db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetTierProjector(ctx, cls); err != nil {
		t.Fatal(err)
	}
	if n, err := db.ProjectTiers(ctx); err != nil || n == 0 {
		t.Fatalf("ProjectTiers after migration 019: %d, %v; want every deployment projected again", n, err)
	}
	if migrated := classCountsOf(t, db); !maps.Equal(written, migrated) {
		t.Fatalf("migration 019 made other counts:\nwritten  %v\nmigrated %v", written, migrated)
	}
	classesOK(t, db)

	victim := ds[3].ID
	ofVictim := "(SELECT %s FROM deployment_classes WHERE deployment_id = '" + victim + "')"
	for _, c := range []struct{ tamper, undo, want string }{
		{"UPDATE class_counts SET n = n + 1 WHERE class = " + fmt.Sprintf(ofVictim, "class"), "UPDATE class_counts SET n = n - 1 WHERE class = " + fmt.Sprintf(ofVictim, "class"),
			"the table holds"},
		{"UPDATE deployment_classes SET scale = scale + 1 WHERE deployment_id = '" + victim + "'", "UPDATE deployment_classes SET scale = scale - 1 WHERE deployment_id = '" + victim + "'",
			"deployment " + victim + ": the frameworks give"},
		{"UPDATE fact_classes SET doc = doc || ' ' WHERE class = " + fmt.Sprintf(ofVictim, "class"), "UPDATE fact_classes SET doc = substr(doc, 1, length(doc) - 1) WHERE class = " + fmt.Sprintf(ofVictim, "class"),
			"holds a document whose digest is"},
	} {
		if _, err := db.db.ExecContext(ctx, c.tamper); err != nil {
			t.Fatal(err)
		}
		_, bad, _, err := db.VerifyTiers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, m := range bad {
			found = found || strings.Contains(m.Detail, c.want)
		}
		if !found {
			t.Errorf("after %s VerifyTiers said %v; want %q", c.tamper, bad, c.want)
		}
		if _, err := db.db.ExecContext(ctx, c.undo); err != nil {
			t.Fatal(err)
		}
		classesOK(t, db)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
