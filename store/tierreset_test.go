package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"oversight/analysis"
	"oversight/internal/testcls"
	"oversight/registry"
	"oversight/rules"
)

// TestResetTiersInParts checks that resetting the projection in parts of
// any size, down to one deployment, the last part full or not, deletes
// every class row and marks every deployment pending once, in as many
// transactions as parts; and that a reset to the version recorded does
// nothing.
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
	defer func(n int) { db.d.resetRows = n }(db.d.resetRows)
	for i, n := range []int{1, 3, total - 1, total, total + 1} {
		db.d.resetRows = n
		parts := 0
		db.onStep = func(step string) {
			if step == "reset part" {
				parts++
			}
		}
		version := fmt.Sprintf("version %d", i)
		for range 2 { // the second time, nothing to do
			if err := db.resetTiers(ctx, version); err != nil {
				t.Fatalf("parts of %d: %v", n, err)
			}
		}
		if want := (total + n - 1) / n; parts != want {
			t.Errorf("parts of %d: %d transactions after the first, want %d", n, parts, want)
		}
		var pending, marked, left, counts int
		err := db.q.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM tier_pending),
			(SELECT count(*) FROM deployments WHERE id IN (SELECT deployment_id FROM tier_pending)),
			(SELECT count(*) FROM deployment_classes), (SELECT count(*) FROM class_counts)`).Scan(&pending, &marked, &left, &counts)
		if err != nil {
			t.Fatal(err)
		}
		if pending != total || marked != total || left != 0 || counts != 0 {
			t.Errorf("parts of %d: %d pending, %d of %d deployments marked, %d class rows and %d counts left", n, pending, marked, total, left, counts)
		}
		if v, err := tierVersion(ctx, db.q); err != nil || v != version {
			t.Errorf("parts of %d: version %q, %v", n, v, err)
		}
	}
}

// TestResetLetsOthersWrite resets the projection for another version of
// the frameworks in parts of two deployments, and between two parts
// writes through another handle on the register (as another process
// would), reads through a snapshot opened then and one opened before,
// and cuts the reset short once. The writes land and end pending once;
// no reader uses the projection until the reset ends; a reset cut short
// is made whole by the next ProjectTiers; and every tier is then the
// classifier's.
func TestResetLetsOthersWrite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, other, set, cls, _ := openTwoProjected(t)
	total := len(set.Deployments)
	for _, h := range []*DB{db, other} {
		if ready, err := h.SetTierProjector(ctx, otherVersion{cls}); err != nil || ready {
			t.Fatalf("SetTierProjector with another version: ready %v, %v", ready, err)
		}
	}
	ids := make([]string, total)
	for i, d := range set.Deployments {
		ids[i] = d.ID
	}
	today := time.Now().UTC().Format(time.DateOnly)
	before, err := db.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer before.Close()
	ignored := func(what string, rd *reader) {
		t.Helper()
		if _, ok, err := rd.TierTable(ctx, ids, today); err != nil || ok {
			t.Errorf("%s: TierTable answers (%v, %v) while the projection is reset", what, ok, err)
		}
		if ok, err := rd.tiersUsable(ctx, &registry.TierFilter{Framework: "eu-ai-act", Day: today}); err != nil || ok {
			t.Errorf("%s: tier filters use the table (%v, %v) while the projection is reset", what, ok, err)
		}
		if _, ok, err := rd.ClassCounts(ctx, otherVersion{cls}.TierVersion()); err != nil || ok {
			t.Errorf("%s: class counts answer (%v, %v) while the projection is reset", what, ok, err)
		}
	}

	defer func(n int) { db.d.resetRows = n }(db.d.resetRows)
	db.d.resetRows = 2
	cut, cancel := context.WithCancel(ctx)
	defer cancel()
	db.onStep = func(string) { cancel() } // the process stops after the first part
	if _, err := db.ProjectTiers(cut); err == nil {
		t.Fatal("ProjectTiers went on after its context was cancelled")
	}
	if ready, err := db.SetTierProjector(ctx, otherVersion{cls}); err != nil || ready {
		t.Fatalf("SetTierProjector after a reset cut short: ready %v, %v", ready, err)
	}
	ignored("after a reset cut short", &db.reader)

	part := 0
	db.onStep = func(step string) {
		if step != "reset part" {
			return
		}
		if part++; part != 1 {
			return
		}
		// Edited by the other handle, whose version is the new one's
		// but not recorded, so that it marks them pending: the first
		// deployment and the last by key, the first reset already and
		// the last not yet.
		first, last := *set.Deployments[0], *set.Deployments[0]
		for _, d := range set.Deployments {
			first, last = *outer(&first, d, -1), *outer(&last, d, +1)
		}
		first.Title += " (edited during the reset)"
		last.Title += " (edited during the reset)"
		if _, err := other.Apply(ctx, &registry.Set{Deployments: []*registry.Deployment{&first, &last}}, Meta{Author: "test"}, nil); err != nil {
			t.Errorf("a write between two parts of the reset: %v", err)
		}
		sn, err := db.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer sn.Close()
		ignored("a snapshot opened during the reset", &sn.reader)
		ignored("a snapshot opened before the reset", &before.reader)
		ignored("the register read outside a snapshot", &db.reader)
	}
	if n, err := db.ProjectTiers(ctx); err != nil || n != total {
		t.Fatalf("ProjectTiers after a reset cut short: %d, %v; want %d", n, err, total)
	}
	if part < 3 {
		t.Fatalf("the reset went in %d parts; want 3 or more", part)
	}
	for _, h := range []*DB{db, other} {
		if ready, err := h.SetTierProjector(ctx, otherVersion{cls}); err != nil || !ready {
			t.Fatalf("SetTierProjector after the reset: ready %v, %v", ready, err)
		}
	}
	for _, id := range []string{slices.Min(ids), slices.Max(ids)} {
		e, err := db.Get(ctx, "deployment", id)
		if err != nil || !strings.HasSuffix(e.(*registry.Deployment).Title, " (edited during the reset)") {
			t.Fatalf("%s after the reset: %v, %v; want the edit made during it", id, e, err)
		}
	}
	checkTiers(t, db, cls, changeDays(cls))
}

// outer returns the deployment of a and b whose id comes first (sign -1)
// or last (+1).
func outer(a, b *registry.Deployment, sign int) *registry.Deployment {
	if strings.Compare(b.ID, a.ID) == sign {
		return b
	}
	return a
}

// openTwoProjected opens a register holding the built-in deployments, their
// tiers projected by cls, and a second handle on it (other, as another
// process's), which has no projector: its writes leave tiers pending.
func openTwoProjected(t *testing.T) (db, other *DB, set *registry.Set, cls *analysis.Classifier, facts map[string]*rules.Facts) {
	t.Helper()
	db, reopen := openReopenable(t)
	t.Cleanup(func() { db.Close() })
	set, facts = testcls.Builtin(t)
	cls = testcls.New(t, facts)
	if _, err := db.SetTierProjector(context.Background(), cls); err != nil {
		t.Fatal(err)
	}
	apply(t, db, set)
	other = reopen()
	t.Cleanup(func() { other.Close() })
	return db, other, set, cls, facts
}
