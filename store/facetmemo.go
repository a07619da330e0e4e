package store

import (
	"fmt"

	"oversight/registry"
)

// The facets of filters (Facets) are kept for the log size they were read
// at (sizeMemo, in tierState), up to maxMemoFacets of them: writes change
// what facets count (the deployments, their lists of words and
// deployment_counts) only with the log. The facets of a search are the
// same on each of its pages, and a reader pages through them: at 100k,
// counting those of a search for railway was three quarters of the CPU of
// each of its pages.

// maxMemoFacets bounds the filters whose facets are kept: each holds a
// count for every value of five facets, a few kilobytes.
const maxMemoFacets = 256

// maxFacetKey bounds a filter's key: a longer one (a list of many ids) is
// not kept.
const maxFacetKey = 4096

// facetKey returns the key of f's facets, which its cursor and limit do
// not change, and false where none is kept: under a Match, a function, or
// a tier, whose facets also depend on how far the tiers are projected.
func facetKey(f registry.DeploymentFilter) (string, bool) {
	if f.Match != nil || f.Tier != nil {
		return "", false
	}
	f.Cursor, f.Limit = "", 0
	key := fmt.Sprintf("%#v", f)
	return key, len(key) <= maxFacetKey
}
