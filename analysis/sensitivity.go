package analysis

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"time"
)

// Stability is how a jurisdiction's rank moves when the weights are
// perturbed.
type Stability struct {
	Code       string `json:"code"`
	Rank       int    `json:"rank"` // under the weights as given
	MedianRank int    `json:"median_rank"`
	Low        int    `json:"low"`  // 5th percentile of the ranks drawn
	High       int    `json:"high"` // 95th percentile
	// Robust is true when 90% of the draws keep the rank within one place
	// of the rank under the weights as given.
	Robust bool `json:"robust"`
}

// Sensitivity is the rank stability of an index under random weights.
type Sensitivity struct {
	Draws         int         `json:"draws"`
	Spread        float64     `json:"spread"` // each weight drawn uniformly within ±spread of its value
	Seed          uint64      `json:"seed"`
	Jurisdictions []Stability `json:"jurisdictions"`
}

// SensitivityOf recomputes the index draws times, each time multiplying every
// weight between components, between exposure's parts and between
// safeguards by a factor drawn uniformly from [1-spread, 1+spread]. The
// seed makes it reproducible.
//
// Every draw reweighs the scores computed once under w (reweigh): the
// deployment totals, safeguard values, claims and context they rest on
// are the same under every draw. That is right because perturb never
// touches the deployment factors (capability, tier, scale, certainty: see
// deploymentFactors) or anything else those are made with, which
// TestPerturbKeepsDeploymentFactors checks.
func SensitivityOf(in *Inputs, w *Weights, year, draws int, spread float64, seed uint64) *Sensitivity {
	var scores []Score
	return sensitivity(in, w, year, draws, spread, seed, func(base *Index, d *Weights) []Score {
		scores = slices.Grow(scores[:0], len(base.Jurisdictions))
		for _, s := range base.Jurisdictions {
			scores = append(scores, reweigh(s, d))
		}
		rank(scores, d)
		return scores
	})
}

// sensitivity is SensitivityOf with the scores of each draw's weights d
// given by ranked, from the index under w (base).
func sensitivity(in *Inputs, w *Weights, year, draws int, spread float64, seed uint64, ranked func(base *Index, d *Weights) []Score) *Sensitivity {
	base := compute(in, w, year, false)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	ranks := map[string][]int{}
	for range draws {
		for _, s := range ranked(base, perturb(w, rng, spread)) {
			ranks[s.Code] = append(ranks[s.Code], s.Rank)
		}
	}
	out := &Sensitivity{Draws: draws, Spread: spread, Seed: seed}
	for _, s := range base.Jurisdictions {
		if s.Rank == 0 {
			continue
		}
		r := ranks[s.Code]
		sort.Ints(r)
		st := Stability{Code: s.Code, Rank: s.Rank, MedianRank: r[len(r)/2], Low: r[len(r)*5/100], High: r[min(len(r)-1, len(r)*95/100)]}
		st.Robust = st.Low >= s.Rank-1 && st.High <= s.Rank+1
		out.Jurisdictions = append(out.Jurisdictions, st)
	}
	return out
}

// perturb copies w with its weights scaled by random factors. It leaves the
// deployment factors alone, and must: SensitivityOf relies on it.
func perturb(w *Weights, rng *rand.Rand, spread float64) *Weights {
	d := *w
	f := func(v float64) float64 { return v * (1 - spread + 2*spread*rng.Float64()) }
	d.Components.Exposure = f(w.Components.Exposure)
	d.Components.Safeguards = f(w.Components.Safeguards)
	d.Components.Context = f(w.Components.Context)
	d.Exposure.Parts.Deployments = f(w.Exposure.Parts.Deployments)
	d.Exposure.Parts.AIGS = f(w.Exposure.Parts.AIGS)
	d.Safeguards.Weights = make(map[string]float64, len(w.Safeguards.Weights))
	keys := make([]string, 0, len(w.Safeguards.Weights))
	for k := range w.Safeguards.Weights {
		keys = append(keys, k)
	}
	slices.Sort(keys) // draw in a fixed order, so the seed decides the result
	for _, k := range keys {
		d.Safeguards.Weights[k] = f(w.Safeguards.Weights[k])
	}
	return &d
}

// Point is one jurisdiction's score in one year.
type Point struct {
	Year     int      `json:"year"`
	Score    *float64 `json:"score"`
	Rank     int      `json:"rank"`
	Coverage float64  `json:"coverage"`
}

// Series computes the index for each year from first to the inputs' as-of
// year, by jurisdiction.
func Series(in *Inputs, w *Weights, first int) map[string][]Point {
	out := map[string][]Point{}
	for y := first; y <= in.AsOf.Year(); y++ {
		for _, s := range compute(in, w, y, false).Jurisdictions {
			out[s.Code] = append(out[s.Code], Point{y, s.Score, s.Rank, s.Coverage})
		}
	}
	return out
}

// Report is the index with its sensitivity, its time series and the
// weights it was computed with.
type Report struct {
	Index       *Index             `json:"index"`
	Sensitivity *Sensitivity       `json:"sensitivity"`
	Series      map[string][]Point `json:"series"` // by jurisdiction, from SeriesFrom
	Weights     *Weights           `json:"weights"`
	Validation  []Correlation      `json:"validation,omitempty"`
}

// Defaults of the report.
const (
	SeriesFrom = 2012
	Draws      = 1000
	Spread     = 0.25
	Seed       = 2026
)

// IndexReport computes the index as of a date with its sensitivity (Draws
// draws within ±Spread) and its series from SeriesFrom. It reads the whole
// register, and the sensitivity alone is a thousand recomputations: the
// serving layer keeps the report per register state (api.IndexReport).
func IndexReport(ctx context.Context, reg IndexRegister, c *Classifier, w *Weights, asOf time.Time) (*Report, error) {
	in, err := IndexInputs(ctx, reg, c, w, asOf)
	if err != nil {
		return nil, err
	}
	return &Report{
		Index:       Compute(in, w, asOf.Year()),
		Sensitivity: SensitivityOf(in, w, asOf.Year(), Draws, Spread, Seed),
		Series:      Series(in, w, SeriesFrom),
		Weights:     w,
	}, nil
}

// Validate correlates the exposure component with the AIGS technology
// count of each jurisdiction and with an outside measure keyed by code
// (such as the Digital Repression Index); it also reports the correlation
// of the deployments part alone, which does not read AIGS, to show how much
// of the first agreement is circular, and of the ranked scores, which is
// what the method's combination changes.
func (r *Report) Validate(outside map[string]float64, outsideName string) {
	exposure, aigs, score := map[string]float64{}, map[string]float64{}, map[string]float64{}
	for _, s := range r.Index.Jurisdictions {
		if v := s.Components["exposure"].Value; v != nil {
			exposure[s.Code] = *v
		}
		if s.Rank > 0 {
			score[s.Code] = *s.Score
		}
		if len(s.AIGS) > 0 {
			n := 0.0
			for _, v := range s.AIGS {
				if v {
					n++
				}
			}
			aigs[s.Code] = n
		}
	}
	deps := map[string]float64{}
	for _, s := range r.Index.Jurisdictions {
		// The total, not the listed deployments, which may be cut.
		deps[s.Code] = 1 - math.Exp(-s.DeploymentWeight/r.Weights.Exposure.Saturation)
	}
	r.Validation = []Correlation{
		Correlate("exposure ~ AIGS 2022 technology count", exposure, aigs),
		Correlate("deployments part ~ AIGS 2022 technology count", deps, aigs),
		Correlate("exposure ~ "+outsideName, exposure, outside),
		Correlate("deployments part ~ "+outsideName, deps, outside),
		Correlate("score (ranked) ~ AIGS 2022 technology count", score, aigs),
		Correlate("score (ranked) ~ "+outsideName, score, outside),
	}
}
