package analysis

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"oversight/data"
	"oversight/internal/testreg"
)

// TestVendorTable checks the table of networkSet against one worked out
// by hand: each vendor once, its deployments by jurisdiction, its roles,
// and who financed its deployments (itself left out).
func TestVendorTable(t *testing.T) {
	t.Parallel()
	db := testreg.Open(t, networkSet())
	tb, err := BuildVendorTable(context.Background(), db, NetworkQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"MY", "PH", "IN", "PK"}; !reflect.DeepEqual(tb.Jurisdictions, want) {
		t.Errorf("columns %v, want %v (Southeast Asia first, then South Asia)", tb.Jurisdictions, want)
	}
	if want := []string{"southeast_asia", "southeast_asia", "south_asia", "south_asia"}; !reflect.DeepEqual(tb.Subregions, want) {
		t.Errorf("subregions %v, want %v", tb.Subregions, want)
	}
	if tb.DeploymentsTotal != 7 {
		t.Errorf("%d deployments, want 7", tb.DeploymentsTotal)
	}
	none := []RowLender{}
	want := []VendorRow{
		{Vendor: "anon", Roles: []string{"integrator", "software"}, DeploymentsTotal: 2, Cells: []int{1, 1, 0, 0}, Lenders: none},
		{Vendor: "bank", Roles: []string{"financier"}, Lends: true, DeploymentsTotal: 2, Cells: []int{0, 1, 0, 1}, Lenders: none},
		{Vendor: "cn-a", Roles: []string{"prime"}, DeploymentsTotal: 2, Cells: []int{0, 1, 0, 1}, Lenders: []RowLender{{Vendor: "bank", Deployments: 2}}},
		{Vendor: "cn-b", Roles: []string{"equipment", "unknown"}, DeploymentsTotal: 2, Cells: []int{0, 0, 1, 1}, Lenders: []RowLender{{Vendor: "bank", Deployments: 1}}},
		{Vendor: "jp-a", Roles: []string{"equipment", "prime"}, DeploymentsTotal: 2, Cells: []int{0, 1, 0, 1}, Lenders: []RowLender{{Vendor: "fund", Deployments: 1}}},
		{Vendor: "fund", Roles: []string{"financier"}, Lends: true, DeploymentsTotal: 1, Cells: []int{0, 0, 0, 1}, Lenders: none},
	}
	got := make([]VendorRow, len(tb.Rows))
	for i, r := range tb.Rows {
		for j := range r.Lenders {
			r.Lenders[j].Name = ""
		}
		r.Name, r.Headquarters, r.Ownership = "", "", ""
		got[i] = r
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows:\n%+v\nwant\n%+v", got, want)
	}
	if r := tb.Rows[0]; r.Headquarters != UnknownValue || tb.Rows[1].Headquarters != "CN" {
		t.Errorf("headquarters %q and %q, want unknown and CN", r.Headquarters, tb.Rows[1].Headquarters)
	}
}

// TestVendorTableFilters: the vendor-headquarters filter selects the
// deployments that name a vendor headquartered there, in any role, so the
// table lists that vendor's partners too; a code that is not one is
// refused.
func TestVendorTableFilters(t *testing.T) {
	t.Parallel()
	db := testreg.Open(t, networkSet())
	tb, err := BuildVendorTable(context.Background(), db, NetworkQuery{VendorHQ: "JP"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range tb.Rows {
		ids = append(ids, fmt.Sprintf("%s:%d", r.Vendor, r.DeploymentsTotal))
	}
	if want := []string{"jp-a:2", "anon:1", "fund:1"}; !reflect.DeepEqual(ids, want) || tb.DeploymentsTotal != 2 {
		t.Errorf("rows %v of %d deployments, want %v of 2 (ph-2 and pk-2)", ids, tb.DeploymentsTotal, want)
	}
	for _, hq := range []string{"cn", "CHN", "C1"} {
		if _, err := BuildVendorTable(context.Background(), db, NetworkQuery{VendorHQ: hq}); err == nil {
			t.Errorf("vendor headquarters %q accepted", hq)
		}
	}
}

// TestVendorTableMatchesNetwork: on the built-in register, every cell of
// the table is the count of the network edge of its vendor and
// jurisdiction, and every edge is a cell, so the page's matrix and the
// API's edges say the same.
func TestVendorTableMatchesNetwork(t *testing.T) {
	t.Parallel()
	set, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	db := testreg.Open(t, set)
	for _, q := range []NetworkQuery{{}, {Subregion: "southeast_asia"}, {VendorHQ: "CN", YearFrom: 2015}} {
		ctx := context.Background()
		tb, err := BuildVendorTable(ctx, db, q)
		if err != nil {
			t.Fatal(err)
		}
		n, err := BuildNetwork(ctx, db, q)
		if err != nil {
			t.Fatal(err)
		}
		if tb.DeploymentsTotal != n.DeploymentsTotal {
			t.Errorf("%+v: %d deployments, the network %d", q, tb.DeploymentsTotal, n.DeploymentsTotal)
		}
		edges := map[[2]string]int{}
		for _, e := range n.Edges {
			edges[[2]string{e.Vendor, e.Jurisdiction}] = e.DeploymentsTotal
		}
		cells := 0
		for _, r := range tb.Rows {
			sum := 0
			for i, c := range r.Cells {
				sum += c
				if c == 0 {
					continue
				}
				cells++
				if e := edges[[2]string{r.Vendor, tb.Jurisdictions[i]}]; e != c {
					t.Errorf("%+v: %s in %s: cell %d, edge %d", q, r.Vendor, tb.Jurisdictions[i], c, e)
				}
			}
			if sum != r.DeploymentsTotal {
				t.Errorf("%+v: %s: cells add up to %d, not %d", q, r.Vendor, sum, r.DeploymentsTotal)
			}
		}
		if cells != len(edges) || cells == 0 {
			t.Errorf("%+v: %d cells, %d edges", q, cells, len(edges))
		}
	}
}
