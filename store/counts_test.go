package store

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"oversight/registry"
	"oversight/synth"
)

// countsOf reads deployment_counts.
func countsOf(t *testing.T, db *DB) map[countKey]int {
	t.Helper()
	var c countCheck
	if err := db.readCounts(context.Background(), &c); err != nil {
		t.Fatal(err)
	}
	return c.rows
}

// TestCountsByDelta writes, updates (by a set and by a stream), retracts
// and merges deployments and checks after each write that
// deployment_counts holds what the current states give (verify recomputes them); then that rebuild, and migration
// 013 run on a register that already holds deployments, make the same
// rows.
func TestCountsByDelta(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base := builtinSet(t)
	db := open(t)
	apply(t, db, base)
	ds := synth.Batch(base, 5, 0, 300)
	apply(t, db, &registry.Set{Deployments: ds})
	verifyOK(t, db)
	if n := len(countsOf(t, db)); n == 0 || n >= len(ds)+len(base.Deployments) {
		t.Fatalf("%d rows for %d deployments: a row per combination, fewer than the deployments", n, len(ds)+len(base.Deployments))
	}
	firstDeployments(t, db)
	moved := make([]*registry.Deployment, 0, 20)
	for _, d := range ds[:20] {
		c := *d
		c.Dates, c.System.Capabilities, c.Certainty = nil, nil, "unconfirmed"
		moved = append(moved, &c)
	}
	apply(t, db, &registry.Set{Deployments: moved})
	verifyOK(t, db)
	// The same through an import stream: updates read and count out the
	// states of the write above.
	streamed := make([]*registry.Deployment, 0, 20)
	for _, d := range ds[10:30] {
		c := *d
		c.Certainty, c.System.Capabilities = "documented", []string{"cctv"}
		streamed = append(streamed, &c)
	}
	if res, err := db.ApplyStream(ctx, streamOf(&registry.Set{Deployments: streamed}), Meta{Author: "test"}, nil); err != nil || res.Updated != len(streamed) {
		t.Fatalf("stream: %d of %d updated (%v)", res.Updated, len(streamed), err)
	}
	verifyOK(t, db)
	meta := Meta{Author: "test", Reason: "a test of the counts"}
	if _, err := db.Retract(ctx, "deployment", ds[30].ID, meta); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Merge(ctx, "deployment", ds[31].ID, ds[32].ID, meta); err != nil {
		t.Fatal(err)
	}
	verifyOK(t, db)
	written := countsOf(t, db)
	// The lenders column holds both kinds of lender, so that migration
	// 015 is compared on each.
	linked, named := false, false
	for k := range written {
		for _, l := range strings.Fields(k.lenders) {
			linked = linked || strings.HasSuffix(l, ":linked")
			named = named || !strings.HasSuffix(l, ":linked")
		}
	}
	if !linked || !named {
		t.Fatalf("the register has a lender linked only by its financing: %v, one a vendor role names: %v; want both", linked, named)
	}

	if _, err := db.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	if rebuilt := countsOf(t, db); !maps.Equal(written, rebuilt) {
		t.Fatalf("rebuild made other counts:\nwritten %v\nrebuilt %v", written, rebuilt)
	}

	// Migration 013 on the register as it was before it (and 014 after
	// it, which makes its own table again, 015, which adds the lenders,
	// 017, which adds the financing, 018, which cuts the words again, and
	// 019, which adds the fact classes).
	undoPurposes(t, db) // migration 022
	undo := append(append(undoTierSpans(db), "DROP TABLE deployment_counts", "DROP INDEX deployments_jurisdiction_year", "DROP TABLE deployment_facts", "DROP TABLE deployment_financing"), append(undoWords(db), append(undoClasses(), undoCapabilityCells()...)...)...)
	for _, q := range append(undo, "UPDATE schema_version SET version = 12") {
		if _, err := db.db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if migrated := countsOf(t, db); !maps.Equal(written, migrated) {
		t.Fatalf("migrations 013 and 015 made other counts:\nwritten  %v\nmigrated %v", written, migrated)
	}
	verifyOK(t, db)
}

// firstDeployments checks that FirstDeployments merges its cells, each cut
// at its own limit, and keeps the first in id order.
func firstDeployments(t *testing.T, db *DB) {
	t.Helper()
	ctx := context.Background()
	const year = 2019
	// A word on every synthetic deployment, searched both ways
	// (searchCondition): listed from the full-text index, and tested as
	// each deployment is read.
	defer func(was int) { db.d.fewMatches = was }(db.d.fewMatches)
	for _, c := range []struct {
		q   string
		few int
	}{{"", db.d.fewMatches}, {"synthetic", db.d.fewMatches}, {"synthetic", 1}} {
		db.d.fewMatches = c.few
		var cells []registry.Cell
		var want []string
		for _, j := range []string{"CN", "IN", "PK"} {
			f := registry.DeploymentFilter{Jurisdictions: []string{j}, YearFrom: year, YearTo: year, Q: c.q}
			var ids []string
			if err := db.EachDeployment(ctx, f, func(d *registry.Deployment) error {
				ids = append(ids, d.ID)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			want = append(want, ids[:min(len(ids), 3)]...)
			cells = append(cells, registry.Cell{Jurisdiction: j, Year: year, Limit: 3})
		}
		slices.Sort(want)
		want = want[:min(len(want), 5)]
		got, err := db.FirstDeployments(ctx, registry.DeploymentFilter{Q: c.q}, cells, 5)
		if err != nil {
			t.Fatalf("q %q, listed up to %d: %v", c.q, c.few, err)
		}
		if len(want) < 5 || !slices.Equal(got, want) {
			t.Fatalf("first deployments of %v, q %q: got %v, want %v", cells, c.q, got, want)
		}
	}
}
