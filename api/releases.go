package api

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"oversight/export"
	"oversight/internal/params"
	"oversight/release"
)

func (s *server) releases(w http.ResponseWriter, r *http.Request, rd Reader) error {
	if err := noParams(r); err != nil {
		return err
	}
	rels, err := rd.Releases(r.Context())
	if err != nil {
		return err
	}
	items, err := release.Summaries(r.Context(), rd, rels)
	if err != nil {
		return err
	}
	return sendJSON(w, r, collection[release.Summary]{Items: items})
}

// findRelease returns the releases and the one a path names.
func findRelease(ctx context.Context, rd Reader, tag string) ([]release.Release, release.Release, error) {
	rels, err := rd.Releases(ctx)
	if err != nil {
		return nil, release.Release{}, err
	}
	rel, err := release.Find(rels, tag)
	return rels, rel, err
}

// releaseChanges answers with a release and a page of its changelog, in
// log order from cursor (a revision's position).
func (s *server) releaseChanges(w http.ResponseWriter, r *http.Request, rd Reader) error {
	// The cursor is the log position to go on from, which no first page
	// needs: a log size.
	p := params.Read(r.URL.Query(), "limit", "cursor")
	limit := p.Limit(100)
	from := p.Size("cursor")
	if err := p.Err(); err != nil {
		return err
	}
	ctx := r.Context()
	rels, rel, err := findRelease(ctx, rd, r.PathValue("tag"))
	if err != nil {
		return err
	}
	item, err := release.Summarize(ctx, rd, rels, rel)
	if err != nil {
		return err
	}
	changes, end, err := item.Changes(ctx, rd, from, limit)
	if err != nil {
		return err
	}
	next := ""
	if end != 0 {
		next = strconv.FormatInt(end, 10)
	}
	return sendJSON(w, r, struct {
		release.Summary
		Changes []release.Change `json:"changes"`
		Next    string           `json:"next,omitempty"`
		Export  string           `json:"export"`
	}{item, changes, next, fmt.Sprintf("/api/v1/releases/%s/export", rel.Tag)})
}

// releaseExport streams the register as of a release, in the JSON import
// format, replayed from the log.
func (s *server) releaseExport(w http.ResponseWriter, r *http.Request, rd Reader) error {
	if err := noParams(r); err != nil {
		return err
	}
	_, rel, err := findRelease(r.Context(), rd, r.PathValue("tag"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="oversight-%s.json"`, rel.Tag))
	w.Header().Set("Cache-Control", "public, max-age=86400") // a release does not change
	if r.Method == http.MethodHead {
		return nil
	}
	return export.WriteAsOf(r.Context(), w, rd, rel.Size)
}
