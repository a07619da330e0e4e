package analysis

import (
	"context"
	"slices"
	"strconv"
	"testing"

	"oversight/internal/fixture"
	"oversight/internal/testreg"
	"oversight/registry"
)

// bigNetSet is fixture.Set(n) with financing: every even deployment is
// financed by "bank" (CN), with an amount in USD-2021, and every fifth one
// has an entry that names no lender. Odd-numbered deployments are dated
// 2010 or 2011 so that trend cells hold more than ListMax; every
// thirteenth is undated.
func bigNetSet(n int) *registry.Set {
	s := fixture.Set(n)
	s.Vendors = append(s.Vendors, fixture.Vendor("bank", "CN"))
	for i, d := range s.Deployments {
		d.Dates[0].Date = registry.Date{Year: 2010 + i%2}
		if i%13 == 0 {
			d.Dates = nil
		}
		if i%2 == 0 {
			d.Financing = append(d.Financing, registry.Financing{Lender: "bank", Instrument: "unknown", Amount: netF64(float64(i)), Currency: "USD",
				AmountUSD2021: netF64(float64(i) + 0.5), Sources: []string{"a"}})
		}
		if i%5 == 0 {
			d.Financing = append(d.Financing, registry.Financing{Instrument: "unknown", Amount: netF64(1), Currency: "PKR", Sources: []string{"a"}})
		}
	}
	return s
}

// firstIDs returns the first ListMax of ids in id order, and how many
// there are.
func firstIDs(ids []string) ([]string, int) {
	ids = slices.Sorted(slices.Values(ids))
	return ids[:min(len(ids), ListMax)], len(ids)
}

// TestNetworkListsCut checks on a register of several times ListMax
// deployments that every list holds the first ListMax in id order and
// every total counts them all, against sums made here from the records.
func TestNetworkListsCut(t *testing.T) {
	t.Parallel()
	const size = 7*ListMax - 50 // an edge (vendor, jurisdiction) gets a sixth: more than ListMax
	set := bigNetSet(size)
	n, err := BuildNetwork(context.Background(), testreg.Open(t, set), NetworkQuery{})
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, list []string, total int, ids []string) {
		t.Helper()
		want, wantTotal := firstIDs(ids)
		if total != wantTotal || !slices.Equal(list, want) {
			t.Errorf("%s: %d listed of %d, want %d of %d (first %v, want %v)", name, len(list), total, len(want), wantTotal, list[:min(len(list), 2)], want[:min(len(want), 2)])
		}
	}
	var all, cn, jp, banked, unattributed []string
	edges := map[string][]string{}
	var usd float64
	for i, d := range set.Deployments {
		all = append(all, d.ID)
		v := d.Vendors[0].Vendor
		if v == "vendor-a" {
			cn = append(cn, d.ID)
		} else {
			jp = append(jp, d.ID)
		}
		edges[v+"/"+d.Jurisdiction] = append(edges[v+"/"+d.Jurisdiction], d.ID)
		if i%2 == 0 {
			banked = append(banked, d.ID)
			usd += float64(i) + 0.5
			edges["bank/"+d.Jurisdiction] = append(edges["bank/"+d.Jurisdiction], d.ID)
		}
		if i%5 == 0 {
			unattributed = append(unattributed, d.ID)
		}
	}
	if len(n.Deployments) != ListMax {
		t.Errorf("%d deployments listed, want ListMax", len(n.Deployments))
	}
	check("deployments", n.Deployments, n.DeploymentsTotal, all)
	o := n.Overall
	check("overall", o.Deployments, o.DeploymentsTotal, all)
	check("supplied", o.Supplied, o.SuppliedTotal, all)
	check("no supplier", o.NoSupplier, o.NoSupplierTotal, nil)
	if o.AlsoUnknownHQTotal+o.UnknownHQTotal+o.UnknownRoleTotal != 0 {
		t.Errorf("overall: %+v", o)
	}
	for _, c := range []struct {
		country string
		ids     []string
	}{{"CN", cn}, {"JP", jp}} {
		h := o.HQ(c.country)
		check(c.country, h.Deployments, h.DeploymentsTotal, c.ids)
		if h.N != len(c.ids) || h.Of != size || h.OfKnown != size || h.Share != float64(len(c.ids))/size {
			t.Errorf("%s: n %d of %d (known %d), share %v; want %d of %d", c.country, h.N, h.Of, h.OfKnown, h.Share, len(c.ids), size)
		}
	}
	// Per subregion, the parts add up to the whole.
	sum := 0
	for _, s := range n.BySubregion {
		sum += s.DeploymentsTotal
		if s.SuppliedTotal+s.UnknownHQTotal+s.UnknownRoleTotal+s.NoSupplierTotal != s.DeploymentsTotal || len(s.Deployments) != min(ListMax, s.DeploymentsTotal) {
			t.Errorf("%s: %+v", s.Subregion, s)
		}
	}
	if sum != size {
		t.Errorf("subregions add to %d of %d", sum, size)
	}
	if len(n.Edges) != len(edges) {
		t.Errorf("%d edges, want %d", len(n.Edges), len(edges))
	}
	for _, e := range n.Edges {
		check("edge "+e.Vendor+"/"+e.Jurisdiction, e.Deployments, e.DeploymentsTotal, edges[e.Vendor+"/"+e.Jurisdiction])
		if e.Vendor == "bank" && (e.FinancingTotal != e.DeploymentsTotal || len(e.Financing) != min(ListMax, e.FinancingTotal) || e.Financing[0].Deployment != e.Deployments[0]) {
			t.Errorf("edge bank/%s: %d entries listed of %d, for %d deployments", e.Jurisdiction, len(e.Financing), e.FinancingTotal, e.DeploymentsTotal)
		}
	}
	if n.Edges[0].DeploymentsTotal <= ListMax {
		t.Errorf("no edge is cut: the largest has %d", n.Edges[0].DeploymentsTotal)
	}
	if len(n.Lenders) != 1 {
		t.Fatalf("lenders: %+v", n.Lenders)
	}
	bank := n.Lenders[0]
	check("bank", bank.Deployments, bank.DeploymentsTotal, banked)
	if bank.FlowsTotal != len(banked) || len(bank.Flows) != ListMax || bank.USD2021 != usd || bank.USD2021Flows != len(banked) ||
		!slices.Equal(bank.Jurisdictions, netIDs("KZ", "PH", "PK")) {
		t.Errorf("bank: %d entries listed of %d, USD-2021 %v over %d, want %d entries, %v", len(bank.Flows), bank.FlowsTotal, bank.USD2021, bank.USD2021Flows, len(banked), usd)
	}
	var flowIDs []string
	for _, f := range bank.Flows {
		flowIDs = append(flowIDs, f.Deployment)
	}
	if want, _ := firstIDs(banked); !slices.Equal(flowIDs, want) {
		t.Errorf("bank's entries are not those of its first deployments: %v…", flowIDs[:3])
	}
	if n.UnattributedTotal != len(unattributed) || len(n.Unattributed) != ListMax {
		t.Errorf("unattributed: %d listed of %d, want %d", len(n.Unattributed), n.UnattributedTotal, len(unattributed))
	}
}

// TestTrendsListsCut checks that trend cells of more than ListMax
// deployments list the first ListMax and count them all.
func TestTrendsListsCut(t *testing.T) {
	t.Parallel()
	const size = 5 * ListMax
	set := bigNetSet(size)
	tt, err := Trends(context.Background(), testreg.Open(t, set), NetworkQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(tt.Years, netIDs("2010", "2011", Undated)) {
		t.Fatalf("years %v", tt.Years)
	}
	// Every cell, from the records: row key → year → ids.
	sub := map[string]string{}
	for _, j := range set.Jurisdictions {
		sub[j.Code] = j.Subregion
	}
	want := map[string]map[string][]string{}
	add := func(key, year, id string) {
		if want[key] == nil {
			want[key] = map[string][]string{}
		}
		want[key][year] = append(want[key][year], id)
	}
	for _, d := range set.Deployments {
		year := Undated
		if y := d.Year(); y != 0 {
			year = strconv.Itoa(y)
		}
		add("total", year, d.ID)
		add(sub[d.Jurisdiction], year, d.ID)
		for _, c := range d.System.Capabilities {
			add(c, year, d.ID)
		}
	}
	rows := append(append([]TrendRow{tt.Totals}, tt.BySubregion...), tt.ByTechnology...)
	if len(rows) != len(want) {
		t.Errorf("%d rows, want %d", len(rows), len(want))
	}
	cut := 0
	for _, r := range rows {
		total := 0
		for _, c := range r.Cells {
			ids, n := firstIDs(want[r.Key][c.Year])
			if c.N != n || c.DeploymentsTotal != n || !slices.Equal(c.Deployments, ids) {
				t.Errorf("%s %s: %d listed of %d (total %d), want %d of %d", r.Key, c.Year, len(c.Deployments), c.N, c.DeploymentsTotal, len(ids), n)
			}
			if n > ListMax {
				cut++
			}
			total += n
		}
		if r.Total != total {
			t.Errorf("%s: total %d, want %d", r.Key, r.Total, total)
		}
	}
	if tt.Totals.Total != size || cut == 0 {
		t.Errorf("total %d of %d; %d cells cut", tt.Totals.Total, size, cut)
	}
}
