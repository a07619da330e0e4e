package store

import (
	"context"
	"testing"
	"time"

	"oversight/contrib"
	"oversight/internal/fixture"
	"oversight/registry"
)

// TestProposalKeepsOrigin: a change proposed to a record imported from a
// dataset keeps the record's origin whether it leaves it out or forges
// another, and so does a reviewer's edit; a new record cannot claim one.
func TestProposalKeepsOrigin(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	set := fixture.Set(2)
	origin := &registry.Origin{
		Dataset: "aiddata-gcdf-3", Title: "AidData's Global Chinese Development Finance Dataset, Version 3.0",
		Licence: "ODC-By-1.0", LicenceURL: "https://opendatacommons.org/licenses/by/1-0/",
		LicenceFrom: "https://github.com/aiddata/gcdf-geospatial-data/blob/03b0f9d81e81a035035ef229b6c369ff4f25b116/LICENSE.md",
		Attribution: "AidData. 2023. Global Chinese Development Finance Dataset, Version 3.0.",
		Row:         "63248", RowURL: "https://china.aiddata.org/projects/63248",
	}
	d := set.Deployments[0]
	d.Origin = origin
	apply(t, db, set)
	evidence := []registry.Source{{Key: "news", URL: "https://example.org/news/2", Title: "A report"}}
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)

	left := &contrib.Proposal{Kind: contrib.Change, Target: d.ID, Record: cloneDeployment(d), Evidence: evidence}
	left.Record.Title = "A retitled record"
	left.Record.Origin = nil
	s1, err := db.Submit(ctx, left, "", "h1", now)
	if err != nil {
		t.Fatal(err)
	}
	if s1.Record.Origin == nil || *s1.Record.Origin != *origin {
		t.Errorf("a proposal leaving the origin out holds %+v", s1.Record.Origin)
	}
	forged := &contrib.Proposal{Kind: contrib.Change, Target: d.ID, Record: cloneDeployment(d), Evidence: evidence}
	o := *origin
	o.Licence = "CC0-1.0"
	forged.Record.Origin = &o
	s2, err := db.Submit(ctx, forged, "", "h2", now)
	if err != nil {
		t.Fatal(err)
	}
	if *s2.Record.Origin != *origin {
		t.Errorf("a forged origin was kept: %+v", s2.Record.Origin)
	}
	edit := cloneDeployment(s1.Record)
	edit.Origin = nil
	if _, err := db.Decide(ctx, s1.ID, contrib.Decision{Action: contrib.Accept, Reviewer: "rev", Record: edit, Time: now}); err != nil {
		t.Fatal(err)
	}
	e, err := db.Get(ctx, "deployment", d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.(*registry.Deployment); got.Title != "A retitled record" || got.Origin == nil || *got.Origin != *origin {
		t.Errorf("accepted as %q with origin %+v", got.Title, got.Origin)
	}

	p := proposal(9)
	p.Record.Origin = &o
	s3, err := db.Submit(ctx, p, "", "h3", now)
	if err != nil {
		t.Fatal(err)
	}
	if s3.Record.Origin != nil {
		t.Errorf("a new record claims an origin: %+v", s3.Record.Origin)
	}
	verifyOK(t, db)
}
