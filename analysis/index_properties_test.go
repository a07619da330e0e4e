package analysis

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"oversight/registry"
	"oversight/rules"
)

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
	t.Parallel()
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
	t.Parallel()
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
	near(t, "series 2019", a[7].Score, 22.1)
	near(t, "series 2026", a[14].Score, 20.3)
}

// TestPerturbKeepsDeploymentFactors: the sensitivity draws reuse the
// deployment totals, which is right only while perturb leaves the
// deployment factors as they are.
func TestPerturbKeepsDeploymentFactors(t *testing.T) {
	t.Parallel()
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
