package store

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"oversight/registry"
)

// TestJointCount pages through every filter and pair of filters with and
// without the counts (jointCount), and checks that the pages are the same,
// that the counts, where they tell, are how many deployments the pages
// list, and that a page no deployment passes is read in one statement,
// however its filters would be walked: a walk whose budget falls back at
// once (fewMatches 0, one deployment a row) runs several.
func TestJointCount(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := projected(t, 12)
	cases, names := filterPairs(someTier(t, db))
	cases = append(cases,
		registry.DeploymentFilter{Jurisdictions: []string{"PH"}, Capability: "no_such_capability"},
		registry.DeploymentFilter{Vendors: []string{"no-such-vendor"}, YearFrom: 2010},
		registry.DeploymentFilter{Jurisdictions: []string{"PH", "KZ"}, YearFrom: 2999},
		registry.DeploymentFilter{Subregion: "south_asia", Status: "no_such_status"},
		registry.DeploymentFilter{VendorHQ: "CN", Status: "no_such_status"},
		registry.DeploymentFilter{Subregion: "south_asia", Jurisdictions: []string{"PH"}},
		registry.DeploymentFilter{YearTo: 1900})
	names = append(names, "jurisdiction + unknown technology", "unknown vendor + year", "jurisdictions + a year to come", "subregion + unknown status",
		"vendor headquarters + unknown status", "subregion + a jurisdiction outside it", "a year long past")
	defer func(few, perRow, rows int) { db.d.fewMatches, db.d.walkPerRow, db.d.jointRows = few, perRow, rows }(db.d.fewMatches, db.d.walkPerRow, db.d.jointRows)
	db.d.fewMatches, db.d.walkPerRow = 0, 1
	pages := func(f registry.DeploymentFilter) (ids []string) {
		f.Limit = 2
		for {
			p, err := db.Deployments(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range p.Items {
				ids = append(ids, d.ID)
			}
			if p.Next == "" {
				return ids
			}
			f.Cursor = p.Next
		}
	}
	empty, told := 0, 0
	for i, f := range cases {
		db.d.jointRows = -1 // never known
		want := pages(f)
		db.d.jointRows = 2000
		if got := pages(f); !slices.Equal(got, want) {
			t.Errorf("%s: %v with the counts, %v without", names[i], got, want)
		}
		n, err := db.jointCount(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if n >= 0 {
			told++
			if n != int64(len(want)) {
				t.Errorf("%s: the counts say %d deployments pass, the pages list %d", names[i], n, len(want))
			}
			memoized(t, db, names[i], f, n)
		}
		if len(want) > 0 {
			continue
		}
		empty++
		f.Limit = 2
		stmts, err := db.DeploymentsQueries(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if known := countable(f); (n == 0) != known {
			t.Errorf("%s: no deployment passes; the counts say none: %v, want %v", names[i], n == 0, known)
		}
		if n == 0 && (len(stmts) != 1 || !strings.Contains(stmts[0].SQL, "WHERE 0 = 1")) {
			t.Errorf("%s: no deployment passes, and the page runs %d statements, the first %s", names[i], len(stmts), stmts[0].SQL)
		}
	}
	if empty < 4 || told < len(cases)/2 {
		t.Fatalf("%d filters select no deployment, the counts tell of %d of %d: the test needs more", empty, told, len(cases))
	}
	// Past jointRows rows, the counts are not read to the end.
	db.d.jointRows = 1
	f := registry.DeploymentFilter{Capability: "no_such_capability"}
	if n, err := db.jointCount(ctx, f); err != nil || n != -1 {
		t.Fatalf("%+v with at most one row read: %d (%v), want -1", f, n, err)
	}
}

// TestWalkPerRow: a walk whose filters the counts hold reads, in its first
// window, half again as many deployments for each row as the counts say
// it needs.
func TestWalkPerRow(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		walked, joint int64
		want          int
	}{{100, 100, 2}, {100, 50, 3}, {6700, 1000, 11}, {1, 1, 2}, {10, 3, 5}, {1 << 40, 1, math.MaxInt32}} {
		if got := perRow(c.walked, c.joint); got != c.want {
			t.Errorf("perRow(%d, %d) = %d, want %d", c.walked, c.joint, got, c.want)
		}
	}
	ctx := context.Background()
	db := projected(t, 12)
	db.d.fewMatches = 0 // every filter walked
	cases, names := filterPairs(someTier(t, db))
	checked := 0
	for i, f := range cases {
		p, err := db.pagePlan(ctx, f, true)
		if err != nil {
			t.Fatal(err)
		}
		joint, err := db.jointCount(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if p.terms == nil || p.one < 0 || joint <= 0 || p.merged != nil {
			// A list walk reads windows of its list (listPage).
			if p.perRow != 0 {
				t.Errorf("%s: no walk of the deployments the counts tell of, and a first window of %d a row", names[i], p.perRow)
			}
			continue
		}
		var args []any
		q := p.terms[p.one].set(func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) })
		var walked int64
		if err := db.q.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT DISTINCT * FROM ("+q+"))", args...).Scan(&walked); err != nil {
			t.Fatal(err)
		}
		if want := perRow(walked, joint); p.perRow != want {
			t.Errorf("%s: a first window of %d a row; %d walked, %d pass: want %d", names[i], p.perRow, walked, joint, want)
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no walk the counts tell of")
	}
}

// memoized checks that a snapshot counts f as the pool does (want), and a
// second time from the counts it keeps for its log size, with no query: a
// page after the first asks again for the same filters.
func memoized(t *testing.T, db *DB, name string, f registry.DeploymentFilter, want int64) {
	t.Helper()
	ctx := context.Background()
	sn, err := db.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer sn.Close()
	for i := range 2 {
		before := sn.Queries()
		n, err := sn.jointCount(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Errorf("%s: a snapshot's count, time %d: %d, the pool's %d", name, i+1, n, want)
		}
		if ran := sn.Queries() - before; i == 1 && ran > 0 {
			t.Errorf("%s: a snapshot's second count ran %d queries; it is kept for its log size", name, ran)
		}
	}
}
