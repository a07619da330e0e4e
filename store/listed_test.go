package store

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"oversight/internal/fixture"
	"oversight/registry"
)

// TestListedPages pages through a technology, a purpose, a vendor and two,
// alone and with other filters, and a word with filters, whose pages read
// the filter's list in id order from the cursor (listed, in terms;
// listedWalk): every page in
// pages of 1, 2, 5 and 7 gives the deployments the filters select, in id
// order, each once, a vendor in two roles on a deployment included,
// whether the filters are few or not and with the walk's budget as it is
// or at one deployment a row (each window then spends it, and the walk
// lists a filter or reads on); each filter's list is read by some page,
// and SQLite plans each statement as TestPagePlans requires.
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
	capability := func(d *registry.Deployment) bool { return slices.Contains(d.System.Capabilities, "crowd_analytics") }
	purpose := func(d *registry.Deployment) bool { return slices.Contains(d.System.Purposes, "crowd_management") }
	vendor := func(d *registry.Deployment) bool {
		return slices.ContainsFunc(d.Vendors, func(v registry.VendorRole) bool { return v.Vendor == "vendor-a" })
	}
	twice := slices.ContainsFunc(set.Deployments, func(d *registry.Deployment) bool {
		return len(d.Vendors) == 2 && d.Vendors[0].Vendor == "vendor-a"
	})
	if !twice {
		t.Fatal("no deployment has vendor-a in two roles: the test proves little")
	}
	read := map[string]bool{} // the lists some page read
	walked := 0               // pages of several filters that walked a list
	for _, c := range []struct {
		f     registry.DeploymentFilter
		table string // the list a page of the filter alone reads
		has   func(d *registry.Deployment) bool
	}{
		{registry.DeploymentFilter{Capability: "crowd_analytics"}, "deployment_capabilities", capability},
		{registry.DeploymentFilter{Purpose: "crowd_management"}, "deployment_purposes", purpose},
		{registry.DeploymentFilter{Vendors: []string{"vendor-a"}}, "deployment_vendors", vendor},
		// Two vendors: the union of their lists, each deployment once.
		{registry.DeploymentFilter{Vendors: []string{"vendor-b", "vendor-a"}}, "deployment_vendors", func(*registry.Deployment) bool { return true }},
		{registry.DeploymentFilter{Vendors: []string{"vendor-a", "vendor-b"}, Status: "pilot"}, "", func(d *registry.Deployment) bool {
			return d.Status.Value == "pilot"
		}},
		{registry.DeploymentFilter{Purpose: "crowd_management", Jurisdictions: []string{"PK"}}, "", func(d *registry.Deployment) bool {
			return purpose(d) && d.Jurisdiction == "PK"
		}},
		{registry.DeploymentFilter{Vendors: []string{"vendor-a"}, Certainty: "documented"}, "", func(d *registry.Deployment) bool {
			return vendor(d) && d.Certainty == "documented"
		}},
		{registry.DeploymentFilter{Capability: "crowd_analytics", Purpose: "crowd_management", Status: "unknown"}, "", func(d *registry.Deployment) bool {
			return capability(d) && purpose(d) && d.Status.Value == "unknown"
		}},
		// A word few enough to be listed, with filters it is not merged
		// with: its lists walked, as a technology's.
		{registry.DeploymentFilter{Q: "harbour", Certainty: "documented"}, "", func(d *registry.Deployment) bool {
			return strings.Contains(d.Title, "harbour") && d.Certainty == "documented"
		}},
		{registry.DeploymentFilter{Q: "harbour", Purpose: "crowd_management"}, "", func(d *registry.Deployment) bool {
			return strings.Contains(d.Title, "harbour") && purpose(d)
		}},
	} {
		var want []string
		for _, d := range set.Deployments {
			if c.has(d) {
				want = append(want, d.ID)
			}
		}
		slices.Sort(want)
		if len(want) < 2 {
			t.Fatalf("%+v: %d deployments; the test proves little", c.f, len(want))
		}
		for _, few := range []int{0, db.d.fewMatches} {
			for _, perRow := range []int{db.d.walkPerRow, 1} {
				for _, limit := range []int{1, 2, 5, 7} {
					name := fmt.Sprintf("%+v, few below %d, walk %d a row, pages of %d", c.f, few, perRow, limit)
					db.d.fewMatches, db.d.walkPerRow = few, perRow
					f := c.f
					f.Limit = limit
					page := 0
					got := pageIDs(t, &db.reader, f, func(stmts []Statement) {
						page++
						for _, st := range stmts {
							for _, table := range []string{"deployment_capabilities", "deployment_purposes", "deployment_vendors"} {
								if st.Page && strings.Contains(st.SQL, "SELECT DISTINCT deployment_id FROM "+table) {
									read[table] = true
								}
							}
							if c.table == "" && st.Page && strings.Contains(st.SQL, ") m CROSS JOIN deployments d") && strings.Contains(st.SQL, "SELECT DISTINCT deployment_id FROM") {
								walked++
							}
							if msg := badPlan(t, db, st, page > 1); msg != "" {
								t.Errorf("%s: %s\n%s", name, msg, st.SQL)
							}
						}
						if c.table != "" && !slices.ContainsFunc(stmts, func(st Statement) bool {
							return st.Page && strings.Contains(st.SQL, "SELECT DISTINCT deployment_id FROM "+c.table)
						}) {
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
	for _, table := range []string{"deployment_capabilities", "deployment_purposes", "deployment_vendors"} {
		if !read[table] {
			t.Errorf("no page read %s in id order", table)
		}
	}
	if walked == 0 {
		t.Error("no page of several filters walked a filter's list")
	}
}
