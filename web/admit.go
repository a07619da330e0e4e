package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"oversight/api"
	"oversight/internal/auth"
	"oversight/internal/ratelimit"
	"oversight/registry"
)

// Rates of writes. A contributor sends a few submissions and answers an
// hour; a reviewer decides a few a minute; a burst covers a sitting. Past
// them a client is told to wait (429 with Retry-After). Sign-ins are also
// bounded per account name (auth.Login), whoever tries them.
var (
	writeLimit = ratelimit.Limit{Rate: 1.0 / 6, Burst: 30} // 10 a minute, 30 at once
	loginLimit = ratelimit.Limit{Rate: 1.0 / 60, Burst: 10}
)

// maxClients bounds the clients whose rates are remembered at once: a
// bucket is a few dozen bytes, so this is a few MB at most.
const maxClients = 100_000

// errTooMany is answered to a client over its rate of writes.
var errTooMany = &registry.Error{Code: registry.ETooMany, Message: "too many requests from this client: wait for the time Retry-After gives"}

// admit finds who makes r and checks it against the route table, and for
// a write its origin, its client's rate, the size of its body and the
// token its form carries. It returns r with its principal and the rule
// that admitted it, or the error to refuse it with.
func (s *server) admit(w http.ResponseWriter, r *http.Request) (*http.Request, *rule, error) {
	rl := s.access.rule(r)
	if rl.public() && r.Header.Get("Authorization") == "" {
		// The same for everyone: a page, a file, a read of the register.
		// A browser's session need not be looked up for it; a token is,
		// so that a program learns at once that its token is not valid.
		return r, &rl, nil
	}
	r, err := s.auth.Identify(r)
	if err != nil {
		return r, nil, err
	}
	if err := rl.allows(auth.FromContext(r.Context()).Principal); err != nil {
		return r, nil, err
	}
	if !rl.writes {
		return r, &rl, nil
	}
	if err := s.origins.Check(r); err != nil {
		return r, nil, &registry.Error{Code: registry.EForbidden, Message: "a request from another site's page is refused: " + err.Error()}
	}
	if ok, wait := s.writes.Allow(ratelimit.ClientAddr(r)); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
		return r, nil, errTooMany
	}
	r.Body = http.MaxBytesReader(w, r.Body, api.MaxBodyBytes)
	if isAPI(r.URL.Path) {
		// A program sends a token or nothing; a browser signed in to the
		// pages sends its session cookie, and then the header.
		if _, err := r.Cookie(auth.SessionCookie); err == nil && auth.FromContext(r.Context()).Name != "" && r.Header.Get("Authorization") == "" {
			if err := auth.CheckForm(r, r.Header.Get("X-CSRF-Token")); err != nil {
				return r, nil, err
			}
		}
		return r, &rl, nil
	}
	if err := r.ParseForm(); err != nil {
		return r, nil, registry.InvalidField("body", fmt.Sprintf("not a form of at most %d bytes", api.MaxBodyBytes))
	}
	if err := auth.CheckForm(r, r.PostForm.Get(auth.FormField)); err != nil {
		return r, nil, err
	}
	return r, &rl, nil
}
