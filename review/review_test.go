package review

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"oversight/contrib"
	"oversight/internal/fixture"
	"oversight/internal/testcls"
	"oversight/internal/testreg"
	"oversight/registry"
)

// TestDiff lists the fields that change, by path, and nothing else.
func TestDiff(t *testing.T) {
	a := fixture.Deployment(1, "PK", "vendor-a")
	b := fixture.Deployment(1, "PK", "vendor-a")
	b.Place.Name = "Lahore"
	b.Vendors = append(b.Vendors, registry.VendorRole{Vendor: "vendor-b", Role: "integrator", Sources: []string{"a"}})
	got, err := Diff(a, b)
	if err != nil {
		t.Fatal(err)
	}
	var ps []string
	for _, c := range got {
		ps = append(ps, c.Path)
	}
	want := []string{"place.name", "vendors[1].role", "vendors[1].sources[0]", "vendors[1].vendor"}
	if !slices.Equal(ps, want) {
		t.Fatalf("changes at %q, want %q", ps, want)
	}
	if got[0].Before != "Synthetic City" || got[0].After != "Lahore" || got[1].Before != nil {
		t.Errorf("place.name %v → %v; vendors[1].role before %v", got[0].Before, got[0].After, got[1].Before)
	}
	if all, _ := Diff(nil, a); len(all) < 10 {
		t.Errorf("a new record changes %d fields", len(all))
	}
}

// TestPrepare: a proposal that shares a vendor, a place and title words
// with records of its jurisdiction finds them, the record it changes
// excepted, and its classification is given before and after.
func TestPrepare(t *testing.T) {
	set := fixture.Set(12)
	db := testreg.Open(t, set)
	cur := set.Deployments[0]
	changed := *cur
	changed.System.Capabilities = []string{"remote_biometric_identification"}
	sub := &contrib.Submission{Proposal: contrib.Proposal{Kind: contrib.Change, Target: cur.ID, Record: &changed}, Jurisdiction: cur.Jurisdiction, State: contrib.Pending}
	v, err := Prepare(context.Background(), db, testcls.New(t, nil), sub, time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if v.Current == nil || v.Current.ID != cur.ID || len(v.Changes) == 0 || len(v.Errors) != 0 {
		t.Fatalf("current %v, %d changes, errors %v", v.Current, len(v.Changes), v.Errors)
	}
	if !slices.ContainsFunc(v.Tiers, func(c TierChange) bool { return c.Changed && c.Before != "" && c.After != "" }) {
		t.Fatalf("adding remote biometric identification changes no tier: %+v", v.Tiers)
	}
	if len(v.Duplicates) == 0 {
		t.Fatal("no duplicate candidates among records of the same vendor and place")
	}
	for _, d := range v.Duplicates {
		if d.ID == cur.ID {
			t.Error("the record being changed is listed as its own duplicate")
		}
		got, err := db.Get(context.Background(), "deployment", d.ID)
		if err != nil || got.(*registry.Deployment).Jurisdiction != cur.Jurisdiction {
			t.Errorf("candidate %s is not of %s", d.ID, cur.Jurisdiction)
		}
		if !strings.Contains(strings.Join(d.Why, ","), "same vendor vendor-a") && !strings.Contains(strings.Join(d.Why, ","), "same place") {
			t.Errorf("candidate %s for %v", d.ID, d.Why)
		}
	}
	for i := 1; i < len(v.Duplicates); i++ {
		if len(v.Duplicates[i].Why) > len(v.Duplicates[i-1].Why) {
			t.Error("candidates are not ordered by how many reasons they have")
		}
	}
}
