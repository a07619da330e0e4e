package analysis

import (
	"context"

	"oversight/registry"
)

// countedCell is one cell of a trend table summed from counts: how many
// deployments, and how many of them each jurisdiction holds, to read the
// ones it lists.
type countedCell struct {
	n              int
	byJurisdiction map[string]int
}

// trendsCounted tabulates by summing the register's counts, then reads the
// first ListMax deployments of each cell by index.
func trendsCounted(ctx context.Context, reg CountRegister, w *netWorld, q NetworkQuery) (*TrendTable, error) {
	counts, err := reg.DeploymentCounts(ctx)
	if err != nil {
		return nil, err
	}
	type row map[int]*countedCell
	add := func(r row, c *registry.DeploymentCount) {
		cc := r[c.Year]
		if cc == nil {
			cc = &countedCell{byJurisdiction: map[string]int{}}
			r[c.Year] = cc
		}
		cc.n += c.N
		cc.byJurisdiction[c.Jurisdiction] += c.N
	}
	all, bySub, byTech := row{}, map[string]row{}, map[string]row{}
	for i := range counts {
		c := &counts[i]
		if !q.selects(c, w) {
			continue
		}
		add(all, c)
		sub := w.sub(c.Jurisdiction)
		if bySub[sub] == nil {
			bySub[sub] = row{}
		}
		add(bySub[sub], c)
		caps := c.Capabilities
		if len(caps) == 0 {
			caps = []string{UnknownValue}
		}
		for _, cp := range caps {
			if byTech[cp] == nil {
				byTech[cp] = row{}
			}
			add(byTech[cp], c)
		}
	}
	lists := newCellLists(ctx, reg, q)
	// tally reads the lists of a row's cells; capability narrows them to
	// a technology row's.
	tally := func(r row, capability string) (trendTally, error) {
		t := trendTally{}
		for year, cc := range r {
			cell := registry.Cell{Year: year}
			switch capability {
			case "", q.Capability: // every selected deployment has it
			case UnknownValue:
				cell.NoCapability = true
			default:
				cell.Capability = capability
			}
			ids, err := lists.list(cc.byJurisdiction, all[year].byJurisdiction, cell)
			if err != nil {
				return nil, err
			}
			t[year] = &TrendCell{N: cc.n, Deployments: ids}
		}
		return t, nil
	}
	tAll, err := tally(all, "")
	if err != nil {
		return nil, err
	}
	tSub, tTech := map[string]trendTally{}, map[string]trendTally{}
	for sub, r := range bySub {
		if tSub[sub], err = tally(r, ""); err != nil {
			return nil, err
		}
	}
	for cp, r := range byTech {
		if tTech[cp], err = tally(r, cp); err != nil {
			return nil, err
		}
	}
	return trendTable(q, tAll, tSub, tTech), nil
}
