// Package store keeps the register in a SQL database: the log of revisions
// with its Merkle tree and signed checkpoints, and the current-state tables
// projected from it, written together in one transaction. The embedded
// default is SQLite (modernc.org/sqlite, pure Go). SQL is kept to what
// SQLite and PostgreSQL share; what differs lives in the dialect.
//
// DB reads through a pool of connections, each query seeing the register
// as it then is; a Snapshot reads through one read-only transaction, every
// query seeing the register as it was when the snapshot opened.
package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"
	"sync"

	_ "modernc.org/sqlite" // registers driver "sqlite"

	"oversight/ledger"
	"oversight/tilestore"
)

// dialect holds what differs between database engines.
type dialect struct {
	limits // each DB's own copy (limits.go)

	name       string
	lockHead   string // statement that takes the writers' lock on the log head
	migrations string // directory under migrations/
	// inJSON is a condition true when column is in the JSON array of
	// strings bound to placeholder: one parameter, however long the list.
	inJSON func(column, placeholder string) string
	// instr is the position of the first sub in the text s, from 1; 0
	// where it is not in it.
	instr func(s, sub string) string
	// anyVendor is a condition true when a vendor of the text list (each
	// vendor:role, joined by spaces, as deployment_counts keeps them) is
	// among the ids the query lists. Each of the list's few vendors is
	// looked up in the query's ids, read once a statement: a subquery of
	// the vendors that tests the list for each took five times as long.
	anyVendor func(list, query string) string
	// match is the condition on a row of the search index (deployments_fts)
	// that it matches the full-text query bound to placeholder; query
	// builds that query from the words of free text, each of which must
	// match as a prefix, or, when prefix is false, as a whole word (as
	// the engine stems it): what that query matches, the prefix query
	// matches too.
	match func(placeholder string) string
	query func(words []string, prefix bool) string
	// words says a page of one word is read from deployment_words through
	// search_words_fts (words.go). PostgreSQL's parser reads some text
	// across ASCII punctuation (hyphenated words, host names, numbers
	// such as 1.5), so a word's tokens there depend on what surrounds it;
	// its GIN index is read as before.
	words bool
	// pin writes a column so that the planner tests it but never reads
	// an index of it to drive a statement (plan.go); nil leaves it as it
	// is.
	pin func(column string) string
	// spanKeys is a query of the rows (code, from_day, until_day,
	// deployment_id), so named, in the JSON array of [code, from, until,
	// id] arrays bound to placeholder: the keys of deployment_tiers a
	// statement deletes or looks up, however many, in one parameter.
	spanKeys func(placeholder string) string
	// migrateLock, run first in the migration transaction, keeps two
	// processes from migrating at once.
	migrateLock string
	// param is the placeholder for parameter i (from 1) in generated
	// statements.
	param func(i int) string
	// collate follows a text column in ORDER BY to sort by bytes, the
	// order Go compares strings in.
	collate string
	// snapshot is the isolation level at which every query of a read-only
	// transaction sees the same state.
	snapshot sql.IsolationLevel
	// insertOr is the conflict clause of the multi-row INSERTs that
	// writes are made of (batch.go), with a space after it; "" for none.
	insertOr string
	// writerSetup, when set, is run on the connection that writes the
	// log, once, as it is opened: its page cache and its scratch space.
	writerSetup []string
	// checkpoint, when set, copies the write-ahead log into the database
	// file without waiting for readers, and reads how many of its frames
	// are copied (copywal.go).
	checkpoint string
	// interleave says a connection may run a statement while rows of
	// another are still being read. SQLite can; PostgreSQL's protocol
	// serves one query at a time, so a transaction's statements there
	// run one after another, from one goroutine.
	interleave bool
	// describe lists the objects of the register's schema, as verify
	// compares them with those the migrations create (schema.go); scratch
	// opens a transaction on an empty schema for the migrations to run
	// in, which done rolls back.
	describe string
	// version is a query for the engine's version, which the described
	// schema may depend on.
	version string
	scratch func(ctx context.Context, s *DB) (tx *sql.Tx, done func(), err error)
	// checkStorage checks the database's own storage and the search
	// index against the index's rows (storage.go).
	checkStorage func(ctx context.Context, sn *Snapshot, want schema, c *storeCheck) error
	// resetSearch, when set, runs before rebuild deletes the search
	// index's rows.
	resetSearch string
}

var sqlite = dialect{
	limits: defaultLimits,
	name:   "sqlite",
	// SQLite write transactions already hold the database lock from BEGIN
	// IMMEDIATE (set in the DSN), so reading the head is enough.
	lockHead:   "SELECT size FROM log_head WHERE id = 1",
	migrations: "migrations/sqlite",
	// Anonymous parameters: the driver looks each named one up by a
	// linear search, which made a 64-row INSERT quadratic.
	param: func(int) string { return "?" },
	// TEXT compares by bytes unless told otherwise, and a transaction
	// reads one snapshot of a WAL database from its first read.
	snapshot:   sql.LevelDefault,
	interleave: true,
	// A batch dirties tens of MB of pages. With SQLite's default 2 MB
	// cache it spilled them to the log mid-transaction, writing many more
	// than once, and read index pages back for the next batch. 64 MiB
	// keeps a streamed import of any size within 300 MB of memory (128
	// MiB took it to 340 MB, for no speed measured: docs/performance.md).
	//
	// A multi-row INSERT keeps a statement journal (the pages it changed,
	// as they were) so that a failing row can undo the rows before it.
	// With temp_store at its default it spills past 64 KiB to a temporary
	// file, two write calls a page: a tenth of an import's CPU. In memory
	// it holds the pages one statement touches (rowsPerInsert rows).
	// Its cache is set apart (writerCache, or Memory.WriterCache).
	// The write-ahead log's file is cut back to 64 MB when it starts
	// again, rather than kept at the largest it grew to (12.5 GB after
	// the tiers of 1M deployments were projected again).
	writerSetup: []string{"PRAGMA temp_store = MEMORY", "PRAGMA journal_size_limit = 67108864"},
	checkpoint:  "PRAGMA wal_checkpoint(PASSIVE)",
	// OR FAIL: a row that fails a constraint ends its INSERT without
	// undoing the statement's rows before it, so SQLite keeps no
	// statement journal for it (a copy of every page the statement
	// changes, 4% of gen's CPU even in memory). Nothing is lost: an
	// insert that fails fails its whole write, whose transaction is
	// rolled back. The search index, a virtual table, keeps its journal.
	insertOr: "OR FAIL ",
	inJSON: func(column, ph string) string {
		return column + " IN (SELECT value FROM json_each(" + ph + "))"
	},
	instr: func(s, sub string) string { return "instr(" + s + ", " + sub + ")" },
	// The list as a JSON array: slugs hold no quote.
	anyVendor: func(list, query string) string {
		return `EXISTS (SELECT 1 FROM json_each('["' || replace(` + list + `, ' ', '","') || '"]') j WHERE substr(j.value, 1, instr(j.value, ':') - 1) IN (` + query + `))`
	},
	match: func(ph string) string { return "deployments_fts MATCH " + ph },
	words: true,
	// SQLite reads no index for a term under unary +: the documented
	// way to steer its planner.
	pin: func(column string) string { return "+" + column },
	spanKeys: func(ph string) string {
		return "SELECT j.value ->> 0 AS code, j.value ->> 1 AS from_day, j.value ->> 2 AS until_day, j.value ->> 3 AS deployment_id FROM json_each(" + ph + ") j"
	},
	// FTS5: "word"* for a prefix; quoting keeps user input out of its syntax.
	query: func(words []string, prefix bool) string {
		q := make([]string, len(words))
		for i, w := range words {
			q[i] = `"` + w + `"`
			if prefix {
				q[i] += "*"
			}
		}
		return strings.Join(q, " AND ")
	},
	describe:     sqliteSchema,
	version:      "SELECT sqlite_version()",
	scratch:      sqliteScratch,
	checkStorage: sqliteStorage,
	// An FTS5 index whose inverted index disagrees with its content
	// fails a DELETE as malformed. Rebuilding it from the content first
	// lets the rows be deleted.
	resetSearch: "INSERT INTO deployments_fts (deployments_fts) VALUES ('rebuild')",
}

// DB is the register's database.
type DB struct {
	reader // reads through db, outside any transaction
	db     *sql.DB

	writeMu     sync.Mutex
	writer      *sql.Conn // see writeTx
	writerCache int64     // its cache_size, in bytes (SQLite)

	tiles *tilestore.Files // the log's full tiles as files, or nil (SetTiles)

	// onStep, when set (by tests), is called between the steps of a
	// re-projection (resetTiers, ProjectTiers), outside any transaction,
	// with the step just done: "reset part", "batch classified".
	onStep func(step string)
}

// step calls onStep, if set, with step.
func (s *DB) step(step string) {
	if s.onStep != nil {
		s.onStep(step)
	}
}

// OpenSQLite opens (creating if needed) the SQLite database at path and
// brings its schema up to date. Checkpoints are signed with key.
func OpenSQLite(ctx context.Context, path string, key *ledger.Key) (*DB, error) {
	return OpenSQLiteWithin(ctx, path, key, Memory{})
}

// OpenSQLiteWithin is OpenSQLite with its connections and their caches
// bounded by m.
func OpenSQLiteWithin(ctx context.Context, path string, key *ledger.Key, m Memory) (*DB, error) {
	if err := createSQLite(path); err != nil {
		return nil, err
	}
	q := url.Values{}
	// WAL lets readers run beside the writer. synchronous=FULL makes every
	// commit durable before its signed checkpoint can be read: a checkpoint
	// lost to a power cut after publication would look like a forked log.
	// _txlock=immediate takes the write lock at BEGIN, so concurrent
	// writers queue instead of failing with SQLITE_BUSY.
	for _, p := range []string{"busy_timeout(30000)", "journal_mode(WAL)", "synchronous(FULL)", "foreign_keys(1)"} {
		q.Add("_pragma", p)
	}
	if m.ReaderCache > 0 {
		q.Add("_pragma", fmt.Sprintf("cache_size(-%d)", max(m.ReaderCache/pageCost>>10, 1)))
	}
	q.Set("_txlock", "immediate")
	db, err := openKeeping("sqlite", "file:"+uriPath.Replace(path)+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	m.within(db)
	s := &DB{reader: reader{db, sqlite, key, &tierState{}, nil}, db: db, writerCache: cmp.Or(m.WriterCache/pageCost, writerCache)}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// uriPath escapes what a file name may hold that an SQLite URI reads
// otherwise: a data directory named "a#b" would open the file "a", and one
// named "a?b" would lose the rest to the query.
var uriPath = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")

// maxIdle is how many connections the pool keeps open between requests.
// database/sql keeps two by default, so a burst of concurrent reads closed
// and reopened connections, which on PostgreSQL means a new server process
// each time.
const maxIdle = 16

// Close closes the database.
func (s *DB) Close() error {
	s.writeMu.Lock()
	if s.writer != nil {
		s.writer.Close()
	}
	s.writeMu.Unlock()
	return s.db.Close()
}

// Key returns the log's signing key.
func (s *DB) Key() *ledger.Key { return s.key }

// tx runs fn in a transaction, committing if it returns nil.
func (s *DB) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	return runTx(ctx, s.db, fn)
}

// writeTx runs fn in a transaction that writes the log. Where the dialect
// sets a writer up (writerSetup), the transactions of this process run on one
// connection kept for them, out of the pool, whose cache stays warm from
// one batch to the next; a process that never writes never makes it.
func (s *DB) writeTx(ctx context.Context, fn func(*sql.Tx) error) error {
	if s.d.writerSetup == nil {
		return s.tx(ctx, fn)
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.writer == nil {
		conn, err := s.db.Conn(ctx)
		if err != nil {
			return err
		}
		for _, q := range append([]string{cachePragma(s.writerCache)}, s.d.writerSetup...) {
			if _, err := conn.ExecContext(ctx, q); err != nil {
				conn.Close()
				return err
			}
		}
		s.writer = conn
	}
	return runTx(ctx, s.writer, fn)
}

func runTx(ctx context.Context, db interface {
	BeginTx(context.Context, *sql.TxOptions) (*sql.Tx, error)
}, fn func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
