package web

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

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
	b := &battery{t: t, base: srv.URL, client: &http.Client{
		Transport: bearer{token},
		Timeout:   requestTimeout,
		// A redirect (the mux cleaning "/a/../b") is an answer, not
		// something to follow.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	b.frameworks = b.frameworkIDs()
	b.submit()
	if _, err := db.AddRelease(context.Background(), "2026-12", "", time.Now()); err != nil { // a release to page through
		t.Fatal(err)
	}

	spec := readSpec(t)
	b.apiRoutes(spec)
	b.pageRoutes()
	b.classifyBodies()
	b.assessBodies()
	b.run()

	elapsed := time.Since(start)
	t.Logf("%d requests in %v", len(b.reqs), elapsed.Round(time.Millisecond))
	if elapsed > totalBudget {
		t.Errorf("the battery took %v, over its budget of %v", elapsed, totalBudget)
	}
}

// bearer sends every request with an API token.
type bearer struct{ token string }

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return http.DefaultTransport.RoundTrip(r)
}

const (
	requestTimeout = 5 * time.Second  // an answer later than this is a hang
	totalBudget    = 50 * time.Second // on a 2-core machine it takes a few seconds
)

// workers is how many requests are in flight at once: no more than the
// server reads at once, which would shed the rest with a 503.
var workers = min(8, readers)

type param struct {
	Name     string `json:"name"`
	In       string `json:"in"`
	Required bool   `json:"required"`
	Schema   struct {
		Type      string   `json:"type"`
		Format    string   `json:"format"`
		Enum      []string `json:"enum"`
		Minimum   *int64   `json:"minimum"`
		Maximum   *int64   `json:"maximum"`
		MaxLength *int     `json:"maxLength"`
	} `json:"schema"`
}

type operation struct {
	Parameters  []param         `json:"parameters"`
	RequestBody json.RawMessage `json:"requestBody"`
}

type spec struct {
	Paths map[string]map[string]json.RawMessage `json:"paths"`
}

func readSpec(t *testing.T) spec {
	raw, err := os.ReadFile("../api/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var s spec
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	if len(s.Paths) == 0 {
		t.Fatal("openapi.json documents no paths")
	}
	return s
}

// request is one request of the battery and what its answer may be.
type request struct {
	what        string // for messages: route, parameter, value
	method, url string
	ctype       string
	body        []byte
	api         bool   // answered in problem details, else an HTML page
	names       string // the location a 4xx must name: "query.x", "path.id", "body"
	accept      bool   // the value is one the parameter takes: 2xx is right too
	notFound    bool   // a 404 that names nothing is right (an unknown id)
	anyClient   bool   // any 4xx (or 3xx) is right: the value is not the parameter's (a path that is another route)
}

type battery struct {
	t          *testing.T
	base       string
	client     *http.Client
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
			ID string `json:"id"`
		} `json:"items"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || len(out.Items) == 0 {
		b.t.Fatalf("GET /api/v1/frameworks: %v, %d items", err, len(out.Items))
	}
	var ids []string
	for _, it := range out.Items {
		ids = append(ids, it.ID)
	}
	return ids
}

// apiRoutes adds, for every documented operation, each hostile value of
// each of its parameters, each parameter twice, and an unknown parameter.
func (b *battery) apiRoutes(s spec) {
	paths := make([]string, 0, len(s.Paths))
	for p := range s.Paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	n := 0
	for _, path := range paths {
		var shared []param
		if raw, ok := s.Paths[path]["parameters"]; ok {
			if err := json.Unmarshal(raw, &shared); err != nil {
				b.t.Fatalf("%s: parameters: %v", path, err)
			}
		}
		for method, raw := range s.Paths[path] {
			if method == "parameters" || strings.HasPrefix(method, "x-") || method == "summary" || method == "description" {
				continue
			}
			var op operation
			if err := json.Unmarshal(raw, &op); err != nil {
				b.t.Fatalf("%s %s: %v", method, path, err)
			}
			n++
			b.apiOperation(strings.ToUpper(method), path, append(slices.Clone(shared), op.Parameters...), op.RequestBody != nil)
		}
	}
	if n < 20 {
		b.t.Fatalf("openapi.json documents %d operations; the reading of it is wrong", n)
	}
}

func (b *battery) apiOperation(method, tmpl string, ps []param, hasBody bool) {
	var body []byte
	ctype := ""
	if hasBody {
		body, ctype = []byte(`{"schema":"observatory.facts/v0"}`), "application/json"
	}
	// The path with every path parameter at a valid (or at least
	// well-formed) value.
	fill := func(except string, v hostile) string {
		out := tmpl
		for _, p := range ps {
			if p.In != "path" {
				continue
			}
			val := b.made(validPath[tmpl])
			if v, ok := validPath[tmpl+"#"+p.Name]; ok { // a path of two parameters
				val = v
			}
			if val == "" {
				val = "no-such-record"
			}
			if p.Name == except {
				val = v.v
				if !v.raw {
					val = url.PathEscape(val)
				}
			}
			out = strings.ReplaceAll(out, "{"+p.Name+"}", val)
		}
		return out
	}
	// The query every request carries: the required parameters, valid.
	baseQuery := func(except string) url.Values {
		q := url.Values{}
		for _, p := range ps {
			if p.In == "query" && p.Required && p.Name != except {
				v, ok := validQuery[p.Name]
				if !ok {
					b.t.Fatalf("%s %s: required parameter %s has no valid value in validQuery", method, tmpl, p.Name)
				}
				q.Set(p.Name, v)
			}
		}
		return q
	}
	route := method + " " + tmpl
	for _, p := range ps {
		switch p.In {
		case "query":
			for _, v := range queryValues {
				q := baseQuery(p.Name)
				q.Set(p.Name, v.v)
				b.add(request{what: fmt.Sprintf("%s ?%s= %s", route, p.Name, v.name), method: method, url: fill("", hostile{}) + "?" + q.Encode(),
					ctype: ctype, body: body, api: true, names: "query." + p.Name, accept: b.accepts(p, v.v)})
			}
			q := baseQuery("")
			q.Add(p.Name, "a")
			q.Add(p.Name, "a")
			b.add(request{what: fmt.Sprintf("%s ?%s twice", route, p.Name), method: method, url: fill("", hostile{}) + "?" + q.Encode(),
				ctype: ctype, body: body, api: true, names: "query." + p.Name})
		case "path":
			for _, v := range pathValues {
				b.add(request{what: fmt.Sprintf("%s {%s}= %s", route, p.Name, v.name), method: method, url: fill(p.Name, v) + "?" + baseQuery("").Encode(),
					ctype: ctype, body: body, api: true, names: "path." + p.Name, notFound: true, anyClient: v.raw})
			}
		default:
			b.t.Errorf("%s: parameter %s in %q is not tested", route, p.Name, p.In)
		}
	}
	q := baseQuery("")
	q.Set("nonsense", "1")
	b.add(request{what: route + " ?nonsense=1", method: method, url: fill("", hostile{}) + "?" + q.Encode(),
		ctype: ctype, body: body, api: true, names: "query.nonsense", accept: lenient[tmpl]})
}

var alpha2 = regexp.MustCompile(`^[A-Za-z]{2}$`)
var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// accepts reports whether v is a value a parameter takes, so that a 200 is
// a right answer to it. Its kind is read from the schema, or, for the
// strings whose form the schema does not say, from its name.
func (b *battery) accepts(p param, v string) bool {
	if v == "" {
		return !p.Required
	}
	if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
		return false
	}
	switch {
	case p.Schema.Enum != nil:
		return slices.Contains(p.Schema.Enum, v)
	case p.Schema.Type == "integer":
		n, err := strconv.ParseInt(v, 10, 64)
		return err == nil && (p.Schema.Minimum == nil || n >= *p.Schema.Minimum) && (p.Schema.Maximum == nil || n <= *p.Schema.Maximum)
	case p.Schema.Format == "date":
		d, err := time.Parse(time.DateOnly, v)
		return err == nil && d.Year() >= 1900 && d.Year() <= 2100
	}
	switch p.Name {
	case "q":
		return p.Schema.MaxLength == nil || len(v) <= *p.Schema.MaxLength
	case "cursor":
		// Any string the server could have paged after; it need not exist.
		dec, err := base64.RawURLEncoding.DecodeString(v)
		return err == nil && len(dec) > 0 && utf8.Valid(dec) && !bytes.ContainsRune(dec, 0)
	case "jurisdiction":
		for _, c := range strings.Split(v, ",") {
			if !alpha2.MatchString(strings.TrimSpace(c)) {
				return false
			}
		}
		return true
	case "vendor_hq":
		return alpha2.MatchString(v)
	case "vendor":
		return slugRE.MatchString(v)
	case "framework":
		for _, id := range strings.Split(v, ",") {
			if !slices.Contains(b.frameworks, id) {
				return false
			}
		}
		return true
	case "tier":
		return false // no hostile value is FRAMEWORK:TIER
	case "target":
		return slugRE.MatchString(v)
	case "next":
		return true // any text: a sign-in goes to it only if it is a path here
	case "subregion":
		return registry.Subregions.Has(v)
	case "region":
		return registry.Memberships.Has(v)
	case "from", "before":
		n, err := strconv.ParseInt(v, 10, 64)
		return err == nil && n >= 1 && n <= 1<<50 && (len(v) == 1 || v[0] != '0') // a log size
	}
	b.t.Errorf("parameter %s: the test does not know what values it takes; teach accepts", p.Name)
	return true
}

// classifyBodies adds hostile bodies for POST /api/v1/classify.
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
	t0 := time.Now()
	resp, err := b.client.Do(req)
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
		if r.anyClient || r.notFound {
			return ""
		}
		return fmt.Sprintf("%d to a query value", st)
	}
	// A client error: it must be in the route's format and name the
	// parameter at fault.
	if r.api && ctype != "application/problem+json" || !r.api && !strings.HasPrefix(ctype, "text/html") {
		if !(r.api && st == http.StatusRequestEntityTooLarge) {
			return fmt.Sprintf("%d in %q", st, ctype)
		}
	}
	if r.anyClient || (r.notFound && (st == http.StatusNotFound || st == http.StatusMethodNotAllowed)) || st == http.StatusRequestEntityTooLarge {
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
