package analysis

import (
	"math/rand/v2"
	"reflect"
	"sort"
	"testing"
)

// TestSensitivityReweighs checks that the sensitivity, which reweighs the
// scores computed once, gives what computing the whole index again under
// each draw's weights gives, on random registers, under both ways of
// combining the components, with and without the listed years' claims.
func TestSensitivityReweighs(t *testing.T) {
	t.Parallel()
	for seed := range uint64(6) {
		w := weights(t)
		if seed%2 == 1 {
			w.Combine = CombineMean
		}
		in := randomRegister(rand.New(rand.NewPCG(seed, 7)), 20+int(seed)*5).inputs(w)
		for _, year := range []int{2016, 2026} {
			got := SensitivityOf(in, w, year, 200, 0.4, seed)
			want := sensitivityByCompute(in, w, year, 200, 0.4, seed)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("seed %d, %d: reweighed\n%+v\ncomputed again\n%+v", seed, year, got, want)
			}
			if len(got.Jurisdictions) < 3 {
				t.Errorf("seed %d, %d: only %d ranked", seed, year, len(got.Jurisdictions))
			}
		}
	}
}

// sensitivityByCompute is SensitivityOf by computing the index again for
// every draw.
func sensitivityByCompute(in *Inputs, w *Weights, year, draws int, spread float64, seed uint64) *Sensitivity {
	base := compute(in, w, year, false)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	ranks := map[string][]int{}
	for range draws {
		for _, s := range compute(in, perturb(w, rng, spread), year, false).Jurisdictions {
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
