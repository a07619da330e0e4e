package analysis

import (
	"context"
	"slices"
	"strings"

	"oversight/registry"
	"oversight/rules"
)

// indexFromClasses adds the register's deployments to in from class
// counts, as Add would one by one: each class is classified once under
// fw, each count's totals added whole, and each jurisdiction's heaviest
// deployments read through ClassMembers, the heaviest counts first, until
// no count left could hold a heavier one. Only the deployments listed are
// read from the deployments themselves, for their titles (DeploymentTitles).
func (c *Classifier) indexFromClasses(ctx context.Context, cr ClassRegister, counts []registry.ClassCount, fw *rules.Framework, w *Weights, in *Inputs) error {
	in.useFactors(w)
	m := classMemo{c: c}
	results := map[string]rules.Result{}
	byJ := map[string][]probe{}
	unknownUnits := unitsOf(in.factors.ScaleUnknown)
	for _, cc := range counts {
		r, ok := results[cc.Class]
		if !ok {
			f, err := m.factsOf(cc)
			if err != nil {
				return err
			}
			r = fw.Evaluate(f, in.AsOf)
			results[cc.Class] = r
		}
		base := DeploymentInput{Year: cc.Year, Capabilities: cc.Capabilities, Tier: r.Tier, Bounds: r.Bounds, Certainty: cc.Certainty}
		unknown := scoreDeployment(base, in.factors) // its scale unknown
		t := in.totals(cc.Jurisdiction)
		known := cc.N*(3-len(unknown.Unknown)) + cc.Cameras // the scale is known for Cameras of them
		units := cc.Scale + int64(cc.N-cc.Cameras)*unknownUnits
		t.year(cc.Year).addScales(factorScales{unknown.Capability, unknown.TierWeight, unknown.Certainty, units}, known, cc.N)

		if cc.Cameras > 0 {
			byJ[cc.Jurisdiction] = append(byJ[cc.Jurisdiction], probe{cc, base, true, scoreUnits(base, in.factors, registry.ScaleUnit)})
		}
		if cc.N > cc.Cameras {
			byJ[cc.Jurisdiction] = append(byJ[cc.Jurisdiction], probe{cc, base, false, unknown})
		}
	}
	asOfYear := in.AsOf.Year()
	var listed []string
	for j, probes := range byJ {
		top, err := heaviest(ctx, cr, probes, in.factors, asOfYear)
		if err != nil {
			return err
		}
		t := in.Deployments[j]
		t.top, t.lightest = top, 0
		for i := range top {
			listed = append(listed, top[i].ID)
			if lighter(top[i], top[t.lightest], asOfYear) {
				t.lightest = i
			}
		}
	}
	titles, err := cr.DeploymentTitles(ctx, listed)
	if err != nil {
		return err
	}
	for _, t := range in.Deployments {
		for i := range t.top {
			t.top[i].Title = titles[t.top[i].ID]
		}
	}
	return nil
}

// A probe is the deployments of one count whose number of cameras is
// known, or of those whose number is not; bound is at least as heavy as
// any of them (the unknown ones all weigh the same).
type probe struct {
	cc    registry.ClassCount
	base  DeploymentInput
	known bool
	bound DeploymentScore
}

// heaviest returns the ListedDeployments heaviest deployments of probes
// (as lighter orders them), in id order. It reads the probes from the
// heaviest bound down and stops at the first lighter than the last
// deployment kept; each probe's deployments come heaviest first, a few at
// a time, until one is too light to keep. Their titles are left empty.
func heaviest(ctx context.Context, cr ClassRegister, probes []probe, f *deploymentFactors, asOfYear int) ([]DeploymentScore, error) {
	slices.SortStableFunc(probes, func(a, b probe) int {
		switch {
		case lighter(b.bound, a.bound, asOfYear):
			return -1
		case lighter(a.bound, b.bound, asOfYear):
			return 1
		}
		return 0
	})
	heavier := func(a, b DeploymentScore) int {
		if lighter(b, a, asOfYear) {
			return -1
		}
		return 1
	}
	var kept []DeploymentScore // heaviest first
	full := func(d DeploymentScore) bool {
		return len(kept) >= ListedDeployments && lighter(d, kept[ListedDeployments-1], asOfYear)
	}
	for _, p := range probes {
		b := p.bound
		b.ID = "" // stands for every id: lighter only if it weighs less
		if full(b) {
			break
		}
	members:
		for offset, page := 0, 10; offset < ListedDeployments; offset, page = offset+page, ListedDeployments {
			ms, err := cr.ClassMembers(ctx, p.cc, p.known, offset, min(page, ListedDeployments-offset))
			if err != nil {
				return nil, err
			}
			for _, mb := range ms {
				d := p.base
				d.ID = mb.ID
				ds := scoreUnits(d, f, mb.Scale) // -1 in the probe of unknown scales
				if full(ds) {
					break members // the rest of the probe is lighter still
				}
				i, _ := slices.BinarySearchFunc(kept, ds, heavier)
				kept = slices.Insert(kept, i, ds)
				kept = kept[:min(len(kept), ListedDeployments)]
			}
			if len(ms) < page {
				break
			}
		}
	}
	slices.SortFunc(kept, func(a, b DeploymentScore) int { return strings.Compare(a.ID, b.ID) })
	return kept, nil
}
