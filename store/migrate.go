package store

import (
	"cmp"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

// migrations holds one directory of numbered SQL files per dialect. Both
// directories hold the same names, so that a number means the same step of
// the schema on every engine.
//
//go:embed migrations
var migrations embed.FS

// A migration is one numbered step of the schema.
type migration struct {
	n    int
	name string
	body string
}

// migrationSteps returns the migrations in dir, in order of their numbers.
func migrationSteps(fsys fs.FS, dir string) ([]migration, error) {
	names, err := fs.Glob(fsys, dir+"/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, name := range names {
		n, err := strconv.Atoi(strings.SplitN(path.Base(name), "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with its number", name)
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{n, name, string(body)})
	}
	slices.SortFunc(ms, func(a, b migration) int { return cmp.Compare(a.n, b.n) })
	return ms, nil
}

// apply runs the migration in tx and records the version it reaches.
func (m migration) apply(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, m.body); err != nil {
		return fmt.Errorf("migration %s: %w", path.Base(m.name), err)
	}
	_, err := tx.ExecContext(ctx, "UPDATE schema_version SET version = $1", m.n)
	return err
}

// migrate brings the schema up to date with the dialect's migrations.
func (s *DB) migrate(ctx context.Context) error {
	return s.migrateFrom(ctx, migrations, s.d.migrations)
}

// migrateFrom applies the migrations in dir not yet applied, in order of
// their numbers, each in its own transaction, which records the version it
// reaches: a migration that fails leaves those before it applied and
// nothing of its own.
func (s *DB) migrateFrom(ctx context.Context, fsys fs.FS, dir string) error {
	ms, err := migrationSteps(fsys, dir)
	if err != nil {
		return err
	}
	v := -1 // the version last read; versions only grow
	for _, m := range ms {
		if m.n <= v {
			continue
		}
		err = s.tx(ctx, func(tx *sql.Tx) error {
			if v, err = s.lockVersion(ctx, tx); err != nil {
				return err
			}
			if m.n <= v {
				return nil // applied already, perhaps by another process
			}
			return m.apply(ctx, tx)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// lockVersion takes the migration lock, where the dialect has one, and
// returns the schema version recorded, 0 for a new database. Creating the
// version table under the lock keeps two processes opening a new database
// from both creating it.
func (s *DB) lockVersion(ctx context.Context, tx *sql.Tx) (int, error) {
	if s.d.migrateLock != "" {
		if _, err := tx.ExecContext(ctx, s.d.migrateLock); err != nil {
			return 0, err
		}
	}
	return readVersion(ctx, tx)
}

// readVersion returns the schema version recorded, creating the version
// table with version 0 in a new database.
func readVersion(ctx context.Context, tx *sql.Tx) (int, error) {
	if _, err := tx.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"); err != nil {
		return 0, err
	}
	var v int
	err := tx.QueryRowContext(ctx, "SELECT version FROM schema_version").Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		_, err = tx.ExecContext(ctx, "INSERT INTO schema_version (version) VALUES (0)")
	}
	return v, err
}
