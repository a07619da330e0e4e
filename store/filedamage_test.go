package store

import (
	"context"
	"encoding/binary"
	"testing"
)

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
