package analysis

import (
	"context"
	"slices"
	"strings"
	"testing"

	"oversight/data"
	"oversight/internal/fixture"
	"oversight/internal/testreg"
	"oversight/registry"
)

func netF64(v float64) *float64 { return &v }

// networkSet is a small register by hand:
//
//	deployment  juris (subregion)    cert         year  capabilities          vendors (role)                          financing
//	ph-1        PH (southeast_asia)  documented   2015  cctv, face_detection  cn-a prime, bank financier              bank 100 USD = 110 USD-2021
//	ph-2        PH (southeast_asia)  reported     2016  cctv                  jp-a equipment, anon integrator
//	my-1        MY (southeast_asia)  documented   -     remote_biometric_id…  anon software
//	my-2        MY (southeast_asia)  documented   2016  cctv                  -                                       (no lender) 5 MYR
//	pk-1        PK (south_asia)      documented   2015  cctv, lpr_anpr        cn-a prime, cn-b equipment, bank fin.   bank 200 USD = 210 USD-2021; bank, no amount
//	pk-2        PK (south_asia)      unconfirmed  2017  -                     jp-a prime, fund financier              fund 50 EUR
//	in-1        IN (south_asia)      documented   2017  cctv                  cn-b unknown
//
// Vendors: cn-a, cn-b and bank in CN, jp-a in JP, anon and fund of unknown
// headquarters.
func networkSet() *registry.Set {
	s := &registry.Set{
		Jurisdictions: []*registry.Jurisdiction{
			fixture.Jurisdiction("PH", "Philippines (synthetic)", "southeast_asia"),
			fixture.Jurisdiction("MY", "Malaysia (synthetic)", "southeast_asia"),
			fixture.Jurisdiction("PK", "Pakistan (synthetic)", "south_asia"),
			fixture.Jurisdiction("IN", "India (synthetic)", "south_asia"),
		},
		Vendors: []*registry.Vendor{
			fixture.Vendor("cn-a", "CN"), fixture.Vendor("cn-b", "CN"), fixture.Vendor("jp-a", "JP"),
			fixture.Vendor("anon", ""), fixture.Vendor("bank", "CN"), fixture.Vendor("fund", ""),
		},
	}
	s.Vendors[4].Type, s.Vendors[4].Ownership = "state_bank", "state_owned"
	s.Vendors[5].Type = "investment_fund"
	role := func(v, r string) registry.VendorRole {
		return registry.VendorRole{Vendor: v, Role: r, Sources: []string{"a"}}
	}
	dep := func(id, j, cert string, year int, caps []string, vendors ...registry.VendorRole) *registry.Deployment {
		d := fixture.Deployment(0, j, "")
		d.ID, d.Certainty, d.System.Capabilities, d.Vendors, d.Dates = id, cert, caps, vendors, nil
		if year != 0 {
			d.Dates = []registry.DatedEvent{{Event: "live", Date: registry.Date{Year: year}, Sources: []string{"a"}}}
		}
		return d
	}
	fin := func(lender string, amount *float64, currency string, usd *float64, aid int) registry.Financing {
		return registry.Financing{Lender: lender, Instrument: "unknown", Amount: amount, Currency: currency, AmountUSD2021: usd, AidDataID: aid, Sources: []string{"a"}}
	}
	ph1 := dep("ph-1", "PH", "documented", 2015, []string{"cctv", "face_detection"}, role("cn-a", "prime"), role("bank", "financier"))
	ph1.Financing = []registry.Financing{fin("bank", netF64(100), "USD", netF64(110), 1)}
	ph2 := dep("ph-2", "PH", "reported", 2016, []string{"cctv"}, role("jp-a", "equipment"), role("anon", "integrator"))
	my1 := dep("my-1", "MY", "documented", 0, []string{"remote_biometric_identification"}, role("anon", "software"))
	my2 := dep("my-2", "MY", "documented", 2016, []string{"cctv"})
	my2.Financing = []registry.Financing{fin("", netF64(5), "MYR", nil, 0)}
	pk1 := dep("pk-1", "PK", "documented", 2015, []string{"cctv", "lpr_anpr"}, role("cn-a", "prime"), role("cn-b", "equipment"), role("bank", "financier"))
	pk1.Financing = []registry.Financing{fin("bank", netF64(200), "USD", netF64(210), 2), fin("bank", nil, "", nil, 0)}
	pk2 := dep("pk-2", "PK", "unconfirmed", 2017, nil, role("jp-a", "prime"), role("fund", "financier"))
	pk2.System.Purposes = []string{"general_crime_prevention"}
	pk2.Financing = []registry.Financing{fin("fund", netF64(50), "EUR", nil, 0)}
	in1 := dep("in-1", "IN", "documented", 2017, []string{"cctv"}, role("cn-b", "unknown"))
	s.Deployments = []*registry.Deployment{ph1, ph2, my1, my2, pk1, pk2, in1}
	return s
}

func netIDs(s ...string) []string { return s }

func TestNetworkShares(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testreg.Open(t, networkSet())
	n, err := BuildNetwork(ctx, db, NetworkQuery{})
	if err != nil {
		t.Fatal(err)
	}
	// Overall: 7 deployments. Known-HQ suppliers: ph-1 (CN), ph-2 (JP; anon
	// unknown too), pk-1 (CN twice, counted once), pk-2 (JP; fund is a
	// financier, not a supplier). my-1 has only anon; my-2 no vendor; in-1
	// only a vendor of unknown role.
	o := n.Overall
	check := func(name string, got, want []string) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	check("deployments", o.Deployments, netIDs("in-1", "my-1", "my-2", "ph-1", "ph-2", "pk-1", "pk-2"))
	check("supplied", o.Supplied, netIDs("ph-1", "ph-2", "pk-1", "pk-2"))
	check("also unknown hq", o.AlsoUnknownHQ, netIDs("ph-2"))
	check("unknown hq", o.UnknownHQ, netIDs("my-1"))
	check("unknown role", o.UnknownRole, netIDs("in-1"))
	check("no supplier", o.NoSupplier, netIDs("my-2"))
	// CN: ph-1, pk-1 → 2/7 of all, 2/4 of known. JP: ph-2, pk-2 → 2/7, 2/4.
	if len(o.ByHQ) != 2 {
		t.Fatalf("by hq: %+v", o.ByHQ)
	}
	for _, want := range []HQShare{
		{Country: "CN", Deployments: netIDs("ph-1", "pk-1"), N: 2, Of: 7, Share: 2.0 / 7, OfKnown: 4, ShareOfKnown: 0.5},
		{Country: "JP", Deployments: netIDs("ph-2", "pk-2"), N: 2, Of: 7, Share: 2.0 / 7, OfKnown: 4, ShareOfKnown: 0.5},
	} {
		got := o.HQ(want.Country)
		if !slices.Equal(got.Deployments, want.Deployments) || got.N != want.N || got.Of != want.Of || got.Share != want.Share || got.OfKnown != want.OfKnown || got.ShareOfKnown != want.ShareOfKnown {
			t.Errorf("%s: got %+v, want %+v", want.Country, got, want)
		}
	}
	if us := o.HQ("US"); us.N != 0 || us.Of != 7 || len(us.Deployments) != 0 {
		t.Errorf("US: %+v", us)
	}
	// Southeast Asia: ph-1, ph-2, my-1, my-2; CN 1/4 (of known 1/2).
	// South Asia: in-1, pk-1, pk-2; CN 1/3 (of known 1/2).
	if len(n.BySubregion) != 2 || n.BySubregion[0].Subregion != "southeast_asia" || n.BySubregion[1].Subregion != "south_asia" {
		t.Fatalf("subregions: %+v", n.BySubregion)
	}
	sea, sa := n.BySubregion[0], n.BySubregion[1]
	if cn := sea.HQ("CN"); cn.N != 1 || cn.Of != 4 || cn.OfKnown != 2 || !slices.Equal(cn.Deployments, netIDs("ph-1")) {
		t.Errorf("southeast_asia CN: %+v", cn)
	}
	if cn := sa.HQ("CN"); cn.N != 1 || cn.Of != 3 || cn.OfKnown != 2 || !slices.Equal(cn.Deployments, netIDs("pk-1")) {
		t.Errorf("south_asia CN: %+v", cn)
	}

	// Documented only, in Southeast Asia: ph-1, my-1, my-2; CN 1/3, of
	// known 1/1.
	n, err = BuildNetwork(ctx, db, NetworkQuery{Subregion: "southeast_asia", Certainty: "documented"})
	if err != nil {
		t.Fatal(err)
	}
	if cn := n.Overall.HQ("CN"); cn.N != 1 || cn.Of != 3 || cn.OfKnown != 1 || cn.ShareOfKnown != 1 {
		t.Errorf("documented southeast_asia CN: %+v", cn)
	}
	check("documented southeast_asia", n.Deployments, netIDs("my-1", "my-2", "ph-1"))

	// Technology and jurisdictions: cctv in PK and IN → pk-1 and in-1.
	n, err = BuildNetwork(ctx, db, NetworkQuery{Jurisdictions: []string{"PK", "IN"}, Capability: "cctv"})
	if err != nil {
		t.Fatal(err)
	}
	check("cctv in PK, IN", n.Deployments, netIDs("in-1", "pk-1"))

	if _, err := BuildNetwork(ctx, db, NetworkQuery{Subregion: "europe"}); err == nil || !strings.Contains(err.Error(), "southeast_asia") {
		t.Errorf("unknown subregion: %v", err)
	}
}

func TestNetworkEdgesAndLenders(t *testing.T) {
	t.Parallel()
	n, err := BuildNetwork(context.Background(), testreg.Open(t, networkSet()), NetworkQuery{})
	if err != nil {
		t.Fatal(err)
	}
	// One edge per (vendor, jurisdiction): anon-MY, anon-PH, bank-PH,
	// bank-PK, cn-a-PH, cn-a-PK, cn-b-IN, cn-b-PK, fund-PK, jp-a-PH, jp-a-PK.
	if len(n.Edges) != 11 {
		t.Fatalf("%d edges: %+v", len(n.Edges), n.Edges)
	}
	edge := map[string]Edge{}
	for _, e := range n.Edges {
		edge[e.Vendor+"/"+e.Jurisdiction] = e
	}
	if e := edge["cn-a/PK"]; !slices.Equal(e.Deployments, netIDs("pk-1")) || !slices.Equal(e.Roles, netIDs("prime")) ||
		!slices.Equal(e.Technologies, netIDs("cctv", "lpr_anpr")) || e.Headquarters != "CN" || e.Subregion != "south_asia" {
		t.Errorf("cn-a/PK: %+v", e)
	}
	if e := edge["anon/MY"]; e.Headquarters != "unknown" || !slices.Equal(e.Roles, netIDs("software")) {
		t.Errorf("anon/MY: %+v", e)
	}
	if e := edge["cn-b/IN"]; !slices.Equal(e.Roles, netIDs("unknown")) {
		t.Errorf("cn-b/IN: %+v", e)
	}
	// bank/PK carries pk-1's two bank entries; the first has AidData id 2.
	if e := edge["bank/PK"]; len(e.Financing) != 2 || e.Financing[0].AidDataID != 2 || *e.Financing[0].AmountUSD2021 != 210 || e.Financing[1].Amount != nil {
		t.Errorf("bank/PK: %+v", e)
	}
	if e := edge["fund/PK"]; len(e.Financing) != 1 || e.Financing[0].Currency != "EUR" || e.Headquarters != "unknown" {
		t.Errorf("fund/PK: %+v", e)
	}

	// Lenders: bank (PH, PK; 110 + 210 = 320 USD-2021 over 2 entries, 1 of
	// unknown amount), then fund (PK; 50 EUR, nothing in USD-2021).
	if len(n.Lenders) != 2 {
		t.Fatalf("lenders: %+v", n.Lenders)
	}
	bank, fund := n.Lenders[0], n.Lenders[1]
	if bank.Vendor != "bank" || bank.USD2021 != 320 || bank.USD2021Flows != 2 || bank.UnknownAmount != 1 || len(bank.Flows) != 3 ||
		!slices.Equal(bank.Jurisdictions, netIDs("PH", "PK")) || !slices.Equal(bank.Deployments, netIDs("ph-1", "pk-1")) || bank.Type != "state_bank" {
		t.Errorf("bank: %+v", bank)
	}
	if fund.Vendor != "fund" || fund.USD2021 != 0 || fund.USD2021Flows != 0 || fund.UnknownAmount != 0 || len(fund.Flows) != 1 ||
		*fund.Flows[0].Amount != 50 || fund.Flows[0].Currency != "EUR" || fund.Headquarters != "unknown" {
		t.Errorf("fund: %+v", fund)
	}
	// my-2's budget names no lender.
	if len(n.Unattributed) != 1 || n.Unattributed[0].Deployment != "my-2" || n.Unattributed[0].Currency != "MYR" {
		t.Errorf("unattributed: %+v", n.Unattributed)
	}
}

// TestBuiltinSoutheastAsiaPRC answers "what share of Southeast Asian
// deployments were supplied by PRC-headquartered vendors?" on the built-in
// register, and checks that the rows behind the answer are the right ones.
func TestBuiltinSoutheastAsiaPRC(t *testing.T) {
	t.Parallel()
	set, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	sub := map[string]string{}
	for _, j := range set.Jurisdictions {
		sub[j.Code] = j.Subregion
	}
	juris := map[string]string{}
	for _, d := range set.Deployments {
		juris[d.ID] = d.Jurisdiction
	}
	db := testreg.Open(t, set)
	for _, cert := range []string{"", "documented"} {
		n, err := BuildNetwork(context.Background(), db, NetworkQuery{Subregion: "southeast_asia", Certainty: cert})
		if err != nil {
			t.Fatal(err)
		}
		s := n.Overall
		cn := s.HQ("CN")
		t.Logf("certainty %q: CN %d/%d (%.0f%%), of known-HQ %d/%d; unknown HQ %d, unknown role %d, no supplier %d",
			cert, cn.N, cn.Of, 100*cn.Share, cn.N, cn.OfKnown, len(s.UnknownHQ), len(s.UnknownRole), len(s.NoSupplier))
		if cn.Of == 0 || cn.N > cn.OfKnown || cn.OfKnown > cn.Of || cn.N != len(cn.Deployments) || cn.Of != len(s.Deployments) {
			t.Errorf("certainty %q: CN %+v", cert, cn)
		}
		if got := len(s.Supplied) + len(s.UnknownHQ) + len(s.UnknownRole) + len(s.NoSupplier); got != len(s.Deployments) {
			t.Errorf("certainty %q: the parts add to %d of %d", cert, got, len(s.Deployments))
		}
		for _, list := range [][]string{s.Deployments, s.Supplied, cn.Deployments, s.UnknownHQ, s.UnknownRole, s.NoSupplier} {
			for _, id := range list {
				if sub[juris[id]] != "southeast_asia" {
					t.Errorf("%s is in %s (%s)", id, juris[id], sub[juris[id]])
				}
			}
		}
		for _, id := range cn.Deployments {
			if !slices.Contains(s.Supplied, id) {
				t.Errorf("%s counted for CN but not as supplied", id)
			}
		}
		if len(n.BySubregion) != 1 || n.BySubregion[0].Subregion != "southeast_asia" {
			t.Errorf("by subregion: %+v", n.BySubregion)
		}
	}
}
