package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"oversight/internal/fixture"
	"oversight/internal/testenv"
	"oversight/ledger"
	"oversight/registry"
)

// TestFormatOneRegister checks the migration of a register written before
// record format 2 (registry.Format2): its format-1 records stay as they
// are, so that every checkpoint and proof given out before still holds;
// migration 011 adds the content table; the register verifies, takes
// format-2 writes, verifies again, and redacts format-2 revisions while it
// refuses, saying why, to redact a format-1 one.
func TestFormatOneRegister(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, reopen := openReopenable(t)
	apply(t, db, fixture.Set(3))
	d := fixture.Deployment(1, "PH", "vendor-a")
	d.Title = "Changed before format 2"
	apply(t, db, &registry.Set{Deployments: []*registry.Deployment{d}})
	old := toFormatOne(t, db)
	db.Close()

	db = reopen()
	defer db.Close()
	rep, err := db.Verify(ctx)
	if err != nil || !rep.OK() {
		t.Fatalf("verify of the format-1 register, migrated: %v %v", err, rep.Mismatches)
	}
	hist, err := db.History(ctx, "deployment", d.ID)
	if err != nil || len(hist) != 2 || hist[0].Format != 0 || len(hist[0].State) == 0 {
		t.Fatalf("format-1 history: %+v %v", hist, err)
	}
	f1 := hist[0].Seq

	// Format-2 writes on top.
	d.Title = "Changed in format 2"
	apply(t, db, &registry.Set{Deployments: []*registry.Deployment{d}})
	d.Title = "Changed again in format 2"
	apply(t, db, &registry.Set{Deployments: []*registry.Deployment{d}})
	verifyOK(t, db)
	hist, err = db.History(ctx, "deployment", d.ID)
	if err != nil || len(hist) != 4 || hist[2].Format != registry.Format2 || hist[2].Commitment == "" || !strings.Contains(string(hist[2].State), "Changed in format 2") {
		t.Fatalf("format-2 history: %+v %v", hist, err)
	}

	if _, err := db.Redact(ctx, f1, Meta{Author: "a", Reason: "r"}); registry.ErrorCode(err) != registry.EConflict || !strings.Contains(err.Error(), "format-1 record") {
		t.Fatalf("redacting format-1 revision %d: %v", f1, err)
	}
	if _, err := db.Redact(ctx, hist[2].Seq, Meta{Author: "a", Reason: "court order"}); err != nil {
		t.Fatal(err)
	}
	rep, err = db.Verify(ctx)
	if err != nil || !rep.OK() || len(rep.Redactions) != 1 {
		t.Fatalf("verify after redacting in a mixed log: %v %v %v", err, rep.Mismatches, rep.Redactions)
	}
	checkAllProofs(t, db, old)
}

// openReopenable opens a register of the engine in use, and returns a
// function that opens it again.
func openReopenable(t *testing.T) (*DB, func() *DB) {
	t.Helper()
	key, err := ledger.LoadOrCreateKey(t.TempDir(), ledger.DefaultOrigin)
	if err != nil {
		t.Fatal(err)
	}
	var open func() (*DB, error)
	if engineOf(t).name == "postgres" {
		url := testenv.PostgresSchema(t, "t")
		open = func() (*DB, error) { return OpenPostgres(context.Background(), url, key) }
	} else {
		path := filepath.Join(t.TempDir(), "test.db")
		open = func() (*DB, error) { return OpenSQLite(context.Background(), path, key) }
	}
	reopen := func() *DB {
		db, err := open()
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	return reopen(), reopen
}

// toFormatOne turns db into the register the program wrote before format
// 2, at schema version 10: every record its revision's JSON whole, the
// tree and every checkpoint made over those, no content table. It returns
// the latest checkpoint.
func toFormatOne(t *testing.T, db *DB) ledger.Checkpoint {
	t.Helper()
	ctx := context.Background()
	var revs []*registry.Revision
	if err := eachRecord(ctx, db.db, func(_ int64, r *registry.Revision, err error) error {
		revs = append(revs, r)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var tree ledger.Tree
	var cp ledger.Checkpoint
	undoPurposes(t, db) // migration 022
	err := db.writeTx(ctx, func(tx *sql.Tx) (err error) {
		exec := func(q string, args ...any) {
			if err == nil {
				_, err = tx.ExecContext(ctx, q, args...)
			}
		}
		for _, r := range revs {
			r.Format, r.Commitment = 0, ""
			rec, rerr := r.RecordOfCanonical()
			if rerr != nil {
				return rerr
			}
			if strings.Contains(string(rec), "commitment") {
				t.Fatalf("format-1 record %s", rec)
			}
			tree.Add(rec)
			exec("UPDATE revisions SET record = $1 WHERE seq = $2", string(rec), r.Seq)
		}
		exec("DELETE FROM tree_hashes")
		for i := range tree.Len() {
			h := tree.Stored(i)
			exec("INSERT INTO tree_hashes (idx, hash) VALUES ($1, $2)", i, h[:])
		}
		rows, qerr := tx.QueryContext(ctx, "SELECT size FROM checkpoints ORDER BY size")
		if qerr != nil {
			return qerr
		}
		var sizes []int64
		for rows.Next() {
			var n int64
			rows.Scan(&n)
			sizes = append(sizes, n)
		}
		rows.Close()
		for _, n := range sizes {
			root, rerr := tree.Root(n)
			if rerr != nil {
				return rerr
			}
			cp = ledger.Checkpoint{Origin: db.key.Verifier.Name(), Size: n, Hash: root}
			signed, serr := db.key.Sign(cp)
			if serr != nil {
				return serr
			}
			exec("UPDATE checkpoints SET signed = $1 WHERE size = $2", string(signed), n)
		}
		for _, q := range undoTierSpans(db) { // migration 021
			exec(q)
		}
		exec("DROP TABLE revision_content")
		exec("DROP TABLE deployment_counts") // what 013 adds
		exec("DROP INDEX deployments_jurisdiction_year")
		// What 012 adds, which it makes again (the indexes it replaces
		// it drops itself).
		exec("DROP INDEX deployments_status")
		exec("DROP INDEX deployments_certainty")
		exec("DROP TABLE deployment_facts")     // migration 014
		exec("DROP TABLE deployment_financing") // migration 017
		for _, q := range undoWords(db) {       // migration 018
			exec(q)
		}
		for _, q := range undoClasses() { // migration 019
			exec(q)
		}
		for _, q := range undoCapabilityCells() { // migration 020
			exec(q)
		}
		exec("UPDATE schema_version SET version = 10")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return cp
}
