package store

import (
	"bytes"
	"context"
	"testing"
	"time"

	"oversight/export"
	"oversight/internal/fixture"
	"oversight/registry"
	"oversight/release"
)

// TestReleases: a release names the log's size with its signed checkpoint;
// a tag is never reused; the changelog between two releases says what was
// added, changed, retracted and merged, with the reasons; and the register
// as of a release exports to what the register's own export was then.
func TestReleases(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	_, err := db.AddRelease(ctx, "2026-11", "", time.Now())
	wantCode(t, err, registry.EConflict, "nothing to release")
	apply(t, db, fixture.Set(5))
	var then bytes.Buffer
	if err := export.Write(ctx, &then, db, "json", registry.DeploymentFilter{}, nil); err != nil {
		t.Fatal(err)
	}
	first, err := db.AddRelease(ctx, "2026-11", "The first release.", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.AddRelease(ctx, "2026-11", "", time.Now())
	wantCode(t, err, registry.EConflict, "exists already")
	_, err = db.AddRelease(ctx, "../x", "", time.Now())
	wantCode(t, err, registry.EInvalid, "tag")

	set := fixture.Set(7)
	set.Deployments[0].Title = "A changed title"
	apply(t, db, set)
	ids := set.Deployments
	if _, err := db.Retract(ctx, "deployment", ids[1].ID, Meta{Author: "rev", Reason: "no source says it exists"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Merge(ctx, "deployment", ids[2].ID, ids[3].ID, Meta{Author: "rev", Reason: "the same system"}); err != nil {
		t.Fatal(err)
	}
	second, err := db.AddRelease(ctx, "2026-12", "", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	rels, err := db.Releases(ctx)
	if err != nil || len(rels) != 2 || rels[0].Tag != "2026-12" || rels[1].Checkpoint != first.Checkpoint {
		t.Fatalf("releases: %+v, %v", rels, err)
	}
	cl := release.NewChangelog(release.Previous(rels, second.Size), second.Size)
	if err := db.EachRevision(ctx, cl.From, cl.To, func(r *registry.Revision) error { cl.Add(r); return nil }); err != nil {
		t.Fatal(err)
	}
	if cl.From != first.Size || cl.Counts[release.Added] != 2 || cl.Counts[release.Changed] != 1 || cl.Counts[release.Retracted] != 1 || cl.Counts[release.Merged] != 1 {
		t.Fatalf("changelog: %+v", cl.Counts)
	}
	for _, c := range cl.Changes {
		if c.What == release.Merged && (c.ID != ids[2].ID || c.Into != ids[3].ID || c.Reason != "the same system") {
			t.Errorf("merge: %+v", c)
		}
	}

	var asOf bytes.Buffer
	if err := export.WriteAsOf(ctx, &asOf, db, first.Size); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(asOf.Bytes(), then.Bytes()) {
		t.Errorf("the register as of the first release:\n%.600s\nits export then:\n%.600s", asOf.Bytes(), then.Bytes())
	}
}

// TestChangeCounts: the counts the database makes are the changelog's.
func TestChangeCounts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	apply(t, db, fixture.Set(4))
	ids := fixture.Set(4).Deployments
	if _, err := db.Retract(ctx, "deployment", ids[0].ID, Meta{Author: "rev", Reason: "gone"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Merge(ctx, "deployment", ids[1].ID, ids[2].ID, Meta{Author: "rev", Reason: "same"}); err != nil {
		t.Fatal(err)
	}
	size, _ := db.Size(ctx)
	cl := release.NewChangelog(0, size)
	if err := db.EachRevision(ctx, 0, size, func(r *registry.Revision) error { cl.Add(r); return nil }); err != nil {
		t.Fatal(err)
	}
	counts, err := db.ChangeCounts(ctx, 0, size)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range cl.Counts {
		if counts[k] != v {
			t.Errorf("%s: the database counts %d, the changelog %d", k, counts[k], v)
		}
	}
}
