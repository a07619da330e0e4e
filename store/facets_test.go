package store

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"testing"

	"oversight/internal/fixture"
	"oversight/registry"
	"oversight/synth"
)

// TestFacetsCounted checks that the facets summed from deployment_counts
// are those the GROUP BY queries count, each facet alone or those a
// filter leaves alike over one read of its deployments, for every filter
// the counts cover, alone and in pairs, on a register after updates, a
// retraction and merges; and that Facets sums them for exactly those
// filters.
func TestFacetsCounted(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base := builtinSet(t)
	db := open(t)
	apply(t, db, base)
	ds := synth.Batch(base, 7, 0, 200)
	apply(t, db, &registry.Set{Deployments: ds})
	var changed []*registry.Deployment
	for i, d := range ds[:30] {
		c := *d
		switch i % 3 {
		case 0:
			c.System.Capabilities, c.System.Purposes = nil, nil
		case 1:
			c.Dates = nil
		case 2:
			c.Vendors = append(c.Vendors[:len(c.Vendors):len(c.Vendors)], registry.VendorRole{Vendor: base.Vendors[i].ID, Role: "integrator", Sources: []string{"synthetic"}})
		}
		changed = append(changed, &c)
	}
	apply(t, db, &registry.Set{Deployments: changed})
	meta := Meta{Author: "test", Reason: "a test of the facet counts"}
	if _, err := db.Retract(ctx, "deployment", ds[40].ID, meta); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Merge(ctx, "deployment", ds[41].ID, ds[42].ID, meta); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Merge(ctx, "vendor", base.Vendors[0].ID, base.Vendors[1].ID, meta); err != nil {
		t.Fatal(err)
	}
	verifyOK(t, db)

	d := base.Deployments[0]
	vendor, hq := "", ""
	for _, v := range base.Vendors[2:] {
		if v.Headquarters != "" {
			vendor, hq = v.ID, v.Headquarters
			break
		}
	}
	// A purpose of the built-in records, and the rarest of the purposes
	// written.
	purpose, rare := "", ""
	for _, b := range base.Deployments {
		if len(b.System.Purposes) > 0 {
			purpose = b.System.Purposes[0]
			break
		}
	}
	byPurpose, err := db.queriedFacets(ctx, registry.DeploymentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for pu, n := range byPurpose.Purpose {
		if rare == "" || n < byPurpose.Purpose[rare] || n == byPurpose.Purpose[rare] && pu < rare {
			rare = pu
		}
	}
	if purpose == "" || rare == "" || rare == purpose {
		t.Fatalf("purposes %q and %q: want two of the register's", purpose, rare)
	}
	singles := []registry.DeploymentFilter{
		{Jurisdictions: []string{d.Jurisdiction}},
		{Jurisdictions: []string{"PK", "IN", "CN"}},
		{Subregion: "southeast_asia"},
		{Vendors: []string{vendor}},
		{Vendors: []string{vendor, base.Vendors[len(base.Vendors)-1].ID}},
		{VendorHQ: hq},
		{Capability: "cctv"},
		{Status: d.Status.Value},
		{Certainty: "reported"},
		{YearFrom: 2015},
		{YearTo: 2018},
		{YearFrom: 2012, YearTo: 2019},
		{Purpose: purpose},
		{Purpose: rare},
	}
	filters := []registry.DeploymentFilter{{}, {Q: `" ( -`}}
	filters = append(filters, singles...)
	for i, a := range singles {
		for _, b := range singles[i+1:] {
			filters = append(filters, both(a, b))
		}
	}
	var ids []string
	for _, d := range append(base.Deployments, ds...) {
		ids = append(ids, d.ID)
	}
	for _, f := range filters {
		t.Run(fmt.Sprintf("%+v", f), func(t *testing.T) {
			if !countable(f) {
				t.Fatal("the counts do not cover it")
			}
			counted, err := db.Facets(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			queried, err := db.queriedFacets(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			sameFacets(t, counted, queried)
			// With every id, the facets whose own filter f does not set
			// are counted over one read of the deployments
			// (sharedFacets), the others each by its own query.
			withIDs := f
			withIDs.IDs = ids
			shared, err := db.queriedFacets(ctx, withIDs)
			if err != nil {
				t.Fatal(err)
			}
			sameFacets(t, counted, shared)
		})
	}
	all, err := db.Facets(ctx, registry.DeploymentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if n := sum(all.Jurisdiction); n != len(base.Deployments)+len(ds)-2 {
		t.Errorf("whole register: jurisdiction counts add up to %d, want %d", n, len(base.Deployments)+len(ds)-2)
	}
	// Words, ids and tiers are not in the counts: Facets queries.
	for _, f := range []registry.DeploymentFilter{{Q: "harbour"}, {IDs: []string{d.ID}}, {Tier: &registry.TierFilter{}}} {
		if countable(f) {
			t.Errorf("%+v: summed from counts that cannot say it", f)
		}
	}
	f := registry.DeploymentFilter{Q: "city", Capability: "cctv"}
	words, err := db.Facets(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if sum(words.Jurisdiction) == 0 {
		t.Errorf("%+v selects nothing: the test proves nothing", f)
	}
}

// both is the filter of a's conditions and b's; where both have one of
// a kind, a's.
func both(a, b registry.DeploymentFilter) registry.DeploymentFilter {
	if a.Jurisdictions == nil {
		a.Jurisdictions = b.Jurisdictions
	}
	a.Subregion = cmp.Or(a.Subregion, b.Subregion)
	if a.Vendors == nil {
		a.Vendors = b.Vendors
	}
	a.VendorHQ = cmp.Or(a.VendorHQ, b.VendorHQ)
	a.Capability = cmp.Or(a.Capability, b.Capability)
	a.Status = cmp.Or(a.Status, b.Status)
	a.Certainty = cmp.Or(a.Certainty, b.Certainty)
	a.YearFrom = cmp.Or(a.YearFrom, b.YearFrom)
	a.YearTo = cmp.Or(a.YearTo, b.YearTo)
	a.Purpose = cmp.Or(a.Purpose, b.Purpose)
	return a
}

func sameFacets(t *testing.T, counted, queried *registry.Facets) {
	t.Helper()
	for _, c := range []struct {
		name      string
		got, want map[string]int
	}{
		{"jurisdiction", counted.Jurisdiction, queried.Jurisdiction},
		{"technology", counted.Technology, queried.Technology},
		{"status", counted.Status, queried.Status},
		{"vendor", counted.Vendor, queried.Vendor},
		{"purpose", counted.Purpose, queried.Purpose},
	} {
		if !maps.Equal(c.got, c.want) {
			t.Errorf("facet %s: summed %v, queried %v", c.name, c.got, c.want)
		}
	}
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// TestFacetsManyMatches checks that the facets of a text search count
// when the words match many deployments, which the search tests as the
// deployments are walked (searchCondition) rather than listing them: the
// test names the revision of the walked deployment's entity, which the
// facets' statements must join. And that words facetWords deployments or
// more hold are not counted.
func TestFacetsManyMatches(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	apply(t, db, fixture.Set(30))
	defer func(was int) { db.d.facetWords = was }(db.d.facetWords)
	for _, c := range []struct {
		q       string
		counted bool
	}{{"synthetic", false}, {"harbour", false}, {"nosuchword", true}, {`" ( -`, true}} {
		db.d.facetWords = 4 // "harbour" is on 4 of 30
		got, err := db.Facets(ctx, registry.DeploymentFilter{Q: c.q})
		if err != nil || (got != nil) != c.counted {
			t.Errorf("q %q, counted when held by fewer than %d: %v (%v), want counted %v", c.q, db.d.facetWords, got, err, c.counted)
		}
	}
	db.d.facetWords = 5000
	defer func(was int) { db.d.fewMatches = was }(db.d.fewMatches)
	for _, few := range []int{db.d.fewMatches, 1} {
		db.d.fewMatches = few
		for _, f := range []registry.DeploymentFilter{
			{Q: "synthetic"},
			{Q: "harbour", Jurisdictions: []string{"PH"}},
			{Q: "synthetic", Capability: "lpr_anpr", Status: "pilot"},
		} {
			got, err := db.Facets(ctx, f)
			if err != nil {
				t.Fatalf("%+v with at most %d listed: %v", f, few, err)
			}
			var want int
			err = db.EachDeployment(ctx, f, func(*registry.Deployment) error { want++; return nil })
			if err != nil {
				t.Fatal(err)
			}
			if f.Jurisdictions == nil {
				if n := sum(got.Jurisdiction); n != want {
					t.Errorf("%+v with at most %d listed: jurisdiction counts add up to %d, want %d", f, few, n, want)
				}
			}
			if n := sum(got.Status); f.Status == "" && n != want {
				t.Errorf("%+v with at most %d listed: status counts add up to %d, want %d", f, few, n, want)
			}
		}
	}
}
