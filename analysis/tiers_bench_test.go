package analysis

import (
	"testing"

	"oversight/data"
	"oversight/synth"
)

// BenchmarkTierSpans projects the tiers of synthetic deployments, the
// work serve does for every pending deployment (store.ProjectTiers); one
// op is one deployment, derived facts included.
func BenchmarkTierSpans(b *testing.B) {
	base, err := data.Load()
	if err != nil {
		b.Fatal(err)
	}
	c := builtinClassifier(b)
	ds := synth.Batch(base, 1, 0, 2000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		c.TierSpans(ds[i%len(ds)], nil)
	}
}
