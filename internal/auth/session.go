package auth

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"oversight/account"
	"oversight/registry"
)

// FormField is the name of the hidden field that carries a form's token.
const FormField = "csrf"

// FormToken returns the token the forms of r's page carry, setting the
// form cookie on w when a browser that is not signed in has none yet. A
// signed-in browser's forms carry its session's token.
func FormToken(w http.ResponseWriter, r *http.Request) (string, error) {
	in := FromContext(r.Context())
	if in.session != nil {
		return in.session.CSRF, nil
	}
	if in.formToken != "" {
		return in.formToken, nil
	}
	t, err := account.NewToken(account.FormPrefix)
	if err != nil {
		return "", err
	}
	in.formToken = t
	http.SetCookie(w, &http.Cookie{Name: FormCookie, Value: t, Path: "/", Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	return t, nil
}

// ErrForm is returned for a form posted without the token its page gave:
// from another site, or from a page older than the session.
var ErrForm = registry.InvalidField("body.csrf", "this form has expired or did not come from this site: reload the page and send it again")

// CheckForm checks the token a form (or, for the API, the X-CSRF-Token
// header) carries against the one its browser was given.
func CheckForm(r *http.Request, sent string) error {
	in := FromContext(r.Context())
	want := in.formToken
	if in.session != nil {
		want = in.session.CSRF
	}
	if want == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(want)) != 1 {
		return ErrForm
	}
	return nil
}

// ErrSignIn is the one answer to a failed sign-in, whether the name or the
// password was wrong or the account disabled: it tells an attacker
// nothing about which accounts exist (ASVS 2.2.1 and 3.2).
var ErrSignIn = &registry.Error{Code: registry.EUnauthorized, Message: "the name or the password is not right"}

// ErrThrottled is returned while an account's sign-ins are held back.
type ErrThrottled struct{ Wait time.Duration }

func (e *ErrThrottled) Error() string {
	return fmt.Sprintf("too many sign-in attempts for this account: try again in %d seconds", int(e.Wait.Seconds()+0.5))
}

// Login checks a name and password and, if they are right, starts a new
// session: any session the browser had ends, so that a session token set
// before sign-in (fixation) is worth nothing after it. Attempts per name
// are throttled, right or wrong, before the password is hashed.
func (a *Auth) Login(w http.ResponseWriter, r *http.Request, name, password string) (s *account.Session, err error) {
	ctx := r.Context()
	defer func() { logSignIn(name, s != nil, err) }()
	if a.Throttle != nil {
		if ok, wait := a.Throttle.Allow("login\x00" + name); !ok {
			return nil, &ErrThrottled{wait}
		}
	}
	if len(password) > 4*account.MaxPassword {
		return nil, ErrSignIn // no password that long was ever accepted: not worth hashing
	}
	acct, err := a.Store.Account(ctx, name)
	if errors.Is(err, registry.ErrNotFound) {
		// Hash anyway, so that an unknown name takes as long as a known one.
		account.CheckPassword(dummyHash(), password)
		return nil, ErrSignIn
	} else if err != nil {
		return nil, err
	}
	ok, err := account.CheckPassword(acct.PasswordHash, password)
	if err != nil || !ok || acct.Disabled != nil {
		return nil, ErrSignIn
	}
	if account.NeedsRehash(acct.PasswordHash) {
		if h, err := account.HashPassword(password); err == nil {
			acct.PasswordHash = h
			a.Store.UpdateAccount(ctx, acct) // a failure leaves the old hash, which still works
		}
	}
	a.Logout(w, r)
	plain, err := account.NewToken(account.SessionPrefix)
	if err != nil {
		return nil, err
	}
	csrf, err := account.NewToken(account.FormPrefix)
	if err != nil {
		return nil, err
	}
	s = &account.Session{Account: *acct, CSRF: csrf, Expires: a.Now().Add(SessionLifetime)}
	if err := a.Store.AddSession(ctx, account.HashToken(plain), s); err != nil {
		return nil, err
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: plain, Path: "/", Secure: true, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Expires: s.Expires})
	return s, nil
}

// Logout ends r's session, if it has one, and clears its cookie.
func (a *Auth) Logout(w http.ResponseWriter, r *http.Request) error {
	in := FromContext(r.Context())
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", Secure: true, HttpOnly: true, MaxAge: -1})
	if in.sessionHash == "" {
		return nil
	}
	return a.Store.DeleteSession(r.Context(), in.sessionHash)
}

// dummyHash is checked against for an unknown name: a hash of a password
// nobody has, with the default parameters, made on first use.
var dummyHash = sync.OnceValue(func() string {
	h, _ := account.HashPassword("no account has this password, ever")
	return h
})

// ChangePassword changes the signed-in account's password, given its
// current one, and ends its other sessions (ASVS 2.1.5, 3.3.3): whoever
// held one is signed out.
func (a *Auth) ChangePassword(r *http.Request, current, next string) error {
	in := FromContext(r.Context())
	if in.session == nil {
		return &registry.Error{Code: registry.EUnauthorized, Message: "sign in first"}
	}
	ctx := r.Context()
	acct, err := a.Store.Account(ctx, in.Name)
	if err != nil {
		return err
	}
	if ok, err := account.CheckPassword(acct.PasswordHash, current); err != nil || !ok {
		return registry.InvalidField("body.current", "is not the account's password")
	}
	h, err := account.HashPassword(next)
	if err != nil {
		return registry.InvalidField("body.password", err.Error())
	}
	acct.PasswordHash = h
	if err := a.Store.UpdateAccount(ctx, acct); err != nil {
		return err
	}
	return a.Store.EndSessions(ctx, acct.Name, in.sessionHash)
}

// logSignIn logs a sign-in's outcome (ASVS 7.2.1): the name tried and why
// it failed, never the password, the token or the client's address.
func logSignIn(name string, ok bool, err error) {
	if ok {
		slog.Info("sign-in", "account", registry.Clip(name))
		return
	}
	slog.Warn("sign-in refused", "account", registry.Clip(name), "why", err)
}
