package analysis

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"oversight/data"
	"oversight/frameworks"
	"oversight/internal/testreg"
	"oversight/rules"
)

// unencodedCodes are the jurisdictions whose only binding law in the
// built-in frameworks is one the register could not encode.
var unencodedCodes = []string{"BD", "BN", "LA", "MM", "TJ", "TM"}

// TestScenarioNotEncoded: a framework run where a law binds that the
// register could not encode is not "a first rule" (no_law) nor stricter
// than that law: it is counted as not_encoded, and the law is named. With
// the unencoded frameworks left out, the same deployments would be no_law.
func TestScenarioNotEncoded(t *testing.T) {
	t.Parallel()
	set, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	db := testreg.Open(t, set)
	fws, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	ctx, asOf := context.Background(), time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	for _, with := range []bool{true, false} {
		list := fws
		if !with {
			list = slices.DeleteFunc(slices.Clone(fws), func(fw *rules.Framework) bool { return !fw.Encoded() })
		}
		c, err := NewClassifier(list, nil)
		if err != nil {
			t.Fatal(err)
		}
		eu, _ := c.Framework("eu-ai-act")
		sc, err := Simulate(ctx, db, c, eu, unencodedCodes, asOf, ItemPage{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if sc.Deployments == 0 || len(sc.ByJurisdiction) != len(unencodedCodes) {
			t.Fatalf("with=%v: %d deployments in %d jurisdictions", with, sc.Deployments, len(sc.ByJurisdiction))
		}
		counted := 0
		for _, it := range sc.Items {
			switch {
			case with && (it.Change == NoLaw || it.Change == Stricter || it.Change == Same):
				t.Errorf("%s: change %s, though a law binds there that the register has not read", it.Deployment, it.Change)
			case !with && it.Change == NotEncoded:
				t.Errorf("%s: not_encoded with no unencoded framework loaded", it.Deployment)
			}
			if it.Change == NotEncoded {
				counted++
			}
		}
		if counted != sc.NotEncoded || (with && counted == 0) {
			t.Errorf("with=%v: %d items not_encoded, count %d", with, counted, sc.NotEncoded)
		}
		for _, j := range sc.ByJurisdiction {
			if with != (len(j.UnencodedLaw) == 1) || j.Stricter != 0 && with || j.NoLaw != 0 && with {
				t.Errorf("with=%v: %s: unencoded law %v, %d stricter, %d no law", with, j.Code, j.UnencodedLaw, j.Stricter, j.NoLaw)
			}
		}
		if !with && sc.NoLaw == 0 {
			t.Error("without the unencoded frameworks no deployment is no_law: the test shows nothing")
		}
	}
}

// TestClassifierLeavesOutUnencoded: a law not encoded is never among the
// frameworks that classify, and asking to classify under it says why.
func TestClassifierLeavesOutUnencoded(t *testing.T) {
	t.Parallel()
	c := builtinClassifier(t)
	if len(c.Unencoded()) != len(unencodedCodes) {
		t.Fatalf("%d laws not encoded, want %d", len(c.Unencoded()), len(unencodedCodes))
	}
	for _, fw := range c.Unencoded() {
		if _, ok := c.Framework(fw.ID); ok || slices.Contains(c.FrameworkIDs(), fw.ID) {
			t.Errorf("%s is among the frameworks that classify", fw.ID)
		}
		if law, ok := c.Law(fw.ID); !ok || law != fw {
			t.Errorf("Law(%s) = %v, %v", fw.ID, law, ok)
		}
		var ne NotEncodedError
		if _, err := c.Select([]string{fw.ID}); !errors.As(err, &ne) {
			t.Errorf("Select(%s): %v, want a NotEncodedError", fw.ID, err)
		}
		if got := c.UnencodedBinding(fw.Binds[0]); !slices.Contains(got, fw.ID) {
			t.Errorf("UnencodedBinding(%s) = %v", fw.Binds[0], got)
		}
		// The index reads its deployments' tiers under one framework: never
		// one that gives none.
		w := &Weights{}
		w.Exposure.TierFramework = fw.ID
		if _, err := IndexInputs(context.Background(), nil, c, w, time.Now()); !errors.As(err, &ne) {
			t.Errorf("index with tier_framework %s: %v, want a NotEncodedError", fw.ID, err)
		}
	}
}
