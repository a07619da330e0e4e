package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"oversight/internal/fixture"
	"oversight/registry"
	"oversight/store"
)

// TestFactsRevisionShown checks that a fact revision written by another
// writer (here the store directly, as `oversight import` would) moves the
// deployment's tiers and that the page, the API's classification and the
// CSV export then cite the new revision.
func TestFactsRevisionShown(t *testing.T) {
	h, db := handlerFor(t, fixture.Set(3), nil)
	s := h.(*server)
	const id = "synthetic-pk-0000000"
	get := func(path string) string {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != 200 {
			t.Fatalf("%s: %d %.300s", path, rec.Code, rec.Body)
		}
		return rec.Body.String()
	}
	classification := func() (map[string]string, *int64) {
		var c struct {
			FactsRevision *int64 `json:"facts_revision"`
			Results       []struct{ Framework, Tier string }
		}
		if err := json.Unmarshal([]byte(get("/api/v1/deployments/"+id+"/classification")), &c); err != nil {
			t.Fatal(err)
		}
		tiers := map[string]string{}
		for _, r := range c.Results {
			tiers[r.Framework] = r.Tier
		}
		return tiers, c.FactsRevision
	}
	derived, rev := classification()
	if rev != nil {
		t.Fatalf("facts_revision %d for a deployment without facts", *rev)
	}
	if page := get("/deployments/" + id); !strings.Contains(page, "derived from this record alone") || strings.Contains(page, "facts as of") {
		t.Errorf("the page of a deployment without facts cites a fact revision")
	}

	prev := derived
	for _, timing := range []string{"post", "real_time"} {
		res, err := db.Apply(context.Background(), &registry.Set{Facts: []*registry.FactDoc{fixture.Facts(id, "PK", timing)}}, store.Meta{Author: "test"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		seq := res.Size - 1
		time.Sleep(sizeTTL) // another process's write shows within this
		tiers, rev := classification()
		if rev == nil || *rev != seq {
			t.Fatalf("facts at %s: facts_revision %v; want %d", timing, rev, seq)
		}
		if fmt.Sprint(tiers) == fmt.Sprint(prev) {
			t.Errorf("facts at %s left every tier as it was: %v", timing, tiers)
		}
		prev = tiers
		want := fmt.Sprintf(`facts as of <a href="/history?before=%d#rev-%d">revision %d</a>`, seq+1, seq, seq)
		if page := get("/deployments/" + id); !strings.Contains(page, want) {
			t.Errorf("facts at %s: the page does not say %q", timing, want)
		}
		if hist := get(fmt.Sprintf("/history?before=%d", seq+1)); !strings.Contains(hist, fmt.Sprintf(`id="rev-%d"`, seq)) {
			t.Errorf("the history page the link names has no revision %d", seq)
		}
		csv := get("/api/v1/export?format=csv")
		lines := strings.Split(csv, "\n")
		if !strings.HasSuffix(strings.TrimSpace(lines[0]), ",facts_as_of_revision") {
			t.Fatalf("CSV header: %.300s", lines[0])
		}
		found := false
		for _, l := range lines[1:] {
			found = found || strings.HasPrefix(l, id+",") && strings.HasSuffix(strings.TrimSpace(l), fmt.Sprintf(",%d", seq))
		}
		if !found {
			t.Errorf("facts at %s: no CSV row of %s ends with revision %d", timing, id, seq)
		}
	}
}
