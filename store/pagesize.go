package store

import (
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// pageSize is the page size of a new register's SQLite file, in bytes:
// twice SQLite's default of 4,096. An import writes each page it fills
// twice (to the write-ahead log, then to the file at the checkpoint), a
// system call or two a page, and splits pages as its b-trees grow. With
// pages of 8 KiB, oversight gen of 1M deployments took 12% less time and
// 11% less CPU, an import of 100k 11% less of both and 26 MB less memory,
// while the routes at 1M read as fast or a few percent faster; a whole
// re-projection of the tiers at 1M costs 15% more CPU a deployment, as
// each of its scattered changes writes a larger page (docs/performance.md,
// "Pages of 8 KiB"). Pages of 16 KiB gained little more and cost more:
// that re-projection took 43% longer than with 4 KiB, its reset spending
// more than twice the CPU in SQLite's in-memory journal, most of it
// allocating; and modernc's allocator serves an allocation over 16 KiB,
// as such a page with SQLite's header for it is, from a mapping of its own.
//
// A file's page size is fixed once it holds anything, so a register made
// before keeps its pages of 4 KiB (VACUUM would rewrite it).
const pageSize = 8192

// createSQLite makes the SQLite file at path with pageSize, unless it is
// there already and not empty. The driver runs the pragmas of a DSN in its
// own order, journal_mode before page_size, and setting the journal mode
// writes the file's first page: so the file is made here, by a connection
// of its own, before the pool's first.
func createSQLite(path string) error {
	switch fi, err := os.Stat(path); {
	case err == nil && fi.Size() > 0:
		return nil
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return err
	}
	db, err := sql.Open("sqlite", "file:"+uriPath.Replace(path))
	if err != nil {
		return err
	}
	defer db.Close()
	// page_size holds for the connection that first writes the file: the
	// pool must not hand the second pragma another.
	db.SetMaxOpenConns(1)
	// Two processes making the same register at once both get here; the
	// second's page_size then finds a file that has one and is ignored.
	for _, q := range []string{fmt.Sprintf("PRAGMA page_size = %d", pageSize), "PRAGMA journal_mode = WAL"} {
		if _, err := db.Exec(q); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	return db.Close()
}
