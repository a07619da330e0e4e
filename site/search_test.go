package site

import (
	"html"
	"strings"
	"testing"

	"oversight/internal/fixture"
	"oversight/registry"
	"oversight/rules"
)

// TestMatching: the search page's count of what its filters select is the
// status facet's sum, or its count beside the chosen status; unknown
// where the database gave no counts.
func TestMatching(t *testing.T) {
	c := &registry.Facets{Status: map[string]int{"active": 3, "pilot": 2, "unknown": 1}}
	for _, tc := range []struct {
		counts *registry.Facets
		status string
		want   int
	}{{c, "", 6}, {c, "pilot", 2}, {c, "discontinued", 0}, {nil, "", -1}} {
		if got := matching(tc.counts, tc.status); got != tc.want {
			t.Errorf("matching(%v, %q) = %d, want %d", tc.counts, tc.status, got, tc.want)
		}
	}
}

// TestTierChoicesInWords: the tier filter's choices name each tier in the
// words every table and the filter's own chip use ("undecided", "not
// covered"), not its code with spaces ("indeterminate", "not applicable"):
// an officer looking for the undecided ones found no such choice.
func TestTierChoicesInWords(t *testing.T) {
	s, _ := siteOf(t, fixture.Set(1))
	page := pageOf(t, s, "/search")
	_, sel, _ := strings.Cut(page, `<select id="tier" name="tier">`)
	sel, _, _ = strings.Cut(sel, "</select>")
	for _, tier := range rules.AllTiers {
		words := html.EscapeString(label("tier", string(tier)))
		if !strings.Contains(sel, `:`+string(tier)+`">`) || !strings.Contains(sel, ": "+words+"</option>") {
			t.Errorf("no choice of %s in the label file's words %q", tier, words)
		}
	}
	if strings.Contains(sel, ": indeterminate<") || strings.Contains(sel, ": not applicable<") {
		t.Error("a tier is shown by its code")
	}
}
