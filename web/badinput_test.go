package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"oversight/account"
	"oversight/internal/fixture"
	"oversight/internal/testcls"
	"oversight/internal/testenv"
	"oversight/internal/testreg"
	"oversight/ledger"
	"oversight/registry"
	"oversight/store"
)

// TestNoServerErrorForBadInput sends hostile values for every parameter of
// every route, API and pages, and checks that each is answered with a 4xx
// naming the parameter (or, where the value is one the parameter accepts,
// a 200), and never with a 5xx, a dropped connection or no answer in time.
//
// The API's routes and parameters come from its OpenAPI description, so
// that a route or parameter added there is covered without a change here;
// the pages' come from pageRoutes, which must list site.Routes().
//
// It runs on SQLite, and on PostgreSQL when $OBS_TEST_POSTGRES names one:
// the two refuse different strings (PostgreSQL any text with a NUL or
// invalid UTF-8), so a value one lets through may fail on the other.
//
// Each request has requestTimeout to be answered. A handler that never
// returns also keeps the test server from closing: the test then ends at
// go test's -timeout, with the hang reported above (with -v) and the
// handler's goroutine in the dump.
func TestNoServerErrorForBadInput(t *testing.T) {
	// The two engines' servers are apart: they take their requests at once.
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		srv, db := serveSet(t, fixture.Set(20), nil)
		badInput(t, srv, db)
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		srv, db := servePostgres(t, fixture.Set(20))
		badInput(t, srv, db)
	})
}

// servePostgres serves a register holding set in a schema of its own in
// the database $OBS_TEST_POSTGRES names.
func servePostgres(t *testing.T, set *registry.Set) (*httptest.Server, *store.DB) {
	url := testenv.PostgresSchema(t, "badinput")
	key, err := ledger.LoadOrCreateKey(t.TempDir(), ledger.DefaultOrigin)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.OpenPostgres(context.Background(), url, key)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Apply(context.Background(), set, store.Meta{Author: "test"}, nil); err != nil {
		t.Fatal(err)
	}
	h, err := NewWithOptions(db, testcls.New(t, nil), unlimited)
	if err != nil {
		t.Fatal(err)
	}
	return testreg.Serve(t, h), db
}

// badInput sends the battery to srv, as an admin linked to an
// organisation (with an API token), so that every route is reached.
func badInput(t *testing.T, srv *httptest.Server, db *store.DB) {
	start := time.Now()
	// An admin (who reviews too) who also answers for vendor-a, so that
	// every route reads its parameters.
	token := testreg.Account(t, db, "battery", account.Admin, &account.Org{Kind: "vendor", ID: "vendor-a"})
	// A redirect (the mux cleaning "/a/../b") is an answer, not something
	// to follow.
	noRedirect := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	b := &battery{t: t, base: srv.URL,
		client:  &http.Client{Transport: bearer{token}, Timeout: requestTimeout, CheckRedirect: noRedirect},
		browser: &http.Client{Timeout: requestTimeout, CheckRedirect: noRedirect},
	}
	b.frameworks = b.frameworkIDs()
	b.submit()
	if _, err := db.AddRelease(context.Background(), "2026-12", "", time.Now()); err != nil { // a release to page through
		t.Fatal(err)
	}

	spec := readSpec(t)
	b.mounts(spec)
	b.apiRoutes(spec)
	b.pageRoutes()
	b.formRoutes(db)
	b.logRoutes()
	b.classifyBodies()
	b.assessBodies()
	b.run()
	// What the forms accepted was logged as any write is.
	if rep, err := db.Verify(context.Background()); err != nil || !rep.OK() {
		t.Errorf("verify after the battery: %v, %+v", err, rep)
	}

	// How long it took is reported, not judged: on a shared machine the
	// same battery takes 3 s or 80 s (a test that fails when slow is not
	// a test of the server).
	t.Logf("%d requests in %v", len(b.reqs), time.Since(start).Round(time.Millisecond))
}

// bearer sends every request with an API token.
type bearer struct{ token string }

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return http.DefaultTransport.RoundTrip(r)
}

// requestTimeout is how long a request may wait for its answer before it
// counts as a hang: far beyond the few milliseconds one takes, so that a
// machine running other work (load 40 on 2 cores was seen) is not taken
// for a hang.
const requestTimeout = 30 * time.Second

// workers is how many requests are in flight at once: no more than the
// server reads at once, which would shed the rest with a 503.
var workers = min(8, readers)

type request struct {
	what        string // for messages: route, parameter, value
	method, url string
	ctype       string
	body        []byte
	api         bool   // answered in problem details, else an HTML page
	plain       bool   // answered in plain text (the log's tiles)
	names       string // the location a 4xx must name: "query.x", "path.id", "body"
	accept      bool   // the value is one the parameter takes: 2xx is right too
	notFound    bool   // a 404 that names nothing is right (an unknown id)
	anyClient   bool   // any 4xx (or 3xx) is right: the value is not the parameter's (a path that is another route)
	cookie      string // a browser's Cookie header: sent instead of the API token
	form        bool   // a page's form: a 303 is its success, and a refusal of a value it accepts may be for another reason
	input       string // the form's input sent the value: an error may name it by its label, linking to it
}

type battery struct {
	t          *testing.T
	base       string
	client     *http.Client // with the battery's API token
	browser    *http.Client // with none: a request's Cookie header says who it is
	frameworks []string
	reqs       []request
	receipt    string // of a submission the battery sent
	submission string // its id
}

// made replaces "{receipt}" and "{submission}" with those of the
// submission the battery sent (submit).
func (b *battery) made(v string) string {
	return strings.NewReplacer("{receipt}", b.receipt, "{submission}", b.submission).Replace(v)
}

// submit sends a valid submission, whose receipt and id the routes that
// read one are tested with.
func (b *battery) submit() {
	d := fixture.Deployment(9000, "PK", "vendor-a")
	body, _ := json.Marshal(map[string]any{"kind": "new", "record": d, "evidence": []map[string]string{{"url": "https://example.org/a"}}})
	resp, err := b.client.Post(b.base+"/api/v1/submissions", "application/json", bytes.NewReader(body))
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Receipt    string `json:"receipt"`
		Submission struct {
			ID int64 `json:"id"`
		} `json:"submission"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusCreated {
		b.t.Fatalf("POST /api/v1/submissions: %d, %v", resp.StatusCode, err)
	}
	b.receipt, b.submission = out.Receipt, strconv.FormatInt(out.Submission.ID, 10)
}

func (b *battery) add(r request) { b.reqs = append(b.reqs, r) }

// frameworkIDs lists the frameworks the server knows.
func (b *battery) frameworkIDs() []string {
	resp, err := b.client.Get(b.base + "/api/v1/frameworks")
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Items []struct {
			ID      string `json:"id"`
			Encoded bool   `json:"encoded"`
		} `json:"items"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || len(out.Items) == 0 {
		b.t.Fatalf("GET /api/v1/frameworks: %v, %d items", err, len(out.Items))
	}
	var ids []string
	for _, it := range out.Items {
		if it.Encoded { // ?framework= refuses a law not encoded: it classifies nothing
			ids = append(ids, it.ID)
		}
	}
	return ids
}

// run sends the battery's requests, workers at a time, and reports each
// answer that is wrong.
func (b *battery) run() {
	work := make(chan request)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range work {
				if msg := b.check(r); msg != "" {
					b.t.Errorf("%s: %s", r.what, msg)
				}
			}
		}()
	}
	for _, r := range b.reqs {
		work <- r
	}
	close(work)
	wg.Wait()
}

// check sends one request and says what is wrong with its answer, "" when
// nothing is.
func (b *battery) check(r request) string {
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, r.method, b.base+r.url, bytes.NewReader(r.body))
	if err != nil {
		return "cannot build the request: " + err.Error()
	}
	if r.ctype != "" {
		req.Header.Set("Content-Type", r.ctype)
	}
	client := b.client
	if r.cookie != "" {
		req.Header.Set("Cookie", r.cookie)
		client = b.browser
	}
	t0 := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return fmt.Sprintf("no answer in %v (a hang)", requestTimeout)
		}
		return "no answer (a panic?): " + err.Error()
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return fmt.Sprintf("%d, then the body broke off after %v (a panic?): %v", resp.StatusCode, time.Since(t0), err)
	}
	st := resp.StatusCode
	ctype := resp.Header.Get("Content-Type")
	switch {
	case st >= 500:
		return fmt.Sprintf("%d: %.300s", st, body)
	case st < 300:
		if !r.accept {
			return fmt.Sprintf("%d: a wrong value was accepted", st)
		}
		return ""
	case st < 400:
		if r.anyClient || r.notFound || r.form && r.accept {
			return ""
		}
		return fmt.Sprintf("%d to a query value", st)
	}
	// A client error: it must be in the route's format and name the
	// parameter at fault.
	if r.plain {
		if !strings.HasPrefix(ctype, "text/plain") {
			return fmt.Sprintf("%d in %q", st, ctype)
		}
	} else if r.api && ctype != "application/problem+json" || !r.api && !strings.HasPrefix(ctype, "text/html") {
		if !(r.api && st == http.StatusRequestEntityTooLarge) {
			return fmt.Sprintf("%d in %q", st, ctype)
		}
	}
	// A form's value it takes may still be refused for what the
	// requests before it did (a submission already decided).
	if r.anyClient || r.form && r.accept || (r.notFound && (st == http.StatusNotFound || st == http.StatusMethodNotAllowed)) || st == http.StatusRequestEntityTooLarge {
		return ""
	}
	if r.api {
		var p struct {
			Errors []struct {
				Location string `json:"location"`
			} `json:"errors"`
		}
		if err := json.Unmarshal(body, &p); err != nil {
			return fmt.Sprintf("%d, not problem details: %v", st, err)
		}
		for _, e := range p.Errors {
			if e.Location == r.names || r.names == "body" && strings.HasPrefix(e.Location, "body") {
				return ""
			}
		}
		return fmt.Sprintf("%d does not name %s: %.300s", st, r.names, body)
	}
	// The page's message names the parameter as "name: what is wrong"
	// (a fact-schema error names the field as a JSON pointer).
	text := pageMessage(string(body))
	if strings.Contains(text, " "+r.names+": ") || strings.Contains(text, "/"+strings.ReplaceAll(r.names, ".", "/")+": ") {
		return ""
	}
	// A form's errors name its fields as the API names a body's, each in
	// a <code> element ("body.name : ").
	// Or, on the contribution form, by the field's label, linking to its
	// input ("<a href="#title">Title</a>: give the deployment a title").
	if r.form && r.input != "" && strings.Contains(string(body), `<li><a href="#`+r.input+`">`) {
		return ""
	}
	if r.form && (strings.Contains(text, " body."+r.names+" : ") || strings.Contains(text, " body."+r.names+": ") || strings.Contains(text, " "+r.names+" : ")) {
		return ""
	}
	return fmt.Sprintf("%d page does not name %s: %.300s", st, r.names, text)
}

// pageMessage is the text of a page's main element, its tags and runs of
// white space each one space. (A regular expression did this in a quarter
// of the battery's time.)
func pageMessage(page string) string {
	if i := strings.Index(page, "<main"); i >= 0 {
		page = page[i:]
	}
	if i := strings.Index(page, "</main>"); i >= 0 {
		page = page[:i]
	}
	var b strings.Builder
	inTag, space := false, false
	for _, r := range page {
		switch {
		case inTag:
			inTag = r != '>'
			space = true
			continue
		case r == '<':
			inTag = true
			space = true
			continue
		case unicode.IsSpace(r):
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
	return html.UnescapeString(b.String())
}
