package store

import (
	"context"
	"database/sql"
	"slices"

	"oversight/registry"
)

// countable reports whether deployment_counts can answer f: whether each of
// its conditions is one of the table's keys (jurisdiction, year, status,
// certainty, capabilities, vendors) or an attribute of a jurisdiction or
// vendor read beside it. Words, ids and tiers are not.
func countable(f registry.DeploymentFilter) bool {
	return len(registry.SearchWords(f.Q)) == 0 && f.IDs == nil && f.Tier == nil
}

// countFilter tests the rows of deployment_counts against a filter, as
// conditions does for each deployment.
type countFilter struct {
	f         registry.DeploymentFilter
	subregion map[string]string // jurisdiction code → subregion, when f has one
	hq        map[string]string // vendor id → headquarters, when f has one
}

// selects reports whether the deployments counted in c are among those f
// selects.
func (cf *countFilter) selects(c *registry.DeploymentCount) bool {
	f := &cf.f
	switch {
	case len(f.Jurisdictions) > 0 && !slices.Contains(f.Jurisdictions, c.Jurisdiction),
		f.Subregion != "" && cf.subregion[c.Jurisdiction] != f.Subregion,
		f.Capability != "" && !slices.Contains(c.Capabilities, f.Capability),
		f.Status != "" && c.Status != f.Status,
		f.Certainty != "" && c.Certainty != f.Certainty,
		f.YearFrom != 0 && (c.Year == 0 || c.Year < f.YearFrom),
		f.YearTo != 0 && (c.Year == 0 || c.Year > f.YearTo):
		return false
	}
	if f.Vendor != "" && !slices.ContainsFunc(c.Vendors, func(v registry.VendorRole) bool { return v.Vendor == f.Vendor }) {
		return false
	}
	if f.VendorHQ != "" && !slices.ContainsFunc(c.Vendors, func(v registry.VendorRole) bool { return cf.hq[v.Vendor] == f.VendorHQ }) {
		return false
	}
	return true
}

// countedFacets computes Facets for a filter countable accepts by summing
// deployment_counts: a few hundred rows where the register holds 100,000
// deployments, rather than four GROUP BY queries over every deployment
// the filters select.
func (s *reader) countedFacets(ctx context.Context, f registry.DeploymentFilter) (*registry.Facets, error) {
	counts, err := s.DeploymentCounts(ctx)
	if err != nil {
		return nil, err
	}
	cf := &countFilter{f: f}
	if f.Subregion != "" {
		if cf.subregion, err = s.pairs(ctx, "SELECT code, subregion FROM jurisdictions WHERE subregion IS NOT NULL"); err != nil {
			return nil, err
		}
	}
	if f.VendorHQ != "" {
		if cf.hq, err = s.pairs(ctx, "SELECT id, headquarters FROM vendors WHERE headquarters IS NOT NULL"); err != nil {
			return nil, err
		}
	}
	out := &registry.Facets{Jurisdiction: map[string]int{}, Technology: map[string]int{}, Status: map[string]int{}, Vendor: map[string]int{}}
	// Each facet leaves out its own filter, as Facets does.
	without := func(clear func(*registry.DeploymentFilter)) *countFilter {
		g := *cf
		clear(&g.f)
		return &g
	}
	byJurisdiction := without(func(g *registry.DeploymentFilter) { g.Jurisdictions = nil })
	byTechnology := without(func(g *registry.DeploymentFilter) { g.Capability = "" })
	byStatus := without(func(g *registry.DeploymentFilter) { g.Status = "" })
	byVendor := without(func(g *registry.DeploymentFilter) { g.Vendor = "" })
	for i := range counts {
		c := &counts[i]
		if byJurisdiction.selects(c) {
			out.Jurisdiction[c.Jurisdiction] += c.N
		}
		if byTechnology.selects(c) {
			for _, cp := range c.Capabilities {
				out.Technology[cp] += c.N
			}
		}
		if byStatus.selects(c) {
			out.Status[c.Status] += c.N
		}
		if byVendor.selects(c) {
			// A vendor in several roles counts its deployments once:
			// its entries are adjacent, sorted as vendor:role.
			for j, v := range c.Vendors {
				if j == 0 || c.Vendors[j-1].Vendor != v.Vendor {
					out.Vendor[v.Vendor] += c.N
				}
			}
		}
	}
	return out, nil
}

// pairs reads a query of two text columns as a map from the first to the
// second.
func (s *reader) pairs(ctx context.Context, q string) (map[string]string, error) {
	rows, err := s.q.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var k string
		var v sql.NullString
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		m[k] = v.String
	}
	return m, rows.Err()
}
