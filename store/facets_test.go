package store

import (
	"context"
	"maps"
	"slices"
	"testing"

	"oversight/internal/fixture"
	"oversight/registry"
)

// TestFacetsBase checks that the whole register's counts, handed in as
// base, answer exactly the facets whose other filters select everything,
// and that the counts are those the database makes either way.
func TestFacetsBase(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	apply(t, db, fixture.Set(30))
	all, err := db.Facets(ctx, registry.DeploymentFilter{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := sum(all.Jurisdiction); n != 30 {
		t.Fatalf("whole register: jurisdiction counts add up to %d, want 30", n)
	}
	// A base that differs from every true count shows where it is read.
	marked := &registry.Facets{Jurisdiction: map[string]int{"base": 1}, Technology: map[string]int{"base": 1},
		Status: map[string]int{"base": 1}, Vendor: map[string]int{"base": 1}}
	for _, c := range []struct {
		name     string
		f        registry.DeploymentFilter
		fromBase []string // the facets base answers
	}{
		{"no filter", registry.DeploymentFilter{}, []string{"jurisdiction", "technology", "status", "vendor"}},
		{"punctuation only", registry.DeploymentFilter{Q: `" ( -`}, []string{"jurisdiction", "technology", "status", "vendor"}},
		{"a jurisdiction", registry.DeploymentFilter{Jurisdictions: []string{"PH"}}, []string{"jurisdiction"}},
		{"a status", registry.DeploymentFilter{Status: "pilot"}, []string{"status"}},
		{"a vendor", registry.DeploymentFilter{Vendor: "vendor-b"}, []string{"vendor"}},
		{"a technology", registry.DeploymentFilter{Capability: "lpr_anpr"}, []string{"technology"}},
		{"a jurisdiction and a status", registry.DeploymentFilter{Jurisdictions: []string{"PH"}, Status: "pilot"}, nil},
		{"a year", registry.DeploymentFilter{YearFrom: 2013}, nil},
		{"words", registry.DeploymentFilter{Q: "harbour"}, nil},
	} {
		got, err := db.Facets(ctx, c.f, marked)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		want, err := db.Facets(ctx, c.f, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		real, err := db.Facets(ctx, c.f, all)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for _, facet := range []struct {
			name             string
			got, want, exact map[string]int
		}{
			{"jurisdiction", got.Jurisdiction, want.Jurisdiction, real.Jurisdiction},
			{"technology", got.Technology, want.Technology, real.Technology},
			{"status", got.Status, want.Status, real.Status},
			{"vendor", got.Vendor, want.Vendor, real.Vendor},
		} {
			fromBase := facet.got["base"] == 1
			if fromBase != slices.Contains(c.fromBase, facet.name) {
				t.Errorf("%s: facet %s read from base: %v, want %v", c.name, facet.name, fromBase, !fromBase)
			}
			if !maps.Equal(facet.exact, facet.want) {
				t.Errorf("%s: facet %s with the whole register's counts as base: %v, counted: %v", c.name, facet.name, facet.exact, facet.want)
			}
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
	ctx := context.Background()
	db := open(t)
	apply(t, db, fixture.Set(30))
	defer func(was int) { facetWords = was }(facetWords)
	for _, c := range []struct {
		q       string
		counted bool
	}{{"synthetic", false}, {"harbour", false}, {"nosuchword", true}, {`" ( -`, true}} {
		facetWords = 4 // "harbour" is on 4 of 30
		got, err := db.Facets(ctx, registry.DeploymentFilter{Q: c.q}, nil)
		if err != nil || (got != nil) != c.counted {
			t.Errorf("q %q, counted when held by fewer than %d: %v (%v), want counted %v", c.q, facetWords, got, err, c.counted)
		}
	}
	facetWords = 5000
	defer func(was int) { fewMatches = was }(fewMatches)
	for _, few := range []int{fewMatches, 1} {
		fewMatches = few
		for _, f := range []registry.DeploymentFilter{
			{Q: "synthetic"},
			{Q: "harbour", Jurisdictions: []string{"PH"}},
			{Q: "synthetic", Capability: "lpr_anpr", Status: "pilot"},
		} {
			got, err := db.Facets(ctx, f, nil)
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
