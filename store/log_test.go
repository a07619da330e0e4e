package store

import (
	"context"
	"testing"

	"oversight/internal/fixture"
	"oversight/ledger"
)

func TestInclusionProof(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	apply(t, db, fixture.Set(20))
	_, cp, err := db.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, seq := range []int64{0, 7, cp.Size - 1} {
		_, rec, err := db.Revision(ctx, seq)
		if err != nil {
			t.Fatal(err)
		}
		p, err := db.InclusionProof(ctx, seq, cp.Size)
		if err != nil {
			t.Fatal(err)
		}
		if err := ledger.CheckRecord(p, cp.Size, cp.Hash, seq, rec); err != nil {
			t.Errorf("revision %d: %v", seq, err)
		}
		if err := ledger.CheckRecord(p, cp.Size, cp.Hash, seq, append(rec, ' ')); err == nil {
			t.Errorf("revision %d: proof accepted an altered record", seq)
		}
	}
}
