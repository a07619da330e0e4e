package store

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// TestMigrationsSameOnBothEngines requires the same migration files on
// every engine, so that a schema version means the same step everywhere.
func TestMigrationsSameOnBothEngines(t *testing.T) {
	t.Parallel()
	names := func(dir string) []string {
		entries, err := fs.ReadDir(migrations, dir)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range entries {
			out = append(out, e.Name())
		}
		return out
	}
	lite, pg := names(sqlite.migrations), names(postgres.migrations)
	if len(lite) == 0 || !slices.Equal(lite, pg) {
		t.Errorf("migrations differ:\nsqlite   %v\npostgres %v", lite, pg)
	}
}

// TestMigrationsOwnTransaction applies two migrations of which the second
// fails: the first must stay applied, with its version recorded, and
// nothing of the second may remain.
func TestMigrationsOwnTransaction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	fsys := fstest.MapFS{
		"m/901_good.sql": {Data: []byte("CREATE TABLE migrated_good (x INTEGER)")},
		"m/902_bad.sql":  {Data: []byte("CREATE TABLE migrated_bad (x INTEGER); NOT SQL")},
	}
	err := db.migrateFrom(ctx, fsys, "m")
	if err == nil || !strings.Contains(err.Error(), "902_bad.sql") {
		t.Fatalf("migrating: %v, want the error of 902_bad.sql", err)
	}
	version := func() int {
		var v int
		if err := db.db.QueryRowContext(ctx, "SELECT version FROM schema_version").Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	if v := version(); v != 901 {
		t.Errorf("schema version %d after a failed 902, want 901", v)
	}
	if _, err := db.db.ExecContext(ctx, "INSERT INTO migrated_good VALUES (1)"); err != nil {
		t.Errorf("901 was not kept: %v", err)
	}
	if _, err := db.db.ExecContext(ctx, "INSERT INTO migrated_bad VALUES (1)"); err == nil {
		t.Error("the failed 902 left its table behind")
	}
	fsys["m/902_bad.sql"] = &fstest.MapFile{Data: []byte("CREATE TABLE migrated_bad (x INTEGER)")}
	if err := db.migrateFrom(ctx, fsys, "m"); err != nil {
		t.Fatal(err)
	}
	if v := version(); v != 902 {
		t.Errorf("schema version %d, want 902", v)
	}
}

// TestOpenSQLiteAnyPath: a file name holding what a URI reads as syntax
// ('#', '?', '%') opens that file, not another.
func TestOpenSQLiteAnyPath(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "a#b?c%20d")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "t.db")
	db, err := OpenSQLite(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the database is not where it was asked for: %v", err)
	}
}
