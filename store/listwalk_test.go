package store

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"oversight/internal/fixture"
	"oversight/registry"
)

// TestListWalk pages through searches whose walk reads the merge of some
// of their lists (listwalk.go): two words of several forms, and words with
// a filter that has no ordered list, every filter common (none few), with
// the walk's budget as it is and at one deployment a row (each page then
// spends it in its first window, and lists a filter or reads on). Each
// gives the deployments the full-text index gives, every page's walk
// reads a word's lists and its deployments before their entities, and
// SQLite plans each statement as TestPagePlans requires.
func TestListWalk(t *testing.T) {
	db := open(t)
	apply(t, db, fixture.Set(48))
	defer func(l limits) { db.d.limits = l }(db.d.limits)
	for _, c := range []registry.DeploymentFilter{
		{Q: "r s"}, // r: real, record, river; s: summit, synthetic
		{Q: "r s", Jurisdictions: []string{"PH"}},
		{Q: "r s", Vendors: []string{"vendor-a"}},
		{Q: "r", Capability: "cctv"},
		{Q: "s", Capability: "cctv", Status: "active"},
		{Q: "r s", Capability: "cctv", Jurisdictions: []string{"PH"}},
		{Q: "synthetic r s", Certainty: "documented", Capability: "cctv"},
		{Q: "zzz s", Capability: "cctv"}, // no word of the register: no deployment
	} {
		for _, perRow := range []int{db.d.walkPerRow, 1} {
			for _, limit := range []int{1, 2, 5} {
				name := fmt.Sprintf("%+v, walk %d a row, pages of %d", c, perRow, limit)
				var got [2][]string
				for i, words := range []bool{true, false} {
					r := db.reader
					r.d.words = words
					r.d.fewMatches, r.d.firstPerRow, r.d.walkPerRow = 0, min(r.d.firstPerRow, perRow), perRow
					f := c
					f.Limit = limit
					got[i] = pageIDs(t, &r, f, func(stmts []Statement) {
						if !words {
							return
						}
						window := slices.ContainsFunc(stmts, func(s Statement) bool {
							return s.Page && strings.Contains(s.SQL, ") m CROSS JOIN deployments d") && !strings.Contains(s.SQL, "deployments_fts")
						})
						if !window && c.Q != "zzz s" {
							t.Fatalf("%s: the walk reads no word's lists: %v", name, stmts)
						}
						for _, st := range stmts {
							if msg := badPlan(t, db, st, f.Cursor != ""); msg != "" {
								t.Errorf("%s: %s\n%s", name, msg, st.SQL)
							}
							if st.Page && strings.Contains(st.SQL, ") m CROSS JOIN deployments d") {
								// Each deployment of the merge is tested
								// before its entity, the largest row, is read.
								plan, _ := explain(t, db, st)
								d := slices.IndexFunc(plan, func(l string) bool { return strings.HasPrefix(l, "SEARCH d ") })
								e := slices.IndexFunc(plan, func(l string) bool { return strings.HasPrefix(l, "SEARCH e ") })
								if d < 0 || e < d {
									t.Errorf("%s: the entities read before the deployments: %q", name, plan)
								}
							}
						}
					})
				}
				if !slices.Equal(got[0], got[1]) {
					t.Errorf("%s: from the words' lists %d deployments, from the full-text index %d:\n%.600v\n%.600v", name, len(got[0]), len(got[1]), got[0], got[1])
				}
				if c.Q != "zzz s" && len(got[0]) < 3 {
					t.Errorf("%s: %d deployments, want several: the test shows little", name, len(got[0]))
				}
			}
		}
	}
}

// TestMergedLists holds a merge to maxArms compounds: of the words of
// several forms, the one of most forms (the first such) is read in each
// compound, and the others, fewest forms first, as long as the product of
// their forms is within maxArms; filters without an ordered list are
// never merged.
func TestMergedLists(t *testing.T) {
	list := func(forms ...string) term {
		return term{forms: forms, ordered: func(func(any) string, string, string) string { return "" }}
	}
	column := term{ordered: func(func(any) string, string, string) string { return "" }}
	tested := term{}
	for _, c := range []struct {
		terms []term
		want  []int
	}{
		{[]term{list("a", "b", "c"), list("d", "e")}, []int{0, 1}},
		{[]term{tested, list("a", "b", "c"), column}, []int{1, 2}},
		// 3 forms read in each; 2 × 2 = 4 compounds; a third 3 would make 12.
		{[]term{list("a", "b", "c"), list("d", "e"), list("f", "g", "h"), list("i", "j"), list("k")}, []int{0, 1, 3, 4}},
		{[]term{list("a", "b"), list("c", "d", "e", "f", "g", "h", "i", "j", "k"), list("l", "m", "n", "o", "p", "q", "r", "s", "t")}, []int{0, 1}},
	} {
		if got := mergedLists(c.terms); !slices.Equal(got, c.want) {
			t.Errorf("%d terms: merged %v, want %v", len(c.terms), got, c.want)
		}
	}
}
