package testreg

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"oversight/ledger"
	"oversight/store"
)

// A Template is a SQLite register filled once per test binary and copied
// for each test that opens it: filling the built-in register and
// projecting its tiers takes about 1.3 CPU s, a copy of its files a few
// milliseconds. Each copy is a register of its own, which a test may
// change; all copies have the template's signing key.
type Template struct {
	fill func(*store.DB) error

	once sync.Once
	dir  string // the template's key and database, closed
	err  error
}

// NewTemplate returns a template whose register fill fills, the first
// time a test opens it. The package's TestMain calls Remove after the
// tests.
func NewTemplate(fill func(*store.DB) error) *Template {
	return &Template{fill: fill}
}

// make fills the template's register in a directory of its own and closes
// it, so that its database is whole in one file (SQLite folds the WAL
// into the database when the last connection closes).
func (tp *Template) make() {
	if tp.dir, tp.err = os.MkdirTemp("", "oversight-template"); tp.err != nil {
		return
	}
	ctx := context.Background()
	key, err := ledger.LoadOrCreateKey(tp.dir, ledger.DefaultOrigin)
	if err != nil {
		tp.err = err
		return
	}
	db, err := store.OpenSQLite(ctx, filepath.Join(tp.dir, "t.db"), key)
	if err != nil {
		tp.err = err
		return
	}
	err = tp.fill(db)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		tp.err = fmt.Errorf("filling the template register: %w", err)
	}
}

// Open opens a new register: a copy of the template's, in the test's
// temporary directory.
func (tp *Template) Open(t testing.TB) *store.DB {
	t.Helper()
	tp.once.Do(tp.make)
	if tp.err != nil {
		t.Fatal(tp.err)
	}
	dir := t.TempDir()
	entries, err := os.ReadDir(tp.dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if err := copyFile(filepath.Join(tp.dir, e.Name()), filepath.Join(dir, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	key, err := ledger.LoadOrCreateKey(dir, ledger.DefaultOrigin)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.OpenSQLite(context.Background(), filepath.Join(dir, "t.db"), key)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Remove deletes the template's files.
func (tp *Template) Remove() {
	if tp.dir != "" {
		os.RemoveAll(tp.dir)
	}
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fi.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
