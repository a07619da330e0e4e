package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"oversight/account"
	"oversight/contrib"
	"oversight/internal/fixture"
	"oversight/registry"
)

// proposal returns a new deployment proposed with one piece of evidence
// that its facts cite.
func proposal(i int) *contrib.Proposal {
	d := fixture.Deployment(i, "PH", "vendor-b")
	d.Sources = nil // the evidence becomes its source "a"
	return &contrib.Proposal{Kind: contrib.New, Record: d, Message: "seen in the news",
		Evidence: []registry.Source{{Key: "a", URL: "https://example.org/news/1", Title: "A report", Excerpt: "Las cámaras", Language: "es", Translated: true}},
		Contact:  "me@example.org"}
}

// TestSubmitAndAccept keeps a submission, refuses what an import would,
// and accepts it into a logged revision that names the reviewer and the
// contributor's pseudonym; verify passes, and a decided submission takes
// no second decision.
func TestSubmitAndAccept(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	set := fixture.Set(2)
	apply(t, db, set)
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)

	bad := proposal(7)
	bad.Record.Vendors[0].Vendor = "no-such-vendor"
	bad.Evidence[0].URL = "ftp://x"
	_, err := db.Submit(ctx, bad, "", "h0", now)
	wantCode(t, err, registry.EInvalid, "evidence[0].url")
	bad = proposal(7)
	bad.Record.Vendors[0].Vendor = "no-such-vendor"
	_, err = db.Submit(ctx, bad, "", "h0", now)
	wantCode(t, err, registry.EInvalid, "no-such-vendor")
	exists := proposal(7)
	exists.Record.ID = set.Deployments[0].ID
	_, err = db.Submit(ctx, exists, "", "h0", now)
	wantCode(t, err, registry.EInvalid, "propose a change")
	if err := db.AddAccount(ctx, &account.Account{Name: "rev", Role: account.Reviewer, PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"rev", "Rev"} {
		impostor := proposal(7)
		impostor.Pseudonym = name
		_, err = db.Submit(ctx, impostor, "", "h0", now)
		wantCode(t, err, registry.EInvalid, "pseudonym")
	}
	if q, _ := db.Queue(ctx, contrib.QueueFilter{}); len(q) != 0 {
		t.Fatalf("refused submissions were kept: %d", len(q))
	}

	sub, err := db.Submit(ctx, proposal(7), "", "h1", now)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(sub.Pseudonym, "contributor-") || sub.Jurisdiction != "PH" || sub.State != contrib.Pending {
		t.Fatalf("kept as %+v", sub)
	}
	got, err := db.SubmissionByReceipt(ctx, "h1")
	if err != nil || got.ID != sub.ID || got.Contact != "me@example.org" || got.Record.Sources[0].Language != "es" {
		t.Fatalf("by receipt: %+v, %v", got, err)
	}
	if got.Public().Contact != "" {
		t.Fatal("the public view shows the contact")
	}
	if q, _ := db.Queue(ctx, contrib.QueueFilter{States: []contrib.State{contrib.Pending}, Jurisdiction: "PK"}); len(q) != 0 {
		t.Fatalf("queue for PK holds %d", len(q))
	}

	_, err = db.Decide(ctx, sub.ID, contrib.Decision{Action: contrib.Reject, Reviewer: "rev"})
	wantCode(t, err, registry.EInvalid, "message")
	if _, err := db.Decide(ctx, sub.ID, contrib.Decision{Action: contrib.RequestChanges, Reviewer: "rev", Message: "which city?"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Decide(ctx, sub.ID, contrib.Decision{Action: contrib.Note, Reviewer: "rev", Message: "call the source"}); err != nil {
		t.Fatal(err)
	}
	revised := proposal(7)
	revised.Record.Place.Name = "Synthetic Town"
	answered, err := db.Answer(ctx, "h1", "Synthetic Town, says the page", revised, now)
	if err != nil {
		t.Fatal(err)
	}
	if answered.State != contrib.Pending || answered.Record.Place.Name != "Synthetic Town" || len(answered.Messages) != 3 || len(answered.Public().Messages) != 2 {
		t.Fatalf("after the answer: %+v", answered)
	}

	size, _ := db.Size(ctx)
	done, err := db.Decide(ctx, sub.ID, contrib.Decision{Action: contrib.Accept, Reviewer: "rev", Time: now})
	if err != nil {
		t.Fatal(err)
	}
	if done.State != contrib.Accepted || done.Seq == nil || *done.Seq != size || done.DecidedBy != "rev" {
		t.Fatalf("accepted as %+v", done)
	}
	rev, _, err := db.Revision(ctx, *done.Seq)
	if err != nil {
		t.Fatal(err)
	}
	if rev.Author != "rev" || rev.Contributor != sub.Pseudonym || rev.ID != sub.Record.ID || rev.Op != "create" {
		t.Fatalf("logged %+v", rev)
	}
	if strings.Contains(string(rev.State), "me@example.org") {
		t.Fatal("the contact entered the log")
	}
	verifyOK(t, db)
	_, err = db.Decide(ctx, sub.ID, contrib.Decision{Action: contrib.Reject, Reviewer: "rev", Message: "no"})
	wantCode(t, err, registry.EConflict, "accepted already")
	_, err = db.Answer(ctx, "h1", "more", nil, now)
	wantCode(t, err, registry.EConflict, "no more answers")
}

// TestDisputeNeedsEditToAccept: a dispute without a record is accepted
// only with the reviewer's edit of the record it disputes.
func TestDisputeNeedsEditToAccept(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	set := fixture.Set(2)
	apply(t, db, set)
	target := set.Deployments[1]
	p := &contrib.Proposal{Kind: contrib.Dispute, Target: target.ID, Message: "the city never bought it",
		Evidence: []registry.Source{{URL: "https://example.org/denial"}}}
	sub, err := db.Submit(ctx, p, "", "h2", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if sub.Jurisdiction != target.Jurisdiction || sub.Evidence[0].Key != "e1" {
		t.Fatalf("kept as %+v", sub)
	}
	_, err = db.Decide(ctx, sub.ID, contrib.Decision{Action: contrib.Accept, Reviewer: "rev"})
	wantCode(t, err, registry.EConflict, "carries no record")
	edit := *target
	edit.Status = registry.Status{Value: "unknown"}
	edit.Summary = "Disputed by the city."
	done, err := db.Decide(ctx, sub.ID, contrib.Decision{Action: contrib.Accept, Reviewer: "rev", Record: &edit})
	if err != nil {
		t.Fatal(err)
	}
	if done.Seq == nil {
		t.Fatal("no revision logged")
	}
	verifyOK(t, db)
}

// TestDecideRetractAndMerge: a dispute upheld retracts its deployment, a
// duplicate reported merges it into another; each is a logged revision
// with the reviewer's reason, and verify passes.
func TestDecideRetractAndMerge(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	set := fixture.Set(4)
	apply(t, db, set)
	ev := []registry.Source{{URL: "https://example.org/denial"}}
	dispute, err := db.Submit(ctx, &contrib.Proposal{Kind: contrib.Dispute, Target: set.Deployments[0].ID, Message: "never built", Evidence: ev}, "", "h3", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Decide(ctx, dispute.ID, contrib.Decision{Action: contrib.Retract, Reviewer: "rev", Message: "two\nlines"})
	wantCode(t, err, registry.EInvalid, "message")
	done, err := db.Decide(ctx, dispute.ID, contrib.Decision{Action: contrib.Retract, Reviewer: "rev", Message: "the city denied it and no source confirms it"})
	if err != nil {
		t.Fatal(err)
	}
	tomb, err := db.Tombstone(ctx, "deployment", set.Deployments[0].ID)
	if err != nil || done.Seq == nil || tomb.Seq != *done.Seq || !strings.Contains(tomb.Reason, "the city denied it") || tomb.Author != "rev" {
		t.Fatalf("tombstone %+v, %v; submission seq %v", tomb, err, done.Seq)
	}

	dup, err := db.Submit(ctx, &contrib.Proposal{Kind: contrib.Correction, Target: set.Deployments[1].ID, Message: "the same as another", Evidence: ev}, "", "h4", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Decide(ctx, dup.ID, contrib.Decision{Action: contrib.Merge, Reviewer: "rev", Message: "one system"})
	wantCode(t, err, registry.EInvalid, "into")
	_, err = db.Decide(ctx, dup.ID, contrib.Decision{Action: contrib.Merge, Reviewer: "rev", Message: "one system", Into: set.Deployments[0].ID})
	wantCode(t, err, registry.EInvalid, "merge into a current record")
	if _, err := db.Decide(ctx, dup.ID, contrib.Decision{Action: contrib.Merge, Reviewer: "rev", Message: "one system", Into: set.Deployments[2].ID}); err != nil {
		t.Fatal(err)
	}
	if tomb, err := db.Tombstone(ctx, "deployment", set.Deployments[1].ID); err != nil || tomb.Into != set.Deployments[2].ID {
		t.Fatalf("merge tombstone %+v, %v", tomb, err)
	}
	verifyOK(t, db)
}

// TestReply: an organisation replies to a record that names it, and
// revises its reply; a record that does not name it refuses it; the reply
// is logged under the account that wrote it, exported, and verified.
func TestReply(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	set := fixture.Set(4)
	apply(t, db, set)
	d := set.Deployments[0] // names vendor-a and operator Synthetic Police
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	r := &registry.Reply{Deployment: d.ID, OrgKind: "vendor", Org: "vendor-a", Author: "press-office", Date: registry.DateOf(now), Text: "We supplied cameras only."}
	seq, err := db.Reply(ctx, r, now)
	if err != nil || seq < 0 {
		t.Fatalf("reply: %d, %v", seq, err)
	}
	rev, _, err := db.Revision(ctx, seq)
	if err != nil || rev.Kind != "reply" || rev.Author != "press-office" || rev.ID != d.ID+"--vendor--vendor-a" {
		t.Fatalf("logged %+v, %v", rev, err)
	}
	r2 := *r
	r2.Text = "We supplied cameras only, in 2012."
	if seq2, err := db.Reply(ctx, &r2, now); err != nil || seq2 != seq+1 {
		t.Fatalf("revised reply: %d, %v", seq2, err)
	}
	got, err := db.GetMany(ctx, d.ReplyIDs())
	if err != nil || len(got) != 1 || got[registry.EntityID{Kind: "reply", ID: r.ID}].(*registry.Reply).Text != r2.Text {
		t.Fatalf("replies of %s: %v, %v", d.ID, got, err)
	}
	op := &registry.Reply{Deployment: d.ID, OrgKind: "operator", Org: "Synthetic Police", Author: "police-pr", Date: registry.DateOf(now), Text: "Pilot ended."}
	if _, err := db.Reply(ctx, op, now); err != nil {
		t.Fatal(err)
	}
	other := &registry.Reply{Deployment: d.ID, OrgKind: "vendor", Org: "vendor-b", Author: "b", Date: registry.DateOf(now), Text: "Not us."}
	_, err = db.Reply(ctx, other, now)
	wantCode(t, err, registry.EForbidden, "does not name vendor vendor-b")
	_, err = db.Reply(ctx, &registry.Reply{Deployment: d.ID, OrgKind: "vendor", Org: "vendor-a", Author: "x", Date: registry.DateOf(now), Text: "  "}, now)
	wantCode(t, err, registry.EInvalid, "text")
	_, err = db.Reply(ctx, &registry.Reply{Deployment: "no-such", OrgKind: "vendor", Org: "vendor-a", Author: "x", Date: registry.DateOf(now), Text: "t"}, now)
	wantCode(t, err, registry.ENotFound, "no-such")
	verifyOK(t, db)
	if n, err := db.Count(ctx, "reply"); err != nil || n != 2 {
		t.Errorf("%d replies, %v", n, err)
	}
}

// TestWithdraw: a contributor withdraws an open submission, whose contact
// is then forgotten, or has the contact forgotten alone; a decided
// submission cannot be withdrawn.
func TestWithdraw(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	apply(t, db, fixture.Set(2))
	if _, err := db.Submit(ctx, proposal(11), "", "w1", time.Now()); err != nil {
		t.Fatal(err)
	}
	got, err := db.ForgetContact(ctx, "w1")
	if err != nil || got.Contact != "" || got.State != contrib.Pending {
		t.Fatalf("forgetting the contact: %+v, %v", got, err)
	}
	sub, err := db.Submit(ctx, proposal(12), "", "w2", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	got, err = db.Withdraw(ctx, "w2", time.Now())
	if err != nil || got.State != contrib.Withdrawn || got.Contact != "" {
		t.Fatalf("withdrawing: %+v, %v", got, err)
	}
	_, err = db.Decide(ctx, sub.ID, contrib.Decision{Action: contrib.Accept, Reviewer: "rev"})
	wantCode(t, err, registry.EConflict, "withdrawn already")
	_, err = db.Withdraw(ctx, "w2", time.Now())
	wantCode(t, err, registry.EConflict, "can no longer be withdrawn")
	_, err = db.Withdraw(ctx, "nope", time.Now())
	wantCode(t, err, registry.ENotFound, "submission")
	_, err = db.ForgetContact(ctx, "nope")
	wantCode(t, err, registry.ENotFound, "submission")
}
