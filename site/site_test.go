package site

import (
	"context"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"oversight/internal/fixture"
	"oversight/internal/memo"
	"oversight/internal/testcls"
	"oversight/internal/testreg"
	"oversight/registry"
	"oversight/store"
)

// TestDeploymentPageQueries checks that a deployment page reads one
// snapshot of the register in at most four queries: the log size, the
// deployment, its history, and every vendor, lender and jurisdiction it
// names at once.
func TestDeploymentPageQueries(t *testing.T) {
	set := fixture.Set(3)
	d := set.Deployments[0]
	// Two vendors: one query reads both.
	d.Vendors = append(d.Vendors, registry.VendorRole{Vendor: "vendor-b", Role: "equipment", Sources: []string{"a"}})
	db := testreg.Open(t, set)
	var snaps []*store.Snapshot
	s, err := New(Config{
		Open: func(ctx context.Context) (Reader, error) {
			sn, err := db.Snapshot(ctx)
			snaps = append(snaps, sn)
			return sn, err
		},
		Classifier: testcls.New(t, nil), Memo: memo.New(8), Now: time.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/deployments/"+d.ID, nil))
	if rec.Code != 200 {
		t.Fatalf("%d: %s", rec.Code, rec.Body)
	}
	for _, name := range []string{"Synthetic vendor-a", "Synthetic vendor-b", "Pakistan (synthetic)"} {
		if !strings.Contains(rec.Body.String(), name) {
			t.Errorf("the page does not name %s, which one query read", name)
		}
	}
	if len(snaps) != 1 {
		t.Fatalf("the page opened %d snapshots, want 1", len(snaps))
	}
	if n := snaps[0].Queries(); n > 4 {
		t.Errorf("the page ran %d queries, want at most 4", n)
	}
}

// TestChangeFormKeepsSources: a change sent from the form keeps the
// sources (and notes) of the facts it leaves as they were, and cites the
// evidence for those it changes.
func TestChangeFormKeepsSources(t *testing.T) {
	set := fixture.Set(2)
	d := set.Deployments[0]
	d.Status.Note = "as of the last report"
	db := testreg.Open(t, set)
	sn, err := db.Snapshot(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer sn.Close()
	form := url.Values{"kind": {"change"}, "target": {d.ID}, "title": {d.Title}, "jurisdiction": {d.Jurisdiction},
		"operator.name": {d.Operator.Name}, "operator.kind": {d.Operator.Kind}, "status": {d.Status.Value},
		"capabilities": {"cctv", "remote_biometric_identification"}, "purposes": d.System.Purposes,
		"vendor0.id": {d.Vendors[0].Vendor}, "vendor0.role": {d.Vendors[0].Role}, "vendor1.id": {"vendor-b"}, "vendor1.role": {"integrator"},
		"certainty": {d.Certainty}, "evidence0.url": {"https://example.org/new"}}
	r := httptest.NewRequest("POST", "/submit", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.ParseForm()
	p, err := proposalFromForm(r, sn)
	if err != nil {
		t.Fatal(err)
	}
	got := p.Record
	if !slices.Equal(got.Operator.Sources, []string{"a"}) || !slices.Equal(got.Status.Sources, []string{"a"}) || got.Status.Note != d.Status.Note ||
		!slices.Equal(got.Vendors[0].Sources, []string{"a"}) {
		t.Errorf("unchanged facts lost their sources: operator %v, status %+v, vendor %v", got.Operator.Sources, got.Status, got.Vendors[0].Sources)
	}
	if !slices.Equal(got.System.Sources, []string{"e1"}) || !slices.Equal(got.Vendors[1].Sources, []string{"e1"}) {
		t.Errorf("changed facts do not cite the evidence: system %v, new vendor %v", got.System.Sources, got.Vendors[1].Sources)
	}
	if errs := p.Check(); len(errs) > 0 {
		t.Errorf("the change fails its checks: %v", errs)
	}
}
