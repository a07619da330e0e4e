package main

import (
	"strings"
	"testing"

	"oversight/registry"
)

// profile is a jurisdiction "XX" with one membership, a regime, three
// safeguards (one sourced, one unknown with no source, one "no" with no
// source) and two sources.
func profile() *registry.Jurisdiction {
	return &registry.Jurisdiction{
		Code:        "XX",
		Memberships: []registry.Membership{{Body: "apec", Sources: []string{"x1"}}},
		Regime:      &registry.Regime{Type: "electoral_democracy", Sources: []string{"x2"}},
		Safeguards: []registry.Safeguard{
			{Kind: "data_protection_law", Status: "yes", Sources: []string{"x1", "x2"}},
			{Kind: "public_register", Status: "unknown"},
			{Kind: "ai_law", Status: "no"},
		},
		Sources: []registry.Source{
			{Key: "x1", URL: "https://example.org/x1", Title: "Act", Publisher: "Gazette"},
			{Key: "x2", URL: "https://example.org/x2"},
		},
	}
}

func TestProfileFacts(t *testing.T) {
	var got []string
	for _, f := range ProfileFacts(profile()) {
		got = append(got, f.Label+"="+strings.Join(f.Sources, "+"))
	}
	want := "membership apec=x1 regime=x2 safeguard data_protection_law=x1+x2 safeguard ai_law= source x1 title=x1 source x1 publisher=x1"
	if g := strings.Join(got, " "); g != want {
		t.Errorf("ProfileFacts:\n got %s\nwant %s", g, want)
	}
}

func TestCountProfiles(t *testing.T) {
	for _, tc := range []struct {
		name   string
		ledger string
		want   Tally
	}{
		{"both read", "XX\tx1\tread\t\nXX\tx2\tread\t\n",
			Tally{Profiles: 1, Facts: 5, Confirmed: 5, Unsourced: 1}},
		// x1 missing: the membership and its title and publisher rest
		// on it alone; the data-protection law is also cited by x2.
		{"one missing", "XX\tx1\tno-copy\t\nXX\tx2\tread\t\n",
			Tally{Profiles: 1, Facts: 5, Confirmed: 2, NoCopy: 3, Unsourced: 1}},
		{"with a deployment", "a\tp1\tread\t\na\tp2\tread\t\nXX\tx2\tread\t\n",
			Tally{Deployments: 1, Profiles: 1, Facts: 10, Confirmed: 7, NotSearched: 3, Unsourced: 1, Unlisted: 1}},
	} {
		rows, err := ParseLedger(strings.NewReader(header + "\n" + tc.ledger))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got, err := Count(fixture(), rows)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got != tc.want {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
	}
}
