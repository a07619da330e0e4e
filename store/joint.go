package store

import (
	"context"
	"fmt"

	"oversight/registry"
)

// A page's filters may each select many deployments and none together: a
// technology no deployment of a large jurisdiction has. Counted alone,
// each is common, so the page walks the jurisdiction's deployments and,
// finding none within its budget (walk.go), walks on to their end: at 1M
// synthetic deployments a page of Pakistan with crowd analytics read all
// 65,890 of Pakistan's, 0.38 s of the server's CPU, for an empty page.
//
// deployment_counts (migrations 013, 015 and 024) holds how many
// deployments share each combination of jurisdiction, year, status,
// certainty, capabilities, vendors, lenders and purposes, kept by every
// write: a few hundred rows where the deployments
// are a million. Where it can answer every filter of a page, and the rows
// it reads for that are few, it tells exactly whether any deployment
// passes them all; when none does, the page is empty without reading a
// deployment.

// jointCount returns how many current deployments pass every filter of f,
// as deployment_counts shows, its rows tested as the deployments are
// (countedTest); or -1 when it cannot tell: f has no filter, or one the
// counts do not hold (countable), or the rows of deployment_counts its
// jurisdictions select are more than jointRows. On PostgreSQL, which plans
// by statistics, it is always -1. Nor does it count one filter whose index
// the page walks (pagePlan). None: the page is empty; some: a walk knows
// how many deployments it reads for each it finds (walk.go).
func (s *reader) jointCount(ctx context.Context, f registry.DeploymentFilter) (int64, error) {
	if s.d.pin == nil || !countable(f) {
		return -1, nil
	}
	terms, _, err := s.terms(ctx, f, false, unpinned)
	if err != nil || len(terms) == 0 || len(terms) == 1 && terms[0].walk != nil {
		// One filter whose index lists its deployments in id order:
		// the page reads that index in one statement, which finds no
		// deployment as fast as the counts would.
		return -1, err
	}
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	return s.countsSum(ctx, countedOf(terms, true, arg), countedOf(terms, false, arg), args)
}

// countsSum sums the deployments of the rows of deployment_counts that
// keyed selects from the table's key and test passes (either "" for
// every row), or returns -1 where that reads more than jointRows rows.
// The sum is kept for the log size, as a page's filters are the same
// from page to page (docs/performance.md, "Counts kept for a later page").
func (s *reader) countsSum(ctx context.Context, keyed, test string, args []any) (int64, error) {
	q := "SELECT * FROM deployment_counts c"
	if keyed != "" {
		q += " WHERE " + keyed
	}
	n := "n"
	if test != "" {
		n = "CASE WHEN " + test + " THEN n ELSE 0 END"
	}
	q = fmt.Sprintf("SELECT count(*), coalesce(sum(%s), 0) FROM (%s LIMIT %d) c", n, q, s.d.jointRows+1)
	var read, sum int64
	if err := s.countRow(ctx, q, args, []any{&read, &sum}); err != nil {
		return -1, err
	}
	if read > int64(s.d.jointRows) {
		return -1, nil
	}
	return sum, nil
}

// emptyPlan is the plan of a page no deployment can be on: the few shape
// (pagePlan) with an empty list.
func emptyPlan(pin func(string) string) plan {
	return plan{where: []string{"d.id IN (SELECT id FROM deployments WHERE 0 = 1)"}, key: pin("d.id")}
}
