package analysis

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"

	"oversight/registry"
)

// A FinancingRegister keeps the financing entries of its deployments apart
// from their states, up to date as revisions are written (*store.DB and
// its snapshots), so that the money is read without reading every
// deployment.
type FinancingRegister interface {
	// EachFinancing calls fn for each financing entry of the deployments
	// a filter selects, by deployment id, then in the deployment's order.
	EachFinancing(ctx context.Context, f registry.DeploymentFilter, fn func(registry.FinancingEntry) error) error
}

// networkRegister is a register a network can be built on without
// reading every deployment: its counts give every number, an index read
// lists each set, and the financing entries are kept apart.
type networkRegister interface {
	CountRegister
	FinancingRegister
}

// A countedSet is a part of the selected deployments that is a union of
// count rows: how many of its deployments each jurisdiction holds, and the
// links that tell them from the others selected there.
type countedSet struct {
	total          int
	byJurisdiction map[string]int
	links          []registry.Link
}

func newCountedSet(links ...registry.Link) *countedSet {
	return &countedSet{byJurisdiction: map[string]int{}, links: links}
}

func (s *countedSet) add(c *registry.DeploymentCount) {
	s.total += c.N
	s.byJurisdiction[c.Jurisdiction] += c.N
}

// setLists reads the first ListMax deployments of counted sets, one
// statement a set: a part of each of its jurisdictions, in id order, each
// read up to its own count from the index on (jurisdiction, id).
type setLists struct {
	ctx context.Context
	reg CountRegister
	f   registry.DeploymentFilter // q's filter but its jurisdictions
	all map[string]int            // the selected deployments of each jurisdiction
	// read holds the lists read, by their cells: the shares of a
	// subregion that holds every selected deployment (a network of one
	// subregion) are those of the whole, and were read twice (at 1M,
	// South-East Asia's network in 2014-2020 spent 0.5 of its 1.7 s of
	// CPU so; docs/performance.md, "Every route at 1M").
	read map[string][]string
}

// list returns the first ListMax deployments of s in id order. Where s holds
// all the selected deployments of a jurisdiction, they are read without
// testing its links.
func (l *setLists) list(s *countedSet) ([]string, error) {
	if s.total == 0 {
		return []string{}, nil
	}
	cells := make([]registry.Cell, 0, len(s.byJurisdiction))
	for _, j := range slices.Sorted(maps.Keys(s.byJurisdiction)) {
		n := s.byJurisdiction[j]
		c := registry.Cell{Jurisdiction: j, AnyYear: true, Limit: min(n, ListMax)}
		if n != l.all[j] {
			c.Links = s.links
		}
		cells = append(cells, c)
	}
	key := fmt.Sprint(cells)
	if ids, ok := l.read[key]; ok {
		return slices.Clone(ids), nil
	}
	ids, err := l.reg.FirstDeployments(l.ctx, l.f, cells, ListMax)
	if ids == nil {
		ids = []string{}
	}
	if err == nil {
		if l.read == nil {
			l.read = map[string][]string{}
		}
		l.read[key] = ids
	}
	return slices.Clone(ids), err
}

// fill sets a list and its total to those of s.
func (l *setLists) fill(s *countedSet, list *[]string, total *int) error {
	ids, err := l.list(s)
	*list, *total = ids, s.total
	return err
}

// The links that pick out the parts of Shares and a country's share of
// them (supply).
var (
	supplierKnownHQ   = registry.Link{Roles: SupplierRoles, HQ: registry.KnownHQ}
	supplierUnknownHQ = registry.Link{Roles: SupplierRoles, HQ: registry.UnknownHQ}
	noSupplierKnownHQ = registry.Link{Absent: true, Roles: SupplierRoles, HQ: registry.KnownHQ}
	aSupplier         = registry.Link{Roles: SupplierRoles}
	noSupplierAtAll   = registry.Link{Absent: true, Roles: SupplierRoles}
	roleUnknown       = registry.Link{Roles: []string{"unknown"}}
	noRoleUnknown     = registry.Link{Absent: true, Roles: []string{"unknown"}}
)

// sharesSets are the counted sets of one Shares.
type sharesSets struct {
	subregion                                                  string
	all, supplied, alsoUnknownHQ, unknownHQ, unknownRole, none *countedSet
	byHQ                                                       map[string]*countedSet
}

func newSharesSets(subregion string) *sharesSets {
	return &sharesSets{subregion: subregion, all: newCountedSet(), supplied: newCountedSet(supplierKnownHQ),
		alsoUnknownHQ: newCountedSet(supplierKnownHQ, supplierUnknownHQ), unknownHQ: newCountedSet(aSupplier, noSupplierKnownHQ),
		unknownRole: newCountedSet(noSupplierAtAll, roleUnknown), none: newCountedSet(noSupplierAtAll, noRoleUnknown), byHQ: map[string]*countedSet{}}
}

// add counts c in the parts supply puts its deployments in, as hqTally.add
// does one deployment.
func (s *sharesSets) add(c *registry.DeploymentCount, w *netWorld) {
	s.all.add(c)
	countries, part := supply(c.Roles(), w)
	for _, country := range countries {
		if s.byHQ[country] == nil {
			s.byHQ[country] = newCountedSet(registry.Link{Roles: SupplierRoles, HQ: country})
		}
		s.byHQ[country].add(c)
	}
	switch part {
	case supplied:
		s.supplied.add(c)
	case suppliedAlsoUnknownHQ:
		s.supplied.add(c)
		s.alsoUnknownHQ.add(c)
	case unknownHQ:
		s.unknownHQ.add(c)
	case unknownRole:
		s.unknownRole.add(c)
	default:
		s.none.add(c)
	}
}

// shares lists the parts and returns them as hqTally.shares does.
func (s *sharesSets) shares(l *setLists) (Shares, error) {
	t := newHQTally(s.subregion)
	for _, p := range []struct {
		set   *countedSet
		list  *[]string
		total *int
	}{
		{s.all, &t.s.Deployments, &t.s.DeploymentsTotal},
		{s.supplied, &t.s.Supplied, &t.s.SuppliedTotal},
		{s.alsoUnknownHQ, &t.s.AlsoUnknownHQ, &t.s.AlsoUnknownHQTotal},
		{s.unknownHQ, &t.s.UnknownHQ, &t.s.UnknownHQTotal},
		{s.unknownRole, &t.s.UnknownRole, &t.s.UnknownRoleTotal},
		{s.none, &t.s.NoSupplier, &t.s.NoSupplierTotal},
	} {
		if err := l.fill(p.set, p.list, p.total); err != nil {
			return Shares{}, err
		}
	}
	for country, set := range s.byHQ {
		ids, err := l.list(set)
		if err != nil {
			return Shares{}, err
		}
		t.byHQ[country] = &HQShare{Country: country, Deployments: ids, DeploymentsTotal: set.total}
	}
	return t.shares(), nil
}

// networkCounted builds the network of the deployments q selects from the
// register's counts, an index read for each list, and the financing
// entries of those deployments: the same Network as the walk in
// BuildNetwork, without reading a deployment.
func networkCounted(ctx context.Context, reg networkRegister, w *netWorld, q NetworkQuery) (*Network, error) {
	counts, err := reg.DeploymentCounts(ctx)
	if err != nil {
		return nil, err
	}
	n := &Network{Query: q, Edges: []Edge{}, Lenders: []Lender{}, Unattributed: []Flow{}}
	overall := newSharesSets("")
	bySub := map[string]*sharesSets{}
	type edgeSet struct {
		Edge
		set *countedSet
	}
	type lenderSet struct {
		Lender
		set *countedSet
	}
	edges := map[[2]string]*edgeSet{}
	lenders := map[string]*lenderSet{}
	for i := range counts {
		c := &counts[i]
		if !q.selects(c, w) {
			continue
		}
		sub := w.sub(c.Jurisdiction)
		if bySub[sub] == nil {
			bySub[sub] = newSharesSets(sub)
		}
		overall.add(c, w)
		bySub[sub].add(c, w)
		// c.Vendors names each vendor of a role and each lender, linked as
		// a financier where no role names it: the edges the walk makes.
		roles := c.Roles()
		var named []string
		for _, vr := range c.Vendors {
			named = appendNew(named, vr.Vendor)
		}
		for _, id := range named {
			k := [2]string{id, c.Jurisdiction}
			e := edges[k]
			if e == nil {
				v := w.vendor(id)
				e = &edgeSet{Edge: Edge{Vendor: v.ID, Name: v.Name, Headquarters: hqOf(v), Ownership: cmp.Or(v.Ownership, UnknownValue),
					Jurisdiction: c.Jurisdiction, Subregion: sub, Roles: []string{}, Financing: []Flow{}}, set: newCountedSet(registry.Link{Vendor: id})}
				edges[k] = e
			}
			e.set.add(c)
			for _, vr := range roles {
				if vr.Vendor == id {
					e.Roles = appendNew(e.Roles, vr.Role)
				}
			}
			for _, cp := range c.Capabilities {
				e.Technologies = appendNew(e.Technologies, cp)
			}
			if !slices.ContainsFunc(c.Vendors, func(vr registry.VendorRole) bool { return vr.Vendor == id && slices.Contains(LenderRoles, vr.Role) }) {
				continue
			}
			l := lenders[id]
			if l == nil {
				v := w.vendor(id)
				l = &lenderSet{Lender: Lender{Vendor: v.ID, Name: v.Name, Type: cmp.Or(v.Type, UnknownValue), Headquarters: hqOf(v),
					Ownership: cmp.Or(v.Ownership, UnknownValue), Flows: []Flow{}}, set: newCountedSet(registry.Link{Vendor: id, Roles: LenderRoles})}
				lenders[id] = l
			}
			l.set.add(c)
			l.Jurisdictions = appendNew(l.Jurisdictions, c.Jurisdiction)
		}
	}
	// The money: every entry of the selected deployments, in the walk's
	// order, so that sums add up in the same order.
	f := registry.DeploymentFilter{Jurisdictions: q.Jurisdictions, VendorHQ: q.VendorHQ, Certainty: q.Certainty, Capability: q.Capability,
		YearFrom: q.YearFrom, YearTo: q.YearTo}
	err = reg.EachFinancing(ctx, f, func(fe registry.FinancingEntry) error {
		if q.Subregion != "" && w.sub(fe.Jurisdiction) != q.Subregion {
			return nil
		}
		fl := flow(fe.Deployment, fe.Jurisdiction, fe.Financing)
		if fe.Lender == "" {
			n.Unattributed = addCapped(n.Unattributed, &n.UnattributedTotal, fl)
			return nil
		}
		if e := edges[[2]string{fe.Lender, fe.Jurisdiction}]; e != nil {
			e.Financing = addCapped(e.Financing, &e.FinancingTotal, fl)
		}
		if l := lenders[fe.Lender]; l != nil {
			l.addFlow(fl)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	lists := &setLists{ctx: ctx, reg: reg, all: overall.all.byJurisdiction,
		f: registry.DeploymentFilter{VendorHQ: q.VendorHQ, Certainty: q.Certainty, Capability: q.Capability, YearFrom: q.YearFrom, YearTo: q.YearTo}}
	if n.Overall, err = overall.shares(lists); err != nil {
		return nil, err
	}
	n.Deployments, n.DeploymentsTotal = n.Overall.Deployments, n.Overall.DeploymentsTotal
	n.BySubregion = []Shares{}
	for _, sub := range append(slices.Clone(registry.Subregions.Values), UnknownValue) {
		if s := bySub[sub]; s != nil {
			shares, err := s.shares(lists)
			if err != nil {
				return nil, err
			}
			n.BySubregion = append(n.BySubregion, shares)
		}
	}
	var es []*Edge
	for _, e := range edges {
		es = append(es, &e.Edge)
		if err := lists.fill(e.set, &e.Deployments, &e.DeploymentsTotal); err != nil {
			return nil, err
		}
	}
	var ls []*Lender
	for _, l := range lenders {
		ls = append(ls, &l.Lender)
		if err := lists.fill(l.set, &l.Deployments, &l.DeploymentsTotal); err != nil {
			return nil, err
		}
	}
	n.finish(es, ls)
	return n, nil
}
