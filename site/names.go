package site

import (
	"context"

	"oversight/registry"
)

// names returns the words a page shows for records it names by id: a
// deployment's title, a vendor's or jurisdiction's name; read in one query,
// so that a table of ids costs one look-up. An id the register does not
// hold is absent, and the page shows the id.
func names(ctx context.Context, rd registry.Reader, kind string, ids []string) (map[string]string, error) {
	if len(ids) == 0 {
		return map[string]string{}, nil
	}
	want := make([]registry.EntityID, 0, len(ids))
	seen := map[string]bool{}
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			want = append(want, registry.EntityID{Kind: kind, ID: id})
		}
	}
	got, err := rd.GetMany(ctx, want)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(got))
	for id, e := range got {
		if n := entityName(e); n != "" {
			out[id.ID] = n
		}
	}
	return out, nil
}

// entityName is the name a person knows a record by, or "" for a record
// that has none (a claim is known by its dataset and indicator).
func entityName(e registry.Entity) string {
	switch e := e.(type) {
	case *registry.Deployment:
		return e.Title
	case *registry.Vendor:
		return e.Name
	case *registry.Jurisdiction:
		return e.Name
	case *registry.Instrument:
		return e.Title
	}
	return ""
}
