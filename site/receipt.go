package site

import (
	"context"
	"errors"
	"net/http"

	"oversight/account"
	"oversight/contrib"
	"oversight/internal/auth"
	"oversight/internal/params"
	"oversight/registry"
)

// receiptHash reads the receipt token of the path; a token of the wrong
// shape is not looked up.
func receiptHash(r *http.Request) (string, error) {
	token := r.PathValue("token")
	if !account.ValidToken(account.ReceiptPrefix, token) {
		return "", registry.NotFound("receipt")
	}
	return account.HashToken(token), nil
}

// receipt shows a submission to whoever holds its receipt: its state, the
// reviewers' public messages, and a form to answer them.
func (s *Site) receipt(w http.ResponseWriter, r *http.Request) {
	if err := s.showReceipt(w, r, http.StatusOK, nil); err != nil {
		s.fail(w, r, err)
	}
}

func (s *Site) showReceipt(w http.ResponseWriter, r *http.Request, status int, errs registry.Errors) error {
	h, err := receiptHash(r)
	if err != nil {
		return err
	}
	if err := params.Read(r.URL.Query()).Err(); err != nil {
		return err
	}
	sub, err := s.Submissions.SubmissionByReceipt(r.Context(), h)
	if err != nil {
		return err
	}
	token, err := auth.FormToken(w, r)
	if err != nil {
		return err
	}
	rd, err := s.Open(r.Context())
	if err != nil {
		return err
	}
	defer rd.Close()
	title, err := targetTitle(r.Context(), rd, sub)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "receipt", map[string]any{"Title": "Your submission", "S": sub.Public(), "Token": r.PathValue("token"),
		"CSRF": token, "Errors": errs, "TargetTitle": title})
	return nil
}

// targetTitle is the title of the deployment a submission concerns, for
// its receipt to name it as the register does; "" for a new deployment,
// or one the register no longer lists (the receipt then shows its id).
func targetTitle(ctx context.Context, rd Reader, sub *contrib.Submission) (string, error) {
	if sub.Target == "" {
		return "", nil
	}
	titles, err := names(ctx, rd, "deployment", []string{sub.Target})
	return titles[sub.Target], err
}

// answerReceipt carries out the receipt page's forms: the contributor's
// answer to the reviewers, forgetting their contact, or withdrawing the
// submission.
func (s *Site) answerReceipt(w http.ResponseWriter, r *http.Request) {
	h, err := receiptHash(r)
	if err == nil {
		switch r.PostForm.Get("action") {
		case "withdraw":
			_, err = s.Submissions.Withdraw(r.Context(), h, s.Now())
		case "forget-contact":
			_, err = s.Submissions.ForgetContact(r.Context(), h)
		default:
			_, err = s.Submissions.Answer(r.Context(), h, r.PostForm.Get("message"), nil, s.Now())
		}
	}
	var e *registry.Error
	if errors.As(err, &e) && e.Code == registry.EInvalid {
		err = s.showReceipt(w, r, http.StatusUnprocessableEntity, e.Fields)
	} else if err == nil {
		http.Redirect(w, r, r.URL.Path, http.StatusSeeOther)
	}
	if err != nil {
		s.fail(w, r, err)
	}
}
