package analysis

import (
	"math/rand/v2"
	"reflect"
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
	return sensitivity(in, w, year, draws, spread, seed, func(_ *Index, d *Weights) []Score {
		return compute(in, d, year, false).Jurisdictions
	})
}
