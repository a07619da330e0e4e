package store

import (
	"context"
	"database/sql"

	"oversight/ledger"
)

// A querier runs the queries of reads: *sql.DB, each query on a connection
// of the pool, or a transaction, every query in it.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// A reader holds the read methods that DB and Snapshot share: DB reads
// through its pool, Snapshot through its transaction. On PostgreSQL a
// transaction serves one query at a time, so no method runs a query while
// the rows of another are open, nor calls back while they are.
type reader struct {
	q   querier
	d   dialect
	key *ledger.Key // verifies checkpoints
	// tiers is the tier projection's state, shared by a DB and its
	// snapshots.
	tiers *tierState
	// seen is the tier projection as a snapshot found it; nil for a
	// DB, which reads it at each call (projected, pendingTiers).
	seen *projectionSeen
}

// A rowScanner is a row of a statement's result: *sql.Row or *sql.Rows.
type rowScanner interface{ Scan(...any) error }

// scanRows reads every row of a query's rows with scan, and closes them;
// err is the query's, returned as it is.
func scanRows[T any](rows *sql.Rows, err error, scan func(rowScanner) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		item, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, item)
	}
	return out, rows.Err()
}
