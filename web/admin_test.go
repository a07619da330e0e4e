package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"oversight/account"
	"oversight/internal/testreg"
	"oversight/store"
)

// TestAdminPage: an admin adds a reviewer, links an account to a vendor,
// issues a token that works within its scopes and disables an account,
// from the page; each refusal names its field.
func TestAdminPage(t *testing.T) {
	onBoth(t, func(t *testing.T, srv *httptest.Server, db *store.DB) {
		testreg.Account(t, db, "ada", account.Admin, nil)
		b := newClient(t, srv.URL, "")
		b.login("ada", testreg.Password)
		post := func(form url.Values) answer {
			form.Set("csrf", b.formToken("/admin"))
			return b.do("POST", "/admin", form)
		}
		if a := post(url.Values{"action": {"add"}, "name": {"rex"}, "role": {"reviewer"}, "password": {"short"}}); a.status != 422 || !strings.Contains(a.body, "body.password") {
			t.Fatalf("a short password: %d", a.status)
		}
		if a := post(url.Values{"action": {"add"}, "name": {"rex"}, "role": {"reviewer"}, "password": {testreg.Password}}); a.status != 200 || !strings.Contains(a.body, "Added reviewer rex") {
			t.Fatalf("adding: %d %.300s", a.status, a.body)
		}
		if a := post(url.Values{"action": {"add"}, "name": {"rex"}, "role": {"reviewer"}, "password": {testreg.Password}}); a.status != 422 {
			t.Fatalf("adding a name taken: %d", a.status)
		}
		rex := newClient(t, srv.URL, "")
		rex.login("rex", testreg.Password)
		const reset = "a new password for rex"
		if a := post(url.Values{"action": {"password"}, "name": {"rex"}, "password": {reset}}); a.status != 200 {
			t.Fatalf("setting a new password: %d", a.status)
		}
		if a := rex.do("GET", "/review", nil); a.status != http.StatusSeeOther {
			t.Errorf("a session survived a new password: %d", a.status)
		}
		rex.login("rex", reset)

		testreg.Account(t, db, "press", account.Contributor, nil)
		if a := post(url.Values{"action": {"link"}, "name": {"press"}, "org_kind": {"vendor"}, "org": {"vendor-a"}}); a.status != 200 {
			t.Fatalf("linking: %d", a.status)
		}
		if a := post(url.Values{"action": {"token"}, "name": {"press"}, "scope": {"review"}, "days": {"30"}}); a.status != 422 || !strings.Contains(a.body, "may not be given scope review") {
			t.Fatalf("a contributor given review: %d", a.status)
		}
		a := post(url.Values{"action": {"token"}, "name": {"press"}, "scope": {"reply"}, "label": {"press office"}, "days": {"30"}})
		token := regexp.MustCompile(`api_[A-Za-z0-9_-]{43}`).FindString(a.body)
		if a.status != 200 || token == "" {
			t.Fatalf("issuing a token: %d, token %q", a.status, token)
		}
		press := newClient(t, srv.URL, token)
		if a := press.do("POST", "/api/v1/deployments/synthetic-pk-0000000/reply", `{"text":"A test reply."}`); a.status != 201 {
			t.Fatalf("the token's reply: %d %s", a.status, a.body)
		}
		if a := press.do("POST", "/api/v1/submissions", newProposal(t, 77)); a.status != 403 {
			t.Errorf("a reply-only token submitted: %d", a.status)
		}

		if a := post(url.Values{"action": {"disable"}, "name": {"press"}}); a.status != 200 {
			t.Fatalf("disabling: %d", a.status)
		}
		if a := press.do("POST", "/api/v1/deployments/synthetic-pk-0000000/reply", `{"text":"Again."}`); a.status != 401 {
			t.Errorf("the token of a disabled account: %d", a.status)
		}
		if a := post(url.Values{"action": {"disable"}, "name": {"ada"}}); a.status != 422 {
			t.Errorf("an admin disabled themselves: %d", a.status)
		}
	})
}

// TestChangePassword: the current password is required, the new one meets
// the policy, and the change ends every other session of the account.
func TestChangePassword(t *testing.T) {
	onBoth(t, func(t *testing.T, srv *httptest.Server, db *store.DB) {
		testreg.Account(t, db, "rita", account.Reviewer, nil)
		here, there := newClient(t, srv.URL, ""), newClient(t, srv.URL, "")
		here.login("rita", testreg.Password)
		there.login("rita", testreg.Password)
		change := func(current, next, again string) answer {
			return here.do("POST", "/account", url.Values{"csrf": {here.formToken("/account")}, "current": {current}, "password": {next}, "again": {again}})
		}
		const next = "a much longer passphrase now"
		if a := change("wrong password!", next, next); a.status != 422 || !strings.Contains(a.body, "body.current") {
			t.Fatalf("a wrong current password: %d", a.status)
		}
		if a := change(testreg.Password, next, next+"x"); a.status != 422 || !strings.Contains(a.body, "body.again") {
			t.Fatalf("two different new passwords: %d", a.status)
		}
		if a := change(testreg.Password, "passwordpassword", "passwordpassword"); a.status != 422 || !strings.Contains(a.body, "body.password") {
			t.Fatalf("a common password: %d", a.status)
		}
		if a := change(testreg.Password, next, next); a.status != 200 {
			t.Fatalf("changing: %d %.300s", a.status, a.body)
		}
		if a := here.do("GET", "/review", nil); a.status != 200 {
			t.Errorf("the session that changed it ended: %d", a.status)
		}
		if a := there.do("GET", "/review", nil); a.status != http.StatusSeeOther {
			t.Errorf("another session survived the change: %d", a.status)
		}
		newClient(t, srv.URL, "").login("rita", next)
	})
}

// TestSessionList: the account page lists where one is signed in, and
// ends any other session, or all of them, on the server.
func TestSessionList(t *testing.T) {
	onBoth(t, func(t *testing.T, srv *httptest.Server, db *store.DB) {
		testreg.Account(t, db, "rita", account.Reviewer, nil)
		here, there, third := newClient(t, srv.URL, ""), newClient(t, srv.URL, ""), newClient(t, srv.URL, "")
		for _, c := range []*client{there, third, here} {
			c.login("rita", testreg.Password)
		}
		page := here.do("GET", "/account", nil).body
		ids := regexp.MustCompile(`name="id" value="([0-9a-f]{64})"`).FindAllStringSubmatch(page, -1)
		if len(ids) != 2 || !strings.Contains(page, "this browser") {
			t.Fatalf("the page lists %d other sessions, want 2", len(ids))
		}
		if a := here.do("POST", "/account", url.Values{"csrf": {here.formToken("/account")}, "action": {"end-session"}, "id": {strings.Repeat("0", 64)}}); a.status != 422 {
			t.Errorf("ending a session not one's own: %d", a.status)
		}
		if a := here.do("POST", "/account", url.Values{"csrf": {here.formToken("/account")}, "action": {"end-session"}, "id": {ids[0][1]}}); a.status != 200 {
			t.Fatalf("ending a session: %d", a.status)
		}
		ended := 0
		for _, c := range []*client{there, third} {
			if c.do("GET", "/review", nil).status == http.StatusSeeOther {
				ended++
			}
		}
		if ended != 1 {
			t.Fatalf("%d sessions ended, want 1", ended)
		}
		if a := here.do("POST", "/account", url.Values{"csrf": {here.formToken("/account")}, "action": {"end-others"}}); a.status != 200 {
			t.Fatalf("ending the others: %d", a.status)
		}
		for _, c := range []*client{there, third} {
			if a := c.do("GET", "/review", nil); a.status != http.StatusSeeOther {
				t.Errorf("a session survived the end of the others: %d", a.status)
			}
		}
		if a := here.do("GET", "/review", nil); a.status != 200 {
			t.Errorf("this browser's session ended too: %d", a.status)
		}
	})
}
