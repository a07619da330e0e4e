package main

import (
	"context"
	"database/sql"
	"slices"
	"strings"
)

// The plans the sqlite3 command prints are its own version's (Debian's
// 3.40.1), not always the server's: the store runs modernc.org/sqlite
// (3.54.1), whose planner reads a merge of lists in id order where 3.40.1
// sorts the merge's whole window after it (docs/performance.md, "A vendor
// headquarters, a subregion, several jurisdictions and a few years"). So
// the plan printed, and the SORT flag, are the server's, asked through
// the driver on the same file; sqlite3 still times each statement and
// counts its steps, and a line says where its plan sorts and the server's
// does not, as its steps then count a sort the server does not do.

// openDriver opens file read-only through the store's driver.
func openDriver(file string) (*sql.DB, error) {
	return sql.Open("sqlite", "file:"+file+"?mode=ro")
}

// driverPlan returns the server's plan of q with args, one line a step,
// as sqlite3's EXPLAIN QUERY PLAN prints them.
func driverPlan(ctx context.Context, db *sql.DB, q string, args []any) ([]string, error) {
	rows, err := db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return nil, err
		}
		plan = append(plan, detail)
	}
	return plan, rows.Err()
}

// withDriverPlan gives r the server's plan of q in place of sqlite3's, and
// notes where sqlite3's sorts and the server's does not.
func withDriverPlan(ctx context.Context, db *sql.DB, r result, q string, args []any) result {
	plan, err := driverPlan(ctx, db, q, args)
	if err != nil {
		r.err = strings.TrimSpace(r.err + " driver plan: " + err.Error())
		return r
	}
	if sorts(r.plan) && !sorts(plan) {
		plan = append(plan, "(sqlite3 3.40 sorts here)")
	}
	r.plan = plan
	return r
}

// sorts says whether a plan sorts a statement's rows for its ORDER BY.
func sorts(plan []string) bool {
	return slices.ContainsFunc(plan, func(l string) bool { return strings.Contains(l, "TEMP B-TREE FOR ORDER BY") })
}
