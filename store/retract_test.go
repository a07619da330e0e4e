package store

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"oversight/internal/fixture"
	"oversight/registry"
)

// ids returns the ids of the deployments f selects.
func ids(t *testing.T, db *DB, f registry.DeploymentFilter) []string {
	t.Helper()
	var out []string
	if err := db.EachDeployment(context.Background(), f, func(d *registry.Deployment) error {
		out = append(out, d.ID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func wantCode(t *testing.T, err error, code registry.Code, mention string) {
	t.Helper()
	if err == nil || registry.ErrorCode(err) != code || !strings.Contains(err.Error(), mention) {
		t.Fatalf("error %v; want code %s mentioning %q", err, code, mention)
	}
}

// TestRetract retracts a deployment and checks every reader leaves it
// out, its tombstone and last state stay readable, verify and rebuild
// agree with the log, and its id is not created again.
func TestRetract(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	set := fixture.Set(4)
	apply(t, db, set)
	gone := set.Deployments[0] // synthetic-pk-0000000, "harbour"
	size, _ := db.Size(ctx)

	// What is refused writes nothing.
	_, err := db.Retract(ctx, "deployment", gone.ID, Meta{Author: "reviewer"})
	wantCode(t, err, registry.EInvalid, "reason")
	_, err = db.Retract(ctx, "deployment", gone.ID, Meta{Author: "reviewer", Reason: "two\nlines"})
	wantCode(t, err, registry.EInvalid, "reason")
	_, err = db.Retract(ctx, "deployment", gone.ID, Meta{Author: "reviewer", Reason: strings.Repeat("x", registry.MaxReason+1)})
	wantCode(t, err, registry.EInvalid, "reason")
	_, err = db.Retract(ctx, "deployment", gone.ID, Meta{Author: "a\xffb", Reason: "r"})
	wantCode(t, err, registry.EInvalid, "author")
	_, err = db.Retract(ctx, "deployment", "no-such-thing", Meta{Author: "reviewer", Reason: "r"})
	wantCode(t, err, registry.ENotFound, "no-such-thing")
	_, err = db.Retract(ctx, "widget", gone.ID, Meta{Author: "reviewer", Reason: "r"})
	wantCode(t, err, registry.EInvalid, "kind")
	_, err = db.Retract(ctx, "vendor", "vendor-a", Meta{Author: "reviewer", Reason: "r"})
	wantCode(t, err, registry.EConflict, "deployment "+set.Deployments[0].ID)
	_, err = db.Retract(ctx, "jurisdiction", "PK", Meta{Author: "reviewer", Reason: "r"})
	wantCode(t, err, registry.EConflict, "is cited by deployment")
	if n, _ := db.Size(ctx); n != size {
		t.Fatalf("refused retractions wrote: log size %d, was %d", n, size)
	}

	if got := ids(t, db, registry.DeploymentFilter{Q: "harbour"}); len(got) != 1 {
		t.Fatalf("search before: %v", got)
	}
	r, err := db.Retract(ctx, "deployment", gone.ID, Meta{Author: "reviewer", Reason: "duplicate of a press report"})
	if err != nil {
		t.Fatal(err)
	}
	tb := r.Tombstone
	if tb.Seq != size || r.Size != size+1 || tb.Reason != "duplicate of a press report" || tb.Merged() || len(r.Moved) != 0 {
		t.Fatalf("retraction %+v, tombstone %+v", r, tb)
	}

	if _, err := db.Get(ctx, "deployment", gone.ID); !errors.Is(err, registry.ErrNotFound) {
		t.Fatalf("get after retract: %v", err)
	}
	if n, _ := db.Count(ctx, "deployment"); n != 3 {
		t.Errorf("count %d; want 3", n)
	}
	if got := ids(t, db, registry.DeploymentFilter{}); len(got) != 3 || slices.Contains(got, gone.ID) {
		t.Errorf("list: %v", got)
	}
	if got := ids(t, db, registry.DeploymentFilter{Q: "harbour"}); len(got) != 0 {
		t.Errorf("search still finds %v", got)
	}
	if got := ids(t, db, registry.DeploymentFilter{Vendors: []string{"vendor-a"}}); slices.Contains(got, gone.ID) {
		t.Errorf("vendor filter still finds it: %v", got)
	}

	read, err := db.Tombstone(ctx, "deployment", gone.ID)
	if err != nil {
		t.Fatal(err)
	}
	if *read != *tb {
		t.Errorf("tombstone read %+v; written %+v", read, tb)
	}
	last, _, err := db.Revision(ctx, read.LastSeq)
	if err != nil || last.ID != gone.ID || last.Op != "create" {
		t.Fatalf("last state: %+v, %v", last, err)
	}
	if e, err := registry.Decode("deployment", last.State); err != nil || e.(*registry.Deployment).Title != gone.Title {
		t.Errorf("last state decodes to %v, %v", e, err)
	}
	hist, err := db.History(ctx, "deployment", gone.ID)
	if err != nil || len(hist) != 2 || hist[1].Op != "retract" || hist[1].Reason != tb.Reason || hist[1].State != nil {
		t.Fatalf("history %+v, %v", hist, err)
	}
	if _, err := db.Tombstone(ctx, "deployment", set.Deployments[1].ID); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("tombstone of a current record: %v", err)
	}
	verifyOK(t, db)

	// Retracted once only; and not created again, alone or in a batch.
	_, err = db.Retract(ctx, "deployment", gone.ID, Meta{Author: "reviewer", Reason: "again"})
	wantCode(t, err, registry.EConflict, "was retracted on")
	_, err = db.Apply(ctx, &registry.Set{Deployments: []*registry.Deployment{set.Deployments[1], gone}}, Meta{Author: "importer"}, nil)
	var ce *CheckError
	if !errors.As(err, &ce) || len(ce.Errs) != 1 || ce.Errs[0].ID != gone.ID || ce.Errs[0].Index != 1 || !strings.Contains(ce.Errs[0].Error(), "was retracted on") {
		t.Fatalf("re-creating a retracted id: %v", err)
	}
	if n, _ := db.Size(ctx); n != size+1 {
		t.Fatalf("refused re-creation wrote: log size %d", n)
	}

	// Rebuild recreates the tombstone from the log.
	if _, err := db.db.ExecContext(ctx, "DELETE FROM retractions"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	if again, err := db.Tombstone(ctx, "deployment", gone.ID); err != nil || *again != *tb {
		t.Fatalf("tombstone after rebuild: %+v, %v", again, err)
	}
	verifyOK(t, db)
}

// TestMerge merges one vendor into another and checks that the references
// moved through logged revisions, that the old id redirects, and that
// verify and rebuild agree.
func TestMerge(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	set := fixture.Set(4) // deployments 0 and 2 name vendor-a, 1 and 3 vendor-b
	both := fixture.Deployment(9, "PH", "vendor-b")
	both.Vendors = append(both.Vendors, registry.VendorRole{Vendor: "vendor-a", Role: "prime", Sources: []string{"b"}})
	both.Financing = []registry.Financing{{Lender: "vendor-a", Instrument: "commercial_loan", Sources: []string{"a"}}, {Lender: "vendor-b", Instrument: "grant", Sources: []string{"a"}}}
	both.Sources = append(both.Sources, registry.Source{Key: "b", URL: "https://example.org/synthetic/b", Accessed: both.Sources[0].Accessed})
	child := fixture.Vendor("vendor-c", "CN")
	child.Parent = "vendor-a"
	set.Deployments = append(set.Deployments, both)
	set.Vendors = append(set.Vendors, child)
	apply(t, db, set)
	size, _ := db.Size(ctx)
	meta := Meta{Author: "reviewer", Reason: "the same company under two names"}

	for _, c := range []struct {
		kind, old, into string
		code            registry.Code
		mention         string
	}{
		{"vendor", "vendor-a", "vendor-a", registry.EInvalid, "into"},
		{"vendor", "vendor-a", "", registry.EInvalid, "into"},
		{"vendor", "vendor-a", "vendor-z", registry.EInvalid, "no current vendor"},
		{"vendor", "vendor-z", "vendor-a", registry.ENotFound, "vendor-z"},
		{"jurisdiction", "PK", "PH", registry.EInvalid, "kind"},
	} {
		_, err := db.Merge(ctx, c.kind, c.old, c.into, meta)
		wantCode(t, err, c.code, c.mention)
	}
	_, err := db.Merge(ctx, "vendor", "vendor-a", "vendor-b", Meta{Author: "reviewer"})
	wantCode(t, err, registry.EInvalid, "reason")
	if n, _ := db.Size(ctx); n != size {
		t.Fatalf("refused merges wrote: log size %d, was %d", n, size)
	}

	r, err := db.Merge(ctx, "vendor", "vendor-a", "vendor-b", meta)
	if err != nil {
		t.Fatal(err)
	}
	wantMoved := "deployment/synthetic-kz-0000002 deployment/synthetic-ph-0000009 deployment/synthetic-pk-0000000 vendor/vendor-c" // citers' order
	var moved []string
	for _, m := range r.Moved {
		moved = append(moved, m.Kind+"/"+m.ID)
	}
	if strings.Join(moved, " ") != wantMoved {
		t.Errorf("moved %v; want %v", moved, wantMoved)
	}
	if r.Size != size+5 || r.Tombstone.Seq != size+4 || r.Tombstone.Into != "vendor-b" || !r.Tombstone.Merged() {
		t.Fatalf("merge: %+v %+v", r, r.Tombstone)
	}
	if got := ids(t, db, registry.DeploymentFilter{Vendors: []string{"vendor-a"}}); len(got) != 0 {
		t.Errorf("deployments still naming vendor-a: %v", got)
	}
	if got := ids(t, db, registry.DeploymentFilter{Vendors: []string{"vendor-b"}}); len(got) != 5 {
		t.Errorf("deployments naming vendor-b: %v", got)
	}
	e, err := db.Get(ctx, "deployment", both.ID)
	if err != nil {
		t.Fatal(err)
	}
	d := e.(*registry.Deployment)
	if len(d.Vendors) != 1 || d.Vendors[0].Vendor != "vendor-b" || strings.Join(d.Vendors[0].Sources, ",") != "a,b" {
		t.Errorf("vendors after merge: %+v", d.Vendors)
	}
	if d.Financing[0].Lender != "vendor-b" || d.Financing[1].Lender != "vendor-b" {
		t.Errorf("lenders after merge: %+v", d.Financing)
	}
	hist, _ := db.History(ctx, "deployment", both.ID)
	if last := hist[len(hist)-1]; last.Op != "update" || !strings.Contains(last.Reason, "vendor vendor-a merged into vendor-b") {
		t.Errorf("moving revision: %+v", last)
	}
	if e, _ := db.Get(ctx, "vendor", "vendor-c"); e.(*registry.Vendor).Parent != "vendor-b" {
		t.Errorf("parent after merge: %q", e.(*registry.Vendor).Parent)
	}
	if n, _ := db.Count(ctx, "vendor"); n != 2 {
		t.Errorf("vendors: %d; want 2", n)
	}
	verifyOK(t, db)

	// Merging into a merged record, and merging it again, are refused.
	_, err = db.Merge(ctx, "vendor", "vendor-c", "vendor-a", meta)
	wantCode(t, err, registry.EInvalid, "was merged into vendor-b")
	_, err = db.Merge(ctx, "vendor", "vendor-a", "vendor-c", meta)
	wantCode(t, err, registry.EConflict, "was merged into vendor-b")
	// The old id is not created again; the refusal names the merge.
	_, err = db.Apply(ctx, &registry.Set{Vendors: []*registry.Vendor{fixture.Vendor("vendor-a", "CN")}}, Meta{Author: "importer"}, nil)
	if err == nil || !strings.Contains(err.Error(), "was merged into vendor-b") {
		t.Errorf("re-creating a merged id: %v", err)
	}

	if _, err := db.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	verifyOK(t, db)
	if tb, err := db.Tombstone(ctx, "vendor", "vendor-a"); err != nil || tb.Into != "vendor-b" {
		t.Errorf("redirect after rebuild: %+v, %v", tb, err)
	}

	// A deployment merges into another with nothing to move.
	r, err = db.Merge(ctx, "deployment", "synthetic-pk-0000003", "synthetic-pk-0000000", meta)
	if err != nil || len(r.Moved) != 0 || r.Tombstone.Into != "synthetic-pk-0000000" {
		t.Fatalf("deployment merge: %+v, %v", r, err)
	}
	verifyOK(t, db)
}

// withRetractions retracts a deployment and merges another into a third,
// then runs q on the database: a tamper case's change to tombstones.
func withRetractions(q string) func(*testing.T, *DB) {
	return func(t *testing.T, db *DB) {
		ctx := context.Background()
		meta := Meta{Author: "test", Reason: "a reason"}
		if _, err := db.Retract(ctx, "deployment", "synthetic-pk-0000000", meta); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Merge(ctx, "deployment", "synthetic-ph-0000001", "synthetic-kz-0000002", meta); err != nil {
			t.Fatal(err)
		}
		verifyOK(t, db)
		if _, err := db.db.ExecContext(ctx, dialectSQL(db, q)); err != nil {
			t.Fatal(err)
		}
	}
}

// TestMergeInstrument merges a law cited by a safeguard into another: the
// jurisdiction that named it is updated, and retracting a cited law is
// refused.
func TestMergeInstrument(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	set := fixture.Set(1)
	law := func(id string) *registry.Instrument {
		return &registry.Instrument{ID: id, Title: "Synthetic Act " + id, Jurisdiction: "PK", Type: "law", Status: "in_force",
			Sources: []registry.Source{{Key: "s1", URL: "https://example.org/synthetic/" + id}}}
	}
	set.Instruments = []*registry.Instrument{law("act-old"), law("act-new")}
	set.Jurisdictions[0].Safeguards[0].Instrument = "act-old"
	apply(t, db, set)
	meta := Meta{Author: "reviewer", Reason: "the same act"}
	_, err := db.Retract(ctx, "instrument", "act-old", meta)
	wantCode(t, err, registry.EConflict, "instrument act-old is cited by jurisdiction PK")
	r, err := db.Merge(ctx, "instrument", "act-old", "act-new", meta)
	if err != nil || len(r.Moved) != 1 || r.Moved[0] != (registry.EntityID{Kind: "jurisdiction", ID: "PK"}) {
		t.Fatalf("merge: %+v, %v", r, err)
	}
	e, _ := db.Get(ctx, "jurisdiction", "PK")
	if got := e.(*registry.Jurisdiction).Safeguards[0].Instrument; got != "act-new" {
		t.Errorf("safeguard names %q", got)
	}
	// The new act is cited now; an uncited one retracts.
	if _, err := db.Retract(ctx, "instrument", "act-new", meta); registry.ErrorCode(err) != registry.EConflict {
		t.Errorf("retracting the act merged into: %v", err)
	}
	verifyOK(t, db)
}
