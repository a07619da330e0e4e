package site

import (
	"context"
	"slices"

	"oversight/analysis"
	"oversight/registry"
)

// memberOf reports whether the register records j as a member of a
// regional body (a Memberships value).
func memberOf(j *registry.Jurisdiction, body string) bool {
	return slices.ContainsFunc(j.Memberships, func(m registry.Membership) bool { return m.Body == body })
}

// membersOf is the set of the register's jurisdictions that are members
// of body, by code; nil when body is "" (every jurisdiction).
func membersOf(ctx context.Context, rd Reader, body string) (map[string]bool, error) {
	if body == "" {
		return nil, nil
	}
	all, err := rd.List(ctx, "jurisdiction", "", "", registry.MaxLimit)
	if err != nil {
		return nil, err
	}
	members := map[string]bool{}
	for _, e := range all.Items {
		j := e.(*registry.Jurisdiction)
		members[j.Code] = memberOf(j, body)
	}
	return members, nil
}

// indexRows are the index's jurisdictions among members (membersOf), in
// the index's order, each keeping its rank among all; all of them when
// members is nil.
func indexRows(scores []analysis.Score, members map[string]bool) []analysis.Score {
	if members == nil {
		return scores
	}
	var out []analysis.Score
	for _, sc := range scores {
		if members[sc.Code] {
			out = append(out, sc)
		}
	}
	return out
}
