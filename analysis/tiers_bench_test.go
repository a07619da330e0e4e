package analysis

import (
	"testing"

	"oversight/data"
	"oversight/registry"
	"oversight/synth"
)

// BenchmarkTierSpans projects the tiers of synthetic deployments, the
// work serve does for every pending deployment (store.ProjectTiers); one
// op is one deployment, derived facts included.
func BenchmarkTierSpans(b *testing.B) {
	c, ds := tierBench(b)
	for i := range b.N {
		c.TierSpans(ds[i%len(ds)], nil)
	}
}

// BenchmarkTierSpansUnshared is BenchmarkTierSpans with every deployment
// classified, as in a register whose deployments all read differently.
func BenchmarkTierSpansUnshared(b *testing.B) {
	c, ds := tierBench(b)
	for i := range b.N {
		c.tierSpans(c.derived(ds[i%len(ds)]))
	}
}

func tierBench(b *testing.B) (*Classifier, []*registry.Deployment) {
	base, err := data.Load()
	if err != nil {
		b.Fatal(err)
	}
	c := builtinClassifier(b)
	ds := synth.Batch(base, 1, 0, 2000)
	b.ReportAllocs()
	b.ResetTimer()
	return c, ds
}
