package store

import (
	"context"
	"maps"
	"slices"
	"testing"

	"oversight/internal/fixture"
	"oversight/registry"
)

// TestPurposeFacets: a purpose filter's facets are summed from
// deployment_counts (migration 024), each facet what choosing its value
// would give, with the purpose and the other filters in force, the
// purposes' own facet included; the same beside words, counted over the
// deployments they select; and, beside ids, not at all where the
// purpose's deployments are facetWords or more.
func TestPurposeFacets(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	set := fixture.Set(30)
	for i, d := range set.Deployments {
		if i%3 == 0 {
			d.System.Purposes = append(d.System.Purposes, "crowd_management")
		}
	}
	apply(t, db, set)
	first := set.Deployments[0] // for crowd management
	for _, f := range []registry.DeploymentFilter{
		{Purpose: "crowd_management"},
		{Purpose: "crowd_management", Capability: "cctv"},
		{Purpose: "crowd_management", Jurisdictions: []string{first.Jurisdiction}, Status: first.Status.Value},
	} {
		if !countable(f) {
			t.Fatalf("%+v: not summed from the counts", f)
		}
		got, err := db.Facets(ctx, f)
		if err != nil || got == nil {
			t.Fatalf("%+v: %v, %v", f, got, err)
		}
		// The same filter with a word every fixture deployment holds is
		// counted over what the words select: the same facets.
		worded := f
		worded.Q = "synthetic"
		byWords, err := db.Facets(ctx, worded)
		if err != nil || byWords == nil || countable(worded) {
			t.Fatalf("%+v: %v, %v", worded, byWords, err)
		}
		// Each facet as choosing its value would give: its own filter
		// left out, the others kept.
		want := registry.Facets{Jurisdiction: map[string]int{}, Technology: map[string]int{}, Status: map[string]int{}, Vendor: map[string]int{}, Purpose: map[string]int{}}
		for _, d := range set.Deployments {
			in := func(own string) bool {
				return (own == "purpose" || slices.Contains(d.System.Purposes, f.Purpose)) &&
					(own == "jurisdiction" || f.Jurisdictions == nil || slices.Contains(f.Jurisdictions, d.Jurisdiction)) &&
					(own == "technology" || f.Capability == "" || slices.Contains(d.System.Capabilities, f.Capability)) &&
					(own == "status" || f.Status == "" || d.Status.Value == f.Status)
			}
			if in("purpose") {
				for _, pu := range d.System.Purposes {
					want.Purpose[pu]++
				}
			}
			if in("jurisdiction") {
				want.Jurisdiction[d.Jurisdiction]++
			}
			if in("technology") {
				for _, c := range d.System.Capabilities {
					want.Technology[c]++
				}
			}
			if in("status") {
				want.Status[d.Status.Value]++
			}
			if in("vendor") {
				for _, v := range d.Vendors {
					want.Vendor[v.Vendor]++
				}
			}
		}
		if sum(want.Status) == 0 || len(want.Purpose) < 2 {
			t.Fatalf("%+v selects nothing, or under one purpose: the test proves little", f)
		}
		for _, facets := range []*registry.Facets{got, byWords} {
			for _, c := range []struct {
				name      string
				got, want map[string]int
			}{{"jurisdiction", facets.Jurisdiction, want.Jurisdiction}, {"technology", facets.Technology, want.Technology}, {"status", facets.Status, want.Status}, {"vendor", facets.Vendor, want.Vendor}, {"purpose", facets.Purpose, want.Purpose}} {
				if !maps.Equal(c.got, c.want) {
					t.Errorf("%+v: facet %s %v, want %v", f, c.name, c.got, c.want)
				}
			}
		}
	}
	defer func(was int) { db.d.facetWords = was }(db.d.facetWords)
	db.d.facetWords = 10 // crowd management is on 10 of 30
	if got, err := db.Facets(ctx, registry.DeploymentFilter{Purpose: "crowd_management"}); got == nil || err != nil {
		t.Errorf("a purpose on facetWords deployments, alone: %v, %v; want it summed", got, err)
	}
	var ids []string
	for _, d := range set.Deployments {
		ids = append(ids, d.ID)
	}
	if got, err := db.Facets(ctx, registry.DeploymentFilter{Purpose: "crowd_management", IDs: ids}); got != nil || err != nil {
		t.Errorf("a purpose on facetWords deployments, with ids: counted (%v, %v), want nil", got, err)
	}
}
