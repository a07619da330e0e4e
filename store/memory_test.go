package store

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"oversight/ledger"
)

func cacheSize(t *testing.T, q querier) int {
	t.Helper()
	return pragmaInt(t, q, "cache_size")
}

// pragmaInt returns the value of an SQLite pragma that is a number.
func pragmaInt(t *testing.T, q querier, name string) int {
	t.Helper()
	var n int
	if err := q.QueryRowContext(context.Background(), "PRAGMA "+name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// openWithin opens an SQLite register bounded by m.
func openWithin(t *testing.T, m Memory) *DB {
	t.Helper()
	key, err := ledger.LoadOrCreateKey(t.TempDir(), ledger.DefaultOrigin)
	if err != nil {
		t.Fatal(err)
	}
	db, err := OpenSQLiteWithin(context.Background(), filepath.Join(t.TempDir(), "test.db"), key, m)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	// The writer is made by the first write.
	if err := db.writeTx(context.Background(), func(*sql.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	return db
}

// Memory sets each reading connection's cache, the writer's, and the
// bound on connections; the zero Memory keeps SQLite's default for
// readers and writerCache for the writer, with no bound.
func TestMemory(t *testing.T) {
	t.Parallel()
	db := openWithin(t, Memory{})
	if got := cacheSize(t, db.db); got != -2000 {
		t.Errorf("reader's cache_size %d, want SQLite's default -2000", got)
	}
	if got := cacheSize(t, db.writer); got != -writerCache>>10 {
		t.Errorf("writer's cache_size %d, want %d", got, -writerCache>>10)
	}
	if got := db.DBStats().MaxOpenConnections; got != 0 {
		t.Errorf("connections bounded at %d, want no bound", got)
	}

	// Each cached page costs pageCost times its size.
	db = openWithin(t, Memory{Conns: 3, ReaderCache: 2 << 20, WriterCache: 8 << 20})
	if got := cacheSize(t, db.db); got != -1024 {
		t.Errorf("reader's cache_size %d, want -1024", got)
	}
	if got := cacheSize(t, db.writer); got != -4096 {
		t.Errorf("writer's cache_size %d, want -4096", got)
	}
	// The writer holds one connection; two snapshots take the others, and
	// a third waits for one of them to close.
	ctx := context.Background()
	var held []*Snapshot
	for range 2 {
		sn, err := db.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, sn)
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if sn, err := db.Snapshot(short); !errors.Is(err, context.DeadlineExceeded) {
		if sn != nil {
			sn.Close()
		}
		t.Fatalf("a snapshot past the bound: %v, want it to wait until its context ends", err)
	}
	held[0].Close()
	sn, err := db.Snapshot(ctx)
	if err != nil {
		t.Fatalf("a snapshot once a connection is free: %v", err)
	}
	sn.Close()
	held[1].Close()
}
