package monitor_test

import (
	"context"
	"testing"

	"golang.org/x/mod/sumdb/note"

	"oversight/internal/fixture"
	"oversight/monitor"
)

// BenchmarkCatchUp measures a monitor reading a log of 10,005 revisions
// from nothing through its tiles: every entry checked against the signed
// tree and replayed, no API answer compared. It reports entries a second.
func BenchmarkCatchUp(b *testing.B) {
	db, _ := register(b, b.TempDir(), b.TempDir(), fixture.Set(10000))
	url := serve(b, db)
	v, err := note.NewVerifier(db.Key().Public)
	if err != nil {
		b.Fatal(err)
	}
	size, _ := db.Size(context.Background())
	b.ResetTimer()
	for b.Loop() {
		rep, err := monitor.Run(context.Background(), monitor.Config{URL: url, Verifier: v, StateDir: b.TempDir(), Sample: 0})
		if err != nil || rep.Entries != int(size) {
			b.Fatal(err, rep)
		}
	}
	b.ReportMetric(float64(size)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
}
