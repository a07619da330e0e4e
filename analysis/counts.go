package analysis

import (
	"context"
	"maps"
	"slices"

	"oversight/registry"
)

// A CountRegister keeps counts of its deployments up to date as revisions
// are written (*store.DB and its snapshots). Whole-register tables built
// on one sum its counts and read the few deployments they list by index,
// rather than reading every deployment.
type CountRegister interface {
	// DeploymentCounts returns the count of every combination of
	// attributes the register's deployments have.
	DeploymentCounts(ctx context.Context) ([]registry.DeploymentCount, error)
	// FirstDeployments returns the first limit ids in id order that a
	// filter selects within any of the cells.
	FirstDeployments(ctx context.Context, f registry.DeploymentFilter, cells []registry.Cell, limit int) ([]string, error)
}

// selects reports whether the deployments counted in c are among those q
// selects, as q.each decides for each deployment.
func (q NetworkQuery) selects(c *registry.DeploymentCount, w *netWorld) bool {
	switch {
	case q.Subregion != "" && w.sub(c.Jurisdiction) != q.Subregion,
		len(q.Jurisdictions) > 0 && !slices.Contains(q.Jurisdictions, c.Jurisdiction),
		q.Certainty != "" && c.Certainty != q.Certainty,
		q.Capability != "" && !slices.Contains(c.Capabilities, q.Capability),
		q.YearFrom != 0 && (c.Year == 0 || c.Year < q.YearFrom),
		q.YearTo != 0 && (c.Year == 0 || c.Year > q.YearTo):
		return false
	case q.VendorHQ == "":
		return true
	}
	for _, v := range c.Vendors {
		if vd := w.vendors[v.Vendor]; vd != nil && vd.Headquarters == q.VendorHQ {
			return true
		}
	}
	return false
}

// cellLists reads the deployments behind the cells of a table built from
// counts: the first ListMax of each, in id order, one statement a cell.
type cellLists struct {
	ctx context.Context
	reg CountRegister
	f   registry.DeploymentFilter // q's filter but its jurisdictions and years
}

func newCellLists(ctx context.Context, reg CountRegister, q NetworkQuery) *cellLists {
	return &cellLists{ctx: ctx, reg: reg, f: registry.DeploymentFilter{VendorHQ: q.VendorHQ, Certainty: q.Certainty, Capability: q.Capability}}
}

// list returns the first ListMax deployments of a cell c (its year and
// capability), given how many of them each jurisdiction holds
// (byJurisdiction) and how many of the jurisdiction's deployments of that
// year q selects (all). Where a jurisdiction's part is all of them, it is
// read without testing the capability.
func (l *cellLists) list(byJurisdiction, all map[string]int, c registry.Cell) ([]string, error) {
	cells := make([]registry.Cell, 0, len(byJurisdiction))
	for _, j := range slices.Sorted(maps.Keys(byJurisdiction)) {
		n := byJurisdiction[j]
		part := c
		if n == all[j] {
			part = registry.Cell{Year: c.Year}
		}
		part.Jurisdiction, part.Limit = j, min(n, ListMax)
		cells = append(cells, part)
	}
	ids, err := l.reg.FirstDeployments(l.ctx, l.f, cells, ListMax)
	if ids == nil {
		ids = []string{}
	}
	return ids, err
}
