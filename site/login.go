package site

import (
	"errors"
	"net/http"
	"oversight/account"
	"strconv"
	"strings"

	"oversight/internal/auth"
	"oversight/internal/params"
)

// loginForm shows the sign-in form; next is where a successful sign-in
// goes.
func (s *Site) loginForm(w http.ResponseWriter, r *http.Request) {
	if err := params.Read(r.URL.Query(), "next").Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	s.showLogin(w, r, http.StatusOK, "")
}

func (s *Site) showLogin(w http.ResponseWriter, r *http.Request, status int, msg string) {
	token, err := auth.FormToken(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	next := r.FormValue("next")
	if next != "" {
		next = localPath(next)
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "login", map[string]any{"Title": "Sign in", "CSRF": token, "Next": next,
		"Message": msg, "Name": r.PostFormValue("name")})
}

func (s *Site) login(w http.ResponseWriter, r *http.Request) {
	sess, err := s.Auth.Login(w, r, r.PostForm.Get("name"), r.PostForm.Get("password"))
	var wait *auth.ErrThrottled
	switch {
	case errors.As(err, &wait):
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Wait.Seconds()+0.5)))
		s.showLogin(w, r, http.StatusTooManyRequests, err.Error()+".")
	case errors.Is(err, auth.ErrSignIn):
		s.showLogin(w, r, http.StatusUnauthorized, "The name or the password is not right.")
	case err != nil:
		s.fail(w, r, err)
	default:
		next := r.PostForm.Get("next")
		if next == "" && !sess.Account.Principal().Can(account.ScopeReview) {
			next = "/" // a reviewer goes to the queue, anyone else home
		}
		http.Redirect(w, r, localPath(next), http.StatusSeeOther)
	}
}

func (s *Site) logout(w http.ResponseWriter, r *http.Request) {
	if err := s.Auth.Logout(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// localPath returns p if it is a path on this site, and "/review"
// otherwise: a sign-in never sends anyone to another site.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || strings.ContainsAny(p, "\r\n\\") {
		return "/review"
	}
	return p
}
