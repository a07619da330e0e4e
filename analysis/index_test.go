package analysis

import (
	"math"
	"math/rand/v2"
	"reflect"
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

// smallInputs is the fixture the expected values below are computed from
// by hand with the built-in weights.
func smallInputs() *Inputs {
	return &Inputs{
		AsOf: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC),
		Jurisdictions: []*registry.Jurisdiction{
			{Code: "AA", Name: "A", Subregion: "south_asia", Regime: &registry.Regime{Type: "closed_autocracy"},
				Safeguards: []registry.Safeguard{sg("data_protection_law", "yes", 2020), sg("independent_authority", "no", 0)}},
			{Code: "BB", Name: "B", Subregion: "oceania", Regime: &registry.Regime{Type: "liberal_democracy"}},
		},
		Deployments: map[string][]DeploymentInput{
			"AA": {{ID: "aa-1", Year: 2018, Capabilities: []string{"cctv", "remote_biometric_identification"}, Tier: rules.Prohibited, Certainty: "documented"}},
		},
		AIGS: map[string]map[string]bool{
			"AA": {"safe_city_system": true, "facial_recognition_system": true, "smart_policing": false, "social_media_surveillance": false},
		},
	}
}

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
	idx := Compute(smallInputs(), w, 2026)
	a := byCode(idx, "AA")
	// Deployment weight: capability 1.0 (RBI beats cctv) × tier 1.0 ×
	// scale 0.5 (cameras unknown) × certainty 1.0 = 0.5.
	if d := a.Deployments[0]; d.Weight != 0.5 || d.Capability != 1 || d.Scale != 0.5 || len(d.Unknown) != 1 || d.Unknown[0] != "scale" {
		t.Errorf("deployment: %+v", d)
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
	a19 := byCode(Compute(smallInputs(), w, 2019), "AA")
	near(t, "2019 score", a19.Score, 68.8)
	// In 2017 the deployment (2018) did not exist either: 60.0.
	near(t, "2017 score", byCode(Compute(smallInputs(), w, 2017), "AA").Score, 60)
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

// randomInputs makes a register of n jurisdictions with random deployments,
// safeguards and claims, for the property tests.
func randomInputs(rng *rand.Rand, n int) *Inputs {
	in := &Inputs{AsOf: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC), Deployments: map[string][]DeploymentInput{}, AIGS: map[string]map[string]bool{}}
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
		in.Jurisdictions = append(in.Jurisdictions, j)
		for range rng.IntN(4) {
			d := DeploymentInput{ID: code + "-d", Year: 2010 + rng.IntN(17), Tier: rules.Tiers[rng.IntN(len(rules.Tiers))],
				Certainty: registry.Certainties.Values[rng.IntN(3)], Capabilities: []string{registry.Capabilities.Values[rng.IntN(len(registry.Capabilities.Values))]}}
			if rng.IntN(2) == 0 {
				c := int64(rng.IntN(50000))
				d.Cameras = &c
			}
			in.Deployments[code] = append(in.Deployments[code], d)
		}
		if rng.IntN(2) == 0 {
			in.AIGS[code] = map[string]bool{"safe_city_system": rng.IntN(2) == 0, "smart_policing": rng.IntN(2) == 0}
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
		in := randomInputs(rng, 12)
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

		// A prohibited-tier deployment, dated by then.
		in.Deployments[j.Code] = append(in.Deployments[j.Code], DeploymentInput{ID: "new", Year: year, Tier: rules.Prohibited,
			Certainty: registry.Certainties.Values[rng.IntN(3)], Capabilities: []string{"remote_biometric_identification"}})
		after = Compute(in, w, year)
		if b, a := scoreOf(before, j.Code), scoreOf(after, j.Code); a < b-1e-9 {
			t.Errorf("seed %d: %s: a prohibited deployment narrowed the gap: %.1f → %.1f", seed, j.Code, b, a)
		}
		in.Deployments[j.Code] = in.Deployments[j.Code][:len(in.Deployments[j.Code])-1]

		if again := Compute(in, w, year); !reflect.DeepEqual(before, again) {
			t.Fatalf("seed %d: the same inputs gave a different index", seed)
		}
	}
	in := randomInputs(rand.New(rand.NewPCG(7, 7)), 20)
	if a, b := SensitivityOf(in, w, 2026, 200, 0.25, 1), SensitivityOf(in, w, 2026, 200, 0.25, 1); !reflect.DeepEqual(a, b) {
		t.Error("the same seed gave different sensitivity")
	}
}

func TestSensitivityAndSeries(t *testing.T) {
	w := weights(t)
	in := randomInputs(rand.New(rand.NewPCG(3, 3)), 15)
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
	series := Series(smallInputs(), w, 2012)
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
