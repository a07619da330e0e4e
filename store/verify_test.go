package store

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	"oversight/internal/fixture"
	"oversight/registry"
)

// TestVerifyCatchesTampering changes the database behind the program's
// back in each way that matters and checks that verify names it, and that
// rebuild repairs what is only a projection.
func TestVerifyCatchesTampering(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name, sql, want string
		rebuildFixes    bool
	}{
		{"row edited", "UPDATE deployments SET title = 'Edited' WHERE id = (SELECT MIN(id) FROM deployments)", "deployments: row not in the log", true},
		{"state edited", "UPDATE entities SET state = replace(state, 'Synthetic', 'Edited') WHERE kind = 'vendor'", "entities:", true},
		{"source url edited", "UPDATE sources SET url = 'https://example.org/other' WHERE kind = 'deployment' AND entity_id = (SELECT MIN(id) FROM deployments)", "sources:", true},
		{"row added", "INSERT INTO deployment_vendors VALUES ('synthetic-pk-0000000', 'vendor-b', 'integrator')", "deployment_vendors: row not in the log", true},
		{"row deleted", "DELETE FROM deployment_capabilities WHERE deployment_id = (SELECT MIN(id) FROM deployments)", "deployment_capabilities: missing", true},
		{"entity deleted", "DELETE FROM entities WHERE kind = 'vendor' AND id = (SELECT MIN(id) FROM vendors)", "entities: missing", true},
		{"search row deleted", "DELETE FROM deployments_fts WHERE id = (SELECT MAX(id) FROM deployments)", "deployments_fts: missing", true},
		{"rows swapped between deployments", "UPDATE deployment_capabilities SET deployment_id = CASE WHEN deployment_id = (SELECT MIN(id) FROM deployments) THEN (SELECT MAX(id) FROM deployments) ELSE (SELECT MIN(id) FROM deployments) END WHERE deployment_id IN ((SELECT MIN(id) FROM deployments), (SELECT MAX(id) FROM deployments))", "deployment_capabilities", true},
		{"search index edited", "UPDATE deployments_fts SET body = 'nothing' WHERE id = (SELECT MIN(id) FROM deployments)", "deployments_fts", true},
		{"last revision deleted", "DELETE FROM revisions WHERE seq = (SELECT MAX(seq) FROM revisions)", "log: the log head says", false},
		{"middle revision deleted", "DELETE FROM revisions WHERE seq = 3", "log: revision 3 is missing", false},
		{"revision altered", "UPDATE revisions SET record = replace(record, 'Synthetic', 'Forged') WHERE seq = 4", "checkpoint: signed root", false},
		{"revision not JSON", "UPDATE revisions SET record = 'not json' WHERE seq = 4", "log: revision 4 is not valid JSON", false},
		{"checkpoint forged", "UPDATE checkpoints SET signed = replace(signed, {nl} || '9' || {nl}, {nl} || '8' || {nl})", "checkpoint", false},
		{"tree hash altered", "UPDATE tree_hashes SET hash = {zero32} WHERE idx = 2", "tree: stored hash 2", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := open(t)
			apply(t, db, fixture.Set(4))
			verifyOK(t, db)
			if _, err := db.db.ExecContext(ctx, dialectSQL(c.sql)); err != nil {
				t.Fatal(err)
			}
			rep, err := db.Verify(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK() {
				t.Fatal("verify passed after tampering")
			}
			found := false
			for _, m := range rep.Mismatches {
				found = found || strings.Contains(m.String(), c.want)
			}
			if !found {
				t.Errorf("no mismatch mentions %q: %v", c.want, rep.Mismatches)
			}
			if c.rebuildFixes {
				if _, err := db.Rebuild(ctx); err != nil {
					t.Fatal(err)
				}
				verifyOK(t, db)
			}
		})
	}
}

// TestVerifyAgainstEarlierCheckpoint removes the newest change together
// with its revision, tree hashes and checkpoint. What remains is a valid,
// shorter log under an older signed checkpoint, so verify alone cannot see
// it; a checkpoint a reader saved before does.
func TestVerifyAgainstEarlierCheckpoint(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	apply(t, db, fixture.Set(0)) // 5 revisions, checkpoint of size 5
	d := fixture.Deployment(1, "PH", "vendor-a")
	apply(t, db, &registry.Set{Deployments: []*registry.Deployment{d}}) // checkpoint of size 6
	_, saved, err := db.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"DELETE FROM deployments_fts",
		"DELETE FROM deployment_capabilities",
		"DELETE FROM deployment_vendors",
		"DELETE FROM deployments",
		"DELETE FROM sources WHERE kind = 'deployment'",
		"DELETE FROM entities WHERE kind = 'deployment'",
		"DELETE FROM revisions WHERE seq = 5",
		fmt.Sprintf("DELETE FROM tree_hashes WHERE idx >= %d", tlog.StoredHashIndex(0, 5)),
		"DELETE FROM checkpoints WHERE size = 6",
		"UPDATE log_head SET size = 5",
	} {
		if _, err := db.db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	verifyOK(t, db) // the gap: nothing in the database shows the removal
	rep, err := db.Verify(ctx, saved)
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK() || !strings.Contains(rep.Mismatches[0].String(), "an earlier checkpoint was signed for 6 revisions; the log now holds 5") {
		t.Fatalf("the removal was not reported: %v", rep.Mismatches)
	}
}
