package analysis

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"oversight/internal/fixture"
	"oversight/internal/testreg"
)

// TestSimulatePages checks on a register of more than ListMax deployments
// that a scenario counts every deployment but lists one page of items, and
// that following Next lists each deployment once, in id order, with the
// same counts on every page.
func TestSimulatePages(t *testing.T) {
	t.Parallel()
	const size = 2*ListMax + 30
	set := fixture.Set(size)
	db := testreg.Open(t, set)
	c := builtinClassifier(t)
	fw, ok := c.Framework("apac-baseline")
	if !ok {
		t.Fatal("no apac-baseline")
	}
	ctx, asOf := context.Background(), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var want []string
	for _, d := range set.Deployments {
		want = append(want, d.ID)
	}
	slices.Sort(want)

	var first *Scenario
	var got []string
	changes := map[string]int{}
	page := ItemPage{}
	for pages := 1; ; pages++ {
		sc, err := Simulate(ctx, db, c, fw, nil, asOf, page)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = sc
		}
		if sc.Deployments != size || sc.ItemsTotal != size || sc.Stricter != first.Stricter || sc.Looser != first.Looser ||
			sc.Undecided != first.Undecided || len(sc.ByJurisdiction) != 3 || len(sc.Drivers) != len(first.Drivers) {
			t.Errorf("page %d: %d deployments, %d items in all, %d/%d/%d", pages, sc.Deployments, sc.ItemsTotal, sc.Stricter, sc.Looser, sc.Undecided)
		}
		if wantLen := min(ListMax, size-len(got)); len(sc.Items) != wantLen {
			t.Errorf("page %d: %d items, want %d", pages, len(sc.Items), wantLen)
		}
		for _, it := range sc.Items {
			got = append(got, it.Deployment)
			changes[it.Change]++
			if (len(it.CurrentLaw) == 0) != (it.Change == NoLaw) {
				t.Errorf("%s: current law %v, change %s: only a deployment no framework binds has no law to compare with", it.Deployment, it.CurrentLaw, it.Change)
			}
		}
		if sc.Next == "" {
			break
		}
		if pages == 10 {
			t.Fatal("no last page")
		}
		page.Cursor = sc.Next
	}
	if !slices.Equal(got, want) {
		t.Errorf("the pages list %d deployments, want each of %d once in id order", len(got), len(want))
	}
	// The counts cover the deployments of every page.
	if changes[Stricter] != first.Stricter || changes[Looser] != first.Looser || changes[Undecided] != first.Undecided ||
		changes[NoLaw] != first.NoLaw || first.Changed != first.Stricter+first.Looser {
		t.Errorf("items: %v; counts: %d stricter, %d looser, %d undecided", changes, first.Stricter, first.Looser, first.Undecided)
	}
	byJ := 0
	for _, j := range first.ByJurisdiction {
		byJ += j.Deployments
	}
	if byJ != size {
		t.Errorf("jurisdictions add to %d", byJ)
	}

	// A page of all of them is the pages laid end to end.
	all, err := Simulate(ctx, db, c, fw, nil, asOf, ItemPage{Limit: size})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Items) != size || all.Next != "" || all.Items[ListMax].Deployment != want[ListMax] {
		t.Errorf("one page of %d: %d items, next %q", size, len(all.Items), all.Next)
	}
	if _, err := Simulate(ctx, db, c, fw, nil, asOf, ItemPage{Cursor: "not base64!"}); err == nil || !strings.HasPrefix(err.Error(), "cursor:") {
		t.Errorf("bad cursor: %v", err)
	}
}
