package web

import (
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"oversight/account"
	"oversight/internal/fixture"
	"oversight/internal/ratelimit"
	"oversight/internal/testcls"
	"oversight/internal/testreg"
	"oversight/store"
)

// TestSessions: a sign-in sets a Secure, HttpOnly, SameSite cookie and
// replaces any session the browser had; a wrong password or a disabled
// account gets one answer that says nothing of which; signing out ends the
// session on the server, not only in the browser.
func TestSessions(t *testing.T) {
	onBoth(t, func(t *testing.T, srv *httptest.Server, db *store.DB) {
		testreg.Account(t, db, "rita", account.Reviewer, nil)
		b := newClient(t, srv.URL, "")
		token := b.formToken("/login")
		wrong := b.do("POST", "/login", url.Values{"name": {"rita"}, "password": {"not the password"}, "csrf": {token}})
		nobody := b.do("POST", "/login", url.Values{"name": {"nobody"}, "password": {"not the password"}, "csrf": {token}})
		if wrong.status != 401 || nobody.status != 401 || !strings.Contains(wrong.body, "The name or the password is not right") ||
			!strings.Contains(nobody.body, "The name or the password is not right") {
			t.Fatalf("wrong password %d, unknown name %d", wrong.status, nobody.status)
		}
		a := b.do("POST", "/login", url.Values{"name": {"rita"}, "password": {testreg.Password}, "csrf": {token}, "next": {"https://evil.example/"}})
		if a.status != http.StatusSeeOther || a.header.Get("Location") != "/review" {
			t.Fatalf("sign-in: %d to %q (an outside next must not be followed)", a.status, a.header.Get("Location"))
		}
		set := a.header.Values("Set-Cookie")
		var cookie string
		for _, c := range set {
			if strings.HasPrefix(c, "__Host-oversight-session=") {
				cookie = c
			}
		}
		for _, attr := range []string{"Path=/", "HttpOnly", "Secure", "SameSite=Lax"} {
			if !strings.Contains(cookie, attr) {
				t.Errorf("session cookie %q lacks %s", cookie, attr)
			}
		}
		first := b.cookies["__Host-oversight-session"]
		if a := b.do("GET", "/review", nil); a.status != 200 {
			t.Fatalf("signed in, /review: %d", a.status)
		}

		// A second sign-in in the same browser ends the first session.
		b.login("rita", testreg.Password)
		if b.cookies["__Host-oversight-session"] == first {
			t.Fatal("the session token was not rotated at sign-in")
		}
		stale := newClient(t, srv.URL, "")
		stale.cookies["__Host-oversight-session"] = first
		if a := stale.do("GET", "/review", nil); a.status != http.StatusSeeOther {
			t.Errorf("the session before the second sign-in still works: %d", a.status)
		}

		// Signing out ends the session on the server.
		kept := b.cookies["__Host-oversight-session"]
		csrf := b.formToken("/review")
		if a := b.do("POST", "/logout", url.Values{"csrf": {csrf}}); a.status != http.StatusSeeOther {
			t.Fatalf("sign-out: %d %s", a.status, a.body)
		}
		replay := newClient(t, srv.URL, "")
		replay.cookies["__Host-oversight-session"] = kept
		if a := replay.do("GET", "/review", nil); a.status != http.StatusSeeOther {
			t.Errorf("a signed-out session still works: %d", a.status)
		}

		// A disabled account signs in no more, and its sessions end.
		b.login("rita", testreg.Password)
		rita, _ := db.Account(t.Context(), "rita")
		now := time.Now()
		rita.Disabled = &now
		if err := db.UpdateAccount(t.Context(), rita); err != nil {
			t.Fatal(err)
		}
		if a := b.do("GET", "/review", nil); a.status != http.StatusSeeOther {
			t.Errorf("the session of a disabled account still works: %d", a.status)
		}
		if a := b.do("POST", "/login", url.Values{"name": {"rita"}, "password": {testreg.Password}, "csrf": {b.formToken("/login")}}); a.status != 401 {
			t.Errorf("a disabled account signed in: %d", a.status)
		}
	})
}

// TestSessionExpires: a session lasts auth.SessionLifetime.
func TestSessionExpires(t *testing.T) {
	now := time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	db := testreg.Open(t, fixture.Set(2))
	h, err := NewWithOptions(db, testcls.New(t, nil), Options{Now: func() time.Time { return now }, Writes: unlimited.Writes, Logins: unlimited.Logins})
	if err != nil {
		t.Fatal(err)
	}
	srv := testreg.Serve(t, h)
	testreg.Account(t, db, "rita", account.Reviewer, nil)
	b := newClient(t, srv.URL, "")
	b.login("rita", testreg.Password)
	now = now.Add(11 * time.Hour)
	if a := b.do("GET", "/review", nil); a.status != 200 {
		t.Fatalf("after 11 hours: %d", a.status)
	}
	now = now.Add(time.Hour + time.Second)
	if a := b.do("GET", "/review", nil); a.status != http.StatusSeeOther {
		t.Fatalf("after 12 hours: %d, want the sign-in page", a.status)
	}
}

// TestCSRF: every form that changes something carries its browser's
// token; the API, used from a signed-in browser, carries it in a header;
// a request from another site's page is refused whatever it carries.
func TestCSRF(t *testing.T) {
	onBoth(t, func(t *testing.T, srv *httptest.Server, db *store.DB) {
		testreg.Account(t, db, "rita", account.Reviewer, nil)
		anon := newClient(t, srv.URL, "")
		form := url.Values{"kind": {"dispute"}, "target": {"synthetic-pk-0000000"}, "message": {"wrong city"}, "evidence0.url": {"https://example.org/x"}}
		if a := anon.do("POST", "/submit", form); a.status != 400 || !strings.Contains(a.body, "csrf") {
			t.Errorf("a form without its token: %d %.200s", a.status, a.body)
		}
		form.Set("csrf", "form_"+strings.Repeat("A", 43))
		anon.formToken("/submit") // the browser has a token now, another one
		if a := anon.do("POST", "/submit", form); a.status != 400 {
			t.Errorf("a form with another browser's token: %d", a.status)
		}
		form.Set("csrf", anon.formToken("/submit"))
		anon.origin = "cross-site"
		if a := anon.do("POST", "/submit", form); a.status != 403 {
			t.Errorf("a form posted from another site: %d", a.status)
		}
		anon.origin = ""
		if a := anon.do("POST", "/submit", form); a.status != 201 {
			t.Fatalf("a form with its token: %d %.300s", a.status, a.body)
		}

		// The API from a signed-in browser: the header, or nothing.
		b := newClient(t, srv.URL, "")
		b.login("rita", testreg.Password)
		if a := b.do("POST", "/api/v1/submissions", newProposal(t, 40)); a.status != 400 || !strings.Contains(a.body, "csrf") {
			t.Errorf("the API with a session cookie and no token: %d %.200s", a.status, a.body)
		}
		if a := b.do("POST", "/api/v1/submissions", newProposal(t, 41), "X-CSRF-Token", b.formToken("/review")); a.status != 201 {
			t.Errorf("the API with a session cookie and its token: %d %.200s", a.status, a.body)
		}
		// A program with no cookie needs no token.
		if a := newClient(t, srv.URL, "").do("POST", "/api/v1/submissions", newProposal(t, 42)); a.status != 201 {
			t.Errorf("the API without a cookie: %d %.200s", a.status, a.body)
		}
	})
}

// TestRateLimits: a client past its rate of writes, or an account name
// past its sign-ins, is answered 429 with Retry-After, and other clients
// and names are not.
func TestRateLimits(t *testing.T) {
	low := ratelimit.Limit{Rate: 0.1, Burst: 3} // three, then one every ten seconds
	onBothWith(t, Options{Writes: low, Logins: unlimited.Logins}, func(t *testing.T, srv *httptest.Server, db *store.DB) {
		c := newClient(t, srv.URL, "")
		n := 0
		var last answer
		for ; n < 10; n++ {
			if last = c.do("POST", "/api/v1/submissions", newProposal(t, 100+n)); last.status != 201 {
				break
			}
		}
		if wait, _ := strconv.Atoi(last.header.Get("Retry-After")); n != 3 || last.status != 429 || wait < 1 || wait > 10 {
			t.Errorf("writes: %d accepted, then %d with Retry-After %q; want 3, then 429 and at most 10", n, last.status, last.header.Get("Retry-After"))
		}
		if a := c.do("GET", "/api/v1/deployments", nil); a.status != 200 {
			t.Errorf("a read after the writes' limit: %d", a.status)
		}
	})
	onBothWith(t, Options{Writes: unlimited.Writes, Logins: low}, func(t *testing.T, srv *httptest.Server, db *store.DB) {
		testreg.Account(t, db, "rita", account.Reviewer, nil)
		testreg.Account(t, db, "rex", account.Reviewer, nil)
		c := newClient(t, srv.URL, "")
		token := c.formToken("/login")
		for range 3 {
			if a := c.do("POST", "/login", url.Values{"name": {"rita"}, "password": {"guess guess guess"}, "csrf": {token}}); a.status != 401 {
				t.Fatalf("a wrong password: %d", a.status)
			}
		}
		a := c.do("POST", "/login", url.Values{"name": {"rita"}, "password": {testreg.Password}, "csrf": {token}})
		if wait, _ := strconv.Atoi(a.header.Get("Retry-After")); a.status != 429 || wait < 1 || wait > 10 {
			t.Errorf("the fourth sign-in of one name: %d, Retry-After %q; want 429 and at most 10, even with the right password", a.status, a.header.Get("Retry-After"))
		}
		c.login("rex", testreg.Password) // another name is not held back
	})
}

// onBothWith is onBoth with options.
func onBothWith(t *testing.T, o Options, fn func(t *testing.T, srv *httptest.Server, db *store.DB)) {
	t.Run("sqlite", func(t *testing.T) {
		db := testreg.Open(t, fixture.Set(4))
		h, err := NewWithOptions(db, testcls.New(t, nil), o)
		if err != nil {
			t.Fatal(err)
		}
		fn(t, testreg.Serve(t, h), db)
	})
	t.Run("postgres", func(t *testing.T) {
		_, db := servePostgres(t, fixture.Set(4))
		h, err := NewWithOptions(db, testcls.New(t, nil), o)
		if err != nil {
			t.Fatal(err)
		}
		fn(t, testreg.Serve(t, h), db)
	})
}

// TestContentType: a JSON endpoint refuses a body of another type with
// 415, naming the header.
func TestContentType(t *testing.T) {
	srv, _ := serveSet(t, fixture.Set(2), nil)
	a := newClient(t, srv.URL, "").do("POST", "/api/v1/submissions", newProposal(t, 3), "Content-Type", "text/plain")
	if a.status != http.StatusUnsupportedMediaType || !strings.Contains(a.body, "header.Content-Type") {
		t.Errorf("a text/plain body: %d %s", a.status, a.body)
	}
}

// TestReceiptActions: from the receipt page, a contributor has their
// contact forgotten and withdraws the submission; the API does the same.
func TestReceiptActions(t *testing.T) {
	srv, db := serveSet(t, fixture.Set(2), nil)
	c := newClient(t, srv.URL, "")
	var rc struct{ Receipt string }
	a := c.do("POST", "/api/v1/submissions", newProposal(t, 5))
	json.Unmarshal([]byte(a.body), &rc)
	page := "/receipts/" + rc.Receipt
	if a := c.do("POST", page, url.Values{"csrf": {c.formToken(page)}, "action": {"forget-contact"}}); a.status != http.StatusSeeOther {
		t.Fatalf("forgetting the contact: %d %s", a.status, a.body)
	}
	if sub, _ := db.SubmissionByReceipt(t.Context(), account.HashToken(rc.Receipt)); sub.Contact != "" {
		t.Fatal("the contact was kept")
	}
	if a := c.do("POST", page, url.Values{"csrf": {c.formToken(page)}, "action": {"withdraw"}}); a.status != http.StatusSeeOther {
		t.Fatalf("withdrawing: %d %s", a.status, a.body)
	}
	if a := c.do("GET", page, nil); !strings.Contains(a.body, "withdrawn") {
		t.Errorf("the receipt page does not say withdrawn")
	}
	api := newClient(t, srv.URL, "")
	a = api.do("POST", "/api/v1/submissions", newProposal(t, 6))
	json.Unmarshal([]byte(a.body), &rc)
	if a := api.do("DELETE", "/api/v1/receipts/"+rc.Receipt+"/contact", nil); a.status != 200 || strings.Contains(a.body, "contact") {
		t.Errorf("DELETE contact: %d %s", a.status, a.body)
	}
	if a := api.do("POST", "/api/v1/receipts/"+rc.Receipt+"/withdraw", nil); a.status != 200 || !strings.Contains(a.body, `"state":"withdrawn"`) {
		t.Errorf("withdraw: %d %s", a.status, a.body)
	}
	if a := api.do("POST", "/api/v1/receipts/"+rc.Receipt+"/withdraw", nil); a.status != 409 {
		t.Errorf("withdrawing twice: %d", a.status)
	}
}

var recordArea = regexp.MustCompile(`(?s)<textarea id="record" name="record"[^>]*>(.*?)</textarea>`)

// TestReviewRecordStrict: the record a reviewer edits on the review page is
// read as an import reads a file (ingest.DecodeJSON), so that what the API
// and imports refuse cannot be logged through the form instead: a key
// twice (encoding/json keeps the last), a field name in another case (it
// matches any case), text after the record (a Decoder stops before it),
// invalid UTF-8 (replaced by U+FFFD). An edit without them is accepted.
func TestReviewRecordStrict(t *testing.T) {
	onBoth(t, func(t *testing.T, srv *httptest.Server, db *store.DB) {
		p := newPrincipals(t, srv, db)
		page := p.reviewer.do("GET", "/review/"+p.submission, nil)
		m := recordArea.FindStringSubmatch(page.body)
		if page.status != http.StatusOK || m == nil {
			t.Fatalf("GET /review/%s: %d, no record to edit", p.submission, page.status)
		}
		record := strings.TrimSpace(html.UnescapeString(m[1]))
		const title = `"title": "`
		if !strings.HasPrefix(record, "{") || !strings.Contains(record, title) {
			t.Fatalf("the record to edit is not a deployment's JSON:\n%s", record)
		}
		decide := func(edit string) answer {
			return p.reviewer.do("POST", "/review/"+p.submission, url.Values{"action": {"accept"}, "record": {edit},
				"csrf": {p.reviewer.formToken("/review/" + p.submission)}})
		}
		for name, edit := range map[string]string{
			"a key twice":         strings.Replace(record, "{", `{"title": "A title said first",`, 1),
			"a field in capitals": strings.Replace(record, `"title":`, `"Title":`, 1),
			"text after it":       record + "}",
			"invalid UTF-8":       strings.Replace(record, title, title+"\xff", 1),
		} {
			if a := decide(edit); a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, "not a record in the import format") {
				t.Errorf("an edited record with %s: %d, want 422 saying it is not a record in the import format", name, a.status)
			}
		}
		if a := decide(strings.Replace(record, title, title+"Edited: ", 1)); a.status != http.StatusSeeOther {
			t.Errorf("a well-formed edit: %d %.500s", a.status, a.body)
		}
	})
}
