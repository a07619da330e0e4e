package store

import (
	"context"
	"reflect"
	"testing"

	"oversight/analysis"
	"oversight/internal/testcls"
	"oversight/registry"
	"oversight/synth"
)

// undoTierSpans are the statements that take a register back to before
// migration 021: deployment_tiers keyed by deployment, with its covering
// index, and no packed spans.
func undoTierSpans(db *DB) []string {
	if db.d.name == "postgres" {
		return []string{"CREATE TABLE tiers_020 AS SELECT deployment_id, code, from_day, until_day FROM deployment_tiers",
			"DROP TABLE deployment_tiers", "DROP TABLE deployment_spans", "ALTER TABLE tiers_020 RENAME TO deployment_tiers",
			"ALTER TABLE deployment_tiers ALTER COLUMN until_day SET NOT NULL", "ALTER TABLE deployment_tiers ADD PRIMARY KEY (deployment_id, code, from_day)",
			"CREATE INDEX deployment_tiers_code ON deployment_tiers (code, from_day, until_day, deployment_id)"}
	}
	return []string{`CREATE TABLE tiers_020 (deployment_id TEXT NOT NULL, code INTEGER NOT NULL, from_day INTEGER NOT NULL, until_day INTEGER NOT NULL,
		PRIMARY KEY (deployment_id, code, from_day)) WITHOUT ROWID`,
		"INSERT INTO tiers_020 SELECT deployment_id, code, from_day, until_day FROM deployment_tiers",
		"DROP TABLE deployment_tiers", "DROP TABLE deployment_spans", "ALTER TABLE tiers_020 RENAME TO deployment_tiers",
		"CREATE INDEX deployment_tiers_code ON deployment_tiers (code, from_day, until_day, deployment_id)"}
}

// openClassified opens an empty register whose tier projector is the
// classifier of the built-in register, which it returns with it.
func openClassified(t *testing.T) (*DB, *registry.Set, *analysis.Classifier) {
	t.Helper()
	db := open(t)
	set, facts := testcls.Builtin(t)
	cls := testcls.New(t, facts)
	if _, err := db.SetTierProjector(context.Background(), cls); err != nil {
		t.Fatal(err)
	}
	return db, set, cls
}

// TestTiersMigrated checks that migration 021, run on a register whose
// tiers were projected before it, writes the same packed spans and rows as
// the store writes itself, byte for byte; and that tiers read, filter and
// verify as before on the register it leaves.
func TestTiersMigrated(t *testing.T) {
	ctx := context.Background()
	db, set, cls := openClassified(t)
	apply(t, db, set)
	apply(t, db, &registry.Set{Deployments: synth.Batch(set, 5, 0, 30)})
	written := savedTiers(t, db)
	if len(written.spans) < 30 || len(written.tiers) < 10*len(written.spans) {
		t.Fatalf("%d packed rows and %d rows written: too few to test the migration", len(written.spans), len(written.tiers))
	}

	undoPurposes(t, db) // migration 022
	for _, q := range append(undoTierSpans(db), "UPDATE schema_version SET version = 20") {
		if _, err := db.db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := db.migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if ready, err := db.SetTierProjector(ctx, cls); err != nil || !ready {
		t.Fatalf("SetTierProjector after migration 021: ready %v, %v", ready, err)
	}
	if migrated := savedTiers(t, db); !reflect.DeepEqual(migrated, written) {
		t.Fatalf("migration 021 wrote %d packed rows and %d rows, unlike those the store writes (%d and %d)",
			len(migrated.spans), len(migrated.tiers), len(written.spans), len(written.tiers))
	}
	verifyOK(t, db)
	if n, bad, note, err := db.VerifyTiers(ctx); err != nil || len(bad) > 0 || note != "" || n == 0 {
		t.Fatalf("VerifyTiers after migration 021: %d checked, %v, %q, %v", n, bad, note, err)
	}
	checkTiers(t, db, cls, changeDays(cls))
	checkTierFilters(t, db, cls, 3)
}
