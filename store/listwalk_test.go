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
// of their lists (listwalk.go): two words of several forms, alone and
// with a jurisdiction, and a word with filters that have no ordered list,
// every filter common (none few), with the walk's windows as they are and
// of one deployment a row (each page falls back once it is spent, and
// reads on in windows twice the last). Each gives the deployments the
// full-text index gives, every page's walk reads a word's lists, and
// SQLite plans each statement as TestPagePlans requires.
func TestListWalk(t *testing.T) {
	db := open(t)
	apply(t, db, fixture.Set(48))
	defer func(l limits) { db.d.limits = l }(db.d.limits)
	for _, c := range []registry.DeploymentFilter{
		{Q: "r s"}, // r: real, record, river; s: summit, synthetic
		{Q: "r s", Certainty: "documented"},
		{Q: "r", Capability: "cctv"},
		{Q: "s", Capability: "cctv", Status: "active"},
		{Q: "r s", Vendors: []string{"vendor-a"}},
		{Q: "r s", Jurisdictions: []string{"PH"}},
		{Q: "synthetic r s", Jurisdictions: []string{"KZ"}},
		{Q: "zzz s"}, // no word of the register: no deployment
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
							return s.Page && strings.Contains(s.SQL, "FROM (SELECT deployment_id FROM deployment_words WHERE word = ") && !strings.Contains(s.SQL, "deployments_fts")
						})
						if !window && c.Q != "zzz s" {
							t.Fatalf("%s: the walk reads no word's lists: %v", name, stmts)
						}
						for _, st := range stmts {
							if msg := badPlan(t, db, st, f.Cursor != ""); msg != "" {
								t.Errorf("%s: %s\n%s", name, msg, st.SQL)
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
