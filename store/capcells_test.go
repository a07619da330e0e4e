package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"

	"oversight/internal/fixture"
	"oversight/registry"
	"oversight/synth"
)

// undoCapabilityCells are the statements that take a register back to
// before migration 020.
func undoCapabilityCells() []string {
	return []string{"DROP INDEX deployment_capabilities_cells", "ALTER TABLE deployment_capabilities DROP COLUMN jurisdiction",
		"ALTER TABLE deployment_capabilities DROP COLUMN year"}
}

// TestCapabilityCells checks that the first deployments of cells of one
// capability, read from the capability rows' jurisdiction and year
// (migration 020), are those found by testing every deployment of the
// jurisdiction and year for the capability, with and without a filter
// that reads the deployments, on a register after updates that change
// deployments' years, jurisdictions and capabilities; after rebuild; and
// after migration 020 on the register as it was before it.
func TestCapabilityCells(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base := builtinSet(t)
	db := open(t)
	apply(t, db, base)
	ds := synth.Batch(base, 11, 0, 150)
	apply(t, db, &registry.Set{Deployments: ds})
	var changed []*registry.Deployment
	for i, d := range ds[:45] {
		c := *d
		switch i % 3 {
		case 0:
			c.Dates = nil
		case 1:
			c.Jurisdiction = base.Deployments[i].Jurisdiction
		case 2:
			c.System.Capabilities = []string{registry.Capabilities.Values[i%len(registry.Capabilities.Values)]}
		}
		changed = append(changed, &c)
	}
	apply(t, db, &registry.Set{Deployments: changed})
	verifyOK(t, db)
	sameCells(t, db)

	if _, err := db.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	sameCells(t, db)

	undoPurposes(t, db) // migration 022
	for _, q := range append(append(undoTierSpans(db), undoCapabilityCells()...), "UPDATE schema_version SET version = 19") {
		if _, err := db.db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.migrate(ctx); err != nil {
		t.Fatal(err)
	}
	verifyOK(t, db)
	sameCells(t, db)
}

// sameCells requires FirstDeployments of every jurisdiction's cells of one
// year and one capability to give what the deployments table and the
// capabilities' deployment ids give, unfiltered, for one certainty, and
// for one technology, where a cell of that technology is asked as a cell
// of none.
func sameCells(t *testing.T, db *DB) {
	t.Helper()
	ctx := context.Background()
	type cell struct {
		registry.Cell
		certainty string
	}
	const limit = 3 // each cell's; some hold more
	members := map[string][]struct{ id, certainty string }{}
	rows, err := db.db.QueryContext(ctx, `SELECT d.jurisdiction, coalesce(d.year, 0), c.capability, d.id, d.certainty
FROM deployments d JOIN deployment_capabilities c ON c.deployment_id = d.id ORDER BY d.id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var j, capability, id, certainty string
		var year int
		if err := rows.Scan(&j, &year, &capability, &id, &certainty); err != nil {
			t.Fatal(err)
		}
		k := fmt.Sprintf("%s %d %s", j, year, capability)
		members[k] = append(members[k], struct{ id, certainty string }{id, certainty})
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	byJ := map[string][]registry.Cell{}
	for _, k := range slices.Sorted(maps.Keys(members)) {
		var c registry.Cell
		fmt.Sscanf(k, "%s %d %s", &c.Jurisdiction, &c.Year, &c.Capability)
		c.Limit = limit
		byJ[c.Jurisdiction] = append(byJ[c.Jurisdiction], c)
	}
	if len(byJ) < 5 {
		t.Fatalf("cells of only %d jurisdictions", len(byJ))
	}
	// first returns the ids of cell c's first limit members that keep
	// passes, and how many more pass.
	first := func(c registry.Cell, keep func(id, certainty string) bool) (ids []string, more int) {
		for _, m := range members[fmt.Sprintf("%s %d %s", c.Jurisdiction, c.Year, c.Capability)] {
			switch {
			case !keep(m.id, m.certainty):
			case len(ids) < limit:
				ids = append(ids, m.id)
			default:
				more++
			}
		}
		return ids, more
	}
	cut := 0
	for _, certainty := range []string{"", "documented"} {
		for j, cells := range byJ {
			var want []string
			for _, c := range cells {
				ids, more := first(c, func(_, cert string) bool { return certainty == "" || cert == certainty })
				want, cut = append(want, ids...), cut+more
			}
			sameFirst(t, db, fmt.Sprintf("%s, certainty %q", j, certainty), registry.DeploymentFilter{Certainty: certainty}, cells, want)
		}
	}
	if cut == 0 {
		t.Error("no cell holds more than its limit: the limit is not tested")
	}
	// Under a filter of a technology, a cell of none is one of that
	// technology, and a cell of another is of both (FirstDeployments
	// reads both from the capabilities' rows).
	crossed := 0
	for j, cells := range byJ {
		for _, capability := range []string{"cctv", "remote_biometric_identification"} {
			var want []string
			var asked []registry.Cell
			for _, c := range cells {
				ids, _ := first(c, func(id, _ string) bool {
					return slices.ContainsFunc(members[fmt.Sprintf("%s %d %s", j, c.Year, capability)], func(m struct{ id, certainty string }) bool { return m.id == id })
				})
				want = append(want, ids...)
				part := c
				if c.Capability == capability {
					part.Capability = ""
				} else {
					crossed += len(ids)
				}
				asked = append(asked, part)
			}
			sameFirst(t, db, fmt.Sprintf("%s, technology %s", j, capability), registry.DeploymentFilter{Capability: capability}, asked, want)
		}
	}
	if crossed == 0 {
		t.Error("no deployment of one technology in a cell of another: the filter beside a cell is not tested")
	}
}

// sameFirst requires FirstDeployments of cells under f to give want, in
// id order.
func sameFirst(t *testing.T, db *DB, name string, f registry.DeploymentFilter, cells []registry.Cell, want []string) {
	t.Helper()
	got, err := db.FirstDeployments(context.Background(), f, cells, 10_000)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s: FirstDeployments gives\n%v\nwant\n%v", name, got, want)
	}
}

// TestCountDeployments checks that Count of deployments, summed from
// deployment_counts, is the number of deployments in entities after
// writes, a retraction and a merge.
func TestCountDeployments(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base := builtinSet(t)
	db := open(t)
	apply(t, db, base)
	ds := synth.Batch(base, 3, 0, 40)
	apply(t, db, &registry.Set{Deployments: ds})
	meta := Meta{Author: "test", Reason: "a test of the deployment count"}
	if _, err := db.Retract(ctx, "deployment", ds[0].ID, meta); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Merge(ctx, "deployment", ds[1].ID, ds[2].ID, meta); err != nil {
		t.Fatal(err)
	}
	var want int
	if err := db.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM entities WHERE kind = 'deployment'").Scan(&want); err != nil {
		t.Fatal(err)
	}
	got, err := db.Count(ctx, "deployment")
	if err != nil {
		t.Fatal(err)
	}
	if got != want || want != len(base.Deployments)+len(ds)-2 {
		t.Errorf("Count(deployment) = %d, entities hold %d, want %d", got, want, len(base.Deployments)+len(ds)-2)
	}
}

// TestFirstDeploymentsManyParts asks for the cells of every year of a
// range across more jurisdictions than a statement can hold a part a year
// of (maxParts): read whole instead, they give the same deployments.
func TestFirstDeploymentsManyParts(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	apply(t, db, fixture.Set(60))
	f := registry.DeploymentFilter{YearFrom: 2010, YearTo: 2017}
	var cells []registry.Cell
	for _, j := range []string{"KZ", "PH", "PK"} {
		cells = append(cells, registry.Cell{Jurisdiction: j, AnyYear: true, Limit: 5})
	}
	few, err := db.FirstDeployments(ctx, f, cells, 5)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 70 { // 73 cells of 8 years: 584 parts
		cells = append(cells, registry.Cell{Jurisdiction: fmt.Sprintf("Z%d", i), AnyYear: true, Limit: 5})
	}
	many, err := db.FirstDeployments(ctx, f, cells, 5)
	if err != nil {
		t.Fatalf("%d cells of 8 years: %v", len(cells), err)
	}
	if len(few) != 5 || !slices.Equal(few, many) {
		t.Errorf("3 cells give %v, %d cells %v", few, len(cells), many)
	}
}
