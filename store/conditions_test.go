package store

import (
	"context"
	"testing"

	"oversight/internal/fixture"
	"oversight/registry"
)

// TestConditionsOfCommonWords: words on more deployments than fewMatches
// are counted by the facets and the counts' examples (conditions), whose
// statements read deployments d without their entities, as they are
// listed.
func TestConditionsOfCommonWords(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	apply(t, db, fixture.Set(30))
	defer func(was int) { fewMatches = was }(fewMatches)
	fewMatches = 1 // every word is common
	f := registry.DeploymentFilter{Q: "harbour"}
	page, err := db.Deployments(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) < 2 {
		t.Fatalf("%d deployments hold the word, want several", len(page.Items))
	}
	got, err := db.Facets(ctx, f, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := sum(got.Jurisdiction); n != len(page.Items) {
		t.Errorf("the facets count %d deployments, the list %d", n, len(page.Items))
	}
	var cells []registry.Cell
	seen := map[registry.Cell]bool{}
	for _, d := range page.Items {
		c := registry.Cell{Jurisdiction: d.Jurisdiction, Year: d.Year(), Limit: len(page.Items)}
		if !seen[c] {
			seen[c] = true
			cells = append(cells, c)
		}
	}
	ids, err := db.FirstDeployments(ctx, f, cells, len(page.Items))
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != len(page.Items) {
		t.Errorf("the counts' examples are %d deployments, the list %d", len(ids), len(page.Items))
	}
}
