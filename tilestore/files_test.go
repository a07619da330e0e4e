package tilestore_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"oversight/internal/fixture"
	"oversight/internal/testreg"
	"oversight/store"
	"oversight/tilestore"
)

// TestFillVerifyBind: Fill stores every full tile of the log, which
// Verify then finds equal to the log's; a file changed, misnamed or
// beyond the log is named by Verify; Bind removes the tiles of a log that
// the register's does not extend, and keeps those of one it does.
func TestFillVerifyBind(t *testing.T) {
	ctx := context.Background()
	db := testreg.Open(t, fixture.Set(560))
	dir := t.TempDir()
	f := tilestore.NewFiles(dir)
	open := func(ctx context.Context) (tilestore.Reader, error) { return db.Snapshot(ctx) }
	sn, err := db.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer sn.Close()
	size, _ := sn.Size(ctx)
	n, err := f.Fill(ctx, open)
	// Two entry bundles and two hash tiles of level 0 (a log of 512 to 767).
	if err != nil || n != 4 || size < 512 || size >= 768 {
		t.Fatalf("Fill: %d tiles of a log of %d, %v", n, size, err)
	}
	if n, err := f.Fill(ctx, open); n != 0 || err != nil {
		t.Errorf("Fill again wrote %d (%v)", n, err)
	}
	verify := func() (int, []string) {
		var bad []string
		n, err := f.Verify(ctx, open, func(s string) { bad = append(bad, s) })
		if err != nil {
			t.Fatal(err)
		}
		return n, bad
	}
	if n, bad := verify(); n != 4 || len(bad) != 0 {
		t.Fatalf("Verify: %d compared, %v", n, bad)
	}

	bundle := filepath.Join(dir, "tile", "entries", "001")
	b, _ := os.ReadFile(bundle)
	b[len(b)-1] ^= 1
	os.WriteFile(bundle, b, 0o644)
	os.WriteFile(filepath.Join(dir, "tile", "0", "002"), make([]byte, 8192), 0o644)
	os.WriteFile(filepath.Join(dir, "tile", "0", "notatile"), nil, 0o644)
	os.WriteFile(filepath.Join(dir, "tile", "0", ".tmp-123"), nil, 0o644) // being written
	_, bad := verify()
	want := []string{bundle + ": ", "tile/0/002: a tile beyond the log's", "tile/0/notatile: not the name of a full tile"}
	if len(bad) != len(want) {
		t.Errorf("Verify found %v, want %d findings", bad, len(want))
	}
	for _, w := range want {
		if !strings.Contains(strings.Join(bad, "\n"), filepath.FromSlash(w)) {
			t.Errorf("no finding names %q: %v", w, bad)
		}
	}

	// A tile beyond the log verify first read, stored for the log grown
	// since, is compared with the grown log's.
	os.Remove(bundle)
	os.Remove(filepath.Join(dir, "tile", "0", "002"))
	os.Remove(filepath.Join(dir, "tile", "0", "notatile"))
	before, err := db.Snapshot(ctx) // the log as it was: verify's first look
	if err != nil {
		t.Fatal(err)
	}
	more := fixture.Set(800)
	more.Deployments = more.Deployments[560:]
	if _, err := db.Apply(ctx, more, store.Meta{Author: "test"}, nil); err != nil {
		t.Fatal(err)
	}
	if n, err := f.Fill(ctx, open); err != nil || n != 3 {
		t.Fatalf("Fill of the grown log: %d tiles, %v", n, err)
	}
	calls := 0
	stale := func(ctx context.Context) (tilestore.Reader, error) {
		if calls++; calls == 1 {
			return before, nil
		}
		return db.Snapshot(ctx)
	}
	var bad2 []string
	if n, err := f.Verify(ctx, stale, func(s string) { bad2 = append(bad2, s) }); err != nil || n != 6 || len(bad2) != 0 || calls != 2 {
		t.Errorf("Verify of a grown log: %d compared, %v, %v, %d snapshots", n, bad2, err, calls)
	}

	// Bind records the tree; the same log, grown, keeps its tiles.
	if err := f.Bind(ctx, sn); err != nil {
		t.Fatal(err)
	}
	if err := f.Bind(ctx, sn); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "tile", "entries", "000")); err != nil {
		t.Fatalf("Bind removed the tiles of the register's own log: %v", err)
	}
	// Another log under the same directory: its tiles go.
	other := testreg.Open(t, fixture.Set(600)) // longer, but not this log grown
	osn, err := other.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer osn.Close()
	if err := f.Bind(ctx, osn); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "tile")); !os.IsNotExist(err) {
		t.Errorf("Bind kept the tiles of a log the register's does not extend: %v", err)
	}
}
