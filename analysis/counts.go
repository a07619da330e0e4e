package analysis

import (
	"context"
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
	// FirstDeployments returns the first ids in id order that a filter
	// selects within a cell.
	FirstDeployments(ctx context.Context, f registry.DeploymentFilter, c registry.Cell) ([]string, error)
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
// counts: the first ListMax of each, in id order. A cell's deployments are
// read per jurisdiction, each from the index (jurisdiction, year, id), and
// merged; a read serves every cell that asks for the same jurisdiction,
// year and capability.
type cellLists struct {
	ctx  context.Context
	reg  CountRegister
	f    registry.DeploymentFilter // q's filter but its jurisdictions and years
	read map[cellRead][]string
}

type cellRead struct {
	jurisdiction string
	cell         registry.Cell
}

func newCellLists(ctx context.Context, reg CountRegister, q NetworkQuery) *cellLists {
	return &cellLists{ctx: ctx, reg: reg, read: map[cellRead][]string{},
		f: registry.DeploymentFilter{VendorHQ: q.VendorHQ, Certainty: q.Certainty, Capability: q.Capability}}
}

// list returns the first ListMax deployments of a cell, given how many of
// them each jurisdiction holds (byJurisdiction).
func (l *cellLists) list(byJurisdiction map[string]int, c registry.Cell) ([]string, error) {
	var ids []string
	for j, n := range byJurisdiction {
		c.Limit = min(n, ListMax)
		k := cellRead{j, c}
		got, ok := l.read[k]
		if !ok {
			f := l.f
			f.Jurisdictions = []string{j}
			var err error
			if got, err = l.reg.FirstDeployments(l.ctx, f, c); err != nil {
				return nil, err
			}
			l.read[k] = got
		}
		ids = append(ids, got...)
	}
	slices.Sort(ids)
	if len(ids) > ListMax {
		ids = ids[:ListMax]
	}
	return slices.Clip(ids), nil
}
