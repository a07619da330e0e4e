package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
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
//
// In a snapshot the facets of a filter are kept for the snapshot's log
// size (facetmemo.go), and shared: the caller must not change them.
func (s *reader) Facets(ctx context.Context, f registry.DeploymentFilter) (*registry.Facets, error) {
	tx, _ := s.q.(*countingTx)
	key, keep := facetKey(f)
	keep = keep && tx != nil && s.tiers != nil
	if keep {
		if v, ok := s.tiers.facets.get(tx.size, key); ok {
			return v, nil
		}
	}
	var v *registry.Facets
	var err error
	if countable(f) {
		v, err = s.countedFacets(ctx, f)
	} else {
		v, err = s.queriedFacets(ctx, f)
	}
	if err == nil && keep {
		s.tiers.facets.put(tx.size, key, v, maxMemoFacets)
	}
	return v, err
}

// queriedFacets computes Facets with GROUP BY queries over the deployments
// the filter selects.
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
	// Facets whose own filter f does not set count the same deployments:
	// where those are few (bounded above), they are read once and each
	// such facet counted over their ids, rather than each selecting them
	// again (at 100k, a search page for railway, on 965 deployments, spent
	// 70-100 ms of the server's CPU in five such selections).
	bounded := len(registry.SearchWords(f.Q)) > 0 || f.Purpose != "" || f.IDs != nil
	base := f
	base.Match, base.Cursor, base.Limit = nil, "", 0
	out := &registry.Facets{}
	var shared []facet
	for _, c := range facets {
		if bounded && !c.set(f) {
			shared = append(shared, c)
			continue
		}
		g := base
		c.clear(&g)
		where, args, err := s.conditions(ctx, g, indexed)
		if err != nil {
			return nil, err
		}
		if *c.into(out), err = s.groupCounts(ctx, strings.Replace(withSearch(c.sql, where), "%s", allOf(where), 1), args...); err != nil {
			return nil, err
		}
	}
	if len(shared) > 0 {
		if err := s.sharedFacets(ctx, base, indexed, shared, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// A facet is one of the counts Facets makes.
type facet struct {
	into  func(*registry.Facets) *map[string]int
	set   func(registry.DeploymentFilter) bool // f sets its own filter
	clear func(*registry.DeploymentFilter)     // leaves its own filter out
	// sql counts each value over the deployments d that pass %s.
	sql string
	// column is the column of deployments it counts, or of is the
	// statement that counts each value over the ids %s names (inJSON):
	// how sharedFacets counts it.
	column, of string
}

// facets are the counts of Facets.
var facets = []facet{
	{func(o *registry.Facets) *map[string]int { return &o.Jurisdiction }, func(f registry.DeploymentFilter) bool { return len(f.Jurisdictions) > 0 },
		func(g *registry.DeploymentFilter) { g.Jurisdictions = nil },
		"SELECT d.jurisdiction, count(*) FROM deployments d WHERE %s GROUP BY 1", "jurisdiction", ""},
	{func(o *registry.Facets) *map[string]int { return &o.Technology }, func(f registry.DeploymentFilter) bool { return f.Capability != "" },
		func(g *registry.DeploymentFilter) { g.Capability = "" },
		"SELECT c.capability, count(*) FROM deployments d JOIN deployment_capabilities c ON c.deployment_id = d.id WHERE %s GROUP BY 1",
		"", "SELECT capability, count(*) FROM deployment_capabilities WHERE %s GROUP BY 1"},
	{func(o *registry.Facets) *map[string]int { return &o.Status }, func(f registry.DeploymentFilter) bool { return f.Status != "" },
		func(g *registry.DeploymentFilter) { g.Status = "" },
		"SELECT d.status, count(*) FROM deployments d WHERE %s GROUP BY 1", "status", ""},
	{func(o *registry.Facets) *map[string]int { return &o.Vendor }, func(f registry.DeploymentFilter) bool { return len(f.Vendors) > 0 },
		func(g *registry.DeploymentFilter) { g.Vendors = nil },
		"SELECT v.vendor_id, count(DISTINCT d.id) FROM deployments d JOIN deployment_vendors v ON v.deployment_id = d.id WHERE %s GROUP BY 1",
		"", "SELECT vendor_id, count(DISTINCT deployment_id) FROM deployment_vendors WHERE %s GROUP BY 1"},
	{func(o *registry.Facets) *map[string]int { return &o.Purpose }, func(f registry.DeploymentFilter) bool { return f.Purpose != "" },
		func(g *registry.DeploymentFilter) { g.Purpose = "" },
		"SELECT p.purpose, count(*) FROM deployments d JOIN deployment_purposes p ON p.deployment_id = d.id WHERE %s GROUP BY 1",
		"", "SELECT purpose, count(*) FROM deployment_purposes WHERE %s GROUP BY 1"},
}

// sharedFacets counts each of shared over the deployments f selects, read
// once: their ids, jurisdictions and statuses in one statement, each
// other facet over the ids.
func (s *reader) sharedFacets(ctx context.Context, f registry.DeploymentFilter, indexed bool, shared []facet, out *registry.Facets) error {
	where, args, err := s.conditions(ctx, f, indexed)
	if err != nil {
		return err
	}
	rows, err := s.q.QueryContext(ctx, withSearch("SELECT d.id, d.jurisdiction, d.status FROM deployments d WHERE "+allOf(where), where), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var ids []string
	byColumn := map[string]map[string]int{"jurisdiction": {}, "status": {}}
	for rows.Next() {
		var id, jurisdiction, status string
		if err := rows.Scan(&id, &jurisdiction, &status); err != nil {
			return err
		}
		ids = append(ids, id)
		byColumn["jurisdiction"][jurisdiction]++
		byColumn["status"][status]++
	}
	if err := rows.Close(); err != nil {
		return err
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	for _, c := range shared {
		if c.column != "" {
			*c.into(out) = byColumn[c.column]
			continue
		}
		if len(ids) == 0 {
			// None selected: nothing to ask for (PostgreSQL takes no
			// null for an array).
			*c.into(out) = map[string]int{}
			continue
		}
		if *c.into(out), err = s.groupCounts(ctx, fmt.Sprintf(c.of, s.d.inJSON("deployment_id", "$1")), string(list)); err != nil {
			return err
		}
	}
	return nil
}

// groupCounts reads q's rows, each a value and its count.
func (s *reader) groupCounts(ctx context.Context, q string, args ...any) (map[string]int, error) {
	rows, err := s.q.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string]int{}
	for rows.Next() {
		var v string
		var n int
		if err := rows.Scan(&v, &n); err != nil {
			return nil, err
		}
		m[v] = n
	}
	return m, rows.Err()
}

// allOf is the conditions where joined by AND, or one always true.
func allOf(where []string) string {
	if len(where) == 0 {
		return "1 = 1"
	}
	return strings.Join(where, " AND ")
}

// withSearch is q, a statement on deployments d, joined to each
// deployment's entity e when one of the conditions where reads it: a
// search of the full-text index tests the revision of each deployment
// (searchTerm), e.seq. Words read from their lists do not, and the join
// was a lookup a deployment for nothing.
func withSearch(q string, where []string) string {
	if !slices.ContainsFunc(where, func(c string) bool { return strings.Contains(c, entitySeq) }) {
		return q
	}
	return strings.Replace(q, "FROM deployments d", "FROM deployments d JOIN entities e ON e.kind = 'deployment' AND e.id = d.id", 1)
}
