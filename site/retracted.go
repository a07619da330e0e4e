package site

import (
	"net/http"
	"net/url"

	"oversight/registry"
)

// retracted answers a page for a record the register held once and holds
// no longer, when err says it is not found: a record merged into another
// redirects (308) to that record's page; a retracted one answers 410 Gone
// with a page that says when and why it was retracted and shows its last
// state from the log. Any other error is returned for fail to answer.
func (s *Site) retracted(w http.ResponseWriter, r *http.Request, rd Reader, kind, id string, err error) error {
	ctx := r.Context()
	t, last, err := registry.Gone(ctx, rd, kind, id, err)
	if t == nil || err != nil {
		return err
	}
	if t.Merged() {
		http.Redirect(w, r, entityHref(kind, url.PathEscape(t.Into)), http.StatusPermanentRedirect)
		return nil
	}
	data := map[string]any{"Title": "Retracted: " + kind + " " + id, "T": t}
	switch e := last.(type) {
	case *registry.Deployment:
		data["Title"], data["D"], data["Sources"] = "Retracted: "+e.Title, e, e.Sources
	case *registry.Vendor:
		data["Title"], data["V"], data["Sources"] = "Retracted: "+e.Name, e, e.Sources
	case *registry.Jurisdiction:
		data["Title"], data["J"], data["Sources"] = "Retracted: "+e.Name, e, e.Sources
	}
	hist, err := rd.History(ctx, kind, id)
	if err != nil {
		return err
	}
	data["History"] = hist
	s.render(w, r, http.StatusGone, "retracted", data)
	return nil
}
