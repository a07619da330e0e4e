package api

import (
	"fmt"
	"net/http"

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
	rels, err := rd.Releases(r.Context())
	if err != nil {
		return err
	}
	page, err := release.ReadPage(r.Context(), rd, rels, r.PathValue("tag"), from, limit)
	if err != nil {
		return err
	}
	return sendJSON(w, r, struct {
		*release.Page
		Export string `json:"export"`
	}{page, fmt.Sprintf("/api/v1/releases/%s/export", page.Tag)})
}

// releaseExport streams the register as of a release, in the JSON import
// format, replayed from the log.
func (s *server) releaseExport(w http.ResponseWriter, r *http.Request, rd Reader) error {
	if err := noParams(r); err != nil {
		return err
	}
	rels, err := rd.Releases(r.Context())
	if err != nil {
		return err
	}
	rel, err := release.Find(rels, r.PathValue("tag"))
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
