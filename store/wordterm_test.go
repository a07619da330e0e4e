package store

import (
	"context"
	"slices"
	"strings"
	"testing"

	"oversight/internal/fixture"
	"oversight/registry"
)

// TestWordsAmongFilters pages through searches of words with other
// filters, read from deployment_words (each word a filter tested by a
// probe of its lists), and through the full-text index as before, which
// give the same deployments; and requires that the first reads no
// full-text index for words deployment_words lists.
func TestWordsAmongFilters(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	apply(t, db, fixture.Set(48))
	for _, f := range []registry.DeploymentFilter{
		{Q: "harb", Jurisdictions: []string{"PK"}},
		{Q: "metro synthetic", Jurisdictions: []string{"KZ"}},
		{Q: "metro", Vendor: "vendor-a"}, // no deployment holds both
		{Q: "river", Jurisdictions: []string{"PH", "KZ"}, Certainty: "documented"},
		{Q: "zzz", Jurisdictions: []string{"PK"}}, // no word of the register: no list read
		{Q: "airport synth"},                      // two words, each a list
	} {
		var got [2][]string
		for i, words := range []bool{true, false} {
			r := db.reader
			r.d.words = words
			g := f
			g.Limit = 2
			for range 100 {
				stmts, err := r.DeploymentsQueries(ctx, g)
				if err != nil {
					t.Fatal(err)
				}
				fts := slices.ContainsFunc(stmts, func(s Statement) bool { return strings.Contains(s.SQL, "deployments_fts") })
				lists := slices.ContainsFunc(stmts, func(s Statement) bool { return strings.Contains(s.SQL, "deployment_words") })
				if words && (fts || !lists && f.Q != "zzz") {
					t.Fatalf("%+v: read from the words' lists, the page runs %v", f, stmts)
				}
				if !words && !fts {
					t.Fatalf("%+v: read from the full-text index, the page runs %v", f, stmts)
				}
				p, err := r.Deployments(ctx, g)
				if err != nil {
					t.Fatal(err)
				}
				for _, d := range p.Items {
					got[i] = append(got[i], d.ID)
				}
				if g.Cursor = p.Next; p.Next == "" {
					break
				}
			}
		}
		if !slices.Equal(got[0], got[1]) {
			t.Errorf("%+v: from the words' lists %v, from the full-text index %v", f, got[0], got[1])
		}
		if f.Q != "zzz" && f.Vendor == "" && len(got[0]) < 2 {
			t.Errorf("%+v: %d deployments, want several: the test shows little", f, len(got[0]))
		}
	}
}
