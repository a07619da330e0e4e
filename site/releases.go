package site

import (
	"net/http"

	"oversight/internal/params"
	"oversight/release"
)

// The releases: named points of the log, each with what changed since the
// one before, generated from the log (package release).

func (s *Site) releases(w http.ResponseWriter, r *http.Request, rd Reader) error {
	if err := params.Read(r.URL.Query()).Err(); err != nil {
		return err
	}
	rels, err := rd.Releases(r.Context())
	if err != nil {
		return err
	}
	rows, err := release.Summaries(r.Context(), rd, rels)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "releases", map[string]any{"Title": "Releases", "Releases": rows})
	return nil
}

// releasePage lists a release's changes, a page at a time.
func (s *Site) releasePage(w http.ResponseWriter, r *http.Request, rd Reader) error {
	const pageSize = 200
	p := params.Read(r.URL.Query(), "from")
	from := p.Size("from")
	if err := p.Err(); err != nil {
		return err
	}
	ctx := r.Context()
	rels, err := rd.Releases(ctx)
	if err != nil {
		return err
	}
	page, err := release.ReadPage(ctx, rd, rels, r.PathValue("tag"), from, pageSize)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "release", map[string]any{"Title": "Release " + page.Tag, "R": page.Summary, "Changes": page.Changes, "Next": page.Next})
	return nil
}
