package store

import (
	"context"
	"database/sql"
	"errors"
)

// resetTiers empties the tier and class projection and marks every
// deployment pending, in tx, so that ProjectTiers writes them all again
// with the projector of version. Readers see the old projection until tx
// commits and then every deployment pending: never some of each.
//
// The tables whose rows go at once without a trigger are emptied by one
// statement each (SQLite frees their pages without reading their rows).
// The class rows and the pending marks are written in parts of
// resetRows: on SQLite each statement of several rows keeps the pages it
// changes, as they were, so that it can be undone alone (its statement
// journal), and the writer keeps that journal in memory (temp_store). At
// 1M deployments one statement deleting the class rows, whose trigger
// runs for each, held 504 MB, and one marking every deployment pending
// 101 MB: the server peaked at 602 MB against a budget of 300. In parts,
// 12 MB and none, and the server's peak was 116 MB (docs/performance.md,
// "The memory of a whole re-projection at 1M").
func resetTiers(ctx context.Context, tx *sql.Tx, d dialect, version string) error {
	// class_counts goes first, so that its triggers find no row to
	// change as each class row goes.
	for _, q := range []string{"DELETE FROM deployment_tiers", "DELETE FROM deployment_spans", "DELETE FROM tier_pending", "DELETE FROM class_counts", "DELETE FROM fact_classes"} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	err := inParts(ctx, tx, "deployment_classes", "deployment_id", d.resetRows, "DELETE FROM deployment_classes WHERE ")
	if err == nil {
		err = inParts(ctx, tx, "deployments", "id", d.resetRows, "INSERT INTO tier_pending (deployment_id) SELECT id FROM deployments WHERE ")
	}
	if err != nil {
		return err
	}
	return setVersion(newTxWriter(ctx, d, tx, nil), version)
}

// inParts runs stmt, which ends in WHERE, once for each part of n rows of
// table in the order of its text column key, with the condition that
// selects the part's keys appended: the first part from the least key, the
// last with no upper bound. Each part starts at a key, so that no
// statement walks the rows of the parts before it (which PostgreSQL keeps,
// deleted, until the transaction ends).
func inParts(ctx context.Context, tx *sql.Tx, table, key string, n int, stmt string) error {
	next := "SELECT " + key + " FROM " + table + " WHERE " + key + " >= $1 ORDER BY " + key + " LIMIT 1 OFFSET $2"
	from := ""
	for {
		var until string
		err := tx.QueryRowContext(ctx, next, from, n).Scan(&until)
		if errors.Is(err, sql.ErrNoRows) {
			_, err = tx.ExecContext(ctx, stmt+key+" >= $1", from)
			return err
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, stmt+key+" >= $1 AND "+key+" < $2", from, until); err != nil {
			return err
		}
		from = until
	}
}
