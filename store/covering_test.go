package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"oversight/registry"
)

// TestCellsCovered: the examples behind a count of a whole-register table
// (FirstDeployments) under a filter of certainty or status are read from
// an index by jurisdiction alone, the filter tested in its entries
// (migration 025), for cells of one year and of every year, under a range
// of years and without; and they are deployments the filter selects.
// Read from the table, each deployment tested was a seek into it: the
// vendor network of documented deployments at 1M made some 600,000.
func TestCellsCovered(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := projected(t, 60)
	var years []registry.Cell // of one year each
	for _, j := range []string{"KZ", "PH", "PK"} {
		for y := 2010; y <= 2013; y++ {
			years = append(years, registry.Cell{Jurisdiction: j, Year: y, Limit: 5})
		}
	}
	for _, f := range []registry.DeploymentFilter{
		{Certainty: "documented"},
		{Status: "active"},
		{Status: "active", Certainty: "reported"},
		{Certainty: "documented", YearFrom: 2010, YearTo: 2013},
	} {
		for _, cells := range [][]registry.Cell{
			{{Jurisdiction: "PH", AnyYear: true, Limit: 5}, {Jurisdiction: "PK", AnyYear: true, Limit: 5}},
			years,
		} {
			name := fmt.Sprintf("%+v, %+v", f, cells)
			st, err := db.firstStatement(ctx, f, cells, 5)
			if err != nil {
				t.Fatal(err)
			}
			plan, _ := explain(t, db, st)
			searched := 0
			for _, line := range plan {
				if !strings.HasPrefix(line, "SEARCH d ") && !strings.HasPrefix(line, "SCAN d ") {
					continue
				}
				searched++
				if !strings.Contains(line, "USING COVERING INDEX deployments_jurisdiction") {
					t.Errorf("%s: %q: not from an index by jurisdiction alone\n%s", name, line, st.SQL)
				}
			}
			if searched == 0 {
				t.Errorf("%s: no part reads the deployments: %q", name, plan)
			}
			ids, err := db.FirstDeployments(ctx, f, cells, 5)
			if err != nil {
				t.Fatal(err)
			}
			if len(ids) == 0 {
				t.Errorf("%s: no deployment listed, so none is tested", name)
			}
			for _, id := range ids {
				e, err := db.Get(ctx, "deployment", id)
				if err != nil {
					t.Fatal(err)
				}
				d := e.(*registry.Deployment)
				if f.Certainty != "" && d.Certainty != f.Certainty || f.Status != "" && d.Status.Value != f.Status {
					t.Errorf("%s: %s is %s and %s", name, id, d.Certainty, d.Status.Value)
				}
			}
		}
	}
}

// TestPartsMerged: the parts of FirstDeployments' statement that hold at
// least the list's length are merged as they are read, each walked in id
// order from its index with nothing sorted, so that the statement stops
// where the list ends; a part that holds fewer is cut at its own limit.
// Both give the first deployments of the cells.
func TestPartsMerged(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := projected(t, 60)
	full := []registry.Cell{
		{Jurisdiction: "PH", AnyYear: true, Limit: 5},
		{Jurisdiction: "PK", Year: 2012, Limit: 5},
		{Jurisdiction: "KZ", Year: 2011, Capability: "cctv", Limit: 5},
	}
	for _, f := range []registry.DeploymentFilter{{}, {Certainty: "documented"}, {Capability: "cctv"}} {
		st, err := db.firstStatement(ctx, f, full, 5)
		if err != nil {
			t.Fatal(err)
		}
		plan, _ := explain(t, db, st)
		if joined := strings.Join(plan, " | "); strings.Contains(joined, "TEMP B-TREE") || !strings.Contains(joined, "MERGE (UNION ALL)") {
			t.Errorf("%+v: parts of the list's length are sorted, or not merged: %s\n%s", f, joined, st.SQL)
		}
		short := append(slices.Clone(full), registry.Cell{Jurisdiction: "PK", Year: 2013, Limit: 2})
		st, err = db.firstStatement(ctx, f, short, 5)
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(st.SQL, "LIMIT 2)"); n != 1 {
			t.Errorf("%+v: a part of 2 is cut at its limit %d times, want once: %s", f, n, st.SQL)
		}
		// The first five of the cells, from their deployments listed.
		var want []string
		for _, c := range short {
			ids, err := db.FirstDeployments(ctx, f, []registry.Cell{{Jurisdiction: c.Jurisdiction, Year: c.Year, AnyYear: c.AnyYear, Capability: c.Capability, Limit: 1000}}, 1000)
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, ids[:min(len(ids), c.Limit)]...)
		}
		slices.Sort(want)
		want = want[:min(len(want), 5)]
		got, err := db.FirstDeployments(ctx, f, short, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("%+v: %v, want %v", f, got, want)
		}
	}
}
