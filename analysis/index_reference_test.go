package analysis

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"oversight/registry"
	"oversight/rules"
)

// referenceCompute is Compute as it was before deployments were kept as
// totals: every deployment scored and summed in every computation. The
// totals must give the same index.
func referenceCompute(r *testRegister, w *Weights, year int) *Index {
	idx := &Index{Method: w.Method, Version: w.Version, AsOf: r.asOf.Format(time.DateOnly), Year: year, Combine: w.Combine}
	current := year >= r.asOf.Year()
	for _, j := range r.jurisdictions {
		s := Score{Code: j.Code, Name: j.Name, Subregion: j.Subregion, Components: map[string]Component{},
			Deployments: []DeploymentScore{}, Safeguards: []SafeguardScore{}, AIGS: map[string]bool{}}
		known, inputs := 0, 0
		sum, depKnown, depInputs := 0.0, 0, 0
		for _, d := range r.deployments[j.Code] {
			if d.Year > year || (d.Year == 0 && !current) {
				continue
			}
			ds := scoreDeployment(d, factorsOf(w))
			s.Deployments = append(s.Deployments, ds)
			sum += ds.Weight
			depInputs += 3
			depKnown += 3 - len(ds.Unknown)
		}
		depPart := 1 - math.Exp(-sum/w.Exposure.Saturation)
		countKnown := 1
		var aigsPart *float64
		aigsInputs := len(w.Exposure.AIGSIndicators)
		aigsKnown := 0
		if claims := r.aigs[j.Code]; claims != nil && year >= w.Exposure.AIGSPeriod {
			n := 0
			for _, ind := range w.Exposure.AIGSIndicators {
				if v, ok := claims[ind]; ok {
					s.AIGS[ind] = v
					aigsKnown++
					if v {
						n++
					}
				}
			}
			if aigsKnown > 0 {
				v := float64(n) / float64(aigsKnown)
				aigsPart = &v
			}
		}
		exp := weightedMean([]part{{&depPart, w.Exposure.Parts.Deployments}, {aigsPart, w.Exposure.Parts.AIGS}})
		s.Components["exposure"] = Component{exp, w.Components.Exposure, depKnown + countKnown + aigsKnown, depInputs + 1 + aigsInputs}
		known += depKnown + countKnown + aigsKnown
		inputs += depInputs + 1 + aigsInputs
		var sparts []part
		sgKnown := 0
		kinds := slices.Sorted(maps.Keys(w.Safeguards.Weights))
		for _, kind := range kinds {
			sg := safeguardAt(j, kind, year, current, w)
			s.Safeguards = append(s.Safeguards, sg)
			sparts = append(sparts, part{sg.Value, sg.Weight})
			if sg.Value != nil {
				sgKnown++
			}
		}
		var sgGap *float64
		if m := weightedMean(sparts); m != nil {
			v := 1 - *m
			sgGap = &v
		}
		s.Components["safeguards"] = Component{sgGap, w.Components.Safeguards, sgKnown, len(kinds)}
		known += sgKnown
		inputs += len(kinds)
		var ctxVal *float64
		if j.Regime != nil {
			if v, ok := w.Context.Regime[j.Regime.Type]; ok {
				ctxVal = &v
				s.Regime = j.Regime.Type
				known++
			}
		}
		inputs++
		s.Components["context"] = Component{ctxVal, w.Components.Context, btoi(ctxVal != nil), 1}
		s.Score = combine(w, exp, sgGap, ctxVal)
		s.Coverage = math.Round(float64(known)/float64(inputs)*1000) / 1000
		idx.Jurisdictions = append(idx.Jurisdictions, s)
	}
	rank(idx.Jurisdictions, w)
	return idx
}

// randomDeployment is a deployment with every factor drawn, unknown ones
// included; its weight often ties with others'.
func randomDeployment(rng *rand.Rand, id string) DeploymentInput {
	d := DeploymentInput{ID: id, Title: "title of " + id, Year: 2008 + rng.IntN(22), Tier: rules.Tiers[rng.IntN(len(rules.Tiers))],
		Certainty: registry.Certainties.Values[rng.IntN(len(registry.Certainties.Values))]}
	if rng.IntN(6) == 0 {
		d.Year = 0 // undated
	}
	for range rng.IntN(3) {
		d.Capabilities = append(d.Capabilities, registry.Capabilities.Values[rng.IntN(len(registry.Capabilities.Values))])
	}
	if d.Tier == rules.Indeterminate && rng.IntN(2) == 0 {
		d.Bounds = &rules.Bounds{Least: rules.MinimalRisk, Most: rules.Prohibited}
	}
	if rng.IntN(2) == 0 {
		c := int64(rng.IntN(200000))
		d.Cameras = &c
	}
	return d
}

// sameScores reports how two indexes differ in order, scores, ranks,
// coverage and components. Component values are sums taken in another
// order, so they may differ in the last bits.
func sameScores(got, want *Index) error {
	if len(got.Jurisdictions) != len(want.Jurisdictions) {
		return fmt.Errorf("%d jurisdictions, want %d", len(got.Jurisdictions), len(want.Jurisdictions))
	}
	for i, g := range got.Jurisdictions {
		r := want.Jurisdictions[i]
		if g.Code != r.Code || g.Rank != r.Rank || g.Coverage != r.Coverage || !reflect.DeepEqual(g.Score, r.Score) {
			return fmt.Errorf("#%d: got %s rank %d score %v coverage %v, want %s rank %d score %v coverage %v",
				i, g.Code, g.Rank, deref(g.Score), g.Coverage, r.Code, r.Rank, deref(r.Score), r.Coverage)
		}
		for name, rc := range r.Components {
			gc := g.Components[name]
			if gc.Weight != rc.Weight || gc.Known != rc.Known || gc.Inputs != rc.Inputs || (gc.Value == nil) != (rc.Value == nil) ||
				(gc.Value != nil && math.Abs(*gc.Value-*rc.Value) > 1e-12) {
				return fmt.Errorf("%s %s: got %+v (%v), want %+v (%v)", g.Code, name, gc, deref(gc.Value), rc, deref(rc.Value))
			}
		}
		if len(g.Components) != len(r.Components) {
			return fmt.Errorf("%s: components %v, want %v", g.Code, g.Components, r.Components)
		}
	}
	return nil
}

// TestTotalsMatchReference: the index from deployment totals is the index
// computed deployment by deployment, in every year and under perturbed
// weights, with the deployments listed as before when there are no more
// than ListedDeployments.
func TestTotalsMatchReference(t *testing.T) {
	t.Parallel()
	w := weights(t)
	for seed := range uint64(40) {
		rng := rand.New(rand.NewPCG(seed, 2))
		reg := randomRegister(rng, 10)
		for _, j := range reg.jurisdictions {
			n := rng.IntN(12)
			if rng.IntN(4) == 0 {
				n = rng.IntN(3 * ListedDeployments)
			}
			reg.deployments[j.Code] = nil
			for i := range n {
				reg.deployments[j.Code] = append(reg.deployments[j.Code], randomDeployment(rng, fmt.Sprintf("%s-%04d", j.Code, rng.IntN(10000)+i)))
			}
		}
		in := reg.inputs(w)
		for year := 2010; year <= 2028; year++ {
			mean := *w
			mean.Combine = CombineMean
			ws := []*Weights{w, perturb(w, rng, 0.25), &mean}
			for k, ww := range ws {
				got, want := Compute(in, ww, year), referenceCompute(reg, ww, year)
				if err := sameScores(got, want); err != nil {
					t.Fatalf("seed %d, year %d, weights %d: %v", seed, year, k, err)
				}
				for i, g := range got.Jurisdictions {
					r := want.Jurisdictions[i]
					sum := 0.0
					for _, d := range r.Deployments {
						sum += d.Weight
					}
					if g.DeploymentsTotal != len(r.Deployments) || math.Abs(g.DeploymentWeight-sum) > 1e-9 {
						t.Fatalf("seed %d, year %d, %s: count %d weight %v, want %d %v", seed, year, g.Code, g.DeploymentsTotal, g.DeploymentWeight, len(r.Deployments), sum)
					}
					if len(reg.deployments[g.Code]) <= ListedDeployments && !reflect.DeepEqual(g.Deployments, r.Deployments) {
						t.Fatalf("seed %d, year %d, %s: listed %+v, want %+v", seed, year, g.Code, g.Deployments, r.Deployments)
					}
				}
			}
		}
		// What the report reads besides the index.
		if a, b := Series(in, w, 2012), referenceSeries(reg, w, 2012); !reflect.DeepEqual(a, b) {
			t.Fatalf("seed %d: series differ", seed)
		}
	}
}

func referenceSeries(r *testRegister, w *Weights, first int) map[string][]Point {
	out := map[string][]Point{}
	for y := first; y <= r.asOf.Year(); y++ {
		for _, s := range referenceCompute(r, w, y).Jurisdictions {
			out[s.Code] = append(out[s.Code], Point{y, s.Score, s.Rank, s.Coverage})
		}
	}
	return out
}

// TestListedDeployments: past ListedDeployments a score lists the heaviest
// (ties by id) in the register's order, and counts them all.
func TestListedDeployments(t *testing.T) {
	t.Parallel()
	w := weights(t)
	rng := rand.New(rand.NewPCG(11, 11))
	reg := smallRegister()
	var all []DeploymentInput
	for i := range 3*ListedDeployments + 17 {
		// Ids out of order, so that the register's order is not the
		// order of ids.
		d := randomDeployment(rng, fmt.Sprintf("aa-%05d", rng.IntN(100000)*10+i%10))
		if i%5 == 0 {
			d.Year = 2030 // after the as-of year: counted in no year computed, so never listed
		}
		all = append(all, d)
	}
	reg.deployments["AA"] = all
	in := reg.inputs(w)
	f := factorsOf(w)

	for _, year := range []int{2015, 2020, 2026} {
		current := year >= reg.asOf.Year()
		a := byCode(Compute(in, w, year), "AA")
		var counted, asOf []DeploymentScore
		for _, d := range all {
			ds := scoreDeployment(d, f)
			if counts(d.Year, year, current) {
				counted = append(counted, ds)
			}
			if counts(d.Year, reg.asOf.Year(), true) {
				asOf = append(asOf, ds)
			}
		}
		if a.DeploymentsTotal != len(counted) {
			t.Errorf("%d: count %d, want %d", year, a.DeploymentsTotal, len(counted))
		}
		// The heaviest of those counted at the as-of date, those of them
		// counted in the year, in the register's order.
		heaviest := slices.Clone(asOf)
		slices.SortStableFunc(heaviest, func(x, y DeploymentScore) int {
			return cmp.Or(cmp.Compare(y.Weight, x.Weight), strings.Compare(x.ID, y.ID))
		})
		top := map[string]bool{}
		for _, d := range heaviest[:ListedDeployments] {
			top[d.ID] = true
		}
		var want []string
		for _, d := range counted {
			if top[d.ID] {
				want = append(want, d.ID)
			}
		}
		var got []string
		for _, d := range a.Deployments {
			got = append(got, d.ID)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%d: listed %v,\nwant %v", year, got, want)
		}
		if year == 2026 && (len(got) != ListedDeployments || a.DeploymentsTotal <= ListedDeployments) {
			t.Errorf("as of: %d listed of %d", len(got), a.DeploymentsTotal)
		}
	}
}
