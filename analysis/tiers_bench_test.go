package analysis

import (
	"testing"
	"time"

	"oversight/data"
	"oversight/registry"
	"oversight/rules"
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

// BenchmarkDeploymentOneFramework classifies built-in deployments under
// the EU AI Act alone, with labels, articles and coming rules: the work
// the search list and the deployments map's table do for each row they
// show (site's search and buildDeploymentMap); one op is one deployment.
func BenchmarkDeploymentOneFramework(b *testing.B) {
	base, err := data.Load()
	if err != nil {
		b.Fatal(err)
	}
	c := builtinClassifier(b)
	eu, ok := c.Framework("eu-ai-act")
	if !ok {
		b.Fatal("no eu-ai-act")
	}
	day := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	fws := []*rules.Framework{eu}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		c.Deployment(base.Deployments[i%len(base.Deployments)], fws, day)
	}
}
