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

// indexRows are the index's jurisdictions that are members of body, in
// the index's order, each keeping its rank among all; all of them when
// body is "".
func indexRows(ctx context.Context, rd Reader, scores []analysis.Score, body string) ([]analysis.Score, error) {
	if body == "" {
		return scores, nil
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
	var out []analysis.Score
	for _, sc := range scores {
		if members[sc.Code] {
			out = append(out, sc)
		}
	}
	return out, nil
}
