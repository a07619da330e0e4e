package site

import (
	"context"
	"net/http"
	"strconv"

	"oversight/internal/params"
	"oversight/registry"
	"oversight/release"
)

// The releases: named points of the log, each with what changed since the
// one before, generated from the log (package release).

// releaseRow is a release with its counts.
type releaseRow struct {
	release.Release
	Since  int64
	Counts map[string]int
}

func (s *Site) releases(w http.ResponseWriter, r *http.Request, rd Reader) error {
	if err := params.Read(r.URL.Query()).Err(); err != nil {
		return err
	}
	rels, err := rd.Releases(r.Context())
	if err != nil {
		return err
	}
	rows := make([]releaseRow, len(rels))
	for i, rel := range rels {
		if rows[i], err = rowOf(r.Context(), rd, rels, rel); err != nil {
			return err
		}
	}
	s.render(w, r, http.StatusOK, "releases", map[string]any{"Title": "Releases", "Releases": rows})
	return nil
}

func rowOf(ctx context.Context, rd Reader, rels []release.Release, rel release.Release) (releaseRow, error) {
	since := release.Previous(rels, rel.Size)
	counts, err := rd.ChangeCounts(ctx, since, rel.Size)
	return releaseRow{rel, since, counts}, err
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
	tag := r.PathValue("tag")
	for _, rel := range rels {
		if rel.Tag != tag {
			continue
		}
		row, err := rowOf(ctx, rd, rels, rel)
		if err != nil {
			return err
		}
		start := max(row.Since, from)
		end := min(rel.Size, start+pageSize)
		cl := release.NewChangelog(row.Since, rel.Size)
		if err := rd.EachRevision(ctx, start, end, func(rv *registry.Revision) error { cl.Add(rv); return nil }); err != nil {
			return err
		}
		next := ""
		if end < rel.Size {
			next = strconv.FormatInt(end, 10)
		}
		s.render(w, r, http.StatusOK, "release", map[string]any{"Title": "Release " + rel.Tag, "R": row, "Changes": cl.Changes, "Next": next})
		return nil
	}
	return registry.NotFound("release " + registry.Clip(tag))
}
