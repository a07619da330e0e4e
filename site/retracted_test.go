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
	"oversight/store"
)

// TestRetractedPages checks that a retracted record's page answers 410
// with the date, the reason and the last state, that a merged record's
// page redirects to the record it was merged into, and that search leaves
// the retracted out.
func TestRetractedPages(t *testing.T) {
	ctx := context.Background()
	set := fixture.Set(4)
	db := testreg.Open(t, set)
	if _, err := db.Retract(ctx, "deployment", "synthetic-pk-0000000", store.Meta{Author: "reviewer", Reason: "the article was withdrawn"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Merge(ctx, "vendor", "vendor-a", "vendor-b", store.Meta{Author: "reviewer", Reason: "one company"}); err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{
		Open:       func(ctx context.Context) (Reader, error) { return db.Snapshot(ctx) },
		Classifier: testcls.New(t, nil), Memo: memo.New(8), Now: time.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec
	}
	rec := get("/deployments/synthetic-pk-0000000")
	body := rec.Body.String()
	today := time.Now().UTC().Format("2006-01-02")
	if rec.Code != 410 || !strings.Contains(body, "Retracted on "+today+":</strong> the article was withdrawn") ||
		!strings.Contains(body, set.Deployments[0].Title) || !strings.Contains(body, "Synthetic Police") {
		t.Errorf("retracted page: %d %s", rec.Code, body)
	}
	rec = get("/vendors/vendor-a")
	if rec.Code != 308 || rec.Header().Get("Location") != "/vendors/vendor-b" {
		t.Errorf("merged vendor page: %d, Location %q", rec.Code, rec.Header().Get("Location"))
	}
	if rec = get("/vendors/vendor-b"); rec.Code != 200 || !strings.Contains(rec.Body.String(), "synthetic-kz-0000002") {
		t.Errorf("the vendor merged into: %d", rec.Code)
	}
	if rec = get("/search?q=harbour"); rec.Code != 200 || strings.Contains(rec.Body.String(), "synthetic-pk-0000000") {
		t.Errorf("search lists the retracted record: %d", rec.Code)
	}
	if rec = get("/deployments/never-was"); rec.Code != 404 {
		t.Errorf("a record never held: %d", rec.Code)
	}
}
