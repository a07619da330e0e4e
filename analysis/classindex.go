package analysis

import (
	"context"
	"math"
	"slices"
	"strings"

	"oversight/registry"
	"oversight/rules"
)

// indexFromClasses adds the register's deployments to in from class
// counts, as Add would one by one: each class is classified once under
// fw, each count's totals added whole, and each jurisdiction's heaviest
// deployments read through ClassMembers, the heaviest counts first, until
// no count left could hold a heavier one.
func (c *Classifier) indexFromClasses(ctx context.Context, cr ClassRegister, counts []registry.ClassCount, fw *rules.Framework, w *Weights, in *Inputs) error {
	in.useFactors(w)
	m := classMemo{c: c}
	results := map[string]rules.Result{}
	byJ := map[string][]probe{}
	unknownUnits := unitsOf(in.factors.ScaleUnknown)
	full := int64(math.MaxInt64) // cameras enough for a scale of 1
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
			top := base
			top.Cameras = &full
			byJ[cc.Jurisdiction] = append(byJ[cc.Jurisdiction], probe{cc, base, true, scoreDeployment(top, in.factors)})
		}
		if cc.N > cc.Cameras {
			byJ[cc.Jurisdiction] = append(byJ[cc.Jurisdiction], probe{cc, base, false, unknown})
		}
	}
	asOfYear := in.AsOf.Year()
	for j, probes := range byJ {
		top, err := heaviest(ctx, cr, probes, in.factors, asOfYear)
		if err != nil {
			return err
		}
		t := in.Deployments[j]
		t.top, t.lightest = top, 0
		for i := range top {
			if lighter(top[i], top[t.lightest], asOfYear) {
				t.lightest = i
			}
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
// heaviest bound down, each up to ListedDeployments deployments, and stops
// at the first probe lighter than the last deployment kept.
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
	var kept []DeploymentScore
	for _, p := range probes {
		if len(kept) >= ListedDeployments {
			last := kept[ListedDeployments-1]
			b := p.bound
			b.ID = "" // stands for every id: lighter only if it weighs less
			if lighter(b, last, asOfYear) {
				break
			}
		}
		ms, err := cr.ClassMembers(ctx, p.cc, p.known, ListedDeployments)
		if err != nil {
			return nil, err
		}
		for _, mb := range ms {
			d := p.base
			d.ID, d.Title = mb.ID, mb.Title
			if p.known {
				d.Cameras = mb.Cameras
			}
			kept = append(kept, scoreDeployment(d, f))
		}
		slices.SortFunc(kept, heavier)
		kept = kept[:min(len(kept), ListedDeployments)]
	}
	slices.SortFunc(kept, func(a, b DeploymentScore) int { return strings.Compare(a.ID, b.ID) })
	return kept, nil
}
