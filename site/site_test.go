package site

import (
	"context"
	"net/http/httptest"
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
