package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"oversight/account"
	"oversight/api"
	"oversight/internal/fixture"
	"oversight/internal/testreg"
	"oversight/site"
	"oversight/store"
)

// onBoth runs a test on a register served from SQLite and from PostgreSQL.
func onBoth(t *testing.T, fn func(t *testing.T, srv *httptest.Server, db *store.DB)) {
	t.Run("sqlite", func(t *testing.T) {
		srv, db := serveSet(t, fixture.Set(4), nil)
		fn(t, srv, db)
	})
	t.Run("postgres", func(t *testing.T) {
		srv, db := servePostgres(t, fixture.Set(4))
		fn(t, srv, db)
	})
}

// principals are the kinds of caller the route table tells apart.
type principals struct {
	anonymous, contributor, org, reviewer, admin *client
	receipt, submission                          string
}

// newPrincipals makes an account of each kind and a submission to act on:
// the contributor, the organisation's account and the admin call with
// API tokens, the reviewer signs in to the pages.
func newPrincipals(t *testing.T, srv *httptest.Server, db *store.DB) *principals {
	p := &principals{
		anonymous:   newClient(t, srv.URL, ""),
		contributor: newClient(t, srv.URL, testreg.Account(t, db, "carol", account.Contributor, nil)),
		org:         newClient(t, srv.URL, testreg.Account(t, db, "vendor-a-press", account.Contributor, &account.Org{Kind: "vendor", ID: "vendor-a"})),
		reviewer:    newClient(t, srv.URL, ""),
		admin:       newClient(t, srv.URL, testreg.Account(t, db, "ada", account.Admin, nil)),
	}
	testreg.Account(t, db, "rita", account.Reviewer, nil)
	p.reviewer.login("rita", testreg.Password)
	a := p.anonymous.do("POST", "/api/v1/submissions", newProposal(t, 901))
	if a.status != http.StatusCreated {
		t.Fatalf("submission: %d %s", a.status, a.body)
	}
	var rc struct {
		Receipt    string             `json:"receipt"`
		Submission struct{ ID int64 } `json:"submission"`
	}
	json.Unmarshal([]byte(a.body), &rc)
	p.receipt, p.submission = rc.Receipt, fmt.Sprint(rc.Submission.ID)
	return p
}

// newProposal is the JSON of a new deployment proposed with evidence.
func newProposal(t testing.TB, i int) string {
	d := fixture.Deployment(i, "PH", "vendor-b")
	d.Sources = nil
	b, err := json.Marshal(map[string]any{"kind": "new", "record": d, "message": "seen in the news",
		"evidence": []map[string]any{{"key": "a", "url": "https://example.org/news/" + fmt.Sprint(i), "title": "A report", "excerpt": "cameras", "language": "en"}}})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// who may use each route that not everyone may; the test's own reading of
// the issue, kept apart from the server's table so that either can be
// wrong.
var needs = map[string]string{
	"GET /api/v1/submissions":                "reviewer",
	"GET /api/v1/submissions/{id}":           "reviewer",
	"POST /api/v1/submissions/{id}/decision": "reviewer",
	"GET /review":                            "reviewer",
	"GET /review/{id}":                       "reviewer",
	"POST /review/{id}":                      "reviewer",
	"POST /logout":                           "signed in",
	"POST /api/v1/deployments/{id}/reply":    "organisation",
	"GET /deployments/{id}/reply":            "organisation",
	"POST /deployments/{id}/reply":           "organisation",
	"GET /admin":                             "admin",
	"POST /admin":                            "admin",
	"GET /account":                           "signed in",
	"POST /account":                          "signed in",
}

var wildcardRE = regexp.MustCompile(`\{[a-z]+(\.\.\.)?\}|\{\$\}`)

// TestRouteMatrix sends every route of the API and the pages as each kind
// of principal and checks who is let through: a refusal is 401 (or, for a
// page, the sign-in page) for someone not signed in and 403 for an
// account without the right; anything else is admitted. It also checks
// that every route that is not a GET has a rule of its own in the table.
func TestRouteMatrix(t *testing.T) {
	table := newAccessTable(access)
	for _, pattern := range append(api.Routes(), site.Routes()...) {
		method, path, _ := strings.Cut(pattern, " ")
		req := httptest.NewRequest(method, wildcardRE.ReplaceAllString(path, "x"), nil)
		if rl := table.rule(req); method != "GET" && (rl.pattern == "/" || rl.pattern == "GET /") {
			t.Errorf("%s has no rule of its own in the route table", pattern)
		}
	}
	onBoth(t, func(t *testing.T, srv *httptest.Server, db *store.DB) {
		p := newPrincipals(t, srv, db)
		for _, pattern := range append(api.Routes(), site.Routes()...) {
			method, path, _ := strings.Cut(pattern, " ")
			path = p.concrete(path)
			for _, who := range []struct {
				name string
				c    *client
				may  []string // the needs it meets, besides anyone's
			}{{"anonymous", p.anonymous, nil}, {"contributor", p.contributor, []string{"signed in"}},
				{"org", p.org, []string{"signed in", "organisation"}}, {"reviewer", p.reviewer, []string{"signed in", "reviewer"}},
				{"admin", p.admin, []string{"signed in", "reviewer", "admin"}}} {
				need := needs[pattern]
				var body any
				if method == "POST" {
					body = "{}"
				}
				a := who.c.do(method, path, body)
				refused := a.status == 401 || a.status == 403 || a.status == 303 && strings.HasPrefix(a.header.Get("Location"), "/login")
				allowed := need == "" || slices.Contains(who.may, need)
				switch {
				case allowed && refused:
					t.Errorf("%s as %s: refused (%d) %.200s", pattern, who.name, a.status, a.body)
				case !allowed && who.may == nil && !(a.status == 401 || method == "GET" && a.status == 303):
					t.Errorf("%s as %s: %d, want 401 or the sign-in page", pattern, who.name, a.status)
				case !allowed && who.may != nil && a.status != 403:
					t.Errorf("%s as %s: %d, want 403", pattern, who.name, a.status)
				}
			}
		}
	})
}

// TestTokenScopes: a token does no more than its scopes allow, whatever
// its account's role.
func TestTokenScopes(t *testing.T) {
	srv, db := serveSet(t, fixture.Set(2), nil)
	testreg.Account(t, db, "rex", account.Reviewer, nil)
	rex, err := db.Account(t.Context(), "rex")
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := account.NewToken(account.APIPrefix)
	if err := db.AddToken(t.Context(), account.HashToken(plain), &account.APIToken{Account: *rex, Label: "submit only", Scopes: []account.Scope{account.ScopeSubmit}}); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, srv.URL, plain)
	if a := c.do("GET", "/api/v1/submissions", nil); a.status != 403 {
		t.Errorf("a submit-only token of a reviewer read the queue: %d", a.status)
	}
	if a := c.do("POST", "/api/v1/submissions", newProposal(t, 5)); a.status != 201 {
		t.Errorf("a submit-only token could not submit: %d %s", a.status, a.body)
	}
	bad := newClient(t, srv.URL, "api_"+strings.Repeat("A", 43))
	if a := bad.do("GET", "/api/v1/deployments", nil); a.status != 401 || a.header.Get("WWW-Authenticate") == "" {
		t.Errorf("an unknown token: %d, WWW-Authenticate %q", a.status, a.header.Get("WWW-Authenticate"))
	}
	if err := db.RevokeToken(t.Context(), account.HashToken(plain)); err != nil {
		t.Fatal(err)
	}
	if a := c.do("POST", "/api/v1/submissions", newProposal(t, 6)); a.status != 401 {
		t.Errorf("a revoked token: %d", a.status)
	}
}

// concrete fills a route's path with values that exist.
func (p *principals) concrete(path string) string {
	id := "x"
	switch {
	case strings.Contains(path, "/submissions/") || strings.HasPrefix(path, "/review/"):
		id = p.submission
	case strings.Contains(path, "/deployments/"):
		id = "synthetic-pk-0000000"
	case strings.Contains(path, "/vendors/"):
		id = "vendor-a"
	case strings.Contains(path, "/frameworks/"):
		id = "apac-baseline"
	case strings.Contains(path, "/jurisdictions/"):
		id = "PK"
	}
	return strings.NewReplacer("{id}", id, "{token}", p.receipt, "{code}", "PK", "{file...}", "style.css", "{seq}", "0", "{$}", "").Replace(path)
}
