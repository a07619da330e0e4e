package site

import (
	"errors"
	"net/http"
	"strings"

	"oversight/internal/auth"
	"oversight/internal/params"
	"oversight/registry"
)

// replyForm shows the signed-in organisation's reply to a deployment that
// names it, to write or revise.
func (s *Site) replyForm(w http.ResponseWriter, r *http.Request, rd Reader) error {
	if err := params.Read(r.URL.Query()).Err(); err != nil {
		return err
	}
	return s.showReply(w, r, rd, http.StatusOK, "", nil)
}

func (s *Site) showReply(w http.ResponseWriter, r *http.Request, rd Reader, status int, text string, errs registry.Errors) error {
	e, err := rd.Get(r.Context(), "deployment", r.PathValue("id"))
	if err != nil {
		return s.retracted(w, r, rd, "deployment", r.PathValue("id"), err)
	}
	d := e.(*registry.Deployment)
	p := auth.FromContext(r.Context()).Principal
	if !d.Names(p.Org.Kind, p.Org.ID) {
		return &registry.Error{Code: registry.EForbidden, Message: "This record does not name " + p.Org.ID + ": an organisation replies to the records that name it."}
	}
	if text == "" {
		if cur, err := rd.Get(r.Context(), "reply", registry.ReplyID(d.ID, p.Org.Kind, p.Org.ID)); err == nil {
			text = cur.(*registry.Reply).Text
		} else if !errors.Is(err, registry.ErrNotFound) {
			return err
		}
	}
	token, err := auth.FormToken(w, r)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "reply", map[string]any{"Title": "Reply to: " + d.Title, "D": d, "Org": p.Org, "Who": p.Name,
		"Text": text, "CSRF": token, "Errors": errs})
	return nil
}

// reply logs the organisation's reply and shows the record with it.
func (s *Site) reply(w http.ResponseWriter, r *http.Request, rd Reader) error {
	p := auth.FromContext(r.Context()).Principal
	text := strings.TrimSpace(r.PostForm.Get("text"))
	rp := &registry.Reply{Deployment: r.PathValue("id"), OrgKind: p.Org.Kind, Org: p.Org.ID, Author: p.Name,
		Date: registry.DateOf(s.Now()), Text: text}
	if u := strings.TrimSpace(r.PostForm.Get("source")); u != "" {
		rp.Sources = []registry.Source{{Key: "r1", URL: u}}
	}
	_, err := s.Submissions.Reply(r.Context(), rp, s.Now())
	var e *registry.Error
	if errors.As(err, &e) && e.Code == registry.EInvalid {
		return s.showReply(w, r, rd, http.StatusUnprocessableEntity, text, e.Fields)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/deployments/"+rp.Deployment+"#replies-h", http.StatusSeeOther)
	return nil
}
