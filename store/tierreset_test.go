package store

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	"oversight/internal/testcls"
)

// TestResetTiersInParts checks that resetting the projection in parts of
// any size, down to one row, the last part full or not, deletes every
// class row and marks every deployment pending once.
func TestResetTiersInParts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	set, facts := testcls.Builtin(t)
	if _, err := db.SetTierProjector(ctx, testcls.New(t, facts)); err != nil {
		t.Fatal(err)
	}
	apply(t, db, set)
	var total, classes int
	if err := db.q.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM deployments), (SELECT count(*) FROM deployment_classes)").Scan(&total, &classes); err != nil {
		t.Fatal(err)
	}
	if total < 4 || classes != total {
		t.Fatalf("%d deployments, %d class rows; want several, a class row each", total, classes)
	}
	undo := errors.New("undone")
	for _, n := range []int{1, 3, total - 1, total, total + 1} {
		err := db.writeTx(ctx, func(tx *sql.Tx) error {
			d := db.d
			d.resetRows = n
			if err := resetTiers(ctx, tx, d, "another version"); err != nil {
				return err
			}
			var pending, marked, left, counts int
			err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM tier_pending),
				(SELECT count(*) FROM deployments WHERE id IN (SELECT deployment_id FROM tier_pending)),
				(SELECT count(*) FROM deployment_classes), (SELECT count(*) FROM class_counts)`).Scan(&pending, &marked, &left, &counts)
			if err != nil {
				return err
			}
			if pending != total || marked != total || left != 0 || counts != 0 {
				t.Errorf("parts of %d: %d pending, %d of %d deployments marked, %d class rows and %d counts left", n, pending, marked, total, left, counts)
			}
			if v, err := tierVersion(ctx, tx); err != nil || v != "another version" {
				t.Errorf("parts of %d: version %q, %v", n, v, err)
			}
			return undo
		})
		if !errors.Is(err, undo) {
			t.Fatalf("parts of %d: %v", n, err)
		}
	}
}
