package store

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"oversight/internal/fixture"
	"oversight/registry"
)

// TestListedPages pages through a technology, a purpose and a vendor
// alone, each of which a page reads from its list in id order from the
// cursor (listed, in terms): every page in pages of 1, 2, 5 and 7 gives
// the deployments the filter selects, in id order, each once, a vendor in
// two roles on a deployment included, whether the filter is few or not;
// each page's statement reads the list from its index, and SQLite plans it
// as TestPagePlans requires.
func TestListedPages(t *testing.T) {
	db := open(t)
	set := fixture.Set(40)
	for i, d := range set.Deployments {
		if i%3 == 0 {
			d.System.Purposes = append(d.System.Purposes, "crowd_management")
		}
		if i%4 == 0 {
			// vendor-a in two roles, or beside vendor-b.
			d.Vendors = append(d.Vendors, registry.VendorRole{Vendor: "vendor-a", Role: "integrator", Sources: []string{"a"}})
		}
	}
	apply(t, db, set)
	defer func(l limits) { db.d.limits = l }(db.d.limits)
	for _, c := range []struct {
		f     registry.DeploymentFilter
		table string
		has   func(d *registry.Deployment) bool
	}{
		{registry.DeploymentFilter{Capability: "crowd_analytics"}, "deployment_capabilities", func(d *registry.Deployment) bool {
			return slices.Contains(d.System.Capabilities, "crowd_analytics")
		}},
		{registry.DeploymentFilter{Purpose: "crowd_management"}, "deployment_purposes", func(d *registry.Deployment) bool {
			return slices.Contains(d.System.Purposes, "crowd_management")
		}},
		{registry.DeploymentFilter{Vendors: []string{"vendor-a"}}, "deployment_vendors", func(d *registry.Deployment) bool {
			return slices.ContainsFunc(d.Vendors, func(v registry.VendorRole) bool { return v.Vendor == "vendor-a" })
		}},
	} {
		var want []string
		twice := false
		for _, d := range set.Deployments {
			if c.has(d) {
				want = append(want, d.ID)
			}
			twice = twice || len(d.Vendors) == 2 && d.Vendors[0].Vendor == "vendor-a"
		}
		slices.Sort(want)
		if len(want) < 8 || !twice {
			t.Fatalf("%+v: %d deployments, a vendor in two roles: %v; the test proves little", c.f, len(want), twice)
		}
		for _, few := range []int{0, db.d.fewMatches} {
			for _, limit := range []int{1, 2, 5, 7} {
				name := fmt.Sprintf("%+v, few below %d, pages of %d", c.f, few, limit)
				db.d.fewMatches = few
				f := c.f
				f.Limit = limit
				page := 0
				got := pageIDs(t, &db.reader, f, func(stmts []Statement) {
					page++
					listed := false
					for _, st := range stmts {
						listed = listed || st.Page && strings.Contains(st.SQL, "SELECT DISTINCT deployment_id FROM "+c.table)
						if msg := badPlan(t, db, st, page > 1); msg != "" {
							t.Errorf("%s: %s\n%s", name, msg, st.SQL)
						}
					}
					if !listed {
						t.Fatalf("%s: no page statement reads %s in id order: %v", name, c.table, stmts)
					}
				})
				if !slices.Equal(got, want) {
					t.Errorf("%s:\n got %q\nwant %q", name, got, want)
				}
			}
		}
	}
}
