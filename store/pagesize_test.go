package store

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
)

// A new register's file has pages of pageSize, whether its file is
// missing or empty; a file made before with SQLite's pages of 4 KiB keeps
// them, and opens and migrates as before.
func TestPageSize(t *testing.T) {
	t.Parallel()
	if pageSize == 4096 {
		t.Fatal("pageSize is SQLite's default: this test cannot tell a new file from one made before")
	}
	ctx := context.Background()
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.db")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{filepath.Join(dir, "new.db"), empty} {
		db, err := OpenSQLite(ctx, path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := pragmaInt(t, db.db, "page_size"); got != pageSize {
			t.Errorf("%s: page_size %d, want %d", filepath.Base(path), got, pageSize)
		}
		var mode string
		if err := db.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
			t.Errorf("%s: journal_mode %q (%v), want wal", filepath.Base(path), mode, err)
		}
		db.Close()
	}

	old := filepath.Join(dir, "old.db")
	raw, err := sql.Open("sqlite", "file:"+old)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"PRAGMA page_size = 4096", "PRAGMA journal_mode = WAL", "CREATE TABLE kept (x)", "INSERT INTO kept VALUES (1)"} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	db, err := OpenSQLite(ctx, old, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := pragmaInt(t, db.db, "page_size"); got != 4096 {
		t.Errorf("a file made with pages of 4096: page_size %d after opening, want 4096", got)
	}
	var n int
	if err := db.db.QueryRowContext(ctx, "SELECT count(*) FROM kept").Scan(&n); err != nil || n != 1 {
		t.Errorf("the file's own table: %d rows (%v), want 1", n, err)
	}
	if _, err := db.Size(ctx); err != nil {
		t.Errorf("the register made in it: %v", err)
	}
}
