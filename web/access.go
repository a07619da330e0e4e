package web

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"oversight/account"
	"oversight/api"
	"oversight/internal/auth"
	"oversight/registry"
)

// A rule says who may use the routes its pattern matches.
type rule struct {
	pattern string        // a ServeMux pattern; the most specific match decides
	need    account.Scope // "" for anyone
	signIn  bool          // anyone signed in (need is then "")
	// private marks answers that are someone's own (a receipt, a review,
	// a form with its token): never kept in the response cache.
	private bool
	// writes marks a route that changes something: it is refused from
	// another site's pages, counts against the client's rate of writes,
	// and a browser's request carries its form token (CSRF).
	writes bool
}

// access is who may use each route: the one table every request is checked
// against, before the cache and any handler. Reads of the register are
// public; every write is listed. Anyone may submit (ScopeSubmit): a
// contributor may be at risk, and needs no account.
var access = []rule{
	{pattern: "GET /"}, // the register, its pages, API and log (and HEAD, as GET)
	// Any other method: no route serves it, and the API or the pages
	// answer 404 or 405. TestRouteMatrix checks that every route that is
	// not a GET has a rule of its own.
	{pattern: "/"},
	{pattern: "POST /api/v1/classify"}, {pattern: "POST /assess"}, // computations that write nothing

	{pattern: "POST /api/v1/submissions", need: account.ScopeSubmit, private: true, writes: true},
	{pattern: "GET /api/v1/receipts/{token}", private: true}, // the token is the key
	{pattern: "POST /api/v1/receipts/{token}/answer", private: true, writes: true},
	{pattern: "POST /api/v1/receipts/{token}/withdraw", private: true, writes: true},
	{pattern: "DELETE /api/v1/receipts/{token}/contact", private: true, writes: true},
	{pattern: "GET /api/v1/submissions", need: account.ScopeReview, private: true},
	{pattern: "GET /api/v1/submissions/{id}", need: account.ScopeReview, private: true},
	{pattern: "POST /api/v1/submissions/{id}/decision", need: account.ScopeReview, private: true, writes: true},
	// The right of reply: an account linked to an organisation.
	{pattern: "POST /api/v1/deployments/{id}/reply", need: account.ScopeReply, private: true, writes: true},
	{pattern: "GET /deployments/{id}/reply", need: account.ScopeReply, private: true},
	{pattern: "POST /deployments/{id}/reply", need: account.ScopeReply, private: true, writes: true},
	// Accounts: an admin manages them; anyone signed in changes their
	// own password.
	{pattern: "GET /admin", need: account.ScopeAdmin, private: true},
	{pattern: "POST /admin", need: account.ScopeAdmin, private: true, writes: true},
	{pattern: "GET /account", signIn: true, private: true},
	{pattern: "POST /account", signIn: true, private: true, writes: true},

	{pattern: "GET /submit", private: true}, {pattern: "POST /submit", need: account.ScopeSubmit, private: true, writes: true},
	{pattern: "GET /receipts/{token}", private: true}, {pattern: "POST /receipts/{token}", private: true, writes: true},
	{pattern: "GET /login", private: true}, {pattern: "POST /login", private: true, writes: true},
	{pattern: "POST /logout", signIn: true, private: true, writes: true},
	{pattern: "GET /review", need: account.ScopeReview, private: true},
	{pattern: "GET /review/{id}", need: account.ScopeReview, private: true},
	{pattern: "POST /review/{id}", need: account.ScopeReview, private: true, writes: true},
}

// scopeNobody is a scope no principal has.
const scopeNobody account.Scope = "\x00nobody"

// accessTable finds the rule of a request.
type accessTable struct {
	mux   *http.ServeMux
	rules map[string]rule
}

func newAccessTable(rules []rule) *accessTable {
	t := &accessTable{mux: http.NewServeMux(), rules: map[string]rule{}}
	for _, r := range rules {
		t.mux.Handle(r.pattern, http.NotFoundHandler())
		t.rules[r.pattern] = r
	}
	return t
}

// rule returns the rule that decides r.
func (t *accessTable) rule(r *http.Request) rule {
	_, pattern := t.mux.Handler(r)
	if rl, ok := t.rules[pattern]; ok {
		return rl
	}
	return rule{need: scopeNobody, private: true}
}

// public reports whether a route's answer is the same whoever asks: anyone
// may use it, it writes nothing and answers nothing of anyone's own.
func (rl rule) public() bool { return rl.need == "" && !rl.signIn && !rl.private && !rl.writes }

// allows reports whether p may use a route under rl, and if not, the error
// that says why: sign in first, or not with this account.
func (rl rule) allows(p account.Principal) error {
	switch {
	case rl.need == "" && !rl.signIn:
		return nil
	case rl.need == scopeNobody:
		return &registry.Error{Code: registry.EForbidden, Message: "this method is not allowed here"}
	case p.Name == "" && (rl.signIn || !p.Can(rl.need)):
		return &registry.Error{Code: registry.EUnauthorized, Message: "sign in first"}
	case rl.signIn || p.Can(rl.need):
		return nil
	}
	return &registry.Error{Code: registry.EForbidden, Message: "this account may not do this"}
}

// refuse answers a request its rule does not allow: the API with problem
// details (and WWW-Authenticate when a token would help), a page that needs
// a sign-in with the sign-in page, which returns to it.
func (s *server) refuse(w http.ResponseWriter, r *http.Request, err error) {
	switch registry.ErrorCode(err) {
	case registry.EUnauthorized, registry.EForbidden:
		// A refused access decision is logged (ASVS 7.2.2): the route and
		// who asked, never a token or an address.
		slog.Warn("access refused", "method", r.Method, "rule", s.access.rule(r).pattern, "account", auth.FromContext(r.Context()).Name, "why", err)
	}
	if isAPI(r.URL.Path) {
		api.Fail(w, r, err)
		return
	}
	if registry.ErrorCode(err) == registry.EUnauthorized && r.Method == http.MethodGet {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	s.pages.Fail(w, r, err)
}

func isAPI(path string) bool {
	return strings.HasPrefix(path, "/api/") || path == "/healthz" || path == "/openapi.json"
}
