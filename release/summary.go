package release

import (
	"context"
	"strconv"

	"oversight/registry"
)

// Reader is the log a release's summary and changes are read from.
type Reader interface {
	// ChangeCounts counts the revisions of log positions [from, to) by
	// what they did.
	ChangeCounts(ctx context.Context, from, to int64) (map[string]int, error)
	EachRevision(ctx context.Context, from, to int64, fn func(*registry.Revision) error) error
}

// A Summary is a release with the counts of what changed since the one
// before: what the API's and the pages' lists of releases show.
type Summary struct {
	Release
	Since  int64          `json:"since"` // the log size of the release before, 0 for the first
	Counts map[string]int `json:"counts"`
}

// Summarize returns the summary of rel, one of rels.
func Summarize(ctx context.Context, rd Reader, rels []Release, rel Release) (Summary, error) {
	since := Previous(rels, rel.Size)
	counts, err := rd.ChangeCounts(ctx, since, rel.Size)
	return Summary{rel, since, counts}, err
}

// Summaries returns the summary of each of rels.
func Summaries(ctx context.Context, rd Reader, rels []Release) ([]Summary, error) {
	out := make([]Summary, len(rels))
	for i, rel := range rels {
		var err error
		if out[i], err = Summarize(ctx, rd, rels, rel); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Find returns the release of rels named tag; a registry.ENotFound error
// when there is none.
func Find(rels []Release, tag string) (Release, error) {
	for _, rel := range rels {
		if rel.Tag == tag {
			return rel, nil
		}
	}
	return Release{}, registry.NotFound("release " + registry.Clip(tag))
}

// A Page is a release with a page of its changes.
type Page struct {
	Summary
	Changes []Change `json:"changes"`
	// Next is the log position the next page starts at, in decimal; ""
	// after the last.
	Next string `json:"next,omitempty"`
}

// ReadPage returns a page of at most n of the changes of the release of
// rels named tag, in log order from log position from (from its first
// when from is before it); a registry.ENotFound error when there is no
// such release.
func ReadPage(ctx context.Context, rd Reader, rels []Release, tag string, from int64, n int) (*Page, error) {
	rel, err := Find(rels, tag)
	if err != nil {
		return nil, err
	}
	s, err := Summarize(ctx, rd, rels, rel)
	if err != nil {
		return nil, err
	}
	start := max(s.Since, from)
	end := min(s.Size, start+int64(n))
	cl := NewChangelog(s.Since, s.Size)
	if err := rd.EachRevision(ctx, start, end, func(rv *registry.Revision) error { cl.Add(rv); return nil }); err != nil {
		return nil, err
	}
	p := &Page{Summary: s, Changes: cl.Changes}
	if end < s.Size {
		p.Next = strconv.FormatInt(end, 10)
	}
	return p, nil
}
