package store

import (
	"context"
	"testing"
	"time"

	"oversight/account"
	"oversight/contrib"
	"oversight/internal/fixture"
	"oversight/registry"
)

// TestSelfRegistration: an operator's account declares a new system and
// a reviewer accepts it as self-declared; a reviewer's edit of the
// declaration and anyone else's are refused; an older proposal accepted
// later keeps the operator's newer declaration; verify passes throughout.
func TestSelfRegistration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	apply(t, db, fixture.Set(2))
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	for _, a := range []*account.Account{
		{Name: "rev", Role: account.Reviewer, PasswordHash: "x"},
		{Name: "city-it", Role: account.Contributor, PasswordHash: "x", Org: &account.Org{Kind: "operator", ID: "Synthetic City Council"}},
	} {
		if err := db.AddAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	declared := func(text string) *contrib.Proposal {
		p := proposal(9)
		p.Record.Operator = registry.Operator{Name: "Synthetic City Council", Kind: "municipality", Sources: []string{"a"}}
		p.Record.Certainty = registry.SelfDeclared
		p.Record.Declaration = &registry.Declaration{Answers: []registry.Answer{
			{Scheme: "uk-atrs", Field: "1.1", Text: "Junction cameras"},
			{Scheme: "eu-ai-act", Field: "C.1.name", Text: "Synthetic City Council"},
			{Scheme: "eu-ai-act", Field: "C.4", Text: text},
		}}
		return p
	}

	// Anyone without the operator's account: refused, nothing kept.
	_, err := db.Submit(ctx, declared("findings"), "", "h0", now)
	wantCode(t, err, registry.EInvalid, "record.declaration")
	_, err = db.Submit(ctx, declared("findings"), "rev", "h0", now)
	wantCode(t, err, registry.EInvalid, "record.declaration")

	sub, err := db.Submit(ctx, declared("No disproportionate effect found."), "city-it", "h1", now)
	if err != nil {
		t.Fatal(err)
	}
	if d := sub.Record.Declaration; d.By != "Synthetic City Council" || d.Date.String() != "2026-12-05" || d.Answers[0].Scheme != "eu-ai-act" || sub.Pseudonym != "city-it" {
		t.Fatalf("kept as %+v", d)
	}
	edit := *sub.Record
	edit.Declaration = &registry.Declaration{By: "Synthetic City Council", Date: sub.Record.Declaration.Date,
		Answers: []registry.Answer{{Scheme: "eu-ai-act", Field: "C.4", Text: "the reviewer's words"}}}
	_, err = db.Decide(ctx, sub.ID, contrib.Decision{Action: contrib.Accept, Reviewer: "rev", Record: &edit, Time: now})
	wantCode(t, err, registry.EInvalid, "does not edit it")
	done, err := db.Decide(ctx, sub.ID, contrib.Decision{Action: contrib.Accept, Reviewer: "rev", Time: now})
	if err != nil {
		t.Fatal(err)
	}
	e, err := db.Get(ctx, "deployment", sub.Record.ID)
	if err != nil {
		t.Fatal(err)
	}
	d := e.(*registry.Deployment)
	if d.Certainty != registry.SelfDeclared || d.Declaration.Get("eu-ai-act", "C.4") != "No disproportionate effect found." || done.Seq == nil {
		t.Fatalf("logged %+v", d)
	}
	verifyOK(t, db)

	// A third party proposes a change while the operator revises its
	// declaration; both are accepted, the third party's last: the
	// operator's newer declaration stands.
	third := &contrib.Proposal{Kind: contrib.Change, Target: d.ID, Record: cloneDeployment(d), Evidence: proposal(9).Evidence}
	third.Record.Title = "Junction cameras, Synthetic City"
	third.Record.Declaration = nil // left out: kept
	s3, err := db.Submit(ctx, third, "", "h3", now)
	if err != nil {
		t.Fatal(err)
	}
	own := &contrib.Proposal{Kind: contrib.Change, Target: d.ID, Record: cloneDeployment(d), Evidence: proposal(9).Evidence}
	own.Record.Declaration.Answers[1].Text = "Revised findings, 2026."
	s4, err := db.Submit(ctx, own, "city-it", "h4", now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{s4.ID, s3.ID} {
		if _, err := db.Decide(ctx, id, contrib.Decision{Action: contrib.Accept, Reviewer: "rev", Time: now}); err != nil {
			t.Fatal(err)
		}
	}
	e, _ = db.Get(ctx, "deployment", d.ID)
	d = e.(*registry.Deployment)
	if d.Title != third.Record.Title || d.Declaration.Get("eu-ai-act", "C.4") != "Revised findings, 2026." {
		t.Fatalf("after both: %q, %+v", d.Title, d.Declaration)
	}
	// Anyone else's change to the declaration itself is refused.
	bad := &contrib.Proposal{Kind: contrib.Change, Target: d.ID, Record: cloneDeployment(d), Evidence: proposal(9).Evidence}
	bad.Record.Declaration.Answers[1].Text = "Nothing was assessed."
	_, err = db.Submit(ctx, bad, "", "h5", now)
	wantCode(t, err, registry.EInvalid, "record.declaration")
	verifyOK(t, db)
}

func cloneDeployment(d *registry.Deployment) *registry.Deployment {
	c := *d
	if d.Declaration != nil {
		decl := *d.Declaration
		decl.Answers = append([]registry.Answer(nil), d.Declaration.Answers...)
		c.Declaration = &decl
	}
	return &c
}
