package api

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"oversight/analysis"
)

// In fixture.Set(12), PH (southeast_asia) has deployments 1, 4, 7 and 10:
// 1 and 7 supplied by vendor-b (JP, reported), 4 and 10 by vendor-a (CN,
// documented). Deployment i is dated 2010+i.
func TestNetworkEndpoint(t *testing.T) {
	srv, _ := newServer(t, 12)
	var n analysis.Network
	getJSON(t, srv, "/api/v1/network?subregion=southeast_asia", &n)
	cn := n.Overall.HQ("CN")
	if cn.N != 2 || cn.Of != 4 || cn.OfKnown != 4 || cn.Share != 0.5 ||
		!slices.Equal(cn.Deployments, []string{"synthetic-ph-0000004", "synthetic-ph-0000010"}) {
		t.Errorf("southeast_asia CN: %+v", cn)
	}
	if len(n.Edges) != 2 || len(n.BySubregion) != 1 || n.BySubregion[0].Subregion != "southeast_asia" {
		t.Errorf("edges %+v, subregions %+v", n.Edges, n.BySubregion)
	}
	n = analysis.Network{}
	getJSON(t, srv, "/api/v1/network?jurisdiction=ph,kz&certainty=documented", &n)
	for _, id := range n.Deployments {
		if !strings.HasPrefix(id, "synthetic-ph-") && !strings.HasPrefix(id, "synthetic-kz-") {
			t.Errorf("%s is not in PH or KZ", id)
		}
	}
	if cn := n.Overall.HQ("CN"); cn.N != len(n.Deployments) || cn.Of != len(n.Deployments) {
		t.Errorf("documented deployments are all vendor-a's: %+v of %v", cn, n.Deployments)
	}
}

func TestNetworkEndpointErrors(t *testing.T) {
	srv, _ := newServer(t, 3)
	for _, c := range []struct {
		path, location, allowed string
	}{
		{"/api/v1/network?subregion=europe", "query.subregion", "southeast_asia"},
		{"/api/v1/network?certainty=likely", "query.certainty", "documented"},
		{"/api/v1/trends?technology=faces", "query.technology", "remote_biometric_identification"},
		{"/api/v1/trends?jurisdiction=PH,Philippines", "query.jurisdiction", ""},
		{"/api/v1/network?year_from=2020&year_to=2010", "query.year_from", ""},
		{"/api/v1/network?vendor=vendor-a", "query.vendor", "subregion"},
	} {
		resp, b := get(t, srv, c.path)
		var p struct{ Errors []fieldError }
		json.Unmarshal(b, &p)
		if resp.StatusCode != 400 || len(p.Errors) != 1 || p.Errors[0].Location != c.location ||
			(c.allowed != "" && !slices.Contains(p.Errors[0].Allowed, c.allowed)) {
			t.Errorf("%s: %d %s", c.path, resp.StatusCode, b)
		}
	}
}

func TestTrendsEndpoint(t *testing.T) {
	srv, _ := newServer(t, 12)
	var tt analysis.TrendTable
	getJSON(t, srv, "/api/v1/trends?jurisdiction=PH", &tt)
	// PH: 2011, 2014, 2017, 2020, one each.
	want := []string{"2011", "2012", "2013", "2014", "2015", "2016", "2017", "2018", "2019", "2020", "undated"}
	if !slices.Equal(tt.Years, want) || tt.Totals.Total != 4 {
		t.Fatalf("years %v, total %d", tt.Years, tt.Totals.Total)
	}
	if c := tt.Totals.Cells[3]; c.Year != "2014" || c.N != 1 || !slices.Equal(c.Deployments, []string{"synthetic-ph-0000004"}) {
		t.Errorf("2014: %+v", c)
	}
	if len(tt.BySubregion) != 1 || tt.BySubregion[0].Key != "southeast_asia" || tt.BySubregion[0].Total != 4 {
		t.Errorf("by subregion: %+v", tt.BySubregion)
	}
	sum := 0
	for _, r := range tt.ByTechnology {
		sum += r.Total
	}
	if sum != 4 { // each synthetic deployment has one capability
		t.Errorf("technology rows add to %d", sum)
	}
}

// TestNetworkAndTrendsCut checks on a register of more than
// analysis.ListMax deployments per list that the answers list ListMax ids
// and give the totals, that the network's size does not grow with the
// register, and that the vendor page lists ListMax deployments but counts
// them all.
func TestNetworkAndTrendsCut(t *testing.T) {
	const size = 7 * analysis.ListMax // each (vendor, jurisdiction) a sixth
	srv, _ := newServer(t, size)
	var n analysis.Network
	getJSON(t, srv, "/api/v1/network", &n)
	if n.DeploymentsTotal != size || len(n.Deployments) != analysis.ListMax || n.Deployments[0] != "synthetic-kz-0000002" {
		t.Errorf("deployments: %d listed of %d, from %v", len(n.Deployments), n.DeploymentsTotal, n.Deployments[:1])
	}
	cn := n.Overall.HQ("CN") // the even deployments
	if cn.N != size/2 || cn.DeploymentsTotal != size/2 || len(cn.Deployments) != analysis.ListMax || cn.Of != size || cn.Share != 0.5 {
		t.Errorf("CN: n %d, %d listed of %d, of %d", cn.N, len(cn.Deployments), cn.DeploymentsTotal, cn.Of)
	}
	if o := n.Overall; o.SuppliedTotal != size || len(o.Supplied) != analysis.ListMax || o.NoSupplierTotal != 0 {
		t.Errorf("supplied: %d listed of %d", len(o.Supplied), o.SuppliedTotal)
	}
	// Six edges, of 116 or 117 deployments each.
	sum := 0
	for _, e := range n.Edges {
		sum += e.DeploymentsTotal
		if e.DeploymentsTotal < size/6 || len(e.Deployments) != analysis.ListMax {
			t.Errorf("edge %s/%s: %d listed of %d", e.Vendor, e.Jurisdiction, len(e.Deployments), e.DeploymentsTotal)
		}
	}
	if len(n.Edges) != 6 || sum != size {
		t.Errorf("%d edges of %d deployments", len(n.Edges), sum)
	}

	// The response does not grow with the register: twice the deployments,
	// no more bytes than a few counts' digits.
	_, small := get(t, srv, "/api/v1/network")
	srv2, _ := newServer(t, 2*size)
	_, large := get(t, srv2, "/api/v1/network")
	if len(large) > len(small)+200 {
		t.Errorf("network: %d bytes for %d deployments, %d for %d", len(small), size, len(large), 2*size)
	}

	// Trend cells are cut too (analysis tests cells of more than ListMax);
	// here each year has fewer.
	var tt analysis.TrendTable
	getJSON(t, srv, "/api/v1/trends", &tt)
	sum = 0
	for _, c := range tt.Totals.Cells {
		sum += c.N
		if c.DeploymentsTotal != c.N || len(c.Deployments) != min(c.N, analysis.ListMax) {
			t.Errorf("%s: %d listed of %d (total %d)", c.Year, len(c.Deployments), c.N, c.DeploymentsTotal)
		}
	}
	if tt.Totals.Total != size || sum != size {
		t.Errorf("trends: total %d, cells add to %d", tt.Totals.Total, sum)
	}
}
