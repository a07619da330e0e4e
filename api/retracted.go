package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"oversight/registry"
)

// retracted answers a request for a record the register held once and
// holds no longer, when err says it is not found: a record merged into
// another redirects (308) to the same endpoint of that record; a retracted
// one answers 410 Gone, with its tombstone and its last state in the
// problem details. Any other error is returned for fail to answer. suffix
// is what follows the id in the path ("/classification").
func (s *server) retracted(w http.ResponseWriter, r *http.Request, rd Reader, kind, id, suffix string, err error) error {
	ctx := r.Context()
	t, last, err := registry.Gone(ctx, rd, kind, id, err)
	if t == nil || err != nil {
		return err
	}
	if t.Merged() {
		loc := "/api/v1/" + registry.Field(kind) + "/" + url.PathEscape(t.Into) + suffix
		if r.URL.RawQuery != "" {
			loc += "?" + r.URL.RawQuery
		}
		w.Header().Set("Location", loc)
		w.Header().Set("Cache-Control", "no-cache")
		w.WriteHeader(http.StatusPermanentRedirect)
		return nil
	}
	hist, err := history(ctx, rd, kind, id)
	if err != nil {
		return err
	}
	body, err := json.Marshal(struct {
		Type      string              `json:"type"`
		Title     string              `json:"title"`
		Status    int                 `json:"status"`
		Detail    string              `json:"detail"`
		Retracted *registry.Tombstone `json:"retracted"`
		LastState registry.Entity     `json:"last_state"`
		Revisions []revisionSummary   `json:"revisions"`
	}{"about:blank", "Gone", http.StatusGone,
		fmt.Sprintf("%s %s was retracted on %s: %s", kind, id, t.Time.Format("2006-01-02"), t.Reason), t, last, hist})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusGone)
	w.Write(append(body, '\n'))
	return nil
}
