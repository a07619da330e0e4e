package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"oversight/internal/fixture"
	"oversight/registry"
)

// TestLargeBatchOnLongerLog applies a batch big enough that rows are
// written while the tree reads hashes stored by earlier batches, and
// updates rows too, then checks everything with verify.
func TestLargeBatchOnLongerLog(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	apply(t, db, fixture.Set(37))
	set := &registry.Set{}
	for i := range 700 {
		set.Deployments = append(set.Deployments, fixture.Deployment(1000+i, []string{"PK", "PH", "KZ"}[i%3], "vendor-a"))
	}
	old := fixture.Set(37).Deployments[5]
	old.Title = "Renamed in a large batch"
	set.Deployments = append(set.Deployments, old)
	res := apply(t, db, set)
	if res.Created != 700 || res.Updated != 1 {
		t.Fatalf("created %d, updated %d; want 700 and 1", res.Created, res.Updated)
	}
	verifyOK(t, db)
	if n, err := db.Count(ctx, "deployment"); err != nil || n != 737 {
		t.Fatalf("%d deployments, %v; want 737", n, err)
	}
}

func TestApplyUnchangedAndUpdate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	set := fixture.Set(3)
	apply(t, db, set)
	res := apply(t, db, set)
	if res.Unchanged != 8 || res.Created+res.Updated != 0 || res.Size != 8 {
		t.Fatalf("second apply of the same set: %+v", res)
	}
	set.Deployments[1].Title = "Renamed synthetic deployment"
	res = apply(t, db, &registry.Set{Deployments: []*registry.Deployment{set.Deployments[1]}})
	if res.Updated != 1 || res.Size != 9 {
		t.Fatalf("update: %+v", res)
	}
	hist, err := db.History(ctx, "deployment", set.Deployments[1].ID)
	if err != nil || len(hist) != 2 || hist[0].Op != "create" || hist[1].Op != "update" {
		t.Fatalf("history: %+v, %v", hist, err)
	}
	e, _ := db.Get(ctx, "deployment", set.Deployments[1].ID)
	if e.(*registry.Deployment).Title != "Renamed synthetic deployment" {
		t.Error("update not projected")
	}
	verifyOK(t, db)
}

func TestBadBatchWritesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	apply(t, db, fixture.Set(2))
	bad := &registry.Set{Deployments: []*registry.Deployment{fixture.Deployment(100, "PK", "vendor-a"), fixture.Deployment(101, "XX", "no-such-vendor")}}
	_, err := db.Apply(ctx, bad, Meta{Author: "test"}, nil)
	var ce *CheckError
	if !errors.As(err, &ce) || len(ce.Errs) != 2 {
		t.Fatalf("want a CheckError naming 2 problems, got %v", err)
	}
	if n, _ := db.Size(ctx); n != 7 {
		t.Fatalf("log size %d after a refused batch, want 7", n)
	}
	if _, err := db.Get(ctx, "deployment", bad.Deployments[0].ID); !errors.Is(err, registry.ErrNotFound) {
		t.Error("the valid half of a refused batch was written")
	}
	verifyOK(t, db)
}

func TestConcurrentWriters(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	apply(t, db, fixture.Set(0))
	const writers, each = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				d := fixture.Deployment(1000+w*each+i, "PK", "vendor-a")
				if _, err := db.Apply(ctx, &registry.Set{Deployments: []*registry.Deployment{d}}, Meta{Author: fmt.Sprint("writer-", w)}, nil); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n, _ := db.Size(ctx); n != 5+writers*each {
		t.Fatalf("log size %d, want %d", n, 5+writers*each)
	}
	verifyOK(t, db)
}

// TestFailedInsertWritesNothing fails a batch's INSERT partway through its
// rows, on a row the register holds that it should not: SQLite's inserts
// are OR FAIL, which keeps the rows of the statement before the failing
// one, and the whole write must still be rolled back.
func TestFailedInsertWritesNothing(t *testing.T) {
	t.Parallel()
	db := open(t)
	apply(t, db, fixture.Set(2))
	ctx := context.Background()
	deps := make([]*registry.Deployment, 6)
	for i := range deps {
		deps[i] = fixture.Deployment(100+i, "PK", "vendor-a")
	}
	set, last := &registry.Set{Deployments: deps}, deps[len(deps)-1]
	planted := "INSERT INTO deployment_capabilities (deployment_id, capability) VALUES ($1, $2)"
	if _, err := db.db.ExecContext(ctx, planted, last.ID, last.System.Capabilities[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Apply(ctx, set, Meta{Author: "test"}, nil); err == nil {
		t.Fatal("a batch whose insert failed was applied")
	}
	if n, _ := db.Size(ctx); n != 7 {
		t.Fatalf("log size %d after a failed insert, want 7", n)
	}
	var rows int
	if err := db.db.QueryRowContext(ctx, "SELECT count(*) FROM deployment_capabilities WHERE deployment_id >= $1", set.Deployments[0].ID).Scan(&rows); err != nil || rows != 1 {
		t.Fatalf("%d capability rows of the batch after it failed, %v; want the planted one alone", rows, err)
	}
	if _, err := db.Get(ctx, "deployment", set.Deployments[0].ID); !errors.Is(err, registry.ErrNotFound) {
		t.Error("a deployment of the failed batch was written")
	}
	if _, err := db.db.ExecContext(ctx, "DELETE FROM deployment_capabilities WHERE deployment_id = $1", last.ID); err != nil {
		t.Fatal(err)
	}
	verifyOK(t, db)
}
