package store

import (
	"context"
	"testing"

	"oversight/internal/fixture"
)

func TestSources(t *testing.T) {
	t.Parallel()
	db := open(t)
	apply(t, db, fixture.Set(3))
	p, err := db.Sources(context.Background(), "", 0)
	if err != nil {
		t.Fatal(err)
	}
	// The fixture cites two URLs: s1 (jurisdictions and vendors) and a (deployments).
	if len(p.Items) != 2 || len(p.Items[0].CitedBy) != 3 || len(p.Items[1].CitedBy) != 5 {
		t.Fatalf("sources: %+v", p.Items)
	}
}
