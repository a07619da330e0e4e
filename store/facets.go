package store

import (
	"context"
	"strings"

	"oversight/registry"
)

// Facets counts the deployments a filter selects, by jurisdiction,
// technology, status, vendor and purpose; nil under a tier filter the tier
// projection cannot answer yet, and under words, or a purpose beside
// words, ids or a tier, that facetWords deployments or more hold: each
// facet keeps them, and counting them reads every deployment that holds
// them (at 1M synthetic deployments, a search page for "city", on
// 197,682, did not finish in its 10 s). Each facet leaves out its own
// filter: the count beside a country is what choosing that country would
// give.
//
// A filter of the attributes deployment_counts holds (countable) is
// answered by summing its rows, kept by every write, so that no request
// counts the whole register; a filter of words, ids or tiers is counted
// by five GROUP BY queries over what it selects (queriedFacets).
func (s *reader) Facets(ctx context.Context, f registry.DeploymentFilter) (*registry.Facets, error) {
	if countable(f) {
		return s.countedFacets(ctx, f)
	}
	return s.queriedFacets(ctx, f)
}

// queriedFacets computes Facets with one GROUP BY query a facet over the
// deployments the filter selects.
func (s *reader) queriedFacets(ctx context.Context, f registry.DeploymentFilter) (*registry.Facets, error) {
	indexed, err := s.tiersUsable(ctx, f.Tier)
	if err != nil || f.Tier != nil && !indexed {
		return nil, err // the tiers are classified as they are read, and cannot be counted
	}
	if words := registry.SearchWords(f.Q); len(words) > 0 {
		n, err := s.countTerm(ctx, s.searchTerm(words), s.d.facetWords, nil)
		if err != nil || n >= s.d.facetWords {
			return nil, err
		}
	}
	if f.Purpose != "" {
		// Bounded as words are, under ids or a tier: counting a
		// purpose's deployments tests every deployment for it past
		// fewMatches (at 100k, a page of /search for crowd management,
		// on 7,556, took 1.1 s of CPU before the counts held purposes;
		// docs/performance.md).
		purpose, _, err := s.terms(ctx, registry.DeploymentFilter{Purpose: f.Purpose}, false, unpinned)
		if err != nil {
			return nil, err
		}
		if n, err := s.countTerm(ctx, purpose[0], s.d.facetWords, nil); err != nil || n >= s.d.facetWords {
			return nil, err
		}
	}
	out := &registry.Facets{}
	for _, c := range []struct {
		into  *map[string]int
		clear func(*registry.DeploymentFilter)
		sql   string // the value and the deployment it belongs to, from d
	}{
		{&out.Jurisdiction, func(g *registry.DeploymentFilter) { g.Jurisdictions = nil }, "SELECT d.jurisdiction, count(*) FROM deployments d WHERE %s GROUP BY 1"},
		{&out.Technology, func(g *registry.DeploymentFilter) { g.Capability = "" }, "SELECT c.capability, count(*) FROM deployments d JOIN deployment_capabilities c ON c.deployment_id = d.id WHERE %s GROUP BY 1"},
		{&out.Status, func(g *registry.DeploymentFilter) { g.Status = "" }, "SELECT d.status, count(*) FROM deployments d WHERE %s GROUP BY 1"},
		{&out.Vendor, func(g *registry.DeploymentFilter) { g.Vendors = nil }, "SELECT v.vendor_id, count(DISTINCT d.id) FROM deployments d JOIN deployment_vendors v ON v.deployment_id = d.id WHERE %s GROUP BY 1"},
		{&out.Purpose, func(g *registry.DeploymentFilter) { g.Purpose = "" }, "SELECT p.purpose, count(*) FROM deployments d JOIN deployment_purposes p ON p.deployment_id = d.id WHERE %s GROUP BY 1"},
	} {
		g := f
		g.Match, g.Cursor, g.Limit = nil, "", 0
		c.clear(&g)
		where, args, err := s.conditions(ctx, g, indexed)
		if err != nil {
			return nil, err
		}
		cond := "1 = 1"
		if len(where) > 0 {
			cond = strings.Join(where, " AND ")
		}
		rows, err := s.q.QueryContext(ctx, strings.Replace(withSearch(c.sql, g), "%s", cond, 1), args...)
		if err != nil {
			return nil, err
		}
		m := map[string]int{}
		for rows.Next() {
			var v string
			var n int
			if err := rows.Scan(&v, &n); err != nil {
				rows.Close()
				return nil, err
			}
			m[v] = n
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		*c.into = m
	}
	return out, nil
}

// withSearch is q, a statement on deployments d, joined to each
// deployment's entity e when f searches text: a search matching many
// deployments tests the revision of each (searchCondition), e.seq.
func withSearch(q string, f registry.DeploymentFilter) string {
	if len(registry.SearchWords(f.Q)) == 0 {
		return q
	}
	return strings.Replace(q, "FROM deployments d", "FROM deployments d JOIN entities e ON e.kind = 'deployment' AND e.id = d.id", 1)
}
