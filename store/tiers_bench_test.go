package store

import (
	"context"
	"database/sql"
	"syscall"
	"testing"
	"time"

	"oversight/data"
	"oversight/internal/testcls"
)

// BenchmarkProjectTiers measures projecting the tiers of 20,000 synthetic
// deployments (as `oversight gen` leaves them pending and serve projects
// them), each op all of them with a new classifier, so that nothing one op
// learnt helps the next. cpu-µs/deployment is the process's user and system
// time, every core's, divided by the deployments: under load it moves less
// than the wall time.
func BenchmarkProjectTiers(b *testing.B) {
	base, err := data.Load()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	const n = 20000
	db := synthRegister(b, base, n)
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		err := db.writeTx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, "DELETE FROM projections WHERE name = $1", tierProjection)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.SetTierProjector(ctx, testcls.New(b, nil)); err != nil {
			b.Fatal(err)
		}
		before := cpuTime(b)
		b.StartTimer()
		got, err := db.ProjectTiers(ctx)
		if err != nil || got < n {
			b.Fatalf("ProjectTiers: %d, %v; want at least %d", got, err, n)
		}
		b.StopTimer()
		cpu += cpuTime(b) - before
		b.StartTimer()
	}
	b.ReportMetric(float64(cpu.Microseconds())/float64(n*b.N), "cpu-µs/deployment")
}

// cpuTime is the user and system time the process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
