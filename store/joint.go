package store

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"oversight/registry"
)

// A page's filters may each select many deployments and none together: a
// technology no deployment of a large jurisdiction has. Counted alone,
// each is common, so the page walks the jurisdiction's deployments and,
// finding none within its budget (walk.go), walks on to their end: at 1M
// synthetic deployments a page of Pakistan with crowd analytics read all
// 65,890 of Pakistan's, 0.38 s of the server's CPU, for an empty page.
//
// deployment_counts (migration 013) holds how many deployments share each
// combination of jurisdiction, year, status, certainty, capabilities and
// vendors, kept by every write: a few hundred rows where the deployments
// are a million. Where it can answer every filter of a page, and the rows
// it reads for that are few, it tells exactly whether any deployment
// passes them all; when none does, the page is empty without reading a
// deployment.

// noneMatch reports whether deployment_counts shows that no current
// deployment passes every filter of f, its rows tested as the deployments
// are (countedTest). It answers false when it cannot tell: f has fewer
// than two filters, or one the counts do not hold (countable), or the rows of
// deployment_counts its jurisdictions select are more than jointRows. On
// PostgreSQL, which plans by statistics, it always answers false.
func (s *reader) noneMatch(ctx context.Context, f registry.DeploymentFilter) (bool, error) {
	if s.d.pin == nil || !countable(f) {
		return false, nil
	}
	terms, _, err := s.terms(ctx, f, false, unpinned)
	if err != nil || len(terms) < 2 {
		// One filter alone: the page reads its index, which lists no
		// deployment as fast as the counts would tell it.
		return false, err
	}
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	test, keyed := countedOf(terms, false, arg), countedOf(terms, true, arg)
	q := "SELECT * FROM deployment_counts c"
	if keyed != "" {
		q += " WHERE " + keyed
	}
	q = fmt.Sprintf("SELECT count(*), coalesce(sum(CASE WHEN %s THEN n ELSE 0 END), 0) FROM (%s LIMIT %d) c", test, q, s.d.jointRows+1)
	var read, n int64
	if err := s.q.QueryRowContext(ctx, q, args...).Scan(&read, &n); err != nil {
		return false, err
	}
	return read <= int64(s.d.jointRows) && n == 0, nil
}

// countedTerms returns terms with how many deployments each selects
// (known) summed from deployment_counts, for every term the table holds,
// in one statement; terms as they are where it cannot tell: on
// PostgreSQL, or when the table has more than jointRows rows. Counting
// each filter's index up to fewMatches instead read up to 5,000 index
// rows a filter, a millisecond of a page of a jurisdiction, a
// technology and years at 100k (docs/performance.md, "A request's own
// cost"); the table had 948 rows.
func (s *reader) countedTerms(ctx context.Context, terms []term) ([]term, error) {
	if s.d.pin == nil {
		return terms, nil
	}
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	var sums []string
	var which []int
	for i, t := range terms {
		if t.counted != nil && t.set != nil && t.known < 0 {
			sums = append(sums, fmt.Sprintf("coalesce(sum(CASE WHEN %s THEN n ELSE 0 END), 0)", t.counted(arg)))
			which = append(which, i)
		}
	}
	if len(which) == 0 {
		return terms, nil
	}
	q := fmt.Sprintf("SELECT count(*), %s FROM (SELECT * FROM deployment_counts LIMIT %d) c", strings.Join(sums, ", "), s.d.jointRows+1)
	var read int64
	n := make([]int64, len(which))
	dest := []any{&read}
	for i := range n {
		dest = append(dest, &n[i])
	}
	if err := s.q.QueryRowContext(ctx, q, args...).Scan(dest...); err != nil {
		return nil, err
	}
	if read > int64(s.d.jointRows) {
		return terms, nil
	}
	out := slices.Clone(terms)
	for i, t := range which {
		out[t].known = int(min(n[i], math.MaxInt32))
	}
	return out, nil
}

// emptyPlan is the plan of a page no deployment can be on: the few shape
// (pagePlan) with an empty list.
func emptyPlan(pin func(string) string) plan {
	return plan{where: []string{"d.id IN (SELECT id FROM deployments WHERE 0 = 1)"}, key: pin("d.id")}
}
