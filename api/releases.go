package api

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"oversight/export"
	"oversight/internal/params"
	"oversight/registry"
	"oversight/release"
)

// releaseItem is a release with the counts of what changed since the one
// before.
type releaseItem struct {
	release.Release
	Since  int64          `json:"since"` // the log size of the release before, 0 for the first
	Counts map[string]int `json:"counts"`
}

func (s *server) releases(w http.ResponseWriter, r *http.Request, rd Reader) error {
	if err := noParams(r); err != nil {
		return err
	}
	rels, err := rd.Releases(r.Context())
	if err != nil {
		return err
	}
	items := make([]releaseItem, len(rels))
	for i, rel := range rels {
		if items[i], err = itemOf(r.Context(), rd, rels, rel); err != nil {
			return err
		}
	}
	return sendJSON(w, r, collection[releaseItem]{Items: items})
}

func itemOf(ctx context.Context, rd Reader, rels []release.Release, rel release.Release) (releaseItem, error) {
	since := release.Previous(rels, rel.Size)
	counts, err := rd.ChangeCounts(ctx, since, rel.Size)
	return releaseItem{rel, since, counts}, err
}

// findRelease returns the release a path names.
func findRelease(ctx context.Context, rd Reader, tag string) ([]release.Release, release.Release, error) {
	rels, err := rd.Releases(ctx)
	if err != nil {
		return nil, release.Release{}, err
	}
	for _, rel := range rels {
		if rel.Tag == tag {
			return rels, rel, nil
		}
	}
	return nil, release.Release{}, registry.NotFound("release " + registry.Clip(tag))
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
	item, err := itemOf(ctx, rd, rels, rel)
	if err != nil {
		return err
	}
	start := max(item.Since, from)
	end := min(rel.Size, start+int64(limit))
	cl := release.NewChangelog(item.Since, rel.Size)
	if err := rd.EachRevision(ctx, start, end, func(rv *registry.Revision) error { cl.Add(rv); return nil }); err != nil {
		return err
	}
	next := ""
	if end < rel.Size {
		next = strconv.FormatInt(end, 10)
	}
	return sendJSON(w, r, struct {
		releaseItem
		Changes []release.Change `json:"changes"`
		Next    string           `json:"next,omitempty"`
		Export  string           `json:"export"`
	}{item, cl.Changes, next, fmt.Sprintf("/api/v1/releases/%s/export", rel.Tag)})
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
