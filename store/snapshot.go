package store

import (
	"context"
	"database/sql"
	"errors"
	"sync/atomic"

	"oversight/ledger"
	"oversight/registry"
)

// Snapshot is a read-only view of the register at one log size: every read
// through it sees the same state, whatever is written meanwhile. Its read
// methods answer as DB's do.
//
// A Snapshot holds a connection until Close, or until the context it was
// opened with is done. Its methods must not be called from several
// goroutines at once: on PostgreSQL a transaction serves one query at a
// time.
type Snapshot struct {
	reader // through c
	c      *countingTx
	size   int64
	signed []byte // the checkpoint of size, nil for an empty log
}

// Snapshot opens a read-only transaction and reads the log size, and the
// checkpoint that signs it, in it.
// Writers do not wait for it. It ends at Close or when ctx is done.
func (s *DB) Snapshot(ctx context.Context) (*Snapshot, error) {
	// ReadOnly makes the SQLite driver BEGIN deferred, without the DSN's
	// _txlock=immediate, which would take the write lock until Close;
	// the first read then fixes the state seen in the write-ahead log.
	// On PostgreSQL the first query fixes a REPEATABLE READ snapshot.
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: s.d.snapshot})
	if err != nil {
		return nil, err
	}
	c := &countingTx{Tx: tx}
	seen := &projectionSeen{}
	sn := &Snapshot{reader: reader{c, s.d, s.key, s.tiers, seen}, c: c}
	// The tier projection's version is read in the same statement: a
	// reader uses the projection only where it is the projector's, in
	// the state this snapshot sees (tiers.go, projected).
	err = c.QueryRowContext(ctx, "SELECT h.size, c.signed, "+projectionVersion+" FROM log_head h LEFT JOIN checkpoints c ON c.size = h.size WHERE h.id = 1").Scan(&sn.size, &sn.signed, &seen.version)
	if err != nil {
		tx.Rollback()
		return nil, err
	}
	c.size = sn.size
	return sn, nil
}

// Checkpoint returns the checkpoint of the snapshot's log, read when it
// opened; it runs no query.
func (s *Snapshot) Checkpoint(ctx context.Context) ([]byte, ledger.Checkpoint, error) {
	if s.signed == nil {
		if s.size == 0 {
			return nil, ledger.Checkpoint{}, registry.ErrNotFound
		}
		return s.reader.Checkpoint(ctx) // a log whose head has no checkpoint of its size: as verify would find it
	}
	c, err := ledger.Open(s.signed, s.key.Verifier)
	return s.signed, c, err
}

// Close ends the snapshot's transaction. It is safe to call more than
// once, and after the snapshot's context is done, which ended the
// transaction already.
func (s *Snapshot) Close() error {
	if err := s.c.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
		return err
	}
	return nil
}

// Size returns the number of revisions in the log of the snapshot, read
// when it opened; it runs no query.
func (s *Snapshot) Size(context.Context) (int64, error) { return s.size, nil }

// Queries returns how many queries have run through the snapshot, the
// reading of the size that opened it included, for tests that count round
// trips to the database. The transaction's BEGIN and its end, which carry
// no query, are not counted.
func (s *Snapshot) Queries() int { return int(s.c.n.Load()) }

// A countingTx is a transaction that counts the queries run through it.
// size is the log size it sees, once read.
type countingTx struct {
	*sql.Tx
	n    atomic.Int64
	size int64
}

func (c *countingTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	c.n.Add(1)
	return c.Tx.QueryContext(ctx, query, args...)
}

func (c *countingTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	c.n.Add(1)
	return c.Tx.QueryRowContext(ctx, query, args...)
}
