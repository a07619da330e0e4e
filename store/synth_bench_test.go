package store

import (
	"context"
	"testing"

	"oversight/data"
	"oversight/registry"
	"oversight/synth"
)

// BenchmarkImportSynthetic measures importing 10,000 synthetic deployments
// (as `oversight gen` makes them) in one transaction.
func BenchmarkImportSynthetic(b *testing.B) {
	base, err := data.Load()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	const n = 10000
	for b.Loop() {
		b.StopTimer()
		db := open(b)
		apply(b, db, synth.Reference(base))
		set := &registry.Set{Deployments: synth.Batch(base, 1, 0, n)}
		b.StartTimer()
		if _, err := db.Apply(ctx, set, Meta{Author: "bench"}, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "deployments/s")
}

// BenchmarkVerifySynthetic measures verifying a log of 20,000 synthetic
// deployments.
func BenchmarkVerifySynthetic(b *testing.B) {
	base, err := data.Load()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	db := synthRegister(b, base, 20000)
	size, _ := db.Size(ctx)
	for b.Loop() {
		rep, err := db.Verify(ctx)
		if err != nil || !rep.OK() {
			b.Fatal(err, rep.Mismatches)
		}
	}
	b.ReportMetric(float64(size*int64(b.N))/b.Elapsed().Seconds(), "revisions/s")
}

// BenchmarkFacets measures the search counts of 20,000 synthetic
// deployments, for a filter of one jurisdiction and for none, each way:
// summed from deployment_counts (what Facets does for such filters) and
// counted by the GROUP BY queries (what it does for a search by words).
func BenchmarkFacets(b *testing.B) {
	base, err := data.Load()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	db := synthRegister(b, base, 20000)
	for _, f := range []struct {
		name string
		f    registry.DeploymentFilter
	}{{"all", registry.DeploymentFilter{}}, {"jurisdiction", registry.DeploymentFilter{Jurisdictions: []string{"PK"}}}} {
		for _, way := range []struct {
			name  string
			count func(context.Context, registry.DeploymentFilter) (*registry.Facets, error)
		}{{"summed", db.countedFacets}, {"queried", db.queriedFacets}} {
			b.Run(f.name+"/"+way.name, func(b *testing.B) {
				for b.Loop() {
					if _, err := way.count(ctx, f.f); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// synthRegister opens a register of the reference entities and n
// synthetic deployments, as `oversight gen` makes it: with no tier
// projector set, their tiers are pending.
func synthRegister(b *testing.B, base *registry.Set, n int) *DB {
	db := open(b)
	apply(b, db, synth.Reference(base))
	apply(b, db, &registry.Set{Deployments: synth.Batch(base, 1, 0, n)})
	return db
}
