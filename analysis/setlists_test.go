package analysis

import (
	"context"
	"fmt"
	"testing"

	"oversight/registry"
	"oversight/store"
)

// askedTwice is a register that records the cells each FirstDeployments
// is asked for.
type askedTwice struct {
	*store.DB
	asked map[string]int
}

func (r *askedTwice) FirstDeployments(ctx context.Context, f registry.DeploymentFilter, cells []registry.Cell, limit int) ([]string, error) {
	r.asked[fmt.Sprint(f, cells)]++
	return r.DB.FirstDeployments(ctx, f, cells, limit)
}

// TestNetworkListsReadOnce requires a network whose one subregion holds
// every selected deployment to read each list once: its shares are the
// whole's, and were read twice.
func TestNetworkListsReadOnce(t *testing.T) {
	db, _ := countedRegister(t, "sqlite")
	for _, q := range []NetworkQuery{{Subregion: "southeast_asia", YearFrom: 2014, YearTo: 2017}, {Jurisdictions: []string{"IN"}}} {
		reg := &askedTwice{DB: db, asked: map[string]int{}}
		n, err := BuildNetwork(context.Background(), reg, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(n.BySubregion) != 1 || len(reg.asked) < 5 {
			t.Fatalf("%+v: %d subregions, %d lists read: the test shows little", q, len(n.BySubregion), len(reg.asked))
		}
		for cells, times := range reg.asked {
			if times > 1 {
				t.Errorf("%+v: read %d times: %.300s", q, times, cells)
			}
		}
	}
}
