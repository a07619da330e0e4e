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

func weights(t *testing.T) *Weights {
	t.Helper()
	w, err := DefaultWeights()
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func sg(kind, status string, year int) registry.Safeguard {
	return registry.Safeguard{Kind: kind, Status: status, Year: year}
}

// testRegister is a register as the tests write it, deployment by
// deployment; inputs gathers it as IndexInputs does.
type testRegister struct {
	asOf          time.Time
	jurisdictions []*registry.Jurisdiction
	deployments   map[string][]DeploymentInput // by jurisdiction, in the register's order
	aigs          map[string]map[string]bool
}

func (r *testRegister) inputs(w *Weights) *Inputs {
	in := &Inputs{AsOf: r.asOf, Jurisdictions: r.jurisdictions, AIGS: r.aigs}
	for _, j := range r.jurisdictions {
		for _, d := range r.deployments[j.Code] {
			in.Add(j.Code, d, w)
		}
	}
	return in
}

// smallRegister is the fixture the expected values below are computed
// from by hand with the built-in weights.
func smallRegister() *testRegister {
	return &testRegister{
		asOf: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC),
		jurisdictions: []*registry.Jurisdiction{
			{Code: "AA", Name: "A", Subregion: "south_asia", Regime: &registry.Regime{Type: "closed_autocracy"},
				Safeguards: []registry.Safeguard{sg("data_protection_law", "yes", 2020), sg("independent_authority", "no", 0)}},
			{Code: "BB", Name: "B", Subregion: "oceania", Regime: &registry.Regime{Type: "liberal_democracy"}},
		},
		deployments: map[string][]DeploymentInput{
			"AA": {{ID: "aa-1", Year: 2018, Capabilities: []string{"cctv", "remote_biometric_identification"}, Tier: rules.Prohibited, Certainty: "documented"}},
		},
		aigs: map[string]map[string]bool{
			"AA": {"safe_city_system": true, "facial_recognition_system": true, "smart_policing": false, "social_media_surveillance": false},
		},
	}
}

func smallInputs(w *Weights) *Inputs { return smallRegister().inputs(w) }

func near(t *testing.T, what string, got *float64, want float64) {
	t.Helper()
	if got == nil || math.Abs(*got-want) > 0.051 {
		t.Errorf("%s: got %v, want %.3f", what, deref(got), want)
	}
}

func deref(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

func byCode(idx *Index, code string) Score {
	for _, s := range idx.Jurisdictions {
		if s.Code == code {
			return s
		}
	}
	return Score{}
}

func TestIndexByHand(t *testing.T) {
	w := weights(t)
	idx := Compute(smallInputs(w), w, 2026)
	a := byCode(idx, "AA")
	// Deployment weight: capability 1.0 (RBI beats cctv) × tier 1.0 ×
	// scale 0.5 (cameras unknown) × certainty 1.0 = 0.5.
	if d := a.Deployments[0]; len(a.Deployments) != 1 || d.Weight != 0.5 || d.Capability != 1 || d.Scale != 0.5 || len(d.Unknown) != 1 || d.Unknown[0] != "scale" {
		t.Errorf("deployment: %+v", a.Deployments)
	}
	if a.DeploymentsTotal != 1 || a.DeploymentWeight != 0.5 {
		t.Errorf("deployment count %d, weight %v", a.DeploymentsTotal, a.DeploymentWeight)
	}
	// Deployments part 1 - e^(-0.5/2) = 0.2212; AIGS part 2/4 = 0.5;
	// exposure 0.7 × 0.2212 + 0.3 × 0.5 = 0.3048.
	near(t, "exposure", a.Components["exposure"].Value, 0.3048)
	// Safeguards: data protection 1, authority 0, the rest unknown:
	// mean 0.5, gap 0.5. Context: closed autocracy 1.0.
	near(t, "safeguard gap", a.Components["safeguards"].Value, 0.5)
	near(t, "context", a.Components["context"].Value, 1)
	// Score 100 × (0.4 × 0.3048 + 0.4 × 0.5 + 0.2 × 1) = 52.2.
	near(t, "score", a.Score, 52.2)
	// Known inputs: 2 of 3 deployment factors, the count, 4 AIGS, 2 of 7
	// safeguards, the regime: 10 of 16.
	if a.Coverage != 0.625 || a.Rank != 1 {
		t.Errorf("coverage %v, rank %d", a.Coverage, a.Rank)
	}
	// B: no deployments (exposure 0), no AIGS, no safeguards known,
	// liberal democracy: score (0.4 × 0 + 0.2 × 0) / 0.6 = 0, on 2 of 13
	// inputs, under min_coverage, so not ranked.
	b := byCode(idx, "BB")
	near(t, "B score", b.Score, 0)
	if b.Rank != 0 || b.Components["safeguards"].Value != nil {
		t.Errorf("B: rank %d, safeguards %v", b.Rank, b.Components["safeguards"].Value)
	}

	// In 2019 the data-protection law (2020) did not exist and AIGS (2022)
	// had not reported: exposure is the deployments part alone, 0.2212;
	// safeguard gap 1; score 100 × (0.4 × 0.2212 + 0.4 × 1 + 0.2 × 1) = 68.8.
	a19 := byCode(Compute(smallInputs(w), w, 2019), "AA")
	near(t, "2019 score", a19.Score, 68.8)
	// In 2017 the deployment (2018) did not exist either: 60.0.
	near(t, "2017 score", byCode(Compute(smallInputs(w), w, 2017), "AA").Score, 60)
}

func TestWeightsFile(t *testing.T) {
	w := weights(t)
	if w.Version == "" || w.Exposure.TierFramework != "eu-ai-act" {
		t.Fatalf("%+v", w)
	}
	for _, c := range []struct{ old, new, want string }{
		{"  exposure: 0.4", "  exposure: 1.4", "components.exposure: 1.4 is outside 0 to 1"},
		{"    cctv: 0.2\n", "", "exposure.capability: no weight for cctv"},
		{"    liberal_democracy: 0.0", "    liberal_democracy: 0.0\n    liberal_democrazy: 0.0", "context.regime.liberal_democrazy: not a known key"},
		{"  saturation: 2.0", "  saturation: 2.0\n  saturaton: 2.0", "unknown field"},
	} {
		s := strings.Replace(string(defaultWeights), c.old, c.new, 1)
		if _, err := ParseWeights("w.yaml", []byte(s)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v", c.want, err)
		}
	}
}

// randomRegister makes a register of n jurisdictions with random
// deployments, safeguards and claims, for the property tests.
func randomRegister(rng *rand.Rand, n int) *testRegister {
	in := &testRegister{asOf: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC), deployments: map[string][]DeploymentInput{}, aigs: map[string]map[string]bool{}}
	statuses := []string{"yes", "partial", "no", "unknown"}
	for i := range n {
		code := string(rune('A'+i/26)) + string(rune('A'+i%26))
		j := &registry.Jurisdiction{Code: code, Name: code, Subregion: "east_asia"}
		if rng.IntN(4) > 0 {
			j.Regime = &registry.Regime{Type: registry.RegimeTypes.Values[rng.IntN(4)]}
		}
		for _, k := range registry.SafeguardKinds.Values[:7] {
			j.Safeguards = append(j.Safeguards, sg(k, statuses[rng.IntN(4)], 2005+rng.IntN(22)))
		}
		in.jurisdictions = append(in.jurisdictions, j)
		for range rng.IntN(4) {
			d := DeploymentInput{ID: code + "-d", Year: 2010 + rng.IntN(17), Tier: rules.Tiers[rng.IntN(len(rules.Tiers))],
				Certainty: registry.Certainties.Values[rng.IntN(3)], Capabilities: []string{registry.Capabilities.Values[rng.IntN(len(registry.Capabilities.Values))]}}
			if rng.IntN(2) == 0 {
				c := int64(rng.IntN(50000))
				d.Cameras = &c
			}
			in.deployments[code] = append(in.deployments[code], d)
		}
		if rng.IntN(2) == 0 {
			in.aigs[code] = map[string]bool{"safe_city_system": rng.IntN(2) == 0, "smart_policing": rng.IntN(2) == 0}
		}
	}
	return in
}

func scoreOf(idx *Index, code string) float64 {
	s := byCode(idx, code).Score
	if s == nil {
		return math.NaN()
	}
	return *s
}

// TestProperties: adding a safeguard never widens a jurisdiction's gap;
// adding a prohibited-tier deployment never narrows it; the same inputs
// and weights always give the same output.
func TestProperties(t *testing.T) {
	w := weights(t)
	for seed := range uint64(200) {
		rng := rand.New(rand.NewPCG(seed, 1))
		reg := randomRegister(rng, 12)
		in := reg.inputs(w)
		year := 2012 + rng.IntN(15)
		before := Compute(in, w, year)
		j := in.Jurisdictions[rng.IntN(len(in.Jurisdictions))]

		// A safeguard put in place (status yes, adopted by then).
		k := rng.IntN(7)
		saved := j.Safeguards[k]
		j.Safeguards[k] = sg(saved.Kind, "yes", year-rng.IntN(3))
		after := Compute(in, w, year)
		if b, a := scoreOf(before, j.Code), scoreOf(after, j.Code); a > b+1e-9 || (math.IsNaN(a) != math.IsNaN(b) && !math.IsNaN(b)) {
			t.Errorf("seed %d: %s %s %s→yes widened the gap: %.1f → %.1f", seed, j.Code, saved.Kind, saved.Status, b, a)
		}
		j.Safeguards[k] = saved

		// A prohibited-tier deployment, dated by then, added to inputs
		// already computed from.
		in.Add(j.Code, DeploymentInput{ID: "new", Year: year, Tier: rules.Prohibited,
			Certainty: registry.Certainties.Values[rng.IntN(3)], Capabilities: []string{"remote_biometric_identification"}}, w)
		after = Compute(in, w, year)
		if b, a := scoreOf(before, j.Code), scoreOf(after, j.Code); a < b-1e-9 {
			t.Errorf("seed %d: %s: a prohibited deployment narrowed the gap: %.1f → %.1f", seed, j.Code, b, a)
		}

		// Totals cannot drop a deployment: gather the register again.
		if again := Compute(reg.inputs(w), w, year); !reflect.DeepEqual(before, again) {
			t.Fatalf("seed %d: the same inputs gave a different index", seed)
		}
	}
	in := randomRegister(rand.New(rand.NewPCG(7, 7)), 20).inputs(w)
	if a, b := SensitivityOf(in, w, 2026, 200, 0.25, 1), SensitivityOf(in, w, 2026, 200, 0.25, 1); !reflect.DeepEqual(a, b) {
		t.Error("the same seed gave different sensitivity")
	}
}

func TestSensitivityAndSeries(t *testing.T) {
	w := weights(t)
	in := randomRegister(rand.New(rand.NewPCG(3, 3)), 15).inputs(w)
	s := SensitivityOf(in, w, 2026, 500, 0.25, 9)
	if s.Draws != 500 || len(s.Jurisdictions) == 0 {
		t.Fatalf("%+v", s)
	}
	for _, st := range s.Jurisdictions {
		if st.Low > st.MedianRank || st.MedianRank > st.High || st.Rank < 1 {
			t.Errorf("%+v", st)
		}
		if st.Robust != (st.Low >= st.Rank-1 && st.High <= st.Rank+1) {
			t.Errorf("robust flag: %+v", st)
		}
	}
	// No perturbation keeps every rank: every jurisdiction is robust.
	for _, st := range SensitivityOf(in, w, 2026, 50, 0, 9).Jurisdictions {
		if st.Low != st.Rank || st.High != st.Rank || !st.Robust {
			t.Errorf("zero spread moved a rank: %+v", st)
		}
	}
	series := Series(smallInputs(w), w, 2012)
	a := series["AA"]
	if len(a) != 15 || a[0].Year != 2012 || a[14].Year != 2026 {
		t.Fatalf("series years: %+v", a)
	}
	near(t, "series 2019", a[7].Score, 68.8)
	near(t, "series 2026", a[14].Score, 52.2)
}

func TestCorrelate(t *testing.T) {
	x := map[string]float64{"A": 1, "B": 2, "C": 3, "D": 4, "E": 5}
	y := map[string]float64{"A": 2, "B": 4, "C": 6, "D": 8, "F": 1}
	c := Correlate("x~y", x, y)
	if c.N != 4 || *c.Pearson != 1 || *c.Spearman != 1 {
		t.Errorf("%+v", c)
	}
	y["D"] = 0
	c = Correlate("x~y", x, y)
	// x = 1,2,3,4 and y = 2,4,6,0: Pearson -0.2 by hand; ranks 2,3,4,1 against 1,2,3,4: Spearman -0.2.
	if math.Abs(*c.Pearson+0.2) > 1e-3 || math.Abs(*c.Spearman+0.2) > 1e-3 {
		t.Errorf("pearson %v spearman %v", *c.Pearson, *c.Spearman)
	}
}

// referenceCompute is Compute as it was before deployments were kept as
// totals: every deployment scored and summed in every computation. The
// totals must give the same index.
func referenceCompute(r *testRegister, w *Weights, year int) *Index {
	idx := &Index{Method: w.Method, Version: w.Version, AsOf: r.asOf.Format(time.DateOnly), Year: year}
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
		if m := weightedMean([]part{{exp, w.Components.Exposure}, {sgGap, w.Components.Safeguards}, {ctxVal, w.Components.Context}}); m != nil {
			v := math.Round(*m*1000) / 10
			s.Score = &v
		}
		s.Coverage = math.Round(float64(known)/float64(inputs)*1000) / 1000
		idx.Jurisdictions = append(idx.Jurisdictions, s)
	}
	rank(idx.Jurisdictions, w.MinCoverage)
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
			ws := []*Weights{w, perturb(w, rng, 0.25)}
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

// TestPerturbKeepsDeploymentFactors: the sensitivity draws reuse the
// deployment totals, which is right only while perturb leaves the
// deployment factors as they are.
func TestPerturbKeepsDeploymentFactors(t *testing.T) {
	w := weights(t)
	rng := rand.New(rand.NewPCG(5, 5))
	before := *factorsOf(w)
	for range 100 {
		d := perturb(w, rng, 0.5)
		if !reflect.DeepEqual(factorsOf(d), &before) {
			t.Fatalf("perturb changed the deployment factors: %+v", factorsOf(d))
		}
		if d.Components.Exposure == w.Components.Exposure {
			t.Fatal("perturb perturbed nothing")
		}
	}
	if !reflect.DeepEqual(factorsOf(w), &before) {
		t.Fatal("perturb changed the weights it was given")
	}
}

// TestOtherFactorsRefused: inputs scored under some deployment factors
// cannot be computed under others, nor extended with deployments scored
// under others.
func TestOtherFactorsRefused(t *testing.T) {
	w := weights(t)
	in := smallInputs(w)
	other := weights(t)
	other.Exposure.Certainty["documented"] = 0.5
	for name, f := range map[string]func(){
		"Compute": func() { Compute(in, other, 2026) },
		"Add":     func() { in.Add("BB", DeploymentInput{ID: "bb-1"}, other) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s accepted other deployment factors", name)
				}
			}()
			f()
		}()
	}
	// Equal weights read anew are accepted.
	if a := byCode(Compute(in, weights(t), 2026), "AA"); a.DeploymentsTotal != 1 {
		t.Errorf("%+v", a)
	}
}
