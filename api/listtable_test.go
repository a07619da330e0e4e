package api

import (
	"bytes"
	"context"
	"testing"

	"oversight/internal/fixture"
	"oversight/registry"
	"oversight/store"
)

// unprojected is a snapshot whose tier projection is not ready: a list
// classifies each of its deployments.
type unprojected struct{ *store.Snapshot }

func (unprojected) TierTable(context.Context, []string, string) (*registry.TierTable, bool, error) {
	return nil, false, nil
}

// TestListTiersFromTheTable checks that a list written from the tier
// table's rows is byte for byte the list classified item by item, on
// days some frameworks are out of force and on days all are in force.
func TestListTiersFromTheTable(t *testing.T) {
	set := fixture.Set(40)
	db := openSet(t, set)
	table, _ := serveRegister(t, db, snapshots(db), nil)
	classified, _ := serveRegister(t, db, func(ctx context.Context) (Reader, error) {
		sn, err := db.Snapshot(ctx)
		if err != nil {
			return nil, err
		}
		return unprojected{sn}, nil
	}, nil)
	for _, q := range []string{
		"limit=50", "limit=7&cursor=" + cursorOf(set.Deployments[9].ID), "as_of=2019-06-01",
		"as_of=2024-08-01&limit=20", "as_of=2027-08-02", "jurisdiction=PK&as_of=2026-02-03",
	} {
		path := "/api/v1/deployments?" + q
		resp, got := get(t, table, path)
		_, want := get(t, classified, path)
		if resp.StatusCode != 200 || !bytes.Equal(got, want) {
			t.Errorf("GET %s: %d; from the table\n%s\nclassified\n%s", path, resp.StatusCode, got, want)
		}
	}
}
