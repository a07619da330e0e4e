// Package auth finds who an HTTP request acts as: a signed-in browser by
// its session cookie, a program by its API token, anyone else as
// anonymous. It signs people in and out, and keeps forms from being
// posted from other sites (CSRF). Accounts live in the store; what each
// principal may do is decided by the route table in package web.
package auth

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"oversight/account"
	"oversight/registry"
)

// Store keeps accounts, sessions and tokens; the store implements it.
type Store interface {
	Account(ctx context.Context, name string) (*account.Account, error)
	UpdateAccount(ctx context.Context, a *account.Account) error
	AddSession(ctx context.Context, tokenHash string, s *account.Session) error
	Session(ctx context.Context, tokenHash string, now time.Time) (*account.Session, error)
	DeleteSession(ctx context.Context, tokenHash string) error
	Token(ctx context.Context, tokenHash string, now time.Time) (*account.APIToken, error)
	EndSessions(ctx context.Context, name, keep string) error
}

// Cookies. The __Host- prefix makes a browser keep a cookie only if it
// was set Secure, for this host alone and for every path: no other site,
// subdomain or plain-HTTP page can set or read it. Browsers treat
// localhost as secure, so a local instance signs in over plain HTTP.
const (
	SessionCookie = "__Host-oversight-session"
	// FormCookie holds the form token of a browser that is not signed in:
	// its forms carry the same value (a double-submitted token).
	FormCookie = "__Host-oversight-form"
)

// SessionLifetime is how long a sign-in lasts: a working day, after which
// the reviewer signs in again (ASVS 3.3.2).
const SessionLifetime = 12 * time.Hour

// Auth finds the principal of requests and signs people in.
type Auth struct {
	Store Store
	Now   func() time.Time
	// Throttle, when set, bounds sign-in attempts per account name
	// (see Login).
	Throttle Limiter
}

// A Limiter allows an attempt for a key, or says how long to wait.
type Limiter interface {
	Allow(key string) (bool, time.Duration)
}

// Info is what a request carries about who makes it.
type Info struct {
	account.Principal
	session     *account.Session
	sessionHash string
	formToken   string // the token the request's browser has for forms, if any
}

// SessionID is the id of the request's session (the hash of its token),
// empty when it has none.
func (in *Info) SessionID() string { return in.sessionHash }

type infoKey struct{}

// FromContext returns what ctx carries about its request's principal.
func FromContext(ctx context.Context) *Info {
	if in, ok := ctx.Value(infoKey{}).(*Info); ok {
		return in
	}
	return &Info{}
}

// ErrBadToken is returned for an Authorization header that names no live
// token: a program that meant to sign in is told so, not served as
// anonymous.
var ErrBadToken = &registry.Error{Code: registry.EUnauthorized, Message: "the API token is not valid, has expired or was revoked"}

// Identify finds who r acts as and returns r with it in its context. A
// session cookie that matches no live session is ignored: its request is
// anonymous.
func (a *Auth) Identify(r *http.Request) (*http.Request, error) {
	ctx := r.Context()
	in := &Info{}
	now := a.Now()
	if h := r.Header.Get("Authorization"); h != "" {
		plain, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || !account.ValidToken(account.APIPrefix, plain) {
			return r, ErrBadToken
		}
		t, err := a.Store.Token(ctx, account.HashToken(plain), now)
		if errors.Is(err, registry.ErrNotFound) {
			return r, ErrBadToken
		} else if err != nil {
			return r, err
		}
		in.Principal = t.Account.Principal()
		in.Scopes = t.Scopes
		if in.Scopes == nil {
			in.Scopes = []account.Scope{}
		}
	} else if c, err := r.Cookie(SessionCookie); err == nil && account.ValidToken(account.SessionPrefix, c.Value) {
		h := account.HashToken(c.Value)
		s, err := a.Store.Session(ctx, h, now)
		switch {
		case err == nil:
			in.Principal, in.session, in.sessionHash = s.Account.Principal(), s, h
		case !errors.Is(err, registry.ErrNotFound):
			return r, err
		}
	}
	if c, err := r.Cookie(FormCookie); err == nil && account.ValidToken(account.FormPrefix, c.Value) {
		in.formToken = c.Value
	}
	return r.WithContext(context.WithValue(ctx, infoKey{}, in)), nil
}
