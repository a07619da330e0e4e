package store

import (
	"context"
	"fmt"
	"strings"

	"oversight/registry"
)

// countable reports whether deployment_counts can answer f: whether each of
// its conditions is one of the table's keys (jurisdiction, year, status,
// certainty, capabilities, vendors, purposes) or an attribute of a
// jurisdiction or vendor read beside it. Words, ids and tiers are not.
func countable(f registry.DeploymentFilter) bool {
	return len(registry.SearchWords(f.Q)) == 0 && f.IDs == nil && f.Tier == nil
}

// countedTest returns the condition on a row c of deployment_counts that
// the deployments it counts pass every filter of f, as f's terms write it
// (plan.go), so that the counts and the deployments are tested by one
// translation of the filter; "" when f has no filter. When keyed, it is
// only the filters on jurisdiction, which narrow the rows read by the
// table's key. f must be countable.
func (s *reader) countedTest(ctx context.Context, f registry.DeploymentFilter, keyed bool, arg func(any) string) (string, error) {
	terms, _, err := s.terms(ctx, f, false, unpinned)
	if err != nil {
		return "", err
	}
	return countedOf(terms, keyed, arg), nil
}

// countedOf is countedTest of the terms of a filter.
func countedOf(terms []term, keyed bool, arg func(any) string) string {
	var test []string
	for _, t := range terms {
		if t.keyed || !keyed {
			test = append(test, t.counted(arg))
		}
	}
	return strings.Join(test, " AND ")
}

// countedFacets computes Facets for a filter countable accepts by summing
// deployment_counts: a few hundred rows where the register holds 100,000
// deployments, rather than four GROUP BY queries over every deployment
// the filters select. Each facet leaves out its own filter, as Facets
// does: a row is read with whether it passes each of the five facets'
// filters, and only if it passes the others, each tested once.
func (s *reader) countedFacets(ctx context.Context, f registry.DeploymentFilter) (*registry.Facets, error) {
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	// The facets' own filters, and the rest.
	own := []registry.DeploymentFilter{
		{Jurisdictions: f.Jurisdictions}, {Capability: f.Capability}, {Status: f.Status}, {Vendors: f.Vendors}, {Purpose: f.Purpose},
	}
	rest := f
	rest.Jurisdictions, rest.Capability, rest.Status, rest.Vendors, rest.Purpose = nil, "", "", nil, ""
	passes := make([]string, len(own))
	for i, g := range own {
		test, err := s.countedTest(ctx, g, false, arg)
		if err != nil {
			return nil, err
		}
		passes[i] = "1"
		if test != "" {
			passes[i] = "CASE WHEN " + test + " THEN 1 ELSE 0 END"
		}
	}
	q := "SELECT jurisdiction, capabilities, status, vendors, purposes, n, " + strings.Join(passes, ", ") + " FROM deployment_counts c"
	test, err := s.countedTest(ctx, rest, false, arg)
	if err != nil {
		return nil, err
	}
	if test != "" {
		q += " WHERE " + test
	}
	rows, err := s.q.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := &registry.Facets{Jurisdiction: map[string]int{}, Technology: map[string]int{}, Status: map[string]int{}, Vendor: map[string]int{}, Purpose: map[string]int{}}
	for rows.Next() {
		var jurisdiction, caps, status, vendors, purposes string
		var n int
		var p [5]bool // passes own[i]
		if err := rows.Scan(&jurisdiction, &caps, &status, &vendors, &purposes, &n, &p[0], &p[1], &p[2], &p[3], &p[4]); err != nil {
			return nil, err
		}
		// A facet counts a row that passes the others' filters.
		others := func(i int) bool {
			for j := range p {
				if j != i && !p[j] {
					return false
				}
			}
			return true
		}
		if others(0) {
			out.Jurisdiction[jurisdiction] += n
		}
		if others(1) {
			for _, cp := range strings.Fields(caps) {
				out.Technology[cp] += n
			}
		}
		if others(2) {
			out.Status[status] += n
		}
		if others(3) {
			// A vendor in several roles counts its deployments once:
			// its entries are adjacent, sorted as vendor:role.
			last := ""
			for _, v := range strings.Fields(vendors) {
				if id, _, _ := strings.Cut(v, ":"); id != last {
					out.Vendor[id] += n
					last = id
				}
			}
		}
		if others(4) {
			for _, pu := range strings.Fields(purposes) {
				out.Purpose[pu] += n
			}
		}
	}
	return out, rows.Err()
}
