package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"oversight/registry"
	"oversight/store"
)

// noRedirect gets path without following redirects.
func noRedirect(t *testing.T, url string) (*http.Response, []byte) {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// TestRetractedAndMerged checks that a retracted record answers 410 with
// its tombstone and last state, that a merged one redirects to the record
// it was merged into, and that lists, counts and exports leave both out.
func TestRetractedAndMerged(t *testing.T) {
	ctx := context.Background()
	srv, db := newServer(t, 6)
	meta := store.Meta{Author: "reviewer", Reason: "no source supports it"}
	if _, err := db.Retract(ctx, "deployment", "synthetic-pk-0000000", meta); err != nil {
		t.Fatal(err)
	}
	meta.Reason = "the same company"
	if _, err := db.Merge(ctx, "vendor", "vendor-a", "vendor-b", meta); err != nil {
		t.Fatal(err)
	}

	for _, path := range []string{"/api/v1/deployments/synthetic-pk-0000000", "/api/v1/deployments/synthetic-pk-0000000/classification"} {
		resp, b := get(t, srv, path)
		if resp.StatusCode != http.StatusGone || resp.Header.Get("Content-Type") != "application/problem+json" {
			t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
		}
		var gone struct {
			Status    int                `json:"status"`
			Detail    string             `json:"detail"`
			Retracted registry.Tombstone `json:"retracted"`
			LastState struct {
				ID    string `json:"id"`
				Title string `json:"title"`
			} `json:"last_state"`
			Revisions []revisionSummary `json:"revisions"`
		}
		if err := json.Unmarshal(b, &gone); err != nil {
			t.Fatal(err)
		}
		if gone.Status != 410 || !strings.Contains(gone.Detail, "no source supports it") || gone.Retracted.Reason != "no source supports it" ||
			gone.LastState.ID != "synthetic-pk-0000000" || gone.LastState.Title == "" || len(gone.Revisions) != 2 || gone.Revisions[1].Op != "retract" {
			t.Errorf("GET %s: %s", path, b)
		}
	}

	resp, _ := noRedirect(t, srv.URL+"/api/v1/vendors/vendor-a")
	if resp.StatusCode != http.StatusPermanentRedirect || resp.Header.Get("Location") != "/api/v1/vendors/vendor-b" {
		t.Fatalf("merged vendor: %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	var v struct {
		ID          string          `json:"id"`
		Deployments []deploymentRef `json:"deployments"`
	}
	getJSON(t, srv, "/api/v1/vendors/vendor-a", &v) // follows the redirect
	if v.ID != "vendor-b" || len(v.Deployments) != 5 {
		t.Errorf("after the redirect: %s with %d deployments; want vendor-b with 5", v.ID, len(v.Deployments))
	}

	// Lists, filters and exports leave them out; other records answer 404.
	var list page
	getJSON(t, srv, "/api/v1/deployments", &list)
	if len(list.Items) != 5 {
		t.Errorf("%d deployments listed; want 5", len(list.Items))
	}
	var vendors struct {
		Items []registry.Vendor `json:"items"`
	}
	getJSON(t, srv, "/api/v1/vendors", &vendors)
	if len(vendors.Items) != 1 || vendors.Items[0].ID != "vendor-b" {
		t.Errorf("vendors listed: %+v", vendors.Items)
	}
	_, b := get(t, srv, "/api/v1/export?format=json")
	if strings.Contains(string(b), "synthetic-pk-0000000") || strings.Contains(string(b), `"vendor-a"`) {
		t.Error("the export holds a retracted or merged record")
	}
	if resp, _ := get(t, srv, "/api/v1/deployments/never-was"); resp.StatusCode != 404 {
		t.Errorf("a record never held: %d", resp.StatusCode)
	}
}
