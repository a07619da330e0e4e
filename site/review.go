package site

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"oversight/contrib"
	"oversight/ingest"
	"oversight/internal/auth"
	"oversight/internal/params"
	"oversight/registry"
	"oversight/review"
)

// reviewQueue lists the submissions waiting for review, oldest first. A
// filter refused (a country the register holds no record of among them)
// is said beside its field, with nothing listed.
func (s *Site) reviewQueue(w http.ResponseWriter, r *http.Request, rd Reader) error {
	ctx := r.Context()
	subs, f, after, err := params.Queue(ctx, s.Submissions, r.URL.Query(), func(p *params.Reader, f registry.DeploymentFilter) error {
		_, err := s.known(ctx, rd, p, f)
		return err
	})
	refused := refusalOf(err, refusalReview)
	if err != nil && refused == nil {
		return err
	}
	token, err := auth.FormToken(w, r)
	if err != nil {
		return err
	}
	next := ""
	if after > 0 {
		q := r.URL.Query()
		q.Set("after", strconv.FormatInt(after, 10))
		next = "/review?" + q.Encode()
	}
	status, errs := http.StatusOK, map[string]string{}
	if refused != nil {
		status, errs = http.StatusBadRequest, refused.Fields
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "review-queue", map[string]any{"Title": "Submissions to review", "Subs": subs, "Next": next,
		"Filter": f, "Query": r.URL.Query(), "States": contrib.StateEnum.Values, "Kinds": contrib.KindEnum.Values,
		"CSRF": token, "Who": auth.FromContext(ctx).Name, "Refused": refused, "Errs": errs})
	return nil
}

// reviewPage shows one submission as a reviewer sees it (review.View) with
// the forms to decide on it.
func (s *Site) reviewPage(w http.ResponseWriter, r *http.Request, rd Reader) error {
	if err := params.Read(r.URL.Query()).Err(); err != nil {
		return err
	}
	return s.showReview(w, r, rd, http.StatusOK, "", nil)
}

func (s *Site) showReview(w http.ResponseWriter, r *http.Request, rd Reader, status int, edit string, errs registry.Errors) error {
	id, err := submissionID(r)
	if err != nil {
		return err
	}
	sub, err := s.Submissions.Submission(r.Context(), id)
	if err != nil {
		return err
	}
	v, err := review.Prepare(r.Context(), rd, s.cls, sub, s.today())
	if err != nil {
		return err
	}
	if edit == "" && sub.Record != nil {
		b, _ := json.MarshalIndent(sub.Record, "", "  ")
		edit = string(b)
	}
	token, err := auth.FormToken(w, r)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "review", map[string]any{"Title": "Submission " + strconv.FormatInt(id, 10), "V": v, "S": sub,
		"Edit": edit, "CSRF": token, "Errors": errs, "Actions": contrib.Actions})
	return nil
}

// decide carries out a reviewer's decision from the review page. An
// accept whose record text differs from the proposed record's is an
// accept with edits.
func (s *Site) decide(w http.ResponseWriter, r *http.Request, rd Reader) error {
	id, err := submissionID(r)
	if err != nil {
		return err
	}
	f := r.PostForm
	d := contrib.Decision{Action: contrib.Action(f.Get("action")), Reviewer: auth.FromContext(r.Context()).Name, Message: f.Get("message"),
		Into: strings.TrimSpace(f.Get("into")), Time: s.Now()}
	if d.Action != contrib.Merge {
		d.Into = "" // the field is on the form whatever the action
	}
	edit := strings.TrimSpace(f.Get("record"))
	if d.Action == contrib.Accept && edit != "" {
		sub, err := s.Submissions.Submission(r.Context(), id)
		if err != nil {
			return err
		}
		proposed, _ := json.MarshalIndent(sub.Record, "", "  ")
		if sub.Record == nil || edit != strings.TrimSpace(string(proposed)) {
			if err := ingest.DecodeJSON([]byte(edit), &d.Record); err != nil {
				return s.showReview(w, r, rd, http.StatusUnprocessableEntity, edit, registry.Errors{{Path: "record", Msg: "is not a record in the import format: " + err.Error()}})
			}
		}
	}
	_, err = s.Submissions.Decide(r.Context(), id, d)
	var e *registry.Error
	if errors.As(err, &e) && (e.Code == registry.EInvalid || e.Code == registry.EConflict) {
		fields := e.Fields
		if len(fields) == 0 {
			fields = registry.Errors{{Path: "submission", Msg: e.Message}}
		}
		return s.showReview(w, r, rd, http.StatusUnprocessableEntity, edit, fields)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/review/"+url.PathEscape(r.PathValue("id")), http.StatusSeeOther)
	return nil
}

// submissionID reads the {id} of a submission's page: a path that is no
// submission's id names no page.
func submissionID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, registry.NotFound("submission")
	}
	return id, nil
}
