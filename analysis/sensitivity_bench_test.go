package analysis

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkSensitivity is the index report's thousand recomputations, on
// 35 jurisdictions as the built-in register has.
func BenchmarkSensitivity(b *testing.B) {
	w, err := DefaultWeights()
	if err != nil {
		b.Fatal(err)
	}
	in := randomRegister(rand.New(rand.NewPCG(3, 3)), 35).inputs(w)
	for b.Loop() {
		SensitivityOf(in, w, 2026, Draws, Spread, Seed)
	}
}
