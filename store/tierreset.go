package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// resetTiers empties the tier and class projection and marks every
// deployment pending, when the table holds another version's tiers than
// version (or none), so that ProjectTiers writes them all again.
//
// It goes in parts, each a transaction of its own, so that other writers
// wait for one part at most. In one transaction the reset held the writer
// for 81 s at 1M deployments, and writes from other processes failed
// after SQLite's busy timeout (docs/performance.md, "A reset in parts").
// The first part records the projection's version as resetMarker's,
// which no projector's is: from then on readers ignore the projection,
// as they ignore another version's, and writers mark the deployments they
// write pending. It also empties the tables whose rows go at once without
// a trigger (SQLite frees their pages without reading their rows). Each
// later part deletes the class rows of the next resetRows deployments, in
// the order of their keys, and marks those deployments pending; the last
// records version. A reset cut short (the process stopped) is begun again
// by the next ProjectTiers.
//
// A part changes resetRows rows a statement: SQLite keeps, in memory, the
// pages each statement changes as they were, so that it can be undone
// alone (its statement journal, kept by temp_store). At 1M deployments
// one statement deleting every class row, whose trigger runs for each,
// held 504 MB (docs/performance.md, "The memory of a whole re-projection
// at 1M").
func (s *DB) resetTiers(ctx context.Context, version string) error {
	begun := false
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		// Writers take the same lock, so none writes a deployment's
		// tiers between the version read and the one recorded.
		if _, err := tx.ExecContext(ctx, s.d.lockHead); err != nil {
			return err
		}
		have, err := tierVersion(ctx, tx)
		if err != nil || have == version {
			return err
		}
		begun = true
		// class_counts goes first, so that the triggers of the class
		// rows deleted later find no row to change.
		for _, q := range []string{"DELETE FROM deployment_tiers", "DELETE FROM deployment_spans", "DELETE FROM tier_pending", "DELETE FROM class_counts", "DELETE FROM fact_classes"} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return setVersion(newTxWriter(ctx, s.d, tx, nil), resetMarker(version))
	})
	if err != nil || !begun {
		return err
	}
	for from, last := "", false; !last; {
		err := s.writeTx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, s.d.lockHead); err != nil {
				return err
			}
			if have, err := tierVersion(ctx, tx); err != nil || have != resetMarker(version) {
				if err == nil {
					err = fmt.Errorf("another process changed the tier projection (to version %q) while it was being reset", have)
				}
				return err
			}
			var err error
			if from, last, err = resetPart(ctx, tx, s.d.resetRows, from); err != nil || !last {
				return err
			}
			return setVersion(newTxWriter(ctx, s.d, tx, nil), version)
		})
		if err != nil {
			return err
		}
		s.step("reset part")
	}
	return nil
}

// resetMarker is the version a projection being reset to version records
// until the reset ends: one no projector has, so that no reader uses the
// projection meanwhile.
func resetMarker(version string) string { return "resetting to " + version }

// resetPart deletes the class rows of the n deployments from key from on,
// and marks them pending, and returns the key the next part starts from;
// last is true when no deployment is left after this part, which then has
// no upper bound. A deployment written since the reset began is pending
// already, and stays marked once.
func resetPart(ctx context.Context, tx *sql.Tx, n int, from string) (next string, last bool, err error) {
	err = tx.QueryRowContext(ctx, "SELECT id FROM deployments WHERE id >= $1 ORDER BY id LIMIT 1 OFFSET $2", from, n).Scan(&next)
	last = errors.Is(err, sql.ErrNoRows)
	if err != nil && !last {
		return "", false, err
	}
	args := []any{from}
	in := func(col string) string {
		if last {
			return col + " >= $1"
		}
		return col + " >= $1 AND " + col + " < $2"
	}
	if !last {
		args = append(args, next)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM deployment_classes WHERE "+in("deployment_id"), args...); err != nil {
		return "", false, err
	}
	// SQLite reads ON CONFLICT after a SELECT only when a WHERE ends it.
	_, err = tx.ExecContext(ctx, "INSERT INTO tier_pending (deployment_id) SELECT id FROM deployments WHERE "+in("id")+
		" ON CONFLICT (deployment_id) DO NOTHING", args...)
	return next, last, err
}
