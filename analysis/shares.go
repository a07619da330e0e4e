package analysis

import (
	"cmp"
	"slices"

	"oversight/registry"
)

// hqTally accumulates the shares of one set of deployments.
type hqTally struct {
	s    Shares
	byHQ map[string]*HQShare // Deployments and DeploymentsTotal only
}

func newHQTally(subregion string) *hqTally {
	return &hqTally{s: Shares{Subregion: subregion, Deployments: []string{}, Supplied: []string{}, AlsoUnknownHQ: []string{},
		UnknownHQ: []string{}, UnknownRole: []string{}, NoSupplier: []string{}}, byHQ: map[string]*HQShare{}}
}

func (t *hqTally) add(d *registry.Deployment, w *netWorld) {
	s := &t.s
	s.Deployments = addCapped(s.Deployments, &s.DeploymentsTotal, d.ID)
	countries, part := supply(d.Vendors, w)
	for _, c := range countries {
		h := t.byHQ[c]
		if h == nil {
			h = &HQShare{Country: c}
			t.byHQ[c] = h
		}
		h.Deployments = addCapped(h.Deployments, &h.DeploymentsTotal, d.ID)
	}
	switch part {
	case supplied:
		s.Supplied = addCapped(s.Supplied, &s.SuppliedTotal, d.ID)
	case suppliedAlsoUnknownHQ:
		s.Supplied = addCapped(s.Supplied, &s.SuppliedTotal, d.ID)
		s.AlsoUnknownHQ = addCapped(s.AlsoUnknownHQ, &s.AlsoUnknownHQTotal, d.ID)
	case unknownHQ:
		s.UnknownHQ = addCapped(s.UnknownHQ, &s.UnknownHQTotal, d.ID)
	case unknownRole:
		s.UnknownRole = addCapped(s.UnknownRole, &s.UnknownRoleTotal, d.ID)
	default:
		s.NoSupplier = addCapped(s.NoSupplier, &s.NoSupplierTotal, d.ID)
	}
}

// The parts of Shares a deployment falls in, by its suppliers.
const (
	noSupplier = iota
	supplied
	suppliedAlsoUnknownHQ
	unknownHQ
	unknownRole
)

// supply returns the headquarters countries of a deployment's suppliers,
// each once, and the part of Shares its vendor roles put it in.
func supply(vendors []registry.VendorRole, w *netWorld) ([]string, int) {
	var countries []string
	suppliers, noHQ, roleUnknown := false, false, false
	for _, vr := range vendors {
		switch {
		case slices.Contains(SupplierRoles, vr.Role):
			suppliers = true
			if c := w.vendor(vr.Vendor).Headquarters; c != "" {
				countries = appendNew(countries, c)
			} else {
				noHQ = true
			}
		case vr.Role == "unknown":
			roleUnknown = true
		}
	}
	switch {
	case len(countries) > 0 && noHQ:
		return countries, suppliedAlsoUnknownHQ
	case len(countries) > 0:
		return countries, supplied
	case suppliers:
		return nil, unknownHQ
	case roleUnknown:
		return nil, unknownRole
	}
	return nil, noSupplier
}

func (t *hqTally) shares() Shares {
	s := t.s
	s.ByHQ = []HQShare{}
	all, known := s.DeploymentsTotal, s.SuppliedTotal
	for _, h := range t.byHQ {
		n := h.DeploymentsTotal
		s.ByHQ = append(s.ByHQ, HQShare{Country: h.Country, Deployments: h.Deployments, DeploymentsTotal: n, N: n, Of: all, OfKnown: known,
			Share: float64(n) / float64(all), ShareOfKnown: float64(n) / float64(known)})
	}
	slices.SortFunc(s.ByHQ, func(a, b HQShare) int { return cmp.Or(cmp.Compare(b.N, a.N), cmp.Compare(a.Country, b.Country)) })
	return s
}
