package store

import (
	"context"
	"fmt"
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
