package store

import (
	"context"
	"slices"
	"strings"
	"testing"

	"oversight/registry"
)

// TestNoneMatch pages through every filter and pair of filters with and
// without the counts' answer (noneMatch), and checks that the pages are
// the same, and that a page no deployment passes is read in one
// statement, however its filters would be walked: a walk whose budget
// falls back at once (fewMatches 0, one deployment a row) runs several.
func TestNoneMatch(t *testing.T) {
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
	empty := 0
	for i, f := range cases {
		db.d.jointRows = -1 // never known
		want := pages(f)
		db.d.jointRows = 2000
		if got := pages(f); !slices.Equal(got, want) {
			t.Errorf("%s: %v with the counts, %v without", names[i], got, want)
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
		none, err := db.noneMatch(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		known := countable(f)
		if none != known {
			t.Errorf("%s: no deployment passes; the counts say none: %v, want %v", names[i], none, known)
		}
		if known && (len(stmts) != 1 || !strings.Contains(stmts[0].SQL, "WHERE 0 = 1")) {
			t.Errorf("%s: no deployment passes, and the page runs %d statements, the first %s", names[i], len(stmts), stmts[0].SQL)
		}
		if known {
			memoized(t, db, names[i], f)
		}
	}
	if empty < 4 {
		t.Fatalf("%d filters select no deployment: the test needs some", empty)
	}
	// Past jointRows rows, the counts are not read to the end.
	db.d.jointRows = 1
	f := registry.DeploymentFilter{Capability: "no_such_capability"}
	if none, err := db.noneMatch(ctx, f); err != nil || none {
		t.Fatalf("%+v with at most one row read: none %v (%v), want false", f, none, err)
	}
}

// memoized checks that a snapshot answers noneMatch for f as the pool
// does, and a second time from the counts it keeps for its log size,
// with no query: a page after the first asks again for the same filters.
func memoized(t *testing.T, db *DB, name string, f registry.DeploymentFilter) {
	t.Helper()
	ctx := context.Background()
	want, err := db.noneMatch(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	sn, err := db.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer sn.Close()
	for i := range 2 {
		before := sn.Queries()
		none, err := sn.noneMatch(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if none != want {
			t.Errorf("%s: a snapshot's noneMatch, time %d: %v, the pool's %v", name, i+1, none, want)
		}
		if ran := sn.Queries() - before; i == 1 && ran > 0 {
			t.Errorf("%s: a snapshot's second noneMatch ran %d queries; the count is kept for its log size", name, ran)
		}
	}
}
