package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"oversight/data"
	"oversight/ledger"
	"oversight/store"
)

// registerFlags are the flags of every command that reads the register.
type registerFlags struct {
	dir        string
	db         string
	noSeed     bool
	signingKey string
}

func (r *registerFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&r.dir, "data", "./oversight-data", "directory for the embedded database and the log's signing key")
	fs.StringVar(&r.db, "db", "", "database: empty for the embedded SQLite database in the data directory, sqlite:PATH, or postgres://USER@HOST:PORT/DB")
	fs.BoolVar(&r.noSeed, "no-builtin", false, "create a new register empty instead of filling it with the built-in dataset")
	fs.StringVar(&r.signingKey, "signing-key", "", "file holding the log's private signing key, kept off the data directory (a mounted secret, say), which then holds only log.pub (default: log.key in the data directory, created on first use)")
}

// open opens the register, creating the data directory, the signing key and
// the database on first use, and filling an empty register with the
// built-in dataset. The key is the one --signing-key names, else the data
// directory's: see ledger.LoadKey.
func (r *registerFlags) open(ctx context.Context, seed bool) (*store.DB, error) {
	if err := os.MkdirAll(r.dir, 0o755); err != nil {
		return nil, err
	}
	key, err := ledger.LoadKey(r.dir, r.signingKey, ledger.DefaultOrigin)
	if err != nil {
		return nil, err
	}
	return r.openWith(ctx, seed, key)
}

// openWith opens the register with the key given, which verifies its
// checkpoints and, when it can, signs new ones.
func (r *registerFlags) openWith(ctx context.Context, seed bool, key *ledger.Key) (*store.DB, error) {
	var db *store.DB
	var err error
	switch {
	case r.db == "" || strings.HasPrefix(r.db, "sqlite:"):
		path := strings.TrimPrefix(r.db, "sqlite:")
		if path == "" {
			path = filepath.Join(r.dir, "oversight.db")
		}
		db, err = store.OpenSQLite(ctx, path, key)
	case strings.HasPrefix(r.db, "postgres://") || strings.HasPrefix(r.db, "postgresql://"):
		// Every process sharing the database must sign with the same key:
		// give them the same --data directory, or the same --signing-key.
		db, err = store.OpenPostgres(ctx, r.db, key)
	default:
		return nil, fmt.Errorf("--db %q: want empty (SQLite in --data), sqlite:PATH or postgres://…", r.db)
	}
	if err != nil {
		return nil, err
	}
	// Every process that writes keeps the tier projection with the
	// built-in frameworks, as the server classifies with them.
	c, err := builtinClassifier()
	if err == nil {
		_, err = db.SetTierProjector(ctx, c)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	if seed && !r.noSeed {
		if err := seedBuiltin(ctx, db); err != nil {
			db.Close()
			return nil, err
		}
	}
	return db, nil
}

// seedBuiltin loads the built-in dataset into an empty register. A register
// that already has revisions is left alone: its log, not the files, is the
// source of truth.
func seedBuiltin(ctx context.Context, db *store.DB) error {
	n, err := db.Size(ctx)
	if err != nil || n > 0 {
		return err
	}
	set, err := data.Load()
	if err != nil {
		return fmt.Errorf("built-in dataset: %w", err)
	}
	_, err = db.Apply(ctx, set, store.Meta{Author: "oversight-builtin", Reason: "built-in dataset"}, nil)
	return err
}
