package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	"oversight/internal/fixture"
	"oversight/ledger"
	"oversight/registry"
)

// TestVerifyAgainstEarlierCheckpoint removes the newest change together
// with its revision, tree hashes and checkpoint, by SQL, and lets rebuild
// put the tables in step. What remains is a valid, shorter log under an
// older signed checkpoint, so verify alone cannot see it; the checkpoint a
// reader saved before does, and verify names it.
func TestVerifyAgainstEarlierCheckpoint(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	apply(t, db, fixture.Set(0)) // 5 revisions, checkpoint of size 5
	_, older, err := db.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	d := fixture.Deployment(1, "PH", "vendor-a")
	apply(t, db, &registry.Set{Deployments: []*registry.Deployment{d}}) // checkpoint of size 6
	_, saved, err := db.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"DELETE FROM revisions WHERE seq = 5",
		"DELETE FROM revision_content WHERE seq = 5",
		fmt.Sprintf("DELETE FROM tree_hashes WHERE idx >= %d", tlog.StoredHashIndex(0, 5)),
		"DELETE FROM checkpoints WHERE size = 6",
		"UPDATE log_head SET size = 5",
	} {
		if _, err := db.db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	verifyOK(t, db) // the gap: nothing in the database shows the removal
	if rep, err := db.Verify(ctx, older); err != nil || !rep.OK() {
		t.Fatalf("the older checkpoint, which the log still extends: %v %v", err, rep.Mismatches)
	}
	rep, err := db.Verify(ctx, saved)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("checkpoint: the saved checkpoint of 6 revisions (root %s) is not extended by the log, which holds 5", saved.Hash)
	if rep.OK() || !strings.Contains(rep.Mismatches[0].String(), want) {
		t.Fatalf("the removal was not reported as %q: %v", want, rep.Mismatches)
	}
}

// TestVerifyWithPinnedKey verifies the register with a key given to it, as
// verify --key does: its own key passes, read from its public half alone;
// another key fails every checkpoint, naming both keys.
func TestVerifyWithPinnedKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := tamperedRegister(t)
	with := func(k *ledger.Key) *Report {
		pinned := &DB{reader: reader{db.db, db.d, k, db.tiers, nil}, db: db.db}
		rep, err := pinned.Verify(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	own := &ledger.Key{Verifier: db.key.Verifier, Public: db.key.Public}
	if rep := with(own); !rep.OK() || rep.Checkpoints != 2 || rep.Checkpoint.Size != 10 {
		t.Fatalf("its own public key: %d checkpoints, latest %d: %v", rep.Checkpoints, rep.Checkpoint.Size, rep.Mismatches)
	}
	other := otherKey(t, db)
	rep := with(other)
	want := fmt.Sprintf("checkpoints: row size 9: checkpoint signature: not signed by the key %s (signed by %s)", other.ID(), db.key.ID())
	if rep.OK() || rep.Mismatches[0].String() != want {
		t.Fatalf("verified with another key: got %v, want first %q", rep.Mismatches, want)
	}
}

// TestSchemaDescribesWhatMatters checks that the schema the migrations
// create is described in the detail the schema check relies on.
func TestSchemaDescribesWhatMatters(t *testing.T) {
	t.Parallel()
	db := open(t)
	want, err := db.migratedSchema(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	steps, err := migrationSteps(migrations, db.d.migrations)
	if err != nil {
		t.Fatal(err)
	}
	version := strconv.Itoa(steps[len(steps)-1].n) // the last migration's number
	for _, it := range []schemaItem{{"table", "revisions", ""}, {"index", "deployments.deployments_year", "(year, id)"}, {"version", "schema_version", version}} {
		if def, ok := want.def(it.kind, it.name); !ok || !strings.Contains(def, it.def) {
			t.Errorf("%s %s: described as %q, want it to hold %q", it.kind, it.name, def, it.def)
		}
	}
	if _, ok := want.def("generated column", "deployments_fts.tsv"); ok != (db.d.name == "postgres") {
		t.Errorf("the generated search column: described %v on %s", ok, db.d.name)
	}
}
