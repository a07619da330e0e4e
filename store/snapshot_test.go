package store

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"oversight/internal/fixture"
	"oversight/ledger"
	"oversight/registry"
)

// reads is the read API that DB and Snapshot share.
type reads interface {
	Get(ctx context.Context, kind, id string) (registry.Entity, error)
	GetMany(ctx context.Context, ids []registry.EntityID) (map[registry.EntityID]registry.Entity, error)
	Each(ctx context.Context, kind string, fn func(registry.Entity) error) error
	EachDeployment(ctx context.Context, f registry.DeploymentFilter, fn func(*registry.Deployment) error) error
	Deployments(ctx context.Context, f registry.DeploymentFilter) (registry.Page[*registry.Deployment], error)
	List(ctx context.Context, kind, jurisdiction, cursor string, limit int) (registry.Page[registry.Entity], error)
	History(ctx context.Context, kind, id string) ([]*registry.Revision, error)
	Revision(ctx context.Context, seq int64) (*registry.Revision, []byte, error)
	Checkpoint(ctx context.Context) ([]byte, ledger.Checkpoint, error)
	InclusionProof(ctx context.Context, seq, size int64) (tlog.RecordProof, error)
	Size(ctx context.Context) (int64, error)
	Count(ctx context.Context, kind string) (int, error)
	Sources(ctx context.Context, cursor string, limit int) (registry.Page[registry.SourceUse], error)
}

var _, _ reads = (*DB)(nil), (*Snapshot)(nil)

// answers asks r a question through each of its methods about a register
// filled from fixture.Set, and returns the answers.
func answers(t *testing.T, r reads) []any {
	t.Helper()
	ctx := context.Background()
	var out []any
	add := func(vals ...any) {
		t.Helper()
		if err, _ := vals[len(vals)-1].(error); err != nil {
			t.Fatal(err)
		}
		out = append(out, vals[:len(vals)-1]...)
	}
	d0 := fixture.Deployment(0, "PK", "vendor-a").ID
	add(r.Get(ctx, "deployment", d0))
	add(r.GetMany(ctx, []registry.EntityID{{Kind: "deployment", ID: d0}, {Kind: "vendor", ID: "vendor-b"}, {Kind: "deployment", ID: "no-such"}}))
	var all []registry.Entity
	add(r.Each(ctx, "jurisdiction", func(e registry.Entity) error { all = append(all, e); return nil }))
	add(all)
	var ids []string
	add(r.EachDeployment(ctx, registry.DeploymentFilter{Jurisdictions: []string{"PH"}}, func(d *registry.Deployment) error { ids = append(ids, d.ID); return nil }))
	add(ids)
	add(r.Deployments(ctx, registry.DeploymentFilter{Q: "harbour", Limit: 2}))
	add(r.Deployments(ctx, registry.DeploymentFilter{Limit: 2, Match: func(d *registry.Deployment) (bool, error) { return d.Certainty == "reported", nil }}))
	add(r.List(ctx, "vendor", "", "", 1))
	add(r.History(ctx, "deployment", d0))
	add(r.Revision(ctx, 3))
	add(r.Checkpoint(ctx))
	size, err := r.Size(ctx)
	add(size, err)
	add(r.InclusionProof(ctx, 2, size))
	add(r.Count(ctx, "deployment"))
	add(r.Sources(ctx, "", 1))
	return out
}

// TestSnapshotSameAsDB requires a snapshot's methods to answer as DB's do.
func TestSnapshotSameAsDB(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	apply(t, db, fixture.Set(12))
	sn, err := db.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer sn.Close()
	if got, want := answers(t, sn), answers(t, db); !reflect.DeepEqual(got, want) {
		t.Errorf("snapshot answered\n%v\nDB answered\n%v", got, want)
	}
}

// TestSnapshotIsolation commits a change while a snapshot is open: the
// writer must not wait for the snapshot, the snapshot must go on seeing
// the register as it was, and a new snapshot must see the change.
func TestSnapshotIsolation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	apply(t, db, fixture.Set(6)) // 11 revisions
	sn, err := db.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer sn.Close()
	before := answers(t, sn)

	d := fixture.Set(6).Deployments[0]
	d.Title = "Renamed while a snapshot was open"
	change := &registry.Set{Deployments: []*registry.Deployment{d, fixture.Deployment(100, "PH", "vendor-b")}}
	done := make(chan error, 1)
	go func() {
		_, err := db.Apply(ctx, change, Meta{Author: "test"}, nil)
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		sn.Close() // lets the writer finish
		t.Fatal("Apply waited for an open snapshot")
	}

	if after := answers(t, sn); !reflect.DeepEqual(after, before) {
		t.Errorf("the snapshot's answers changed after a commit:\n%v\nbefore:\n%v", after, before)
	}
	if n, _ := sn.Size(ctx); n != 11 {
		t.Errorf("snapshot size %d after a commit, want 11 still", n)
	}
	if _, _, err := sn.Revision(ctx, 11); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("the snapshot sees revision 11, committed after it opened: %v", err)
	}

	sn2, err := db.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer sn2.Close()
	if n, _ := sn2.Size(ctx); n != 13 {
		t.Errorf("new snapshot size %d, want 13", n)
	}
	e, err := sn2.Get(ctx, "deployment", d.ID)
	if err != nil || e.(*registry.Deployment).Title != d.Title {
		t.Errorf("the new snapshot does not see the change: %v", err)
	}
	if got, want := answers(t, sn2), answers(t, db); !reflect.DeepEqual(got, want) {
		t.Errorf("new snapshot answered\n%v\nDB answered\n%v", got, want)
	}
}

// TestSnapshotGetMany reads many entities of several kinds in one query.
func TestSnapshotGetMany(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	set := fixture.Set(40)
	apply(t, db, set)
	sn, err := db.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer sn.Close()
	if n := sn.Queries(); n != 1 {
		t.Errorf("opening ran %d queries, want 1 (the size)", n)
	}
	if _, err := sn.Size(ctx); err != nil || sn.Queries() != 1 {
		t.Errorf("Size ran a query (%d statements so far), %v", sn.Queries(), err)
	}

	var ids []registry.EntityID
	for _, e := range set.Entities() {
		ids = append(ids, registry.EntityID{Kind: e.Kind(), ID: e.Key()})
	}
	want := len(ids)
	ids = append(ids, ids[7], registry.EntityID{Kind: "deployment", ID: "no-such"}, registry.EntityID{Kind: "no-such-kind", ID: "x"})
	before := sn.Queries()
	got, err := sn.GetMany(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	if n := sn.Queries() - before; n != 1 {
		t.Errorf("GetMany of %d ids ran %d queries, want 1", len(ids), n)
	}
	if len(got) != want {
		t.Errorf("GetMany found %d entities, want %d", len(got), want)
	}
	for _, id := range ids[:want] {
		e, err := sn.Get(ctx, id.Kind, id.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got[id], e) {
			t.Errorf("GetMany gave %s %s as %v, Get as %v", id.Kind, id.ID, got[id], e)
		}
	}
	if fromDB, err := db.GetMany(ctx, ids); err != nil || !reflect.DeepEqual(fromDB, got) {
		t.Errorf("DB.GetMany differs from the snapshot's: %v", err)
	}

	before = sn.Queries()
	if none, err := sn.GetMany(ctx, nil); err != nil || none == nil || len(none) != 0 || sn.Queries() != before {
		t.Errorf("GetMany of no ids: %v, %v, %d queries", none, err, sn.Queries()-before)
	}
}

// TestSnapshotClose closes a snapshot twice, and checks that a snapshot
// whose context ends gives its connection back to the pool.
func TestSnapshotClose(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	apply(t, db, fixture.Set(2))
	inUse := db.db.Stats().InUse
	sn, err := db.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := sn.Close(); err != nil {
		t.Fatal(err)
	}
	if err := sn.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := sn.Count(ctx, "deployment"); err == nil {
		t.Error("a closed snapshot still reads")
	}
	if n := db.db.Stats().InUse; n != inUse {
		t.Errorf("%d connections in use after Close, want %d", n, inUse)
	}

	cctx, cancel := context.WithCancel(ctx)
	sn, err = db.Snapshot(cctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := db.db.Stats().InUse; n != inUse+1 {
		t.Errorf("%d connections in use with a snapshot open, want %d", n, inUse+1)
	}
	cancel()
	for deadline := time.Now().Add(5 * time.Second); db.db.Stats().InUse != inUse; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("a snapshot whose context ended kept its connection")
		}
	}
	if err := sn.Close(); err != nil {
		t.Errorf("Close after the context ended: %v", err)
	}
	if _, err := db.Snapshot(cctx); err == nil {
		t.Error("a snapshot opened on a context already done")
	}
	if n := db.db.Stats().InUse; n != inUse {
		t.Errorf("%d connections in use after a failed open, want %d", n, inUse)
	}
}
