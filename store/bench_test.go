package store

import (
	"context"
	"os"
	"testing"

	"oversight/internal/fixture"
	"oversight/registry"
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

// BenchmarkListFiltered measures one page of a filtered list: deployments
// of one jurisdiction, supplied by a CN-headquartered vendor, with a word
// of full-text search, from a register of 10,000 deployments.
func BenchmarkListFiltered(b *testing.B) {
	db := open(b)
	apply(b, db, fixture.Set(10000))
	ctx := context.Background()
	f := registry.DeploymentFilter{Jurisdictions: []string{"PH"}, VendorHQ: "CN", Q: "harbour", Limit: 100}
	for b.Loop() {
		p, err := db.Deployments(ctx, f)
		if err != nil || len(p.Items) == 0 {
			b.Fatal(err, len(p.Items))
		}
	}
}

// BenchmarkSnapshotPage measures an uncached API page's reads in the
// store: a snapshot opened, a page of 50 of a jurisdiction and a year
// from a cursor read as stored, the snapshot closed; each page from
// another cursor, from a register of 10,000 deployments.
func BenchmarkSnapshotPage(b *testing.B) {
	db := open(b)
	apply(b, db, fixture.Set(10000))
	ctx := context.Background()
	var ids []string
	if err := db.EachDeployment(ctx, registry.DeploymentFilter{}, func(d *registry.Deployment) error {
		ids = append(ids, d.ID)
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		sn, err := db.Snapshot(ctx)
		if err != nil {
			b.Fatal(err)
		}
		f := registry.DeploymentFilter{Jurisdictions: []string{"PH"}, YearFrom: 2015, Limit: 50, Cursor: registry.Cursor(ids[i*7919%len(ids)])}
		if _, err := sn.DeploymentStates(ctx, f); err != nil {
			b.Fatal(err)
		}
		sn.Close()
		i++
	}
}

// BenchmarkLogAppend measures one change committed on its own: a revision
// appended, projected, and a new checkpoint signed, with a durable commit.
func BenchmarkLogAppend(b *testing.B) {
	db := open(b)
	apply(b, db, fixture.Set(1000))
	ctx := context.Background()
	i := 0
	for b.Loop() {
		d := fixture.Deployment(100000+i, "PK", "vendor-a")
		i++
		if _, err := db.Apply(ctx, &registry.Set{Deployments: []*registry.Deployment{d}}, Meta{Author: "bench"}, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify measures verifying a whole log of 10,005 revisions:
// signature, tree recomputed from the records, and every table compared.
func BenchmarkVerify(b *testing.B) {
	db := open(b)
	apply(b, db, fixture.Set(10000))
	ctx := context.Background()
	for b.Loop() {
		rep, err := db.Verify(ctx)
		if err != nil || !rep.OK() {
			b.Fatal(err, rep.Mismatches)
		}
	}
	b.ReportMetric(float64(10005*b.N)/b.Elapsed().Seconds(), "revisions/s")
}

// BenchmarkConsistencyProof measures a consistency proof between two sizes
// of a log of 10,005 revisions, read from the stored hashes through a
// snapshot, as GET /api/v1/log/consistency makes it.
func BenchmarkConsistencyProof(b *testing.B) {
	db := open(b)
	apply(b, db, fixture.Set(10000))
	benchProofs(b, db)
}

// BenchmarkConsistencyProofAt is BenchmarkConsistencyProof on a register
// made beforehand, such as one of a million revisions that `oversight gen
// --deployments 1000000 --data DIR` makes: OVERSIGHT_BENCH_DB=DIR/oversight.db.
// Without the variable it does not run.
func BenchmarkConsistencyProofAt(b *testing.B) {
	path := os.Getenv("OVERSIGHT_BENCH_DB")
	if path == "" {
		b.Skip("OVERSIGHT_BENCH_DB names no register")
	}
	db, err := OpenSQLite(context.Background(), path, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	benchProofs(b, db)
}

// benchProofs proves, through one snapshot, that trees of sizes spread
// over the whole log are prefixes of the log, and reports the log's size.
func benchProofs(b *testing.B, db *DB) {
	ctx := context.Background()
	sn, err := db.Snapshot(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer sn.Close()
	size, _ := db.Size(ctx)
	n := int64(0)
	for b.Loop() {
		n = (n+size/997)%(size-1) + 1
		if _, err := sn.ConsistencyProof(ctx, n, size); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(size), "revisions")
}
