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
// probe of its lists, or its list merged with a jurisdiction's), and
// through the full-text index as before, which give the same deployments;
// and requires that the first reads no full-text index for words
// deployment_words lists, and merges the lists where each filter is one
// (intersect.go).
func TestWordsAmongFilters(t *testing.T) {
	db := open(t)
	apply(t, db, fixture.Set(48))
	for _, c := range []struct {
		f     registry.DeploymentFilter
		merge bool // the lists merged
		union bool // a word's forms' lists merged first
	}{
		{registry.DeploymentFilter{Q: "harb", Jurisdictions: []string{"PK"}}, true, false},
		{registry.DeploymentFilter{Q: "metro synthetic", Jurisdictions: []string{"KZ"}, Certainty: "reported"}, true, false},
		{registry.DeploymentFilter{Q: "metro", Jurisdictions: []string{"PK"}, Status: "zzz"}, true, false}, // no deployment has the status
		{registry.DeploymentFilter{Q: "metro", Vendors: []string{"vendor-a"}}, false, false},               // no deployment holds both
		{registry.DeploymentFilter{Q: "river", Jurisdictions: []string{"PH", "KZ"}, Certainty: "documented"}, false, false},
		{registry.DeploymentFilter{Q: "zzz", Jurisdictions: []string{"PK"}}, false, false}, // no word of the register: no list read
		{registry.DeploymentFilter{Q: "airport synth"}, true, false},                       // two words, each a list
		// Words of several forms (r: real, record, river; s: summit,
		// synthetic): one is merged as the union of its lists, first;
		// two are listed here, each filter few (TestListWalk walks them).
		{registry.DeploymentFilter{Q: "r", Jurisdictions: []string{"PK"}}, true, true},
		{registry.DeploymentFilter{Q: "metro r", Jurisdictions: []string{"KZ"}}, true, true},
		{registry.DeploymentFilter{Q: "ri s", Jurisdictions: []string{"PH"}, Certainty: "documented"}, true, true},
		{registry.DeploymentFilter{Q: "r s", Jurisdictions: []string{"PH"}}, false, false},
	} {
		f := c.f
		var got [2][]string
		for i, words := range []bool{true, false} {
			r := db.reader
			r.d.words = words
			g := f
			g.Limit = 2
			got[i] = pageIDs(t, &r, g, func(stmts []Statement) {
				fts := slices.ContainsFunc(stmts, func(s Statement) bool { return strings.Contains(s.SQL, "deployments_fts") })
				lists := slices.ContainsFunc(stmts, func(s Statement) bool { return strings.Contains(s.SQL, "deployment_words") })
				if words && (fts || !lists && f.Q != "zzz") {
					t.Fatalf("%+v: read from the words' lists, the page runs %v", f, stmts)
				}
				merged := slices.ContainsFunc(stmts, func(s Statement) bool { return strings.Contains(s.SQL, " INTERSECT ") })
				if words && merged != c.merge {
					t.Fatalf("%+v: merged %v, want %v: the page runs %v", f, merged, c.merge, stmts)
				}
				union := slices.ContainsFunc(stmts, func(s Statement) bool {
					return strings.Contains(s.SQL, " UNION SELECT deployment_id FROM deployment_words WHERE word")
				})
				if words && c.merge && union != c.union {
					t.Fatalf("%+v: a union of forms %v, want %v: the page runs %v", f, union, c.union, stmts)
				}
				if !words && !fts {
					t.Fatalf("%+v: read from the full-text index, the page runs %v", f, stmts)
				}
			})
		}
		if !slices.Equal(got[0], got[1]) {
			t.Errorf("%+v: from the words' lists %v, from the full-text index %v", f, got[0], got[1])
		}
		if f.Q != "zzz" && f.Vendors == nil && f.Status == "" && len(got[0]) < 2 {
			t.Errorf("%+v: %d deployments, want several: the test shows little", f, len(got[0]))
		}
	}
}

// pageIDs pages through the deployments f selects, read by r, 100 pages
// at most, and returns their ids in order; check is given the statements
// of each page before it is read.
func pageIDs(t *testing.T, r *reader, f registry.DeploymentFilter, check func([]Statement)) []string {
	t.Helper()
	ctx := context.Background()
	var ids []string
	for range 100 {
		stmts, err := r.DeploymentsQueries(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		check(stmts)
		p, err := r.Deployments(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range p.Items {
			ids = append(ids, d.ID)
		}
		if f.Cursor = p.Next; p.Next == "" {
			break
		}
	}
	return ids
}
