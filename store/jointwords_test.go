package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"oversight/internal/fixture"
	"oversight/registry"
)

// jointSet is a register of 120 deployments over three jurisdictions
// (fixture.Set) whose titles hold "alpha" or "alphas" (even ones) or
// "bravo" or "bravos" (odd ones), and both words in three: 3 (PK), 43
// (PH) and 83 (KZ), all three discontinued. Each word is on half the
// register, the two together on a fortieth of it.
func jointSet() *registry.Set {
	s := fixture.Set(120)
	for i, d := range s.Deployments {
		word := []string{"alpha", "bravo", "alphas", "bravos"}[i%4]
		if i%40 == 3 {
			word = "alpha bravos"
		}
		d.Title = fmt.Sprintf("Synthetic %s deployment %d", word, i)
	}
	return s
}

// TestJointWordsListed pages through searches of two words of two forms
// each, every word held by many deployments and the two together by few,
// with a jurisdiction or a status: the merge of their lists, its budget
// spent at once, gives way to the full-text index's list of the
// deployments that hold both (jointTerm), and the pages give the
// deployments the full-text index gives alone. Where the two are held
// together by many (fewer listed at most), the merge reads on.
func TestJointWordsListed(t *testing.T) {
	db := open(t)
	apply(t, db, jointSet())
	defer func(l limits) { db.d.limits = l }(db.d.limits)
	for _, c := range []struct {
		f    registry.DeploymentFilter
		most int // listMatches
		want []string
	}{
		{registry.DeploymentFilter{Q: "alpha bravo", Jurisdictions: []string{"PK"}}, 10, []string{"synthetic-pk-0000003"}},
		{registry.DeploymentFilter{Q: "alpha bravo", Jurisdictions: []string{"PH"}}, 10, []string{"synthetic-ph-0000043"}},
		{registry.DeploymentFilter{Q: "alph brav", Status: "discontinued"}, 10, []string{"synthetic-pk-0000003", "synthetic-ph-0000043", "synthetic-kz-0000083"}},
		{registry.DeploymentFilter{Q: "alpha bravo", Status: "pilot"}, 10, nil},
		{registry.DeploymentFilter{Q: "alpha bravo", Jurisdictions: []string{"PK"}}, 2, []string{"synthetic-pk-0000003"}},
	} {
		name := fmt.Sprintf("%+v, %d listed at most", c.f, c.most)
		var got [2][]string
		listed := false
		for i, words := range []bool{true, false} {
			r := db.reader
			r.d.words = words
			r.d.fewMatches, r.d.firstPerRow, r.d.walkPerRow, r.d.listMatches = 0, 1, 1, c.most
			f := c.f
			f.Limit = 1
			got[i] = pageIDs(t, &r, f, func(stmts []Statement) {
				if !words {
					return
				}
				listed = listed || slices.ContainsFunc(stmts, func(s Statement) bool {
					return s.Page && strings.Contains(s.SQL, "d.id IN (SELECT id FROM deployments_fts")
				})
				for _, st := range stmts {
					if msg := badPlan(t, db, st, f.Cursor != ""); msg != "" {
						t.Errorf("%s: %s\n%s", name, msg, st.SQL)
					}
				}
			})
		}
		slices.Sort(got[0])
		want := slices.Sorted(slices.Values(c.want))
		if !slices.Equal(got[0], want) || !slices.Equal(slices.Sorted(slices.Values(got[1])), want) {
			t.Errorf("%s: from the words' lists %v, from the full-text index %v, want %v", name, got[0], got[1], want)
		}
		if few := c.most > 3; listed != few {
			t.Errorf("%s: the deployments holding both listed from the full-text index: %v, want %v", name, listed, few)
		}
	}
}

// TestJointListed requires the words' joint matches to be listed from
// the full-text index only while the head word's matches past those the
// merge has read are jointCost times as many, or more.
func TestJointListed(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	apply(t, db, jointSet())
	terms, _, err := db.terms(ctx, registry.DeploymentFilter{Q: "alpha bravo", Jurisdictions: []string{"PK"}}, false, db.pin())
	if err != nil {
		t.Fatal(err)
	}
	var words []term
	for _, tm := range terms {
		if tm.forms != nil {
			words = append(words, tm)
		}
	}
	// "alpha" or "alphas" is on 63 deployments, "alpha" and "bravo" on 3:
	// listing them is worth it while 31 of the 63 are left.
	for _, c := range []struct {
		walked int
		want   bool
	}{{0, true}, {32, true}, {33, false}, {63, false}} {
		joint, ok, err := db.jointListed(ctx, terms, words, c.walked, nil)
		if err != nil {
			t.Fatal(err)
		}
		if ok != c.want || ok && joint.known != 3 {
			t.Errorf("%d walked: listed %v (known %d), want %v (3)", c.walked, ok, joint.known, c.want)
		}
	}
}

// TestJointWordsConditions requires that the conditions of two words each
// held by many deployments and together by few list those from the
// full-text index beside the words' tests (conditions), so that a facet
// reads them and not every deployment, and that the facets so counted are
// those of the deployments the filter selects.
func TestJointWordsConditions(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	apply(t, db, jointSet())
	defer func(l limits) { db.d.limits = l }(db.d.limits)
	for _, c := range []struct {
		f     registry.DeploymentFilter
		few   int
		joint bool
	}{
		{registry.DeploymentFilter{Q: "alpha bravo"}, 10, true},
		{registry.DeploymentFilter{Q: "alph brav", Jurisdictions: []string{"KZ"}}, 10, true},
		{registry.DeploymentFilter{Q: "alpha bravo"}, 3, false},    // three together: not few
		{registry.DeploymentFilter{Q: "alpha bravo"}, 80, false},   // each word listed itself
		{registry.DeploymentFilter{Q: "alpha harbour"}, 10, false}, // no deployment holds both; "harbour" is in none
	} {
		name := fmt.Sprintf("%+v, %d few", c.f, c.few)
		db.d.fewMatches = c.few
		where, _, err := db.conditions(ctx, c.f, false)
		if err != nil {
			t.Fatal(err)
		}
		joint := slices.ContainsFunc(where, func(w string) bool { return strings.Contains(w, "deployments_fts") })
		if joint != c.joint {
			t.Errorf("%s: the words listed together %v, want %v: %q", name, joint, c.joint, where)
		}
		facets, err := db.Facets(ctx, c.f)
		if err != nil || facets == nil {
			t.Fatalf("%s: %v, %v", name, facets, err)
		}
		want := map[string]int{}
		err = db.EachDeployment(ctx, c.f, func(d *registry.Deployment) error { want[d.Status.Value]++; return nil })
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(facets.Status, want) {
			t.Errorf("%s: status facet %v, want %v", name, facets.Status, want)
		}
	}
}

// TestLinkedChosen requires that a vendor or a vendor headquarters among
// conditions is listed from its index where it selects few deployments
// and tested on each deployment read where it selects many: listed, a
// headquarters of most of a million deployments was read whole by each
// statement of a network's lists (14 s of the server's CPU at 1M,
// docs/performance.md, "Every route at 1M"). The counts' examples read
// either way are the same.
func TestLinkedChosen(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	apply(t, db, fixture.Set(60))
	defer func(l limits) { db.d.limits = l }(db.d.limits)
	cells := []registry.Cell{{Jurisdiction: "PK", AnyYear: true, Limit: 6}, {Jurisdiction: "KZ", AnyYear: true, Limit: 6}}
	for _, f := range []registry.DeploymentFilter{{VendorHQ: "CN"}, {Vendors: []string{"vendor-b"}}} {
		var got [2][]string
		for i, few := range []int{1000, 1} {
			db.d.fewMatches = few
			where, _, err := db.conditions(ctx, f, false)
			if err != nil {
				t.Fatal(err)
			}
			listed := slices.ContainsFunc(where, func(w string) bool { return strings.HasPrefix(w, "d.id IN (") })
			if tested := slices.ContainsFunc(where, func(w string) bool { return strings.HasPrefix(w, "EXISTS (") }); listed == tested || listed != (few > 30) {
				t.Errorf("%+v, %d few: listed %v, tested %v: %q", f, few, listed, tested, where)
			}
			if got[i], err = db.FirstDeployments(ctx, f, cells, 6); err != nil {
				t.Fatal(err)
			}
		}
		var want []string
		err := db.EachDeployment(ctx, f, func(d *registry.Deployment) error {
			if d.Jurisdiction != "PH" {
				want = append(want, d.ID)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(want)
		if len(want) < 6 || !slices.Equal(got[0], want[:6]) || !slices.Equal(got[1], got[0]) {
			t.Errorf("%+v: listed %v, tested %v, want the first six of %v", f, got[0], got[1], want)
		}
	}
}
