package store

import (
	"context"
	"encoding/binary"
	"slices"
	"strings"
	"testing"
)

// fileTampering damages the file in ways only SQLite's own check sees,
// each with a word of the message it gives.
var fileTampering = []struct {
	name string
	fn   func(t *testing.T, db *DB)
	want string
}{
	{"index out of step with its table", rewriteIndex, "revisions_entity"},
	{"pages on no list", orphanPages, "never used"},
	{"freelist through a table's page", freelistIntoTable, "Freelist"},
}

// TestIntegrityInParts checks that SQLite's integrity_check run in parts
// (sqliteIntegrity), on one connection or on several, finds each damage
// the whole PRAGMA integrity_check finds, and finds nothing in a sound
// file.
func TestIntegrityInParts(t *testing.T) {
	if engineInUse.name != "sqlite" {
		t.Skip("SQLite's own check")
	}
	ctx := context.Background()
	check := func(t *testing.T, db *DB) (whole, seq, apart []string) {
		t.Helper()
		sn, err := db.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer sn.Close()
		if whole, err = integrityRows(ctx, sn.q, "PRAGMA integrity_check"); err != nil {
			t.Fatal(err)
		}
		if seq, err = db.sqliteIntegrity(ctx, sn, false); err != nil {
			t.Fatal(err)
		}
		if apart, err = db.sqliteIntegrity(ctx, sn, true); err != nil {
			t.Fatal(err)
		}
		return whole, seq, apart
	}
	t.Run("sound", func(t *testing.T) {
		db := tamperedRegister(t)
		if whole, seq, apart := check(t, db); len(whole)+len(seq)+len(apart) != 0 {
			t.Errorf("a sound file: whole %q, in parts %q, apart %q", whole, seq, apart)
		}
	})
	for _, c := range fileTampering {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			db := tamperedRegister(t)
			c.fn(t, db)
			whole, seq, apart := check(t, db)
			if len(whole) == 0 {
				t.Fatal("the whole check finds nothing: the case damages nothing")
			}
			if !slices.Equal(seq, apart) {
				t.Errorf("in parts on one connection %q, on several %q", seq, apart)
			}
			if !slices.ContainsFunc(seq, func(m string) bool { return strings.Contains(m, c.want) }) {
				t.Errorf("in parts: %q, none mentions %q (the whole check: %q)", seq, c.want, whole)
			}
			mentions(t, db, "database: integrity_check: ")
		})
	}
}

// freePages drops a table of its own, leaving pages on the freelist, and
// returns the file's first page.
func freePages(t *testing.T, db *DB) []byte {
	ctx := context.Background()
	for _, q := range []string{
		"CREATE TABLE scrap (b BLOB)",
		"INSERT INTO scrap SELECT randomblob(3000) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20) SELECT i FROM n)",
		"DROP TABLE scrap",
	} {
		if _, err := db.db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	var page []byte
	if err := db.db.QueryRowContext(ctx, "SELECT data FROM sqlite_dbpage WHERE pgno = 1").Scan(&page); err != nil {
		t.Fatal(err)
	}
	if binary.BigEndian.Uint32(page[36:]) == 0 {
		t.Fatal("dropping a table freed no page")
	}
	return page
}

// writeFirstPage writes the file's first page as a hex editor would.
func writeFirstPage(t *testing.T, db *DB, page []byte) {
	if _, err := db.db.ExecContext(context.Background(), "UPDATE sqlite_dbpage SET data = ? WHERE pgno = 1", page); err != nil {
		t.Fatal(err)
	}
}

// orphanPages empties the freelist in the header, so that the pages on it
// belong to nothing: what the partial checks do not look at.
func orphanPages(t *testing.T, db *DB) {
	page := freePages(t, db)
	clear(page[32:40])
	writeFirstPage(t, db, page)
}

// freelistIntoTable points the freelist at a page of the deployments
// table: a page on two lists.
func freelistIntoTable(t *testing.T, db *DB) {
	page := freePages(t, db)
	var root uint32
	if err := db.db.QueryRow("SELECT rootpage FROM sqlite_schema WHERE name = 'deployments'").Scan(&root); err != nil {
		t.Fatal(err)
	}
	binary.BigEndian.PutUint32(page[32:], root)
	writeFirstPage(t, db, page)
}
