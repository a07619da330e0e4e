package site

import (
	"testing"

	"oversight/registry"
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
