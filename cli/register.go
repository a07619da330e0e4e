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
	"oversight/registry"
	"oversight/store"
	"oversight/tilestore"
)

// registerFlags are the flags of every command that reads the register.
type registerFlags struct {
	dir        string
	db         string
	noSeed     bool
	signingKey string
	mem        store.Memory // bounds the database's connections and caches (serve)
}

func (r *registerFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&r.dir, "data", "./oversight-data", "directory for the embedded database, the log's signing key and its full tiles (under tiles/)")
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
		db, err = store.OpenSQLiteWithin(ctx, path, key, r.mem)
	case strings.HasPrefix(r.db, "postgres://") || strings.HasPrefix(r.db, "postgresql://"):
		// Every process sharing the database must sign with the same key:
		// give them the same --data directory, or the same --signing-key.
		db, err = store.OpenPostgresWithin(ctx, r.db, key, r.mem)
	default:
		return nil, fmt.Errorf("--db %q: want empty (SQLite in --data), sqlite:PATH or postgres://…", r.db)
	}
	if err != nil {
		return nil, err
	}
	db.SetTiles(tilestore.NewFiles(filepath.Join(r.dir, "tiles")))
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
		err = seedBuiltin(ctx, db)
		if err == nil {
			err = seedFacts(ctx, db)
		}
	}
	if err == nil {
		err = c.SyncFacts(ctx, db)
	}
	if err != nil {
		db.Close()
		return nil, err
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

// seedFacts logs the built-in fact documents in a register that was filled
// with the built-in dataset before fact documents were records, and so
// holds none: each document of a deployment the register holds, as the
// oversight-builtin author's revision, saying why. Without them its
// deployments would be classified from their records alone. A register
// holding any fact document is left alone, as is one the built-in dataset
// never filled.
func seedFacts(ctx context.Context, db *store.DB) error {
	revs, err := db.FactRevisions(ctx)
	if err != nil || len(revs) > 0 {
		return err
	}
	if n, err := db.Size(ctx); err != nil || n == 0 {
		return err
	}
	if first, _, err := db.Revision(ctx, 0); err != nil || first.Author != "oversight-builtin" {
		return err
	}
	set, err := data.Load()
	if err != nil {
		return fmt.Errorf("built-in dataset: %w", err)
	}
	var facts registry.Set
	for _, f := range set.Facts {
		d, err := db.Get(ctx, "deployment", f.ID)
		if err == nil && d.(*registry.Deployment) != nil {
			facts.Facts = append(facts.Facts, f)
		} else if registry.ErrorCode(err) != registry.ENotFound && registry.ErrorCode(err) != registry.EConflict {
			return err
		}
	}
	if len(facts.Facts) == 0 {
		return nil
	}
	_, err = db.Apply(ctx, &facts, store.Meta{Author: "oversight-builtin", Reason: "built-in fact documents, which classification reads, now kept in the log"}, nil)
	return err
}
