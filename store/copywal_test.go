package store

import (
	"context"
	"testing"

	"oversight/internal/fixture"
)

// TestCopyWAL writes while a snapshot reads, and requires that the
// write-ahead log is not said to be copied while that snapshot still
// needs it, and is copied whole once the snapshot ends, though nothing is
// written after: the frames SQLite's own checkpoint at each commit had to
// leave behind.
func TestCopyWAL(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	if db.d.checkpoint == "" {
		if done, err := db.CopyWAL(ctx); err != nil || !done {
			t.Fatalf("CopyWAL on %s = %v, %v; want true: nothing to copy", db.d.name, done, err)
		}
		return
	}
	apply(t, db, fixture.Set(4))
	if done, err := db.CopyWAL(ctx); err != nil || !done {
		t.Fatalf("CopyWAL with no reader = %v, %v; want true", done, err)
	}
	sn, err := db.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	apply(t, db, fixture.Set(12))
	if done, err := db.CopyWAL(ctx); err != nil || done {
		t.Fatalf("CopyWAL while a snapshot reads the log = %v, %v; want false: its frames are still needed", done, err)
	}
	sn.Close()
	if done, err := db.CopyWAL(ctx); err != nil || !done {
		t.Fatalf("CopyWAL after the snapshot ended = %v, %v; want true", done, err)
	}
	var busy, frames, copied int64
	if err := db.db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied); err != nil {
		t.Fatal(err)
	}
	if frames <= 0 || copied != frames {
		t.Fatalf("after CopyWAL the log holds %d frames, %d copied; want all of several", frames, copied)
	}
}
