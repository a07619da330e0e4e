package analysis

import (
	"context"
	"slices"
	"testing"

	"oversight/internal/testreg"
)

func TestTrends(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testreg.Open(t, networkSet())
	tt, err := Trends(ctx, db, NetworkQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(tt.Years, netIDs("2015", "2016", "2017", "undated")) {
		t.Fatalf("years %v", tt.Years)
	}
	cells := func(r TrendRow) [][]string {
		out := make([][]string, len(r.Cells))
		for i, c := range r.Cells {
			if c.N != len(c.Deployments) {
				t.Errorf("%s %s: n %d for %v", r.Key, c.Year, c.N, c.Deployments)
			}
			out[i] = c.Deployments
		}
		return out
	}
	want := map[string][][]string{
		// Totals: 2015 ph-1, pk-1; 2016 my-2, ph-2; 2017 in-1, pk-2; undated my-1.
		"total": {netIDs("ph-1", "pk-1"), netIDs("my-2", "ph-2"), netIDs("in-1", "pk-2"), netIDs("my-1")},
		// Southeast Asia: 2015 ph-1; 2016 my-2, ph-2; undated my-1.
		"southeast_asia": {netIDs("ph-1"), netIDs("my-2", "ph-2"), netIDs(), netIDs("my-1")},
		// South Asia: 2015 pk-1; 2017 in-1, pk-2.
		"south_asia": {netIDs("pk-1"), netIDs(), netIDs("in-1", "pk-2"), netIDs()},
		// cctv: 2015 ph-1, pk-1; 2016 my-2, ph-2; 2017 in-1.
		"cctv":                            {netIDs("ph-1", "pk-1"), netIDs("my-2", "ph-2"), netIDs("in-1"), netIDs()},
		"face_detection":                  {netIDs("ph-1"), netIDs(), netIDs(), netIDs()},
		"remote_biometric_identification": {netIDs(), netIDs(), netIDs(), netIDs("my-1")},
		"lpr_anpr":                        {netIDs("pk-1"), netIDs(), netIDs(), netIDs()},
		// pk-2 states no capability.
		"unknown": {netIDs(), netIDs(), netIDs("pk-2"), netIDs()},
	}
	rows := append(append([]TrendRow{tt.Totals}, tt.BySubregion...), tt.ByTechnology...)
	if len(rows) != len(want) {
		t.Errorf("%d rows, want %d", len(rows), len(want))
	}
	for _, r := range rows {
		got := cells(r)
		w, ok := want[r.Key]
		if !ok || !slices.EqualFunc(got, w, func(a, b []string) bool { return slices.Equal(a, b) }) {
			t.Errorf("%s: %v, want %v", r.Key, got, w)
		}
	}
	if tt.Totals.Total != 7 || tt.BySubregion[0].Total != 4 || tt.ByTechnology[0].Key != "cctv" || tt.ByTechnology[0].Total != 5 {
		t.Errorf("totals: %d, %+v, %+v", tt.Totals.Total, tt.BySubregion[0], tt.ByTechnology[0])
	}

	// A year range leaves undated deployments out: 2016-2017 → 4.
	tt, err = Trends(ctx, db, NetworkQuery{YearFrom: 2016, YearTo: 2017})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(tt.Years, netIDs("2016", "2017", "undated")) || tt.Totals.Total != 4 || tt.Totals.Cells[2].N != 0 {
		t.Errorf("2016-2017: %v %+v", tt.Years, tt.Totals)
	}
}
