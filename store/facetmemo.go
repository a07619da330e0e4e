package store

import (
	"fmt"
	"sync"

	"oversight/registry"
)

// A facetMemo keeps the facets of filters (Facets) read at one log size, up
// to maxMemoFacets of them; facets of another size replace them all, as a
// countMemo's counts do, and for the same reason: writes change what
// facets count (the deployments, their lists of words and deployment_counts)
// only with the log, in one transaction. The facets of a search are the
// same on each of its pages, and a reader pages through them: at 100k,
// counting those of a search for railway was three quarters of the CPU of
// each of its pages.
type facetMemo struct {
	mu   sync.Mutex
	size int64
	m    map[string]*registry.Facets
}

// maxMemoFacets bounds the filters a facetMemo keeps: each holds a count
// for every value of five facets, a few kilobytes.
const maxMemoFacets = 256

// maxFacetKey bounds a filter's key: a longer one (a list of many ids) is
// not kept.
const maxFacetKey = 4096

// get returns the facets kept for key at size, and whether there were.
func (c *facetMemo) get(size int64, key string) (*registry.Facets, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[key]
	return v, ok && c.size == size
}

// put keeps v, the facets of key at size.
func (c *facetMemo) put(size int64, key string, v *registry.Facets) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || c.size != size || len(c.m) >= maxMemoFacets {
		c.m, c.size = make(map[string]*registry.Facets), size
	}
	c.m[key] = v
}

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
