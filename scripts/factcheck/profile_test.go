package main

import (
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
	got := factString(ProfileFacts(profile()))
	want := "membership apec=x1 regime=x2 safeguard data_protection_law=x1+x2 safeguard ai_law= source x1 title=x1 source x1 publisher=x1"
	if got != want {
		t.Errorf("ProfileFacts:\n got %s\nwant %s", got, want)
	}
}
