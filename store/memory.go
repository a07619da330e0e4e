package store

import (
	"database/sql"
	"fmt"
)

// Memory bounds what the database keeps in the process's memory. The zero
// value of each field leaves it at its default.
type Memory struct {
	// Conns bounds the connections open at once, the writer's included;
	// a query that finds them all busy waits for one (or for its
	// context). Each SQLite connection has a page cache of its own.
	// Default: no bound.
	Conns int
	// ReaderCache is the memory the page cache of each SQLite connection
	// may take, in bytes: SQLite is told 1/pageCost of it. Default:
	// SQLite's cache_size, 2,000 KiB.
	ReaderCache int64
	// WriterCache is the memory the page cache of the SQLite connection
	// that writes the log (writeTx) may take, in bytes. Default: a
	// cache_size of writerCache.
	WriterCache int64
}

// writerCache is the writer's cache_size unless Memory says otherwise:
// see the SQLite dialect's writerSetup.
const writerCache = 64 << 20

// pageCost is what a page of SQLite's cache costs in memory over its size.
// A page of 4 or 8 KiB (pageSize; older registers have 4) comes with
// SQLite's header for it (about 200 bytes), and modernc's allocator rounds
// an allocation up to 16 KiB to a power of two: each page takes twice its
// size.
const pageCost = 2

// within applies m's bound on connections to a pool.
func (m Memory) within(db *sql.DB) {
	db.SetMaxIdleConns(maxIdle)
	if m.Conns > 0 {
		db.SetMaxOpenConns(m.Conns) // also lowers the idle connections to as many
	}
}

// cachePragma is the statement that sets a connection's cache_size to n
// bytes of pages (a negative cache_size is in KiB).
func cachePragma(n int64) string {
	return fmt.Sprintf("PRAGMA cache_size = -%d", max(n>>10, 1))
}

// DBStats returns the connection pool's figures: connections open, in
// use, and how often a query waited for one.
func (s *DB) DBStats() sql.DBStats { return s.db.Stats() }
