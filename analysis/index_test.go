package analysis

import (
	"math"
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
	t.Parallel()
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
	// Score: exposure times the weighted mean of the safeguard gap and
	// the context, 100 × 0.3048 × (0.4 × 0.5 + 0.2 × 1) / 0.6 = 20.3.
	near(t, "score", a.Score, 20.3)
	// Known inputs: 2 of 3 deployment factors, the count, 4 AIGS, 2 of 7
	// safeguards, the regime: 10 of 16.
	if a.Coverage != 0.625 || a.Rank != 1 || a.Unranked != "" {
		t.Errorf("coverage %v, rank %d, unranked %q", a.Coverage, a.Rank, a.Unranked)
	}
	// B: no deployments (exposure 0), no AIGS, no safeguards known,
	// liberal democracy: score 100 × 0 × 0 = 0, on 2 of 13 inputs, under
	// min_coverage, so not ranked.
	b := byCode(idx, "BB")
	near(t, "B score", b.Score, 0)
	if b.Rank != 0 || b.Unranked != UnrankedCoverage || b.Components["safeguards"].Value != nil {
		t.Errorf("B: rank %d (%q), safeguards %v", b.Rank, b.Unranked, b.Components["safeguards"].Value)
	}

	// In 2019 the data-protection law (2020) did not exist and AIGS (2022)
	// had not reported: exposure is the deployments part alone, 0.2212;
	// safeguard gap 1; score 100 × 0.2212 × (0.4 × 1 + 0.2 × 1) / 0.6 = 22.1.
	a19 := byCode(Compute(smallInputs(w), w, 2019), "AA")
	near(t, "2019 score", a19.Score, 22.1)
	// In 2017 the deployment (2018) did not exist either: exposure 0, so
	// score 0. Its inputs are known enough (4 of 13), but a gap with no
	// recorded surveillance is not ranked.
	a17 := byCode(Compute(smallInputs(w), w, 2017), "AA")
	near(t, "2017 score", a17.Score, 0)
	if a17.Rank != 0 || a17.Unranked != UnrankedNoExposure || a17.Coverage < w.MinCoverage {
		t.Errorf("2017: rank %d (%q), coverage %v", a17.Rank, a17.Unranked, a17.Coverage)
	}
}

// TestIndexByHandMean: the method of version 1.0.0 (combine: mean), the
// weighted mean of the three components, which a weights file without
// combine still selects.
func TestIndexByHandMean(t *testing.T) {
	t.Parallel()
	w := weights(t)
	w.Combine = CombineMean
	idx := Compute(smallInputs(w), w, 2026)
	a := byCode(idx, "AA")
	// Score 100 × (0.4 × 0.3048 + 0.4 × 0.5 + 0.2 × 1) = 52.2.
	near(t, "score", a.Score, 52.2)
	if a.Rank != 1 {
		t.Errorf("rank %d", a.Rank)
	}
	// B: score (0.4 × 0 + 0.2 × 0) / 0.6 = 0, not ranked for coverage.
	if b := byCode(idx, "BB"); b.Rank != 0 || b.Unranked != UnrankedCoverage {
		t.Errorf("B: rank %d (%q)", b.Rank, b.Unranked)
	}
	// 2019: 100 × (0.4 × 0.2212 + 0.4 × 1 + 0.2 × 1) = 68.8.
	near(t, "2019 score", byCode(Compute(smallInputs(w), w, 2019), "AA").Score, 68.8)
	// 2017: exposure 0 still leaves 100 × (0.4 × 1 + 0.2 × 1) = 60.0, ranked:
	// the reading version 2 gave up.
	a17 := byCode(Compute(smallInputs(w), w, 2017), "AA")
	near(t, "2017 score", a17.Score, 60)
	if a17.Rank != 1 {
		t.Errorf("2017: rank %d (%q)", a17.Rank, a17.Unranked)
	}
}

// TestNoExposureNotRanked: under exposure_weighted a jurisdiction with no
// recorded surveillance never ranks, however weak its safeguards, and one
// with weak safeguards and recorded surveillance outranks one with the same
// surveillance and strong safeguards.
func TestNoExposureNotRanked(t *testing.T) {
	t.Parallel()
	w := weights(t)
	all := func(status string) []registry.Safeguard {
		var out []registry.Safeguard
		for _, k := range registry.SafeguardKinds.Values {
			if k != "court_ruling" {
				out = append(out, sg(k, status, 2010))
			}
		}
		return out
	}
	dep := []DeploymentInput{{ID: "d", Year: 2020, Capabilities: []string{"remote_biometric_identification"}, Tier: rules.Prohibited, Certainty: "documented"}}
	reg := &testRegister{
		asOf: time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC),
		jurisdictions: []*registry.Jurisdiction{
			{Code: "NO", Name: "none recorded", Regime: &registry.Regime{Type: "closed_autocracy"}, Safeguards: all("no")},
			{Code: "WK", Name: "weak", Regime: &registry.Regime{Type: "electoral_democracy"}, Safeguards: all("no")},
			{Code: "ST", Name: "strong", Regime: &registry.Regime{Type: "electoral_democracy"}, Safeguards: all("yes")},
		},
		deployments: map[string][]DeploymentInput{"WK": dep, "ST": dep},
	}
	idx := Compute(reg.inputs(w), w, 2026)
	no, wk, st := byCode(idx, "NO"), byCode(idx, "WK"), byCode(idx, "ST")
	if no.Rank != 0 || no.Unranked != UnrankedNoExposure || no.Score == nil || *no.Score != 0 {
		t.Errorf("no exposure: rank %d (%q), score %v", no.Rank, no.Unranked, deref(no.Score))
	}
	if wk.Rank != 1 || st.Rank != 2 || *wk.Score <= *st.Score {
		t.Errorf("weak %d (%v), strong %d (%v)", wk.Rank, deref(wk.Score), st.Rank, deref(st.Score))
	}
	// Under the mean of version 1 the jurisdiction with nothing recorded
	// ranked first: (0.4 × 0 + 0.4 × 1 + 0.2 × 1) / 1 = 60.
	w.Combine = CombineMean
	if m := byCode(Compute(reg.inputs(w), w, 2026), "NO"); m.Rank != 1 {
		t.Errorf("mean: none recorded ranks %d (%v)", m.Rank, deref(m.Score))
	}
}

func TestWeightsFile(t *testing.T) {
	t.Parallel()
	w := weights(t)
	if w.Version == "" || w.Exposure.TierFramework != "eu-ai-act" {
		t.Fatalf("%+v", w)
	}
	for _, c := range []struct{ old, new, want string }{
		{"  exposure: 0.4", "  exposure: 1.4", "components.exposure: 1.4 is outside 0 to 1"},
		{"    cctv: 0.2\n", "", "exposure.capability: no weight for cctv"},
		{"    liberal_democracy: 0.0", "    liberal_democracy: 0.0\n    liberal_democrazy: 0.0", "context.regime.liberal_democrazy: not a known key"},
		{"  saturation: 2.0", "  saturation: 2.0\n  saturaton: 2.0", "unknown field"},
		{"combine: exposure_weighted", "combine: product", `combine: "product" is not a way to combine`},
	} {
		s := strings.Replace(string(defaultWeights), c.old, c.new, 1)
		if _, err := ParseWeights("w.yaml", []byte(s)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v", c.want, err)
		}
	}
	if w.Combine != CombineExposureWeighted {
		t.Errorf("built-in combine %q", w.Combine)
	}
	// A file of version 1, without combine, is read as the mean it meant.
	v1 := strings.Replace(string(defaultWeights), "combine: exposure_weighted", "", 1)
	if old, err := ParseWeights("v1.yaml", []byte(v1)); err != nil || old.Combine != CombineMean {
		t.Errorf("without combine: %v, %+v", err, old)
	}
}

func TestCorrelate(t *testing.T) {
	t.Parallel()
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

// TestOtherFactorsRefused: inputs scored under some deployment factors
// cannot be computed under others, nor extended with deployments scored
// under others.
func TestOtherFactorsRefused(t *testing.T) {
	t.Parallel()
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
