package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"oversight/internal/fixture"
	"oversight/registry"
)

// TestListedPages pages through a technology, a purpose, a vendor and two,
// a vendor headquarters, a few years, two jurisdictions and a subregion,
// alone and with other filters, and a word with filters, whose pages read
// the filter's list in id order from the cursor (listed, in terms;
// listedWalk, merged with others': withLists): every page in
// pages of 1, 2, 5 and 7 gives the deployments the filters select, in id
// order, each once, a vendor in two roles on a deployment included,
// whether the filters are few or not and with the walk's budget as it is
// or at one deployment a row (each window then spends it, and the walk
// lists a filter or reads on); each filter's list is read by some page,
// and SQLite plans each statement as TestPagePlans requires.
func TestListedPages(t *testing.T) {
	db := open(t)
	set := fixture.Set(40)
	// A second vendor in China, and a second jurisdiction in South Asia:
	// a headquarters and a subregion are each the union of two lists.
	set.Vendors = append(set.Vendors, fixture.Vendor("vendor-c", "CN"))
	set.Jurisdictions = append(set.Jurisdictions, fixture.Jurisdiction("IN", "India (synthetic)", "south_asia"))
	for i, d := range set.Deployments {
		if i%5 == 0 {
			d.Vendors = append(d.Vendors, registry.VendorRole{Vendor: "vendor-c", Role: "financier", Sources: []string{"a"}})
		}
		if i%6 == 0 {
			d.Jurisdiction = "IN"
		}
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
	chinese := func(d *registry.Deployment) bool {
		return slices.ContainsFunc(d.Vendors, func(v registry.VendorRole) bool { return v.Vendor != "vendor-b" })
	}
	year := func(d *registry.Deployment) int { return d.Dates[0].Date.Year }
	twice := slices.ContainsFunc(set.Deployments, func(d *registry.Deployment) bool {
		return len(d.Vendors) == 2 && d.Vendors[0].Vendor == "vendor-a"
	})
	if !twice {
		t.Fatal("no deployment has vendor-a in two roles: the test proves little")
	}
	lists := []string{"deployment_capabilities", "deployment_purposes", "deployment_vendors", "deployments WHERE year", "deployments WHERE jurisdiction"}
	read := map[string]bool{} // the lists some page read
	walked := 0               // pages of several filters that walked a list
	intersected := 0          // of them, pages that merged another list with it (withLists)
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
		{registry.DeploymentFilter{VendorHQ: "CN"}, "deployment_vendors", chinese},
		{registry.DeploymentFilter{VendorHQ: "CN", Status: "pilot"}, "", func(d *registry.Deployment) bool {
			return chinese(d) && d.Status.Value == "pilot"
		}},
		{registry.DeploymentFilter{YearFrom: 2012, YearTo: 2014}, "deployments WHERE year", func(d *registry.Deployment) bool {
			return year(d) >= 2012 && year(d) <= 2014
		}},
		{registry.DeploymentFilter{YearFrom: 2011, YearTo: 2018, Jurisdictions: []string{"PK"}}, "", func(d *registry.Deployment) bool {
			return year(d) >= 2011 && year(d) <= 2018 && d.Jurisdiction == "PK"
		}},
		{registry.DeploymentFilter{Jurisdictions: []string{"PK", "KZ"}}, "deployments WHERE jurisdiction", func(d *registry.Deployment) bool {
			return d.Jurisdiction == "PK" || d.Jurisdiction == "KZ"
		}},
		{registry.DeploymentFilter{Jurisdictions: []string{"KZ", "IN"}, Certainty: "reported"}, "", func(d *registry.Deployment) bool {
			return (d.Jurisdiction == "IN" || d.Jurisdiction == "KZ") && d.Certainty == "reported"
		}},
		{registry.DeploymentFilter{Subregion: "south_asia"}, "deployments WHERE jurisdiction", func(d *registry.Deployment) bool {
			return d.Jurisdiction == "PK" || d.Jurisdiction == "IN"
		}},
		{registry.DeploymentFilter{Subregion: "south_asia", Capability: "cctv"}, "", func(d *registry.Deployment) bool {
			return (d.Jurisdiction == "PK" || d.Jurisdiction == "IN") && slices.Contains(d.System.Capabilities, "cctv")
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
		want := selected(t, set, c.f, c.has, 2)
		for _, few := range []int{0, db.d.fewMatches} {
			for _, perRow := range []int{db.d.walkPerRow, 1} {
				for _, limit := range []int{1, 2, 5, 7} {
					// Dense as by default, or never: most of these
					// filters hold much of this small register.
					dense := defaultLimits.denseShare * (limit % 2)
					name := fmt.Sprintf("%+v, few below %d, walk %d a row, pages of %d, dense from 1/%d", c.f, few, perRow, limit, dense)
					db.d.fewMatches, db.d.walkPerRow, db.d.denseShare = few, perRow, dense
					f := c.f
					f.Limit = limit
					page := 0
					got := pageIDs(t, &db.reader, f, func(stmts []Statement) {
						page++
						for _, st := range stmts {
							for _, table := range lists {
								if st.Page && strings.Contains(st.SQL, "AS deployment_id FROM "+table) {
									read[table] = true
								}
							}
							if c.table == "" && st.Page && strings.Contains(st.SQL, ") m CROSS JOIN deployments d") && strings.Contains(st.SQL, "AS deployment_id FROM") {
								walked++
								if strings.Contains(st.SQL, " INTERSECT ") {
									intersected++
								}
							}
							if msg := badPlan(t, db, st, page > 1); msg != "" {
								t.Errorf("%s: %s\n%s", name, msg, st.SQL)
							}
						}
						if c.table != "" && dense == 0 && !slices.ContainsFunc(stmts, func(st Statement) bool {
							return st.Page && strings.Contains(st.SQL, "AS deployment_id FROM "+c.table)
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
	for _, table := range lists {
		if !read[table] {
			t.Errorf("no page read %s in id order", table)
		}
	}
	if walked == 0 || intersected == 0 {
		t.Errorf("of the pages of several filters, %d walked a filter's list, %d merged another with it", walked, intersected)
	}
}

// TestWalkedColumn pages through filters none of which is few, beside a
// status or a certainty that selects fewer than the jurisdiction or the
// others: the walk follows that column's index (walkedColumn), a page of
// 2, 3 and 5 at a time gives what the filters select in id order, and
// with the walk's budget at one deployment a row, so that it falls back.
func TestWalkedColumn(t *testing.T) {
	db := open(t)
	set := fixture.Set(60)
	apply(t, db, set)
	defer func(l limits) { db.d.limits = l }(db.d.limits)
	for _, c := range []struct {
		f      registry.DeploymentFilter
		walked string // the column whose index the page walks
		has    func(d *registry.Deployment) bool
	}{
		// Pakistan holds a third, pilot a fifth, documented a half.
		{registry.DeploymentFilter{Jurisdictions: []string{"PK"}, Status: "pilot"}, "d.status = ", func(d *registry.Deployment) bool {
			return d.Jurisdiction == "PK" && d.Status.Value == "pilot"
		}},
		{registry.DeploymentFilter{Jurisdictions: []string{"PK"}, Certainty: "documented"}, "d.jurisdiction = ", func(d *registry.Deployment) bool {
			return d.Jurisdiction == "PK" && d.Certainty == "documented"
		}},
		{registry.DeploymentFilter{Status: "active", Certainty: "reported", YearFrom: 2011}, "d.status = ", func(d *registry.Deployment) bool {
			return d.Status.Value == "active" && d.Certainty == "reported" && d.Dates[0].Date.Year >= 2011
		}},
	} {
		want := selected(t, set, c.f, c.has, 3)
		for _, perRow := range []int{db.d.walkPerRow, 1} {
			for _, limit := range []int{2, 3, 5} {
				db.d.fewMatches, db.d.walkPerRow = 0, perRow
				f := c.f
				f.Limit = limit
				name := fmt.Sprintf("%+v, walk %d a row, pages of %d", c.f, perRow, limit)
				got := pageIDs(t, &db.reader, f, func(stmts []Statement) {
					for _, st := range stmts {
						if st.Page && !strings.Contains(st.SQL, "WHERE "+c.walked) && !strings.Contains(st.SQL, "AND "+c.walked) {
							t.Errorf("%s: a page statement does not walk %q's index:\n%s", name, c.walked, st.SQL)
						}
					}
				})
				if !slices.Equal(got, want) {
					t.Errorf("%s:\n got %q\nwant %q", name, got, want)
				}
			}
		}
	}
}

// TestDenseWalked: a filter alone of several lists is read from them where
// it selects less than a denseShare-th of the register, and walked where
// it selects more (dense).
func TestDenseWalked(t *testing.T) {
	db := open(t)
	apply(t, db, fixture.Set(60)) // years 2010-2024, four deployments each
	for _, c := range []struct {
		f      registry.DeploymentFilter
		listed bool
	}{
		{registry.DeploymentFilter{YearFrom: 2012, YearTo: 2013}, true},               // 2 of 15 years
		{registry.DeploymentFilter{YearFrom: 2012, YearTo: 2017}, false},              // 6 of 15
		{registry.DeploymentFilter{Vendors: []string{"vendor-a", "vendor-b"}}, false}, // all
		{registry.DeploymentFilter{Vendors: []string{"vendor-a"}}, true},              // half, but one list
	} {
		c.f.Limit = 5
		stmts, err := db.DeploymentsQueries(context.Background(), c.f)
		if err != nil {
			t.Fatal(err)
		}
		listed := slices.ContainsFunc(stmts, func(st Statement) bool { return st.Page && strings.Contains(st.SQL, "AS deployment_id FROM") })
		if listed != c.listed {
			t.Errorf("%+v: read from its lists %v, want %v: %v", c.f, listed, c.listed, stmts)
		}
	}
}

// selected returns the ids of set's deployments that has accepts, in
// order: what a filter f selects, of which there must be at least least
// for a test of its pages to prove something.
func selected(t *testing.T, set *registry.Set, f registry.DeploymentFilter, has func(*registry.Deployment) bool, least int) []string {
	t.Helper()
	var ids []string
	for _, d := range set.Deployments {
		if has(d) {
			ids = append(ids, d.ID)
		}
	}
	slices.Sort(ids)
	if len(ids) < least {
		t.Fatalf("%+v: %d deployments; the test proves little", f, len(ids))
	}
	return ids
}
