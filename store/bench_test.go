package store

import (
	"context"
	"testing"

	"oversight/internal/fixture"
)

// BenchmarkImport measures Apply of a batch of 1,000 new deployments in one
// transaction (with their 3 jurisdictions and 2 vendors).
func BenchmarkImport(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		db := open(b)
		set := fixture.Set(1000)
		b.StartTimer()
		if _, err := db.Apply(context.Background(), set, Meta{Author: "bench"}, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(1005*b.N)/b.Elapsed().Seconds(), "records/s")
}
