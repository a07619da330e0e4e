package analysis

import (
	"context"
	"slices"
)

// SupplierCount is the part of the deployments a NetworkQuery selects
// that a vendor headquartered in one country supplied: the figures of an
// HQShare, without the list of deployments.
type SupplierCount struct {
	Country      string
	N            int
	Of           int // all deployments selected
	OfKnown      int // those with a supplier of known headquarters
	Share        float64
	ShareOfKnown float64
}

// CountSuppliers counts the deployments q selects that have a supplier
// headquartered in country, as BuildNetwork's Overall.HQ(country) does.
// On a register that keeps counts (CountRegister) it sums them and reads
// no deployment; on another it builds the network.
func CountSuppliers(ctx context.Context, reg NetworkRegister, q NetworkQuery, country string) (SupplierCount, error) {
	cr, ok := reg.(CountRegister)
	if !ok {
		n, err := BuildNetwork(ctx, reg, q)
		if err != nil {
			return SupplierCount{}, err
		}
		h := n.Overall.HQ(country)
		return SupplierCount{Country: country, N: h.N, Of: h.Of, OfKnown: h.OfKnown, Share: h.Share, ShareOfKnown: h.ShareOfKnown}, nil
	}
	if err := q.Validate(); err != nil {
		return SupplierCount{}, err
	}
	w, err := loadNetWorld(ctx, reg)
	if err != nil {
		return SupplierCount{}, err
	}
	counts, err := cr.DeploymentCounts(ctx)
	if err != nil {
		return SupplierCount{}, err
	}
	s := SupplierCount{Country: country}
	for i := range counts {
		c := &counts[i]
		if !q.selects(c, w) {
			continue
		}
		s.Of += c.N
		countries, part := supply(c.Roles(), w)
		if part == supplied || part == suppliedAlsoUnknownHQ {
			s.OfKnown += c.N
		}
		if slices.Contains(countries, country) {
			s.N += c.N
		}
	}
	// As hqTally.shares divides: a country no deployment has gets no share.
	if s.N > 0 {
		s.Share, s.ShareOfKnown = float64(s.N)/float64(s.Of), float64(s.N)/float64(s.OfKnown)
	}
	return s, nil
}
